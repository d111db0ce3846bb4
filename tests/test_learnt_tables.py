"""The committed weight tables were learnt from what the engine sees today.

Each table records a digest of its evidence: every training draft's features, label and
the rules' verdict. A change to the fixtures, lexicons, rules or features changes that
evidence, and the table has to be learnt again (`make models`) or it silently weighs facts
that no longer mean what they meant.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from slackapp.review.learnt import table_path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "train_models.py"
REAL_DATA = SCRIPT.parents[2] / "shared" / "real-data"


def _training_script():
    spec = importlib.util.spec_from_file_location("train_models", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not REAL_DATA.is_dir(), reason="real_labels*.jsonl need ../shared/real-data")
@pytest.mark.parametrize("task_name", ["severity", "parts"])
def test_each_weight_table_was_learnt_from_todays_evidence(task_name: str):
    script = _training_script()
    task = {"severity": script.SEVERITY, "parts": script.PARTS}[task_name]
    recorded = script.recorded_digest(table_path(task_name).read_text("utf-8"))
    today = script.evidence_digest(script.training_rows(task))
    assert recorded == today, (
        f"{task_name}_model.tsv was learnt from other evidence than the engine and fixtures "
        "give today: run `make models` and commit the tables"
    )
