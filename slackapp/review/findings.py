"""Apply the phrase rules to a masked draft and resolve overlaps (the longest span wins)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from slackapp.review.model import Finding, Promise
from slackapp.review.parts import OWNERSHIP
from slackapp.review.rules import RuleSet
from slackapp.review.text import SpanIndex, sentence_spans

Span = tuple[int, int]

# A promise with no deadline is still timed when its sentence says when.
_TIMED = re.compile(
    r"\b(?:now|right away|immediately|today|tonight|tomorrow|this (?:morning|afternoon|evening)"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day|\d)\b|\[|\b(?:an?|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|twelve)\s+(?:working\s+|business\s+)?(?:minutes?|hours?|days?|weeks?)\b",
)
# What the customer must do first: "if you ...", "once you ...".
_YOU_FIRST = r"\b(?:if|once|when|after) you\b"
# An offer that waits on the customer ("DM us and we will assist") or a mere ability
# ("we can look into this") is not a commitment that owes a date.
_CUSTOMER_FIRST = re.compile(
    rf"{_YOU_FIRST}|\bplease\b|\b(?:we|i) can\b|\bwe(?:'re| are) here\b"
    r"|\b(?:send|dm|message|email|contact|call|reach out to|follow|tell|let|give) us\b"
)
_CUSTOMER_CLAIM = re.compile(r"\bif you (?:think|believe|feel|suspect|consider)\b")
_CUSTOMER_CONDITION = re.compile(rf"{_YOU_FIRST}|\byou can\b")
_UNDATED_MESSAGE = (
    "This commitment has no time attached, so the customer cannot tell when to expect it."
)


def apology_spans(masked: str, rules: RuleSet) -> list[Span]:
    """Spans of every expression that apologizes (not "no need to apologize")."""
    excluded = SpanIndex(m.span() for m in rules.apology_exceptions.finditer(masked))
    return [m.span() for m in rules.apology.finditer(masked) if not excluded.overlaps(*m.span())]


def detect_findings(
    text: str,
    masked: str,
    rules: RuleSet,
    severity: str | None,
    apologies: Sequence[Span],
    promises: Sequence[Promise] = (),
) -> tuple[Finding, ...]:
    """Every finding in the draft, one per span, in reading order.

    `severity` None applies the tone rules of every severity (used to check a rewrite).
    """
    chosen = [
        f
        for f in _longest_first(_phrase_matches(text, masked, rules, severity))
        if not _no_excuse(f, masked)
    ]
    chosen += _undated_promises(text, masked, promises, chosen)
    chosen += _over_apology(text, rules, apologies, chosen)
    return tuple(sorted(chosen, key=lambda f: (f.start, f.end)))


def _phrase_matches(
    text: str, masked: str, rules: RuleSet, severity: str | None
) -> Iterable[Finding]:
    """Every rule match; a rule only runs on the sentences holding one of its triggers."""
    for rule in rules.rules:
        if severity is not None and rule.severities is not None and severity not in rule.severities:
            continue
        for match in rule.cue.finditer(masked):
            a, b = _strip(masked, *match.span())
            if b > a and not (rule.not_in_offers and _in_an_offer(masked, a)):
                yield Finding(rule.code, a, b, text[a:b], rule.message, rule.suggestion, rule.id)


def _no_excuse(finding: Finding, masked: str) -> bool:
    """Blame that is owned ("That's our fault: our installer cut the line" says who, but
    owns it) or is the customer's own claim ("If you think it was made in error, appeal")."""
    if finding.code != "deflects-blame":
        return False
    start, end = _sentence_around(masked, finding.start, finding.end)
    if _CUSTOMER_CLAIM.search(masked, start, finding.start):
        return True
    # "Our scanner app crashed at the doors. That was a bug we shipped": the next one too
    end = next((b for a, b in sentence_spans(masked) if a >= end), end)
    return any(
        not (start + m.start() < finding.end and finding.start < start + m.end())
        for m in OWNERSHIP.matches(masked[start:end])
    )


def _in_an_offer(masked: str, at: int) -> bool:
    """ "If you appeal, we'll take a look": an offer the customer sets off owes no date yet."""
    start, _ = _sentence_around(masked, at, at)
    return _CUSTOMER_CONDITION.search(masked, start, at) is not None


def _longest_first(candidates: Iterable[Finding]) -> list[Finding]:
    chosen: list[Finding] = []
    taken = SpanIndex()
    for finding in sorted(candidates, key=lambda f: (f.start - f.end, f.start)):
        if not taken.overlaps(finding.start, finding.end):
            taken.add(finding.start, finding.end)
            chosen.append(finding)
    return chosen


def _undated_promises(
    text: str, masked: str, promises: Sequence[Promise], chosen: Sequence[Finding]
) -> list[Finding]:
    """An open commitment with no time anywhere in its sentence is a vague timeline.

    A gesture (credit) needs no deadline to be worth offering, so it is left alone.
    """
    found = []
    taken = SpanIndex((f.start, f.end) for f in chosen)
    vague = SpanIndex((f.start, f.end) for f in chosen if f.code == "vague-timeline")
    for promise in promises:
        if promise.done or promise.due is not None or promise.kind in ("credit", "other"):
            continue
        sentence = _sentence_around(masked, promise.start, promise.end)
        if (
            _TIMED.search(masked, *sentence)
            or _CUSTOMER_FIRST.search(masked, *sentence)
            or vague.overlaps(*sentence)
            or taken.overlaps(promise.start, promise.end)
        ):
            continue
        found.append(
            Finding(
                "vague-timeline",
                promise.start,
                promise.end,
                promise.text,
                _UNDATED_MESSAGE,
                f"{text[promise.start : promise.end]} by [a specific time]",
                "undated-promise",
            )
        )
    return found


def _over_apology(
    text: str, rules: RuleSet, apologies: Sequence[Span], chosen: list[Finding]
) -> list[Finding]:
    """One finding per extra sorry that no other finding covers.

    When every sorry sits inside another finding ("Sorry for the inconvenience" three
    times), the last of those findings becomes the over-apology: the flood is the news.
    """
    if len(apologies) < rules.over_apology_at:
        return []
    taken = SpanIndex((f.start, f.end) for f in chosen)
    extra = [span for span in apologies[1:] if not taken.overlaps(*span)]
    if not extra:
        last = next(f for f in chosen if f.start <= apologies[-1][0] < f.end)
        chosen.remove(last)
        extra = [(last.start, last.end)]
    return [
        Finding(
            "over-apology",
            start,
            end,
            text[start:end],
            rules.over_apology_message,
            "",
            "over-apology",
        )
        for start, end in extra
    ]


def _sentence_around(masked: str, start: int, end: int) -> Span:
    for sentence in sentence_spans(masked):
        if sentence[0] <= start < sentence[1]:
            return sentence[0], max(sentence[1], end)
    return start, end


def _strip(masked: str, start: int, end: int) -> Span:
    """Trim whitespace and trailing punctuation the pattern may have swallowed."""
    while start < end and masked[start].isspace():
        start += 1
    while end > start and (masked[end - 1].isspace() or masked[end - 1] in ",;"):
        end -= 1
    return start, end
