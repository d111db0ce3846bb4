"""Learn the engine's second opinions from every labelled draft.

    make models            # or: .venv/bin/python scripts/train_models.py [--loso]

Writes two weight tables beside the engine (slackapp/review/learnt.py reads them):
- `severity_model.tsv`: minor / moderate / serious, one multinomial logistic regression,
  from each fixture that labels the estimated severity (tests/fixtures/drafts.jsonl,
  findings_holdout*.jsonl, severity_holdout*.jsonl, real_labels*.jsonl with the tweets
  they name from ../shared/real-data) and the contract's examples;
- `parts_model.tsv`: one logistic regression per part, from the drafts that label parts.

Each draft becomes the engine's own features (`severity_features`, `part_features`).
Each table records a digest of what it learnt from (every draft's features, label and
rules' verdict); tests/test_learnt_tables.py recomputes it, so a change to the fixtures, the
lexicons, the rules or the features that leaves a table stale fails the tests until
`make models` is run.
`--loso` first reports leave-one-set-out accuracy, each set scored by models fitted on all
the others, beside the rules alone: the honest figure for drafts the models have not seen.
Needs the `train` extra (scikit-learn).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from slackapp.review import review
from slackapp.review.learnt import (
    WeightTable,
    settle,
    settle_yes_no,
    softmax,
    table_path,
    weight_table,
    word_features,
)
from slackapp.review.model import PART_NAMES
from slackapp.review.parts import parts_evidence
from slackapp.review.severity import HarmCues, severity_evidence
from slackapp.review.text import fold, mask

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
REAL_DATA = SHARED / "real-data"
# Never learnt from: what the tests measure on it is the models on drafts they have not seen.
HELD_OUT = frozenset(
    {"findings_holdout23", "findings_holdout24", "findings_holdout25", "findings_holdout26"}
)
LEVELS = ("minor", "moderate", "serious")

# Chosen by leave-one-set-out accuracy (docs/decisions.md): regularisation strength, how many
# drafts a word must appear in, and the smallest weight worth keeping in a table.
C = 1.0
MIN_DRAFTS = 2
SMALLEST_WEIGHT = 0.05


@dataclass(frozen=True)
class Labelled:
    """One draft as a model sees it: its set, its features, the label and the rules' verdict."""

    set_name: str
    features: dict[str, float]
    label: dict[str, str | bool]
    ruled: dict[str, str | bool]


@dataclass(frozen=True)
class Task:
    """One table: its name, its columns, and how the engine turns scores into verdicts."""

    name: str
    columns: tuple[str, ...]
    multinomial: bool

    def verdicts(self, table: WeightTable, row: Labelled) -> dict[str, str | bool]:
        scores = table.scores(row.features)
        if self.multinomial:
            return {self.name: settle(row.ruled[self.name], softmax(scores))}
        return {name: settle_yes_no(row.ruled[name], scores[name]) for name in self.columns}


SEVERITY = Task("severity", LEVELS, multinomial=True)
PARTS = Task("parts", PART_NAMES, multinomial=False)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _real_tweets() -> dict[str, str]:
    if not REAL_DATA.is_dir():
        sys.exit(f"train_models: {REAL_DATA} is missing; real_labels*.jsonl need its tweets")
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


def _labelled_drafts() -> list[tuple[str, dict]]:
    """(set name, draft line) for every labelled draft but the held-out sets; real tweets
    get their text, and severity sets their label under `expect`."""
    drafts = []
    for path in [
        SHARED / "examples.jsonl",
        FIXTURES / "drafts.jsonl",
        *sorted(FIXTURES.glob("findings_holdout*.jsonl")),
    ]:
        drafts += [(path.stem, draft) for draft in _lines(path)]
    for path in sorted(FIXTURES.glob("severity_holdout*.jsonl")):
        drafts += [
            (path.stem, {"text": d["text"], "expect": {"severity": d["severity"]}})
            for d in _lines(path)
        ]
    tweets = _real_tweets()
    for path in sorted(FIXTURES.glob("real_labels*.jsonl")):
        drafts += [
            (path.stem, {"text": tweets[d["tweet_id"]], "expect": d["expect"]})
            for d in _lines(path)
        ]
    return [(name, draft) for name, draft in drafts if name not in HELD_OUT]


def _severity_row(set_name: str, draft: dict) -> Labelled:
    lowered = fold(mask(draft["text"]))
    promises = review(draft["text"]).promises  # promise kinds do not depend on `now`
    rubric, features = severity_evidence(HarmCues.of(lowered), promises, word_features(lowered))
    return Labelled(
        set_name, features, {"severity": draft["expect"]["severity"]}, {"severity": rubric}
    )


def _parts_row(set_name: str, draft: dict) -> Labelled:
    """Read with the draft's own clock, zone and chosen severity, as its labels were."""
    text = draft["text"]
    now = datetime.fromisoformat(draft["now"]) if draft.get("now") else None
    result = review(text, severity=draft.get("severity"), now=now, tz=draft.get("tz"))
    lowered = fold(mask(text))
    words = word_features(lowered)
    ruled, features = parts_evidence(lowered, result.promises, result.findings, words)
    return Labelled(set_name, features, draft["expect"]["parts"], ruled.to_dict())


def evidence_digest(rows: Sequence[Labelled]) -> str:
    """A fingerprint of everything a table learns from, in training order."""
    facts = [(row.set_name, row.features, row.label, row.ruled) for row in rows]
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def recorded_digest(table: str) -> str | None:
    """The digest a table was written with (its `# evidence:` line), if any."""
    found = re.search(r"^# evidence: ([0-9a-f]+)$", table, re.MULTILINE)
    return found[1] if found else None


def training_rows(task: Task) -> list[Labelled]:
    """Every labelled draft but the held-out sets, as `task`'s model sees it."""
    featurise = _severity_row if task is SEVERITY else _parts_row
    return [featurise(name, d) for name, d in _labelled_drafts() if d["expect"].get(task.name)]


def _fit(task: Task, rows: Sequence[Labelled]) -> str:
    """The weight table, as text, of models fitted on these rows."""
    # Imported here: the tests read the evidence without the `train` extra.
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    seen = Counter(name for row in rows for name in row.features)
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(
        {n: v for n, v in row.features.items() if ":" in n or seen[n] >= MIN_DRAFTS} for row in rows
    )
    if task.multinomial:
        model = LogisticRegression(C=C, max_iter=5000)
        model.fit(matrix, [LEVELS.index(row.label[task.name]) for row in rows])
        order = [list(model.classes_).index(i) for i in range(len(LEVELS))]
        intercept = [model.intercept_[i] for i in order]
        coefficients = [model.coef_[i] for i in order]
    else:
        intercept, coefficients = [], []
        for name in task.columns:
            model = LogisticRegression(C=C, max_iter=5000)
            model.fit(matrix, [bool(row.label[name]) for row in rows])
            intercept.append(model.intercept_[0])  # binary: the weights are for True
            coefficients.append(model.coef_[0])
    lines = [
        f"# {task.name} weights, written by scripts/train_models.py: retrain, do not edit.",
        "# A feature is a word, a word pair, or a fact the rules found (name:detail).",
        f"# evidence: {evidence_digest(rows)}",
        "\t".join(("feature", *task.columns)),
        "\t".join(("(intercept)", *(f"{w:.4f}" for w in intercept))),
    ]
    for column, name in enumerate(vectorizer.feature_names_):
        weights = [c[column] for c in coefficients]
        if ":" in name or max(map(abs, weights)) >= SMALLEST_WEIGHT:
            lines.append("\t".join((name, *(f"{w:.4f}" for w in weights))))
    return "\n".join(lines) + "\n"


def _right(task: Task, table: WeightTable, rows: Sequence[Labelled]) -> tuple[int, int, int]:
    """(verdicts right with the table, right by the rules alone, verdicts in all)."""
    learnt = ruled = total = 0
    for row in rows:
        for name, verdict in task.verdicts(table, row).items():
            learnt += verdict == row.label[name]
            ruled += row.ruled[name] == row.label[name]
            total += 1
    return learnt, ruled, total


def _leave_one_set_out(task: Task, rows: Sequence[Labelled]) -> None:
    print(f"{task.name}: leave one set out (accuracy per verdict)")
    sums = Counter[str]()
    for held in sorted({row.set_name for row in rows}):
        test = [row for row in rows if row.set_name == held]
        table = WeightTable.parse(_fit(task, [row for row in rows if row.set_name != held]))
        learnt, ruled, total = _right(task, table, test)
        sums.update(learnt=learnt, ruled=ruled, total=total)
        print(f"  {held:22} {len(test):4} drafts", end="")
        print(f"  rules {ruled / total:.3f}  learnt {learnt / total:.3f}")
    print(
        f"  {'all':22} {len(rows):4} drafts  rules {sums['ruled'] / sums['total']:.3f}"
        f"  learnt {sums['learnt'] / sums['total']:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loso", action="store_true", help="report leave-one-set-out first")
    args = parser.parse_args()
    # Severity first: tone-mismatch, one of the parts model's facts, depends on it.
    for task in (SEVERITY, PARTS):
        rows = training_rows(task)
        if args.loso:
            _leave_one_set_out(task, rows)
        path = table_path(task.name)
        path.write_text(_fit(task, rows), "utf-8")
        weight_table.cache_clear()
        learnt, _, total = _right(task, weight_table(task.name), rows)
        print(f"wrote {path.relative_to(ROOT)} from {len(rows)} drafts: {learnt}/{total} right")


if __name__ == "__main__":
    main()
