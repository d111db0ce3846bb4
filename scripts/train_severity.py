"""Learn the severity weights (slackapp/review/severity_model.tsv) from every labelled draft.

    make severity-model            # or: .venv/bin/python scripts/train_severity.py [--loso]

Reads each fixture that labels the estimated severity (tests/fixtures/: drafts.jsonl,
findings_holdout*.jsonl, severity_holdout*.jsonl, and real_labels*.jsonl with the tweets
they name from ../shared/real-data), turns each draft into the engine's own features
(`severity_features`), fits a multinomial logistic regression and writes the weights that
matter. `--loso` first reports leave-one-set-out accuracy: each set scored by a model fitted
on all the others, beside the hand-written rubric, which is the honest figure for drafts
the model has never seen. Needs the `train` extra (scikit-learn).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from slackapp.review import review
from slackapp.review.severity import (
    MODEL_PATH,
    HarmCues,
    SeverityModel,
    cue_severity,
    settle,
    severity_features,
    severity_model,
)
from slackapp.review.text import fold, mask

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
REAL_DATA = SHARED / "real-data"
# Never learnt from: what the tests measure on it is the model on drafts it has not seen.
HELD_OUT = frozenset({"findings_holdout23"})
LEVELS = ("minor", "moderate", "serious")

# Chosen by leave-one-set-out accuracy (docs/decisions.md): regularisation strength, how many
# drafts a word must appear in, and the smallest weight worth keeping in the table.
C = 1.0
MIN_DRAFTS = 2
SMALLEST_WEIGHT = 0.05


@dataclass(frozen=True)
class Labelled:
    set_name: str
    features: dict[str, float]
    severity: str
    rubric: str


def _real_tweets() -> dict[str, str]:
    if not REAL_DATA.is_dir():
        sys.exit(f"train_severity: {REAL_DATA} is missing; real_labels*.jsonl need its tweets")
    texts: dict[str, str] = {}
    for path in sorted(REAL_DATA.glob("*.json")):
        for dialog in json.loads(path.read_text("utf-8")):
            for turn in dialog["dialogContent"]:
                if "agent" in turn:
                    texts.setdefault(turn["tweet_ID"], turn["message"])
            if dialog.get("agentURL"):
                url = dialog["agentURL"]
                texts.setdefault(url["tweet_ID"], url["url_utterance"])
    return texts


def _labelled_texts() -> list[tuple[str, str, str]]:
    """(set name, draft, severity) for every draft whose estimated severity is labelled."""
    rows = []
    sets = [
        SHARED / "examples.jsonl",
        FIXTURES / "drafts.jsonl",
        *sorted(FIXTURES.glob("findings_holdout*.jsonl")),
    ]
    for path in sets:
        for line in path.read_text("utf-8").splitlines():
            draft = json.loads(line)
            if draft["expect"].get("severity"):
                rows.append((path.stem, draft["text"], draft["expect"]["severity"]))
    for path in sorted(FIXTURES.glob("severity_holdout*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            draft = json.loads(line)
            rows.append((path.stem, draft["text"], draft["severity"]))
    tweets = _real_tweets()
    for path in sorted(FIXTURES.glob("real_labels*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            label = json.loads(line)
            rows.append((path.stem, tweets[label["tweet_id"]], label["expect"]["severity"]))
    return [row for row in rows if row[0] not in HELD_OUT]


def _featurise(set_name: str, text: str, severity: str) -> Labelled:
    lowered = fold(mask(text))
    promises = review(text).promises  # promise kinds do not depend on the severity
    cues = HarmCues.of(lowered)
    rubric = cue_severity(cues, promises)
    features = severity_features(lowered, cues, promises, rubric)
    return Labelled(set_name, features, severity, rubric)


def _estimate(model: SeverityModel, row: Labelled) -> str:
    """What the engine would say with this model: its own `settle`, pruned weights and all."""
    return settle(row.rubric, model.chances(row.features))


def _fit(rows: list[Labelled]) -> tuple[DictVectorizer, LogisticRegression]:
    seen = Counter(name for row in rows for name in row.features)
    kept = [
        {n: v for n, v in row.features.items() if ":" in n or seen[n] >= MIN_DRAFTS} for row in rows
    ]
    vectorizer = DictVectorizer()
    model = LogisticRegression(C=C, max_iter=5000)
    model.fit(vectorizer.fit_transform(kept), [LEVELS.index(row.severity) for row in rows])
    return vectorizer, model


def _table(vectorizer: DictVectorizer, model: LogisticRegression) -> str:
    order = [list(model.classes_).index(i) for i in range(len(LEVELS))]
    lines = [
        "# Severity weights, written by scripts/train_severity.py: retrain, do not edit.",
        "# feature\tminor\tmoderate\tserious (a word, a word pair, cue:<lexicon>, rubric:<level>)",
        "(intercept)\t" + "\t".join(f"{model.intercept_[i]:.4f}" for i in order),
    ]
    for column, name in enumerate(vectorizer.feature_names_):
        weights = [model.coef_[i][column] for i in order]
        if ":" in name or max(map(abs, weights)) >= SMALLEST_WEIGHT:
            lines.append(name + "\t" + "\t".join(f"{w:.4f}" for w in weights))
    return "\n".join(lines) + "\n"


def _leave_one_set_out(rows: list[Labelled]) -> None:
    total = Counter[str]()
    for held in sorted({row.set_name for row in rows}):
        train = [row for row in rows if row.set_name != held]
        test = [row for row in rows if row.set_name == held]
        model = SeverityModel.parse(_table(*_fit(train)))
        learnt = sum(_estimate(model, row) == row.severity for row in test)
        rubric = sum(row.rubric == row.severity for row in test)
        total.update(learnt=learnt, rubric=rubric, drafts=len(test))
        print(
            f"{held:22} {len(test):4} drafts  rubric {rubric / len(test):.3f}"
            f"  learnt {learnt / len(test):.3f}"
        )
    n = total["drafts"]
    print(
        f"{'all':22} {n:4} drafts  rubric {total['rubric'] / n:.3f}"
        f"  learnt {total['learnt'] / n:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loso", action="store_true", help="report leave-one-set-out first")
    args = parser.parse_args()
    rows = [_featurise(*row) for row in _labelled_texts()]
    if args.loso:
        _leave_one_set_out(rows)
    MODEL_PATH.write_text(_table(*_fit(rows)), "utf-8")
    severity_model.cache_clear()
    fitted = severity_model()
    right = sum(_estimate(fitted, row) == row.severity for row in rows)
    print(
        f"wrote {MODEL_PATH.relative_to(ROOT)}: {len(fitted.weights)} weights; "
        f"{right}/{len(rows)} labelled drafts right with them"
    )


if __name__ == "__main__":
    main()
