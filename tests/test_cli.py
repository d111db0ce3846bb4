"""`slackapp review`: usage errors and exit codes as a real process, the rest in-process."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from slackapp import cli
from slackapp.cli import ReviewOptions, main, render_report, review_jsonl
from slackapp.review import EngineConfig, review
from slackapp.review.model import (
    Finding,
    Parts,
    Promise,
    Review,
    SeverityAssessment,
)

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
CONTRACT_KEYS = {"parts", "findings", "apology_count", "severity", "promises", "rewrite"}
DRAFT = (
    "We apologize for any inconvenience. Due to a system error your order #4417 shipped late. "
    "I'll refund the $12 shipping fee by Friday and this will never happen again."
)
NOW = "2026-11-25T10:00:00-05:00"
TZ = "America/New_York"
PINNED = ["--now", NOW, "--tz", TZ]
SETTINGS_ENV = ("WORKDAY_END", "HOLIDAY_COUNTRY", "DATE_ORDER", "RULES_PATH", "NO_COLOR")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own settings must not leak into what the tests expect."""
    for key in SETTINGS_ENV:
        monkeypatch.delenv(key, raising=False)


def run_cli(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None):
    environment = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    environment.update(env or {})
    return subprocess.run(
        [str(PYTHON), "-m", "slackapp", *args],
        input=stdin,
        capture_output=True,
        env=environment,
        cwd=ROOT,
        timeout=60,
    )


def json_of(capsys: pytest.CaptureFixture[str]) -> dict:
    return json.loads(capsys.readouterr().out)


# ---------------------------------------------------------------- as a real process


def test_json_review_exits_0_with_the_contract_object() -> None:
    done = run_cli("review", "--json", *PINNED, DRAFT)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert json.loads(done.stdout).keys() >= CONTRACT_KEYS


def test_findings_are_not_errors_exit_is_0() -> None:
    done = run_cli("review", *PINNED, "Sorry for the inconvenience, as per our policy.")
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        (["review", "--now", "next tuesday", "hi"], {}, "--now"),
        (["review", "--tz", "Mars/Olympus_Mons", "hi"], {}, "--tz"),
        (["review", "--tz", "../../etc/passwd", "hi"], {}, "--tz"),
        (["review", "--file", "/no/such/draft.txt"], {}, "/no/such/draft.txt"),
        (["review", "--file", "/"], {}, "cannot read"),
        (["review", "--file", "draft.txt", "inline text"], {}, "not both"),
        (["review", "--jsonl", "/no/such/batch.jsonl"], {}, "/no/such/batch.jsonl"),
        (["review", "--jsonl", "-", "inline text"], {}, "--jsonl"),
        (["review", "--severity", "catastrophic", "hi"], {}, "--severity"),
        (["review", "--workday-end", "5pm", "hi"], {}, "--workday-end"),
        (["review", "--date-order", "YMD", "hi"], {}, "--date-order"),
        (["review", "--rules", "/no/such/rules.toml", "hi"], {}, "--rules"),
        (["review", "hi"], {"WORKDAY_END": "25:00"}, "WORKDAY_END"),
        (["review", "hi"], {"HOLIDAY_COUNTRY": "Atlantis"}, "HOLIDAY_COUNTRY"),
        (["review", "hi"], {"DATE_ORDER": "sideways"}, "DATE_ORDER"),
        (["review", "--bogus-flag", "hi"], {}, "--bogus-flag"),
        ([], {}, "COMMAND"),
    ],
)
def test_usage_errors_exit_2_with_one_line_and_no_traceback(
    args: list[str], env: dict[str, str], says: str
) -> None:
    done = run_cli(*args, env=env)
    stderr = done.stderr.decode()
    assert done.returncode == 2
    assert says in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert "Traceback" not in stderr
    assert done.stdout == b""


def test_binary_stdin_still_gets_a_review() -> None:
    noise = b"\xff\xfe\x00Sorry\x80 for the \xc3( delay\x1b[31m" + bytes(range(256))
    done = run_cli("review", "--json", *PINNED, "-", stdin=noise)
    assert done.returncode == 0, done.stderr
    assert "\ufffd" in json.dumps(json.loads(done.stdout), ensure_ascii=False)


def test_piped_stdin_without_dash_is_read() -> None:
    done = run_cli("review", "--json", *PINNED, stdin=DRAFT.encode())
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout).keys() >= CONTRACT_KEYS


def test_report_on_a_pipe_has_no_colour_codes() -> None:
    done = run_cli("review", *PINNED, DRAFT)
    assert done.returncode == 0, done.stderr
    assert b"\x1b[" not in done.stdout
    assert "Parts" in done.stdout.decode()


def test_jsonl_exits_0_and_keeps_going_after_bad_lines() -> None:
    batch = b'{"id": 1, "text": "Sorry!"}\n{not json\n{"id": 3, "text": "Sorry again"}\n'
    done = run_cli("review", "--jsonl", "-", *PINNED, stdin=batch)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line.get("id") for line in lines] == [1, None, 3]
    assert "error" in lines[1]


def test_importing_the_cli_loads_no_heavy_module() -> None:
    probe = (
        "import sys, slackapp.cli; heavy = ('slackapp.review', 'slack_bolt', 'sqlite_utils', "
        "'holidays'); print([m for m in heavy if m in sys.modules])"
    )
    done = subprocess.run([str(PYTHON), "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr


# ---------------------------------------------------------------- in-process


def test_json_output_is_exactly_the_engine_review(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "--json", *PINNED, DRAFT]) == 0
    expected = review(DRAFT, now=datetime.fromisoformat(NOW), tz=ZoneInfo(TZ))
    assert json_of(capsys) == expected.to_dict()


def test_severity_flag_sets_the_severity_used(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "--json", "--severity", "serious", *PINNED, DRAFT]) == 0
    assert json_of(capsys)["severity"]["used"] == "serious"


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "--help"]) == 0
    assert "--jsonl" in capsys.readouterr().out


class EngineSpy:
    """Stands in for the engine to see exactly what the CLI hands it."""

    def __init__(self) -> None:
        self.calls: list[dict] = []

    def __call__(self, text: str, **kwargs) -> Review:
        self.calls.append({"text": text, **kwargs})
        return review(text, **kwargs)


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> EngineSpy:
    spy = EngineSpy()
    monkeypatch.setattr("slackapp.review.review", spy)
    return spy


def test_naive_now_is_wall_clock_time_in_the_given_zone(engine: EngineSpy) -> None:
    assert main(["review", "--json", "--now", "2026-11-25T10:00", "--tz", TZ, "hi"]) == 0
    now = engine.calls[0]["now"]
    assert now == datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo(TZ))
    assert now.utcoffset().total_seconds() == -5 * 3600


def test_settings_come_from_flags(engine: EngineSpy, tmp_path: Path) -> None:
    pack = tmp_path / "team.toml"
    pack.write_text("disable = []\n")
    args = ["--workday-end", "18:30", "--holiday-country", "us", "--date-order", "dmy"]
    assert main(["review", "--json", *args, "--rules", str(pack), "hi"]) == 0
    assert engine.calls[0]["config"] == EngineConfig(
        workday_end=time(18, 30), holiday_country="US", date_order="DMY", rules_path=pack
    )


def test_settings_fall_back_to_the_environment(
    engine: EngineSpy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = tmp_path / "team.toml"
    pack.write_text("disable = []\n")
    monkeypatch.setenv("WORKDAY_END", "16:00")
    monkeypatch.setenv("HOLIDAY_COUNTRY", "GB")
    monkeypatch.setenv("DATE_ORDER", "DMY")
    monkeypatch.setenv("RULES_PATH", str(pack))
    assert main(["review", "--json", "--workday-end", "09:15", "hi"]) == 0
    config = engine.calls[0]["config"]
    assert config.workday_end == time(9, 15)  # the flag wins over the environment
    assert (config.holiday_country, config.date_order, config.rules_path) == ("GB", "DMY", pack)


def test_defaults_without_flags_or_environment(engine: EngineSpy) -> None:
    assert main(["review", "--json", "hi"]) == 0
    assert engine.calls[0]["config"] == EngineConfig()


def test_broken_rule_pack_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "team.toml"
    pack.write_text("this is = not [toml")
    assert main(["review", "--rules", str(pack), "hi"]) == 2
    assert "team.toml" in capsys.readouterr().err


def test_file_input_drops_the_bom_and_replaces_bad_bytes(
    engine: EngineSpy, tmp_path: Path
) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_bytes(b"\xef\xbb\xbfSorry \xff about that")
    assert main(["review", "--json", "--file", str(draft)]) == 0
    assert engine.calls[0]["text"] == "Sorry \ufffd about that"


def test_undecodable_argv_bytes_become_replacement_characters(engine: EngineSpy) -> None:
    assert main(["review", "--json", "caf\udce9 sorry"]) == 0  # how Python holds b"caf\xe9"
    assert engine.calls[0]["text"] == "caf\ufffd sorry"


def test_dash_reads_stdin(
    engine: EngineSpy, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Sorry, my bad \xe2\x9c")))
    assert main(["review", "--json", "-"]) == 0
    assert engine.calls[0]["text"] == "Sorry, my bad \ufffd"
    assert json_of(capsys).keys() >= CONTRACT_KEYS


def test_terminal_report_on_a_non_tty_has_no_colour(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", *PINNED, DRAFT]) == 0
    out = capsys.readouterr().out
    assert "\x1b[" not in out
    assert "Verdict" in out and "Parts" in out


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli._use_color(FakeTerminal())
    assert not cli._use_color(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli._use_color(FakeTerminal())


# ---------------------------------------------------------------- the report's content

SAMPLE_TEXT = "Due to a system error you were charged twice. I'll call you tomorrow. Refund sent."
SAMPLE = Review(
    parts=Parts(names_problem=True, states_fix=True),
    findings=(
        Finding(
            code="deflects-blame",
            start=0,
            end=21,
            text="Due to a system error",
            message="Blaming a system sounds like an excuse.",
            suggestion="Because of our mistake",
        ),
    ),
    apology_count=0,
    severity=SeverityAssessment(estimated="moderate", used="serious"),
    promises=(
        Promise(
            kind="callback",
            text="I'll call you tomorrow",
            start=47,
            end=69,
            due=datetime(2026, 11, 26, 17, 0, tzinfo=ZoneInfo(TZ)),
        ),
        Promise(kind="refund", text="Refund sent", start=71, end=82, done=True),
    ),
    rewrite="I'm sorry: we charged you twice. [what you are doing to fix it]",
    score=35,
)


def test_report_shows_parts_as_a_checklist() -> None:
    report = render_report(SAMPLE)
    assert "✓ Names the problem" in report
    assert "✓ States the fix" in report
    for missing in ("Owns it", "Gives a timeline", "Offers a remedy"):
        assert f"✗ {missing}" in report


def test_report_shows_each_finding_with_phrase_why_and_suggestion() -> None:
    report = render_report(SAMPLE)
    assert "deflects-blame" in report
    assert "“Due to a system error”" in report
    assert "Blaming a system sounds like an excuse." in report
    assert "Because of our mistake" in report


def test_report_shows_promises_with_kind_due_and_done() -> None:
    report = render_report(SAMPLE)
    callback = next(line for line in report.splitlines() if "I'll call you tomorrow" in line)
    assert "callback" in callback and "Thu 26 Nov 2026 17:00" in callback
    refund = next(line for line in report.splitlines() if "Refund sent" in line)
    assert "refund" in refund and "done" in refund


def test_report_shows_verdict_score_severity_and_rewrite() -> None:
    report = render_report(SAMPLE)
    assert "Needs work" in report and "35/100" in report
    assert "serious" in report and "estimated moderate" in report
    assert SAMPLE.rewrite in report


def test_report_colours_only_when_asked() -> None:
    assert "\x1b[" not in render_report(SAMPLE)
    assert "\x1b[32m✓\x1b[0m" in render_report(SAMPLE, color=True)


def test_report_leads_with_the_notice_when_text_cannot_be_reviewed() -> None:
    unreviewable = Review(
        parts=Parts(),
        findings=(),
        apology_count=0,
        severity=SeverityAssessment(estimated="minor", used="minor"),
        promises=(),
        rewrite="",
        score=0,
        notice="There is no text to review.",
    )
    report = render_report(unreviewable)
    assert report.startswith("Not reviewed: There is no text to review.")
    assert "✗" not in report  # no checklist for a text that was not reviewed


# ---------------------------------------------------------------- JSONL batches

OPTIONS = ReviewOptions(
    severity=None, now=datetime.fromisoformat(NOW), tz=ZoneInfo(TZ), config=EngineConfig()
)


def batch_of(*records: object) -> list[bytes]:
    return [(r if isinstance(r, str) else json.dumps(r)).encode() + b"\n" for r in records]


def test_jsonl_gives_each_review_its_id() -> None:
    lines = review_jsonl(batch_of({"id": "a1", "text": DRAFT}), OPTIONS)
    expected = review(DRAFT, now=OPTIONS.now, tz=OPTIONS.tz).to_dict()
    assert [json.loads(line) for line in lines] == [{"id": "a1", **expected}]


@pytest.mark.parametrize(
    ("record", "says"),
    [
        ("{not json", "invalid JSON"),
        ('["a", "list"]', "object"),
        ('{"id": 7, "text": NaN}', "NaN"),
        ({"id": 7}, "text"),
        ({"id": 7, "text": 42}, "text"),
        ({"id": 7, "text": "hi", "severity": "apocalyptic"}, "severity"),
        ({"id": 7, "text": "hi", "now": "yesterday-ish"}, "now"),
        ({"id": 7, "text": "hi", "now": 1764082800}, "now"),
        ({"id": 7, "text": "hi", "tz": "Nowhere/Special"}, "tz"),
    ],
)
def test_jsonl_bad_line_yields_an_error_and_the_rest_go_on(record: object, says: str) -> None:
    lines = batch_of({"id": 1, "text": "Sorry!"}, record, {"id": 3, "text": "Sorry again"})
    first, bad, last = (json.loads(line) for line in review_jsonl(lines, OPTIONS))
    assert first["id"] == 1 and "parts" in first
    assert says in bad["error"] and bad["line"] == 2 and "parts" not in bad
    assert last["id"] == 3 and "parts" in last


def test_jsonl_engine_crash_on_one_draft_spares_the_others(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fragile_engine(text: str, **kwargs) -> Review:
        if "boom" in text:
            raise RuntimeError("boom")
        return review(text, **kwargs)

    monkeypatch.setattr("slackapp.review.review", fragile_engine)
    lines = batch_of({"id": 1, "text": "boom"}, {"id": 2, "text": "Sorry!"})
    crashed, fine = (json.loads(line) for line in review_jsonl(lines, OPTIONS))
    assert crashed == {"id": 1, "line": 1, "error": "internal error: RuntimeError"}
    assert fine["id"] == 2 and "parts" in fine
    assert "line 1" in capsys.readouterr().err  # the bug is not silent


def test_jsonl_bad_line_keeps_its_id_when_it_has_one() -> None:
    (bad,) = review_jsonl(batch_of({"id": "x9", "text": "hi", "tz": "Mars/Base"}), OPTIONS)
    assert json.loads(bad)["id"] == "x9"


def test_jsonl_line_settings_override_the_flags(engine: EngineSpy) -> None:
    record = {"id": 1, "text": "hi", "severity": "serious", "now": "2026-06-01T09:00", "tz": "UTC"}
    (line,) = review_jsonl(batch_of(record), OPTIONS)
    assert json.loads(line)["severity"]["used"] == "serious"
    assert engine.calls[0]["now"] == datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("UTC"))


def test_jsonl_skips_blank_lines_and_survives_broken_bytes() -> None:
    lines = [b"\n", b'{"id": 1, "text": "Sorry \xff"}\n', b"   \n", b'{"id": 2, "text": "\\ud800"}']
    out = [json.loads(line) for line in review_jsonl(lines, OPTIONS)]
    assert [o["id"] for o in out] == [1, 2]
    assert all("parts" in o for o in out)


def test_jsonl_from_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(b"".join(batch_of({"id": 1, "text": "Sorry!"}, {"id": 2, "text": "Hi"})))
    assert main(["review", "--jsonl", str(batch), *PINNED]) == 0
    assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == [1, 2]


def numbered_drafts(count: int) -> Iterator[bytes]:
    for number in range(count):
        text = f"Sorry, order #{number} was late due to a system error; refund by Friday."
        yield json.dumps({"id": number, "text": text}).encode() + b"\n"


def test_jsonl_streams_one_line_at_a_time() -> None:
    source = numbered_drafts(1_000_000)
    outputs = review_jsonl(source, OPTIONS)
    assert json.loads(next(outputs))["id"] == 0
    assert json.loads(next(source))["id"] == 1  # the first review came before line 2 was read


def test_jsonl_memory_stays_flat_over_thousands_of_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A canned review keeps this fast: what is measured is the batch loop, not the engine.
    monkeypatch.setattr("slackapp.review.review", lambda text, **_: SAMPLE)
    outputs = review_jsonl(numbered_drafts(6_000), OPTIONS)
    next(outputs)
    tracemalloc.start()
    try:
        for _ in range(500):
            next(outputs)
        _, peak_after_500 = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        for _ in outputs:
            pass
        current, peak_after_6000 = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Ten times more lines must not need noticeably more memory, nor keep any.
    assert peak_after_6000 < peak_after_500 * 1.5 + 64_000
    assert current < 64_000
