"""How bad the problem looks, and what weight the apology should carry."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from slackapp.review.model import Promise, Severity
from slackapp.review.rules import lexicon

# The cue lists live in lexicons.toml, beside the phrase rules.
SERIOUS = lexicon("serious")  # health, safety, privacy, essential services, data, big sums
REPEATED = lexicon("repeated")  # it happened before: one level worse, and a gesture is due
MODERATE = lexicon("moderate")  # money, bookings, goods, time lost
MINOR = lexicon("minor")  # taste, looks, a short wait

# Weights learnt from every labelled draft by scripts/train_severity.py (docs/decisions.md).
MODEL_PATH = Path(__file__).with_name("severity_model.tsv")

# Repairs that only make sense when money or goods were lost.
_COSTLY = frozenset({"refund", "replacement"})

_LEVELS: tuple[Severity, ...] = ("minor", "moderate", "serious")

_WORD = re.compile(r"[a-z0-9£$€%']+")

# A cue count weighs three words, so the model's regularisation shrinks it less; four cues
# say no more than three.
_CUE_WEIGHT = 3.0
_MOST_CUES = 3
# Below this chance of the rubric's level, the model's own choice wins (docs/decisions.md).
_OVERRULED_BELOW = 0.2

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


@dataclass(frozen=True, slots=True)
class SeverityModel:
    """A linear score per level: the intercept plus the weight of each feature present."""

    intercept: tuple[float, float, float]
    weights: dict[str, tuple[float, float, float]]

    @classmethod
    def parse(cls, table: str) -> SeverityModel:
        """`feature<TAB>minor<TAB>moderate<TAB>serious` lines; `#` starts a comment line."""
        weights: dict[str, tuple[float, float, float]] = {}
        for line in table.splitlines():
            if line and not line.startswith("#"):
                name, minor, moderate, serious = line.split("\t")
                weights[name] = (float(minor), float(moderate), float(serious))
        return cls(intercept=weights.pop("(intercept)"), weights=weights)

    def chances(self, features: dict[str, float]) -> dict[Severity, float]:
        minor, moderate, serious = self.intercept
        weight_of = self.weights.get
        for name, value in features.items():
            weight = weight_of(name)
            if weight is not None:
                minor += value * weight[0]
                moderate += value * weight[1]
                serious += value * weight[2]
        top = max(minor, moderate, serious)
        odds = [math.exp(score - top) for score in (minor, moderate, serious)]
        return {level: o / sum(odds) for level, o in zip(_LEVELS, odds, strict=True)}


@cache
def severity_model() -> SeverityModel:
    return SeverityModel.parse(MODEL_PATH.read_text("utf-8"))


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
    lowered: str, cues: HarmCues, promises: Sequence[Promise], rubric: Severity
) -> dict[str, float]:
    """What the model reads: the words and word pairs present, the lexicons' cue counts and
    the rubric's own verdict (so the words only have to learn where the rubric goes wrong)."""
    words = _WORD.findall(lowered)
    features = dict.fromkeys(words, 1.0)
    features.update(dict.fromkeys(map(" ".join, pairwise(words)), 1.0))
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
            features[f"cue:{name}"] = _CUE_WEIGHT * min(count, _MOST_CUES)
    features[f"rubric:{rubric}"] = _CUE_WEIGHT
    return features


def estimate_severity(lowered: str, promises: Sequence[Promise] = ()) -> Severity:
    """minor / moderate / serious, from what the draft says went wrong (money, time, data,
    safety, repetition, business impact): the rubric, unless the model learnt from the
    labelled drafts is fairly sure it is wrong."""
    cues = HarmCues.of(lowered)
    rubric = cue_severity(cues, promises)
    chances = severity_model().chances(severity_features(lowered, cues, promises, rubric))
    return settle(rubric, chances)


def settle(rubric: Severity, chances: dict[Severity, float]) -> Severity:
    """The rubric names its cues, so it stands unless the model gives its level little chance.

    The model alone is right more often, but it learnt that short drafts are mostly minor,
    and so would read a one-line "Sorry, patient names were visible on your screen" as minor.
    """
    if chances[rubric] >= _OVERRULED_BELOW:
        return rubric
    return max(chances, key=chances.__getitem__)


def needs_gesture(lowered: str, used: Severity) -> bool:
    """Compensation helps most when the failure is serious or has happened before."""
    return used == "serious" or bool(REPEATED.search(lowered))


def tone_advice(used: Severity) -> tuple[str, ...]:
    return _ADVICE[used]
