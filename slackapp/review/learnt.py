"""Second opinions learnt from the labelled drafts, beside the hand-written rules.

Each table (`<name>_model.tsv`, written by scripts/train_models.py) holds a linear model:
an intercept and, per feature, one weight per column. A feature is a word or a word pair of
the draft, or a named fact the rules found (`cue:serious`, `rule:owns_it`, `code:hedging`).
The rules' verdict stands unless the model gives it little chance (docs/decisions.md).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

Verdict = TypeVar("Verdict")

_WORD = re.compile(r"[a-z0-9£$€%']+")

# A fact the rules found weighs three words, so the model's regularisation shrinks it less.
FACT_WEIGHT = 3.0
# Below this chance of the rules' verdict, the model's own verdict wins.
OVERRULED_BELOW = 0.2


def word_features(lowered: str) -> dict[str, float]:
    """The words and the word pairs present in the (lower-case) draft."""
    words = _WORD.findall(lowered)
    features = dict.fromkeys(words, 1.0)
    features.update(dict.fromkeys(map(" ".join, pairwise(words)), 1.0))
    return features


@dataclass(frozen=True, slots=True)
class WeightTable:
    """`feature<TAB>weight per column` lines under a `feature<TAB>column…` header row; the
    `(intercept)` row is the score with no feature present; `#` starts a comment line."""

    columns: tuple[str, ...]
    intercept: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    @classmethod
    def parse(cls, table: str) -> WeightTable:
        rows = (line.split("\t") for line in table.splitlines() if line and line[0] != "#")
        _, *columns = next(rows)
        weights = {name: tuple(map(float, values)) for name, *values in rows}
        return cls(tuple(columns), weights.pop("(intercept)"), weights)

    def scores(self, features: dict[str, float]) -> dict[str, float]:
        totals = list(self.intercept)
        weight_of = self.weights.get
        for name, value in features.items():
            weight = weight_of(name)
            if weight is not None:
                for i, w in enumerate(weight):
                    totals[i] += value * w
        return dict(zip(self.columns, totals, strict=True))


def table_path(name: str) -> Path:
    return Path(__file__).with_name(f"{name}_model.tsv")


@cache
def weight_table(name: str) -> WeightTable:
    return WeightTable.parse(table_path(name).read_text("utf-8"))


def softmax(scores: dict[str, float]) -> dict[str, float]:
    top = max(scores.values())
    odds = {label: math.exp(score - top) for label, score in scores.items()}
    total = sum(odds.values())
    return {label: o / total for label, o in odds.items()}


def chance_of_true(score: float) -> float:
    """The logistic function, written so that no score overflows `exp`."""
    if score >= 0:
        return 1.0 / (1.0 + math.exp(-score))
    odds = math.exp(score)
    return odds / (1.0 + odds)


def settle_yes_no(verdict: bool, score: float) -> bool:
    """`settle` for a yes-or-no verdict whose model gives one score (the log-odds of yes)."""
    chance = chance_of_true(score)
    return settle(verdict, {True: chance, False: 1.0 - chance})


def settle(verdict: Verdict, chances: dict[Verdict, float]) -> Verdict:
    """The rules name what they saw, so their verdict stands unless the model gives it
    little chance. The model alone is right a little more often, but it learnt that short
    drafts are mostly minor and would read a one-line "Sorry, patient names were visible
    on your waiting-room screen" as minor."""
    if chances[verdict] >= OVERRULED_BELOW:
        return verdict
    return max(chances, key=chances.__getitem__)
