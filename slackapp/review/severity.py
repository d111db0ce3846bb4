"""How bad the problem looks, and what weight the apology should carry."""

from __future__ import annotations

from collections.abc import Sequence

from slackapp.review.model import Promise, Severity
from slackapp.review.rules import lexicon

# The cue lists live in lexicons.toml, beside the phrase rules.
SERIOUS = lexicon("serious")  # health, safety, privacy, essential services, data, big sums
REPEATED = lexicon("repeated")  # it happened before: one level worse, and a gesture is due
MODERATE = lexicon("moderate")  # money, bookings, goods, time lost
MINOR = lexicon("minor")  # taste, looks, a short wait

# Repairs that only make sense when money or goods were lost.
_COSTLY = frozenset({"refund", "replacement"})

_LEVELS: tuple[Severity, ...] = ("minor", "moderate", "serious")

_ADVICE: dict[Severity, tuple[str, ...]] = {
    "minor": (
        "Keep it light and short: one sorry, the fix, done.",
        'Skip big words like "mortified" or "inexcusable": they make a small slip look big.',
    ),
    "moderate": (
        "Name the problem in the customer's words and own it plainly.",
        "Give a concrete time for the fix or the next update.",
    ),
    "serious": (
        "Lead with ownership and say exactly what went wrong; no jokes, no emoji.",
        "Say what you are changing so it is less likely to happen again, with a firm timeline.",
        "Offer a concrete gesture (refund, credit, waived fee) and follow up personally.",
    ),
}


def _harm(pattern, lowered: str, gestures: Sequence[Promise]) -> int:
    """Cue matches outside the agent's gestures: "a $10 credit" or "a free dessert" is no harm."""
    return sum(
        not any(p.start <= m.start() < p.end for p in gestures) for m in pattern.finditer(lowered)
    )


def estimate_severity(lowered: str, promises: Sequence[Promise] = ()) -> Severity:
    """minor / moderate / serious, from what the draft says went wrong.

    Any serious harm decides it. Otherwise ordinary harm (money, bookings, goods) is
    moderate unless the small things it mentions outnumber it; so is a draft whose repair
    (a refund, a replacement) shows goods or money were at stake. Repetition adds a level.
    """
    gestures = [p for p in promises if p.kind == "credit"]
    if _harm(SERIOUS, lowered, gestures):
        level = 2
    else:
        ordinary = _harm(MODERATE, lowered, gestures) + sum(p.kind in _COSTLY for p in promises)
        level = 1 if ordinary and ordinary > _harm(MINOR, lowered, gestures) else 0
    if REPEATED.search(lowered):
        level = min(level + 1, 2)
    return _LEVELS[level]


def needs_gesture(lowered: str, used: Severity) -> bool:
    """Compensation helps most when the failure is serious or has happened before."""
    return used == "serious" or bool(REPEATED.search(lowered))


def tone_advice(used: Severity) -> tuple[str, ...]:
    return _ADVICE[used]
