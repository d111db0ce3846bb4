"""Regexes that run only where they can match.

A pattern such as `\\b(?:delayed|overdue|lost) (?:order|parcel)` costs a scan of the whole
draft, position by position, even when none of its words is there. `Cue` works out once,
from the pattern's own syntax tree, words one of which every match must contain (here:
delayed, overdue, lost). A review splits the draft into words once; a cue whose words are
all absent is skipped outright. When every match begins with its anchor word, as here, the
regex is tried only where those words occur; otherwise only on the sentences holding
them. A pattern with no such word (`[$£€]\\d{4,}`) scans the draft as before. A phrase
rule joins many alternatives; at each head only the alternatives that can open there are
tried, in their order, so the first that matches still wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

from slackapp.review.text import sentences_holding

_WILD = "\0"  # stands for a character that may be part of a word
_GAP = "\1"  # stands for a character that never is (a space, a hyphen)
_EDGE = "\2"  # a zero-width word boundary: \\b, or a guard such as (?<![\\w'])
_MAX_SPELLINGS = 256  # beyond this many, a run of a pattern is cut in pieces
_MAX_CLASS = 6  # a character class with more members is any character
_MIN_FRAGMENT = 4  # a fragment anchor ("reimburs" for reimburs\\w*) needs this many letters
_MIN_HEAD = 2  # a head shorter than this is found too often, unless it is a whole word
_SHORT_TEXT = 400  # below this a hit searches the whole text: finding sentences costs more
# Words so common that a cue anchored on one would run almost everywhere.
_COMMON = frozenset(
    "a an and are at be been by can did do for from had has have i in is it my not of on"
    " our that the their they this to was we were will with you your".split()
)
_WORD = re.compile(r"[\w\0]+")
_BREAKS = (_GAP, _EDGE)
_LITERAL_HEAD = re.compile(r"[^\0\1\2]*")
_NOT_WORD_ASCII = str.maketrans(
    {chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}
)
_WORDS = re.compile(r"\w+")


@lru_cache(maxsize=32)
def words_of(text: str) -> frozenset[str]:
    """Every word of the text, split where a regex `\\b` would split it."""
    if text.isascii():
        return frozenset(text.translate(_NOT_WORD_ASCII).split())
    return frozenset(_WORDS.findall(text))


@lru_cache(maxsize=32)
def word_starts(text: str) -> dict[str, list[int]]:
    """Where each word of the text starts, split as `words_of` splits it."""
    starts: dict[str, list[int]] = {}
    for match in _WORDS.finditer(text):
        starts.setdefault(match.group(), []).append(match.start())
    return starts


class Cue:
    """A compiled pattern plus the words (or fragments) any of its matches must hold."""

    __slots__ = (
        "_by_head",
        "_for_heads",
        "branches",
        "fragments",
        "head_parts",
        "head_words",
        "regex",
        "triggers",
        "words",
    )

    def __init__(
        self,
        regex: re.Pattern[str],
        triggers: tuple[str, ...] = (),
        branches: tuple[re.Pattern[str], ...] = (),
    ) -> None:
        """`branches`: the alternatives `regex` joins, in order, if it is an alternation;
        at each head only those that can open there are tried."""
        self.regex = regex
        self.triggers = triggers  # hand-picked text one of which a match's sentence holds
        anchors, heads = _anchors(regex.pattern)
        # Where matches can start: whole words, looked up in the text's words, or other text.
        self.head_words = frozenset(head for head, whole in heads or () if whole)
        self.head_parts: tuple[str, ...] | None = (
            tuple(sorted(head for head, whole in heads if not whole)) if heads else None
        )
        self.words: frozenset[str] | None = anchors.words if anchors else None
        self.fragments: tuple[str, ...] = anchors.fragments if anchors else ()
        self.branches = branches
        self._by_head = _branches_by_head(branches) if heads else None
        self._for_heads: dict[frozenset[str], re.Pattern[str]] = {}

    @classmethod
    def alternation(
        cls, branches: tuple[re.Pattern[str], ...], triggers: tuple[str, ...] = ()
    ) -> Cue:
        """One cue for patterns read as one alternation, each kept to try on its own heads."""
        return cls(re.compile(_either(branches)), triggers, branches)

    def __repr__(self) -> str:
        return f"Cue({self.regex.pattern!r})"

    def hits(self, text: str) -> list[str] | None:
        """The anchors present in the text; None when the cue has none and must always run."""
        if self.words is None:
            return None
        found = list(self.words & words_of(text))
        found.extend(fragment for fragment in self.fragments if fragment in text)
        return found

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        hits = self.hits(text)
        if hits == []:
            return
        if self.head_parts is not None:  # even "the" or "we": a match per head beats a scan
            yield from self._at_heads(text)
            return
        needles = self.triggers or hits
        if not needles:
            yield from self.regex.finditer(text)
        elif len(text) < _SHORT_TEXT:
            if any(needle in text for needle in needles):
                yield from self.regex.finditer(text)
        else:
            for start, end in sentences_holding(text, needles):
                yield from self.regex.finditer(text, start, end)

    def _at_heads(self, text: str) -> Iterator[re.Match[str]]:
        """The regex tried only where a match could start: what finditer finds, faster."""
        end = 0
        openings = self._openings(text)
        for start in sorted(openings):
            if start >= end and (match := openings[start].match(text, start)):
                end = max(match.end(), start + 1)
                yield match

    def _openings(self, text: str) -> dict[int, re.Pattern[str]]:
        """Each place a match could start, with the regex to try there."""
        positions = word_starts(text)
        present = self.head_words & positions.keys()  # in C: most head words are absent
        parts = self.head_parts or ()
        if self._by_head is None:  # no alternatives to choose between: the whole regex
            starts = {at: self.regex for word in present for at in positions[word]}
            starts.update((at, self.regex) for part in parts for at in _occurrences(text, part))
            return starts
        heads_at: dict[int, set[str]] = {}
        for word in present:
            for at in positions[word]:
                heads_at.setdefault(at, set()).add(word)
        for part in parts:
            for at in _occurrences(text, part):
                heads_at.setdefault(at, set()).add(part)
        return {at: self._opening(heads, self._by_head) for at, heads in heads_at.items()}

    def _opening(self, heads: set[str], by_head: dict[str, tuple[int, ...]]) -> re.Pattern[str]:
        """The alternatives that can open on these heads, in order: the same first match."""
        key = frozenset(heads)
        regex = self._for_heads.get(key)
        if regex is None:
            chosen = sorted({i for head in key for i in by_head.get(head, ())})
            pattern = _either(self.branches[i] for i in chosen)
            regex = self._for_heads[key] = re.compile(pattern or "(?!)")
        return regex

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)

    def findall(self, text: str) -> list[str]:
        return [match.group() for match in self.finditer(text)]


class CueList:
    """Several cues read as one alternation: the leftmost match wins, then the earlier cue.

    An index from anchor word to cue picks the few cues a text can wake in one lookup,
    rather than asking each cue in turn.
    """

    __slots__ = ("_always", "_by_fragment", "_by_word", "cues")

    def __init__(self, regexes: Iterable[re.Pattern[str]]) -> None:
        self.cues = tuple(Cue(regex) for regex in regexes)
        self._by_word: dict[str, list[int]] = {}
        self._by_fragment: dict[str, list[int]] = {}
        self._always: list[int] = []
        for order, cue in enumerate(self.cues):
            if cue.words is None:
                self._always.append(order)
            for word in cue.words or ():
                self._by_word.setdefault(word, []).append(order)
            for fragment in cue.fragments:
                self._by_fragment.setdefault(fragment, []).append(order)

    def _woken(self, text: str) -> list[Cue]:
        """The cues whose anchors the text holds, in table order."""
        orders = set(self._always)
        for word in self._by_word.keys() & words_of(text):
            orders.update(self._by_word[word])
        for fragment, owners in self._by_fragment.items():
            if fragment in text:
                orders.update(owners)
        return [self.cues[order] for order in sorted(orders)]

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        found = sorted(
            (
                (match.start(), order, match)
                for order, cue in enumerate(self._woken(text))
                for match in cue.finditer(text)
            ),
            key=lambda item: item[:2],
        )
        end = -1
        for start, _, match in found:
            if start >= end:
                end = max(match.end(), start + 1)
                yield match

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        """Each cue's matches in turn, overlaps included: cheapest when any one will do."""
        for cue in self._woken(text):
            yield from cue.finditer(text)

    def search(self, text: str) -> re.Match[str] | None:
        """A match, not necessarily the leftmost."""
        return next(self.matches(text), None)

    def findall(self, text: str) -> list[str]:
        return [match.group() for match in self.finditer(text)]


def _either(branches: Iterable[re.Pattern[str]]) -> str:
    """The branches as one alternation: the first that matches wins, as in each alone."""
    return "|".join(f"(?:{branch.pattern})" for branch in branches)


def _branches_by_head(branches: tuple[re.Pattern[str], ...]) -> dict[str, tuple[int, ...]] | None:
    """Which alternatives open on each head; None unless every one has heads of its own."""
    by_head: dict[str, list[int]] = {}
    for index, branch in enumerate(branches):
        _, heads = _anchors(branch.pattern)
        if heads is None:
            return None
        for head, _whole in heads:
            by_head.setdefault(head, []).append(index)
    return {head: tuple(indices) for head, indices in by_head.items()} if by_head else None


def _occurrences(text: str, needle: str) -> Iterator[int]:
    at = text.find(needle)
    while at != -1:
        yield at
        at = text.find(needle, at + 1)


# --- what every match must contain, read off the pattern's syntax tree ---------------------
#
# A node's spellings are every way it can be written, with `_WILD`, `_GAP` and `_EDGE`
# standing for what the pattern leaves open. While a run of nodes has few spellings they
# are listed in full; where a run would have too many, it is cut, and each piece (or a
# nested group or alternation, read the same way) names anchors of its own. Any piece's
# anchors do for the whole pattern, since every match passes through every piece.


@dataclass(frozen=True, slots=True)
class Anchors:
    words: frozenset[str]  # whole words, as `words_of` splits a text
    fragments: tuple[str, ...]  # literal pieces of words, for open-ended ones like reimburs\\w*


def _anchors(pattern: str) -> tuple[Anchors | None, set[tuple[str, bool]] | None]:
    """What any match must hold, and the literal texts every match starts with."""
    try:
        items = list(sre_parse.parse(pattern))
    except re.error:
        return None, None
    heads = _heads(items)
    if heads is not None and any(len(head) < _MIN_HEAD and not whole for head, whole in heads):
        heads = None  # a letter inside words: trying the regex there costs more than a scan
    return _sequence_anchors(items, _WILD, _WILD), heads


def _sequence_anchors(items: list[_Node], left: str, right: str) -> Anchors | None:
    exact = [_spellings(node) for node in items]
    found: list[Anchors | None] = []
    run: set[str] = {""}
    run_left = left
    for index, (node, spellings) in enumerate(zip(items, exact, strict=True)):
        if spellings is not None and len(run) * len(spellings) <= _MAX_SPELLINGS:
            run = {a + b for a in run for b in spellings}
            continue
        before = _after(run, run_left)
        if run != {""}:
            found.append(_spelled(run, run_left, _before(spellings)))
        if spellings is not None:
            run, run_left = set(spellings), before
            continue
        following = exact[index + 1] if index + 1 < len(items) else None
        after = right if index + 1 == len(items) else _before(following)
        found.append(_node_anchors(node, before, after))
        run, run_left = {""}, _WILD
    if run != {""}:
        found.append(_spelled(run, run_left, right))
    usable = [anchors for anchors in found if anchors is not None]
    return min(usable, key=_weakness, default=None)


def _weakness(anchors: Anchors) -> tuple[int, int, int]:
    return len(anchors.words & _COMMON), len(anchors.fragments), len(anchors.words)


def _before(spellings: set[str] | None) -> str:
    """The context a run sees on its right: a gap only if every next spelling opens with one."""
    return _GAP if spellings and all(s[:1] in _BREAKS for s in spellings) else _WILD


def _after(spellings: set[str], fallback: str) -> str:
    if spellings == {""}:
        return fallback
    return _GAP if all(s[-1:] in _BREAKS for s in spellings) else _WILD


def _spelled(spellings: set[str], left: str, right: str) -> Anchors | None:
    """Anchors for a run spelled out in full: one per spelling, None if one has none."""
    words: set[str] = set()
    fragments: set[str] = set()
    for spelling in spellings:
        pieces = _WORD.findall(left + spelling + right)
        whole = [piece for piece in pieces if _WILD not in piece]
        if whole:
            words.add(max(whole, key=lambda word: (word not in _COMMON, len(word))))
            continue
        longest = max((part for piece in pieces for part in piece.split(_WILD)), key=len)
        if len(longest) < _MIN_FRAGMENT:
            return None
        fragments.add(longest)
    return Anchors(frozenset(words), tuple(sorted(fragments)))


def _node_anchors(node: _Node, left: str, right: str) -> Anchors | None:
    """Anchors of a group, an alternation or a repeat too large to spell out."""
    op, arg = node
    if op is sre.SUBPATTERN:
        return _sequence_anchors(list(arg[-1]), left, right)
    if op is sre.BRANCH:
        branches = [_sequence_anchors(list(branch), left, right) for branch in arg[1]]
        if any(anchors is None for anchors in branches):
            return None
        return Anchors(
            frozenset().union(*(a.words for a in branches)),  # type: ignore[union-attr]
            tuple(sorted({f for a in branches for f in a.fragments})),  # type: ignore[union-attr]
        )
    if op in _REPEATS and arg[0] >= 1:
        return _sequence_anchors(list(arg[2]), _WILD, _WILD)
    return None


def _heads(items: list[_Node], edged: bool = False) -> set[tuple[str, bool]] | None:
    """The literal text each match opens with ("we", "i", "sorry"), or None if one can't.

    Each head comes with whether it stands as a whole word; `edged`: a boundary precedes.
    """
    run: set[str] = {""}
    for index, node in enumerate(items):
        spellings = _spellings(node)
        if spellings is None or len(run) * len(spellings) > _MAX_SPELLINGS:
            if any(s.strip(_EDGE) for s in run):
                break  # the heads are already spelled
            rest, edged = items[index + 1 :], edged or run != {""}
            op, arg = node
            if op is sre.SUBPATTERN:
                return _heads(list(arg[-1]) + rest, edged)
            if op is sre.BRANCH:
                return _union(_heads(list(branch) + rest, edged) for branch in arg[1])
            return None
        run = {a + b for a in run for b in spellings}
    heads = {_head(spelling, edged) for spelling in run}
    return None if any(not head for head, _ in heads) else heads


def _head(spelling: str, edged: bool) -> tuple[str, bool]:
    """A spelling's opening literal, and whether it is a whole word there."""
    body = spelling.lstrip(_EDGE)
    head = _LITERAL_HEAD.match(body).group()  # type: ignore[union-attr]
    whole = (edged or body is not spelling) and body[len(head) : len(head) + 1] in _BREAKS
    return head, whole and _WORD.fullmatch(head) is not None


_Node = tuple[object, object]
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _spellings(node: _Node) -> set[str] | None:
    """Every way one node can be written, or None when there are too many to list."""
    op, arg = node
    if op is sre.LITERAL:
        return {chr(arg)}  # type: ignore[arg-type]
    if op in (sre.NOT_LITERAL, sre.ANY):
        return {_WILD}
    if op is sre.IN:
        return _class(arg)  # type: ignore[arg-type]
    if op is sre.AT:  # \\b and line anchors: a word ends or begins here; \\B joins two
        return {""} if arg is sre.AT_NON_BOUNDARY else {_EDGE}
    if op is sre.ASSERT_NOT:
        return {_EDGE} if _is_word_guard(arg) else {""}
    if op is sre.ASSERT:
        return {""}
    if op is sre.SUBPATTERN:
        return _sequence_spellings(list(arg[-1]))  # type: ignore[index]
    if op is sre.BRANCH:
        return _union(_sequence_spellings(list(branch)) for branch in arg[1])  # type: ignore[index]
    if op in _REPEATS:
        return _repeat(*arg)  # type: ignore[misc]
    return None


def _sequence_spellings(items: list[_Node]) -> set[str] | None:
    spellings = {""}
    for node in items:
        options = _spellings(node)
        if options is None or len(spellings) * len(options) > _MAX_SPELLINGS:
            return None
        spellings = {left + right for left in spellings for right in options}
    return spellings


def _union(options: Iterator[set[str] | None]) -> set[str] | None:
    union: set[str] = set()
    for option in options:
        if option is None:
            return None
        union |= option
        if len(union) > _MAX_SPELLINGS:
            return None
    return union


def _repeat(low: int, high: int, body: object) -> set[str] | None:
    spellings = _sequence_spellings(list(body))  # type: ignore[call-overload]
    if spellings is None:
        return None
    # One pass stands for many when passes cannot run together into one word: "(?:\w+ ){0,6}".
    separate = all(s[-1:] in (_GAP, _EDGE) for s in spellings) or all(
        s[:1] in (_GAP, _EDGE) for s in spellings
    )
    if high > 1 and not separate:
        return {_WILD}
    return spellings | ({""} if low == 0 else set())


def _class(members: list[tuple[object, object]]) -> set[str]:
    chars: set[str] = set()
    for op, arg in members:
        if op is sre.LITERAL:
            chars.add(chr(arg))  # type: ignore[arg-type]
        elif op is sre.RANGE and arg[1] - arg[0] < _MAX_CLASS:  # type: ignore[index]
            chars.update(chr(c) for c in range(arg[0], arg[1] + 1))  # type: ignore[index]
        elif op is sre.CATEGORY and arg is sre.CATEGORY_SPACE:
            chars.add(_GAP)
        else:
            return {_WILD}
    if len(chars) > _MAX_CLASS:
        return {_WILD} if any(_WORD.match(c) for c in chars) else {_GAP}
    return chars


def _is_word_guard(arg: object) -> bool:
    r"""`(?<![\w'])` or `(?![\w'])`: no word character on that side, so a word ends there."""
    _direction, body = arg  # type: ignore[misc]
    spellings = _sequence_spellings(list(body))
    return spellings is not None and _WILD in spellings
