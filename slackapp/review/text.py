"""Slack markup -> reviewable text, keeping every offset.

`mask()` returns a string of exactly the same length as its input in which
everything that is not the agent's own prose (code, quoted customer words, the
customer's turns in a chat transcript, links, mentions, formatting marks, HTML
escapes) is blanked with spaces. Rules
run over the masked text, so a match's offsets index the original text as-is.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

_CODE_BLOCK = re.compile(r"```.*?(?:```|\Z)", re.S)
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_QUOTE_LINE = re.compile(r"^[ \t]*(?:>|&gt;).*$", re.M)
# A chat transcript's customer turns ("Customer: ...", "Client (Ana): ...") are their words.
_CUSTOMER_TURN = re.compile(
    r"^[ \t]*(?:customer|client|caller|guest|member|patient)(?:\s*\([^)\n]{0,30}\))?:.*$",
    re.M | re.I,
)
# A double-quoted stretch (curly quotes are straightened first) may be somebody else's words.
_QUOTED = re.compile(r'"[^"\n]{1,400}"')
_QUOTE_MIN_WORDS = 4
_LABELLED_LINK = re.compile(r"(<(?:https?|mailto):[^|>\s]*\|)([^>]*)(>)")
_SLACK_TOKEN = re.compile(r"<[@#!][^>]*>|<(?:https?|mailto):[^>]*>")
_BARE_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+")
_ENTITY = re.compile(r"&(?:amp|lt|gt);")
_ENTITY_CHAR = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_FORMAT_MARK = re.compile(r"(?<![\w*~])[*~_]+(?=\S)|(?<=\S)[*~_]+(?![\w*~])")
_TRANSLATE = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


def _blank(match: re.Match[str]) -> str:
    """Spaces for the match, keeping its newlines so lines stay lines."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _blank_long_quote(match: re.Match[str]) -> str:
    """Four or more quoted words are a quotation; a quoted word or two is the agent's own."""
    return _blank(match) if len(match.group(0).split()) >= _QUOTE_MIN_WORDS else match.group(0)


def _keep_label(match: re.Match[str]) -> str:
    return " " * len(match.group(1)) + match.group(2) + " "


def _entity(match: re.Match[str]) -> str:
    return _ENTITY_CHAR[match.group(0)].ljust(len(match.group(0)))


# Each pass, in order, with a character its matches all hold: most drafts skip most passes.
_PASSES: tuple[tuple[tuple[str, ...], re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (("`",), _CODE_BLOCK, _blank),
    (("`",), _INLINE_CODE, _blank),
    ((">", "&gt;"), _QUOTE_LINE, _blank),
    ((":",), _CUSTOMER_TURN, _blank),
    (("|",), _LABELLED_LINK, _keep_label),
    (("<",), _SLACK_TOKEN, _blank),
    (("http", "www."), _BARE_URL, _blank),
    (("&",), _ENTITY, _entity),
    (("*", "~", "_"), _FORMAT_MARK, _blank),
    (('"',), _QUOTED, _blank_long_quote),
)


def mask(text: str) -> str:
    """Blank out what is not the agent's prose; the result has len(text) characters."""
    masked = text.translate(_TRANSLATE)
    for needles, pattern, blank in _PASSES:
        if any(needle in masked for needle in needles):
            masked = pattern.sub(blank, masked)
    return masked


def fold(masked: str) -> str:
    """Lower-case without moving any offset (a few letters grow when lower-cased)."""
    lowered = masked.lower()
    if len(lowered) == len(masked):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in masked)


# A full stop ends a sentence unless it ends a title or a common abbreviation ("Mr. Chen").
_TITLES = ("mr", "mrs", "ms", "dr", "st", "no", "vs", "approx", "prof", "e.g", "i.e", "a.m", "p.m")
_ABBREVIATION = "".join(
    rf"(?<!\b{re.escape(word)}\.)" for title in _TITLES for word in (title, title.capitalize())
)
# Chat writers end a sentence with an emoji as often as with a full stop.
_EMOJI = "\U0001f300-\U0001faff\u2600-\u27bf"
_SENTENCE_END = re.compile(
    rf"(?<=[.!?]){_ABBREVIATION}[\"')\]]*\s+|(?<=[{_EMOJI}])\ufe0f?[ \t]+(?=\w)"
    r"|\n\s*\n|\n(?=\s*[-•*]\s)|\n"
)


@lru_cache(maxsize=64)
def sentence_spans(masked: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence in masked text, trimmed of surrounding space.

    Cached: findings, parts, promises and the rewrite all walk the same sentences.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in _SENTENCE_END.finditer(masked):
        spans.extend(_trimmed(masked, start, boundary.start()))
        start = boundary.end()
    spans.extend(_trimmed(masked, start, len(masked)))
    return tuple(spans)


def _trimmed(masked: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and masked[start].isspace():
        start += 1
    while end > start and masked[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


class SpanIndex:
    """Non-overlapping spans kept sorted, so an overlap test costs O(log n), not O(n)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(spans):  # overlapping spans are merged on the way in
            if self._ends and start < self._ends[-1]:
                self._ends[-1] = max(self._ends[-1], end)
            else:
                self._starts.append(start)
                self._ends.append(end)

    def add(self, start: int, end: int) -> None:
        """Add a span that overlaps none already held."""
        at = bisect_right(self._starts, start)
        self._starts.insert(at, start)
        self._ends.insert(at, end)

    def overlaps(self, start: int, end: int) -> bool:
        at = bisect_right(self._starts, start)
        before = at > 0 and self._ends[at - 1] > start
        after = at < len(self._starts) and self._starts[at] < end
        return before or after


def sentences_holding(lowered: str, triggers: Iterable[str]) -> list[tuple[int, int]]:
    """The sentences holding one of the triggers (no triggers: every sentence).

    A plain substring search per trigger is far cheaper than running a regex everywhere.
    """
    sentences = sentence_spans(lowered)
    triggers = tuple(triggers)
    if not triggers:
        return list(sentences)
    starts = [start for start, _ in sentences]
    hit: dict[int, tuple[int, int]] = {}
    for trigger in triggers:
        at = lowered.find(trigger)
        while at != -1:
            index = bisect_right(starts, at) - 1
            if index >= 0 and at < sentences[index][1]:
                hit.setdefault(index, sentences[index])
            at = lowered.find(trigger, max(at + 1, sentences[index][1] if index >= 0 else 0))
    return [hit[index] for index in sorted(hit)]
