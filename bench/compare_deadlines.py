"""Deadline grammar vs dateparser's search_dates on the promise clauses of the labelled drafts.

For every still-to-do promise the extractor finds and matches to a label (same kind, in
order), both resolve the clause's time against the draft's `now`. Reported: exact
match (local date and time; a date-only label means the workday end), date-only
match, spurious deadlines (a time where the label has none) and ms per clause.

    .venv/bin/python bench/compare_deadlines.py [drafts.jsonl ...]
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from slackapp.review.config import EngineConfig
from slackapp.review.deadlines import find_deadline
from slackapp.review.promises import find_promises
from slackapp.review.text import mask

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILES = (ROOT / "tests/fixtures/drafts.jsonl", ROOT.parent / "shared/examples.jsonl")
CONFIG = EngineConfig()
TIMING_ROUNDS = 20


@dataclass(frozen=True)
class Case:
    clause: str
    now: datetime
    expected: datetime | None


Resolver = Callable[[Case], datetime | None]


def load_cases(paths: Iterable[Path]) -> list[Case]:
    cases = []
    for path in paths:
        for line in path.read_text().splitlines():
            if line.strip():
                cases.extend(_draft_cases(json.loads(line)))
    return cases


def _draft_cases(draft: dict) -> list[Case]:
    zone = ZoneInfo(draft["tz"])
    now = datetime.fromisoformat(draft["now"]).astimezone(zone)
    found = list(find_promises(draft["text"], mask(draft["text"]), now=now, config=CONFIG))
    cases = []
    for label in draft["expect"]["promises"]:
        match = next((p for p in found if p.kind == label["kind"]), None)
        if match is None:
            continue
        found = found[found.index(match) + 1 :]
        if not label["done"]:
            cases.append(Case(match.text, now, _expected(label, zone)))
    return cases


def _expected(label: dict, zone: ZoneInfo) -> datetime | None:
    if label["due_date"] is None:
        return None
    at = label["due_time"] or CONFIG.workday_end.strftime("%H:%M")
    return datetime.fromisoformat(f"{label['due_date']}T{at}").replace(tzinfo=zone)


def grammar(case: Case) -> datetime | None:
    deadline = find_deadline(case.clause, case.now, CONFIG)
    return deadline.due if deadline else None


def dateparser_search(case: Case) -> datetime | None:
    from dateparser.search import search_dates

    settings = {
        "RELATIVE_BASE": case.now.replace(tzinfo=None),
        "TIMEZONE": str(case.now.tzinfo),
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "future",
    }
    found = search_dates(case.clause, languages=["en"], settings=settings)
    return found[0][1].astimezone(case.now.tzinfo) if found else None


def measure(name: str, resolve: Resolver, cases: list[Case], rounds: int) -> dict:
    started = time.perf_counter()
    results = [resolve(case) for case in cases]
    for _ in range(rounds - 1):
        for case in cases:
            resolve(case)
    elapsed_ms = (time.perf_counter() - started) * 1000 / (rounds * len(cases))
    timed = [c for c in cases if c.expected is not None]
    untimed = [c for c in cases if c.expected is None]
    exact = sum(_same(got, c.expected) for got, c in zip(results, cases, strict=True) if c.expected)
    same_day = sum(
        got is not None and got.date() == c.expected.date()
        for got, c in zip(results, cases, strict=True)
        if c.expected
    )
    spurious = sum(got is not None for got, c in zip(results, cases, strict=True) if not c.expected)
    return {
        "method": name,
        "exact": f"{exact}/{len(timed)} ({exact / len(timed):.0%})",
        "same day": f"{same_day}/{len(timed)} ({same_day / len(timed):.0%})",
        "spurious": f"{spurious}/{len(untimed)}",
        "ms/clause": f"{elapsed_ms:.3f}",
    }


def _same(got: datetime | None, expected: datetime) -> bool:
    return got is not None and got.replace(second=0, microsecond=0) == expected


def main(argv: list[str]) -> None:
    paths = [Path(arg) for arg in argv] or [p for p in DEFAULT_FILES if p.exists()]
    cases = load_cases(paths)
    warnings.simplefilter("ignore")  # dateparser warns about pytz/zoneinfo on every call
    started = time.perf_counter()
    dateparser_search(cases[0])
    first_call_ms = (time.perf_counter() - started) * 1000
    rows = [
        measure("grammar (deadlines.py)", grammar, cases, TIMING_ROUNDS),
        measure("dateparser search_dates", dateparser_search, cases, 1),
    ]
    print(f"{len(cases)} promise clauses still to do, from {', '.join(p.name for p in paths)}")
    print(f"dateparser first call (load): {first_call_ms:.0f} ms, not counted below")
    columns = list(rows[0])
    widths = [max(len(column), *(len(row[column]) for row in rows)) for column in columns]
    print("  ".join(column.ljust(width) for column, width in zip(columns, widths, strict=True)))
    for row in rows:
        print("  ".join(row[c].ljust(width) for c, width in zip(columns, widths, strict=True)))


if __name__ == "__main__":
    main(sys.argv[1:])
