"""How bad the problem looks, and what weight the apology should carry."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from slackapp.review.learnt import FACT_WEIGHT, settle, softmax, weight_table
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

_MOST_CUES = 3  # four cues of a kind say no more than three

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


@dataclass(frozen=True, slots=True)
class HarmCues:
    """Every lexicon match in a draft, read once for both the rubric and the model."""

    serious: list[re.Match[str]]
    moderate: list[re.Match[str]]
    minor: list[re.Match[str]]
    repeated: list[re.Match[str]]

    @classmethod
    def of(cls, lowered: str) -> HarmCues:
        return cls(*(list(cue.finditer(lowered)) for cue in (SERIOUS, MODERATE, MINOR, REPEATED)))


def cue_severity(cues: HarmCues, promises: Sequence[Promise] = ()) -> Severity:
    """The hand-written rubric: minor / moderate / serious from the lexicons' cues.

    Any serious harm decides it, even one read off a gesture ("a £1,500 payment"). Otherwise
    ordinary harm (money, bookings, goods, a refund or replacement) is moderate unless the
    small things named outnumber it. A gesture is not harm: "a free dessert" does not make
    the problem small, and "a $10 credit" only sizes a problem the draft does not name.
    Repetition adds a level.
    """
    if cues.serious:
        level = 2
    else:
        gestures = [p for p in promises if p.kind == "credit"]
        named, gift = _split(cues.moderate, gestures)
        ordinary = (named + sum(p.kind in _COSTLY for p in promises)) or gift
        small, _ = _split(cues.minor, gestures)
        level = 1 if ordinary > small else 0
    if cues.repeated:
        level = min(level + 1, 2)
    return _LEVELS[level]


def severity_features(
    words: dict[str, float], cues: HarmCues, promises: Sequence[Promise], rubric: Severity
) -> dict[str, float]:
    """What the model reads: the draft's words and word pairs, the lexicons' cue counts and
    the rubric's own verdict (so the words only have to learn where the rubric goes wrong)."""
    features = dict(words)
    counts = {
        "serious": len(cues.serious),
        "moderate": len(cues.moderate),
        "minor": len(cues.minor),
        "repeated": len(cues.repeated),
        "costly promise": sum(p.kind in _COSTLY for p in promises),
        "credit": sum(p.kind == "credit" for p in promises),
    }
    for name, count in counts.items():
        if count:
            features[f"cue:{name}"] = FACT_WEIGHT * min(count, _MOST_CUES)
    features[f"rubric:{rubric}"] = FACT_WEIGHT
    return features


def severity_evidence(
    cues: HarmCues, promises: Sequence[Promise], words: dict[str, float]
) -> tuple[Severity, dict[str, float]]:
    """The rubric's verdict, and what the model reads beside it. `words` is
    `word_features(lowered)`."""
    rubric = cue_severity(cues, promises)
    return rubric, severity_features(words, cues, promises, rubric)


def estimate_severity(
    cues: HarmCues, promises: Sequence[Promise], words: dict[str, float]
) -> Severity:
    """minor / moderate / serious, from what the draft says went wrong (money, time, data,
    safety, repetition, business impact): the rubric, unless the model learnt from the
    labelled drafts is fairly sure it is wrong."""
    rubric, features = severity_evidence(cues, promises, words)
    return settle(rubric, softmax(weight_table("severity").scores(features)))


def needs_gesture(cues: HarmCues, used: Severity) -> bool:
    """Compensation helps most when the failure is serious or has happened before."""
    return used == "serious" or bool(cues.repeated)


def tone_advice(used: Severity) -> tuple[str, ...]:
    return _ADVICE[used]
