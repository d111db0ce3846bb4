"""How bad the problem looks, and what weight the apology should carry."""

from __future__ import annotations

import re
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


def _split(matches: list[re.Match[str]], gestures: Sequence[Promise]) -> tuple[int, int]:
    """How many cue matches fall outside and inside the agent's gestures (credit, free items)."""
    inside = sum(any(g.start <= m.start() < g.end for g in gestures) for m in matches)
    return len(matches) - inside, inside


def estimate_severity(lowered: str, promises: Sequence[Promise] = ()) -> Severity:
    """minor / moderate / serious, from what the draft says went wrong.

    Any serious harm decides it, even one read off a gesture ("a £1,500 payment"). Otherwise
    ordinary harm (money, bookings, goods, a refund or replacement) is moderate unless the
    small things named outnumber it. A gesture is not harm: "a free dessert" does not make
    the problem small, and "a $10 credit" only sizes a problem the draft does not name.
    Repetition adds a level.
    """
    if SERIOUS.search(lowered):
        level = 2
    else:
        gestures = [p for p in promises if p.kind == "credit"]
        named, gift = _split(list(MODERATE.finditer(lowered)), gestures)
        ordinary = (named + sum(p.kind in _COSTLY for p in promises)) or gift
        small, _ = _split(list(MINOR.finditer(lowered)), gestures)
        level = 1 if ordinary > small else 0
    if REPEATED.search(lowered):
        level = min(level + 1, 2)
    return _LEVELS[level]


def needs_gesture(lowered: str, used: Severity) -> bool:
    """Compensation helps most when the failure is serious or has happened before."""
    return used == "serious" or bool(REPEATED.search(lowered))


def tone_advice(used: Severity) -> tuple[str, ...]:
    return _ADVICE[used]
