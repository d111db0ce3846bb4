"""Engine latency against proselint, and what the engine flags in real agent messages.

Run: `python -m bench engine` (or `make bench` for every benchmark).
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from slackapp.review import review

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("America/New_York"))
REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "real-data"
WARMUP_RUNS = 20
ENGINE_RUNS = 300
PROSELINT_RUNS = 100
TOP_PHRASES = 15
TARGET_P99_MS_4000 = 5.0
TARGET_RATIO = 10.0

SEED_PHRASES = (
    "We apologize for any inconvenience",
    "due to a system error",
    "as soon as possible",
)

DRAFT_60_WORDS = (
    "Hi Dana Reyes, We apologize for any inconvenience with order #4417. It was charged twice "
    "due to a system error on November 20. I have reversed the duplicate $89.00 charge, "
    "and I'll email you the bank's written confirmation by Friday. I'll also call you tomorrow at "
    "3pm, and the billing team will fix the checkout bug as soon as possible."
)

DRAFT_300_WORDS = """Hi Marcus,

We apologize for any inconvenience caused by your last two deliveries. I looked into \
order #88213: the standing desk was scheduled for November 18, but it left our \
warehouse on November 21, and the cable tray was missing from the box. Your earlier order, \
#88107, was charged twice due to a system error in our payment step, so you paid $412.50 \
more than you should have.

Here is what I have done so far. I reversed the duplicate charge of $412.50 an hour ago; \
your bank should show it within 3 business days. I have also shipped the missing cable tray \
by courier, tracking number 1Z 999 AA1 01 2345 6784, and it should reach you by \
Thursday.

Here is what happens next. I'll email you the refund confirmation from our bank by 5pm \
today, and I'll call you on Monday at 10am to check that the desk and the tray arrived in \
good shape. Our engineers will fix the payment bug that caused the double charge within \
48 hours, and I'll let you know once it is deployed. Our warehouse team will also review \
why the tray was left out of the box as soon as possible.

To make up for the wait, I have added a $25 credit to your account, which you can use on \
your next order, and I've waived the delivery fee for the desk. If the desk itself has any \
damage from the delay, please send me a photo and I will send a replacement the same day.

I know this is not the experience you expected when you ordered from us, and I am sorry \
that it took two messages from you before anyone replied. You can reach me on \
555-0142 until 6pm.

Thank you for your patience,
Priya, Customer Care"""

_LONG_PARAGRAPHS = (
    DRAFT_300_WORDS.rsplit("\n\n", 1)[0],
    "An update on the outage: your team could not sign in on Tuesday from 9:40 to 13:15 "
    "due to a system error in our single sign-on service. That was our configuration change, "
    "and I'm sorry it cost your agents most of a morning. We rolled the change back at 13:15, "
    "and our engineers will ship a permanent fix by December 4.",
    "On the invoices: the November invoice listed 42 seats instead of 35. I have issued a "
    "corrected invoice, INV-2026-1187, and I'll send you the credit note for the 7 extra "
    "seats by Friday. We will also review the seat count on your account as soon as possible "
    "so the December invoice is right.",
    "About the data export you asked for on November 12: it failed twice because the file "
    "was larger than our limit. I have split it into three parts and started them tonight; "
    "I'll email you the download links tomorrow by noon. I'll call you on Thursday at 2pm "
    "to walk through the files with your analyst.",
    "As a thank-you for your patience, I have applied a 20% discount to your next two "
    "invoices and extended your trial of the analytics add-on by a month, free of charge.",
    "If anything else looks wrong, reply here and I will get back to you within 4 hours "
    "during business days. I have also set a reminder to check in with you next Wednesday.",
)


def _long_draft(limit: int = 4_000) -> str:
    """The paragraphs above, repeated and cut at the last word boundary within `limit`."""
    text = "\n\n".join(_LONG_PARAGRAPHS * 3)[: limit + 1]
    return text[: text.rfind(" ")]


LONG = "4,000 chars"
DRAFTS: dict[str, str] = {
    "60 words": DRAFT_60_WORDS,
    "300 words": DRAFT_300_WORDS,
    LONG: _long_draft(),
}


# ---------------------------------------------------------------- the two tools


def slackapp_spans(text: str) -> list[tuple[int, int]]:
    return [(f.start, f.end) for f in review(text, now=NOW).findings]


def _proselint() -> Callable[[str], list[tuple[int, int]]]:
    """proselint 0.16's Python API: register the checks once, lint a `LintFile`."""
    from proselint.checks import __register__
    from proselint.config import DEFAULT
    from proselint.registry import CheckRegistry
    from proselint.tools import LintFile

    registry = CheckRegistry()
    if not registry.checks:  # a singleton: registering twice would run every check twice
        registry.register_many(__register__)

    def spans(text: str) -> list[tuple[int, int]]:
        # LintFile pads the content with a newline on each side: shift spans back by one
        results = LintFile("<draft>", text).lint(DEFAULT)
        return [(r.check_result.span[0] - 1, r.check_result.span[1] - 1) for r in results]

    return spans


def latency_ms(tool: Callable[[str], object], text: str, runs: int) -> tuple[float, float]:
    """(p50, p99) in milliseconds over `runs` warm calls."""
    for _ in range(WARMUP_RUNS):
        tool(text)
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        tool(text)
        samples.append(time.perf_counter_ns() - start)
    return _percentile(samples, 50) / 1e6, _percentile(samples, 99) / 1e6


def _percentile(samples: list[int], percent: int) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def seeds_flagged(spans: list[tuple[int, int]], text: str) -> int:
    """How many of the seed phrases in `text` lie under (overlap) at least one flagged span."""
    lowered = text.lower()
    flagged = 0
    for phrase in SEED_PHRASES:
        at = lowered.find(phrase.lower())
        if at != -1 and any(start < at + len(phrase) and at < end for start, end in spans):
            flagged += 1
    return flagged


def compare_with_proselint() -> None:
    proselint_spans = _proselint()
    print(f"warm runs: slackapp {ENGINE_RUNS}, proselint {PROSELINT_RUNS} per draft; ms\n")
    header = (
        "draft",
        "chars",
        "slackapp p50",
        "p99",
        "proselint p50",
        "p99",
        "ratio p50",
        "seeds flagged: slackapp",
        "proselint",
    )
    rows, ratios, p99s = [], [], {}
    for label, text in DRAFTS.items():
        ours = latency_ms(slackapp_spans, text, ENGINE_RUNS)
        p99s[label] = ours[1]
        theirs = latency_ms(proselint_spans, text, PROSELINT_RUNS)
        ratios.append(theirs[0] / ours[0])
        seeds = sum(phrase.lower() in text.lower() for phrase in SEED_PHRASES)
        rows.append(
            (
                label,
                f"{len(text):,}",
                *(f"{ms:.2f}" for ms in (*ours, *theirs)),
                f"{ratios[-1]:.1f}x",
                f"{seeds_flagged(slackapp_spans(text), text)}/{seeds}",
                f"{seeds_flagged(proselint_spans(text), text)}/{seeds}",
            )
        )
    _print_table(header, rows)
    long_p99 = p99s[LONG]
    print(
        f"\ntargets: p99 < {TARGET_P99_MS_4000} ms at 4,000 chars: "
        f"{_verdict(long_p99 < TARGET_P99_MS_4000)} ({long_p99:.2f} ms); "
        f">= {TARGET_RATIO:.0f}x proselint at p50 on every size: "
        f"{_verdict(min(ratios) >= TARGET_RATIO)} (lowest {min(ratios):.1f}x)"
    )


def stage_breakdown() -> None:
    """Where one review of each draft spends its time, stage by stage (best of 50 runs)."""
    header = (
        "draft",
        "review",
        "mask",
        "language",
        "apologies",
        "promises",
        "words",
        "severity",
        "findings",
        "parts",
        "rewrite and the rest",
    )
    rows = []
    for label, text in DRAFTS.items():
        stages = _stage_ms(text)
        total = _best_ms(partial(review, text, now=NOW))
        rest = total - sum(stages.values())
        rows.append((label, *(f"{ms:.2f}" for ms in (total, *stages.values(), rest))))
    print("\nwhere the time goes, best of 50 runs; ms")
    _print_table(header, rows)


def _stage_ms(text: str) -> dict[str, float]:
    from slackapp.review.config import DEFAULT_CONFIG
    from slackapp.review.findings import apology_spans, detect_findings
    from slackapp.review.language import unreviewable_reason
    from slackapp.review.learnt import word_features
    from slackapp.review.parts import detect_parts
    from slackapp.review.promises import find_promises
    from slackapp.review.rules import load_rules
    from slackapp.review.severity import HarmCues, estimate_severity
    from slackapp.review.text import fold, mask

    rules = load_rules()
    masked = mask(text)
    lowered = fold(masked)
    apologies = apology_spans(lowered, rules)
    promises = find_promises(text, masked, now=NOW, config=DEFAULT_CONFIG)
    words = word_features(lowered)
    severity = estimate_severity(HarmCues.of(lowered), promises, words)
    findings = detect_findings(text, lowered, rules, severity, apologies, promises)
    return {
        "mask": _best_ms(lambda: fold(mask(text))),
        "language": _best_ms(partial(unreviewable_reason, lowered)),
        "apologies": _best_ms(partial(apology_spans, lowered, rules)),
        "promises": _best_ms(partial(find_promises, text, masked, now=NOW, config=DEFAULT_CONFIG)),
        "words": _best_ms(partial(word_features, lowered)),
        "severity": _best_ms(lambda: estimate_severity(HarmCues.of(lowered), promises, words)),
        "findings": _best_ms(
            partial(detect_findings, text, lowered, rules, severity, apologies, promises)
        ),
        "parts": _best_ms(partial(detect_parts, lowered, promises, findings, words)),
    }


def _best_ms(stage: Callable[[], object], runs: int = 50) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        stage()
        samples.append(time.perf_counter_ns() - start)
    return min(samples) / 1e6


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def _print_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    for line in (header, tuple("-" * w for w in widths), *rows):
        print(
            "  ".join(
                cell.rjust(w) if i else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(line, widths, strict=True))
            )
        )


# ---------------------------------------------------------------- real agent messages


def real_agent_messages() -> Iterator[tuple[str, datetime]]:
    """(message, when it was sent) for every agent turn in the real-data files."""
    for path in sorted(REAL_DATA.glob("*.json")):
        for conversation in json.loads(path.read_text(encoding="utf-8")):
            started = _utc(conversation["dialogHeader"]["conversationDateTime"])
            for turn in conversation.get("dialogContent", []):
                if "agent" in turn:
                    yield turn["message"], _utc(turn.get("datetime")) or started
            utterance = (conversation.get("agentURL") or {}).get("url_utterance")
            if utterance:
                yield utterance, started


def _utc(stamp: str | None) -> datetime | None:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")) if stamp else None


def real_data_report() -> None:
    messages = list(real_agent_messages())
    if not messages:
        print(f"\nno real data in {REAL_DATA}: skipped")
        return
    for text, sent in messages[:WARMUP_RUNS]:
        review(text, now=sent)
    samples: list[int] = []
    phrases: dict[str, Counter[str]] = defaultdict(Counter)
    for text, sent in messages:
        start = time.perf_counter_ns()
        result = review(text, now=sent)
        samples.append(time.perf_counter_ns() - start)
        for finding in result.findings:
            phrases[finding.code][" ".join(finding.text.lower().split())] += 1
    chars = statistics.mean(len(text) for text, _ in messages)
    print(f"\n{len(messages):,} real agent messages (mean {chars:.0f} chars), {REAL_DATA}:")
    print(
        f"  p50 {_percentile(samples, 50) / 1e6:.2f} ms, p99 {_percentile(samples, 99) / 1e6:.2f}"
        f" ms, total {sum(samples) / 1e9:.2f} s"
    )
    print(
        "\nfindings per code (a precision check: most of these tweets are soft apologies,"
        " so many flags here are false alarms):"
    )
    for code, counter in sorted(phrases.items(), key=lambda item: -item[1].total()):
        print(f"\n  {code}: {counter.total()} finding(s)")
        for phrase, count in counter.most_common(TOP_PHRASES):
            print(f"    {count:4d}  {phrase[:90]}")


def main() -> None:
    compare_with_proselint()
    stage_breakdown()
    real_data_report()


if __name__ == "__main__":
    main()
