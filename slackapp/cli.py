"""The `slackapp` command line: one `_add_<name>(subparsers)` function per subcommand.

To add a subcommand, write `_add_<name>` (it sets `func`, a handler taking the parsed
arguments and returning the exit code) and list it in `SUBCOMMANDS` at the bottom.
Handlers import heavy modules themselves, so `slackapp review` starts fast.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, time, tzinfo
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from slackapp.config import Settings
    from slackapp.review import EngineConfig, Review

SEVERITY_CHOICES = ("minor", "moderate", "serious")
DATE_ORDERS = ("MDY", "DMY")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class UsageError(Exception):
    """Bad usage or unreadable input: main() prints str() as one line and exits 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit 2), not the whole usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


# ---------------------------------------------------------------- slackapp review


@dataclass(frozen=True)
class ReviewOptions:
    """What every draft of one invocation shares; a JSONL line may override the first three."""

    severity: str | None
    now: datetime | None
    tz: tzinfo | None
    config: EngineConfig


def _add_review(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "review",
        help="review one apology draft (or a JSONL batch)",
        description="Review an apology draft: the five parts, what to change, the promises "
        "it makes and a suggested rewrite. Exit 0 whenever a review was produced.",
    )
    parser.add_argument("text", nargs="?", metavar="TEXT", help="the draft, or - for stdin")
    parser.add_argument("--file", metavar="PATH", help="read the draft from a file")
    parser.add_argument(
        "--jsonl",
        metavar="FILE",
        help='batch: one {"id", "text", "severity"?, "now"?, "tz"?} per line (- for stdin); '
        "prints one review per line",
    )
    parser.add_argument("--json", action="store_true", help="print the review contract object")
    parser.add_argument("--severity", choices=SEVERITY_CHOICES, help="override the estimate")
    parser.add_argument("--now", metavar="ISO", help="the time the draft is sent (ISO 8601)")
    parser.add_argument("--tz", metavar="ZONE", help="the agent's zone, e.g. America/New_York")
    parser.add_argument("--workday-end", metavar="HH:MM", help="env WORKDAY_END; default 17:00")
    parser.add_argument("--holiday-country", metavar="CC", help="env HOLIDAY_COUNTRY, e.g. US")
    parser.add_argument("--date-order", metavar="MDY|DMY", help="env DATE_ORDER; default MDY")
    parser.add_argument("--rules", metavar="PATH", help="a team rule pack (env RULES_PATH)")
    parser.set_defaults(func=_run_review)


def _run_review(args: argparse.Namespace) -> int:
    _reject_conflicting_inputs(args)
    options = _review_options(args)
    if args.jsonl is not None:
        with _binary_input(args.jsonl) as source:
            for line in review_jsonl(source, options):
                sys.stdout.write(line + "\n")
                sys.stdout.flush()  # a consumer sees each review as soon as it is ready
        return 0
    text = _read_draft(args)
    result = _review_one(text, options)
    if args.json:
        sys.stdout.write(result.to_json() + "\n")
    else:
        sys.stdout.write(render_report(result, color=_use_color(sys.stdout)))
    return 0


def _reject_conflicting_inputs(args: argparse.Namespace) -> None:
    if args.text is not None and args.file is not None:
        raise UsageError("give the draft as TEXT or --file, not both")
    if args.jsonl is not None and (args.text is not None or args.file is not None):
        raise UsageError("--jsonl reads its own file; drop TEXT and --file")


def _review_options(args: argparse.Namespace) -> ReviewOptions:
    from slackapp.review import EngineConfig
    from slackapp.review.rules import RulePackError, load_rules

    workday_end = _setting(args.workday_end, "--workday-end", "WORKDAY_END", _parse_hhmm)
    country = _setting(args.holiday_country, "--holiday-country", "HOLIDAY_COUNTRY", _country)
    date_order = _setting(args.date_order, "--date-order", "DATE_ORDER", _date_order)
    rules = _setting(args.rules, "--rules", "RULES_PATH", _rules_path)
    defaults = EngineConfig()
    config = EngineConfig(
        workday_end=workday_end or defaults.workday_end,
        holiday_country=country,
        date_order=date_order or defaults.date_order,
        rules_path=rules,
    )
    try:
        load_rules(config.rules_path)  # a broken rule pack is a usage error, found up front
    except RulePackError as err:
        raise UsageError(str(err)) from None
    zone = parse_zone(args.tz, "--tz") if args.tz else None
    now = parse_now(args.now, "--now") if args.now else None
    return ReviewOptions(severity=args.severity, now=now, tz=zone, config=config)


def _setting(flag_value: str | None, flag: str, env_key: str, parse: Callable[[str], Any]) -> Any:
    """The flag when given, else the environment variable, else None (the engine default)."""
    if flag_value is not None:
        return _parse_or_fail(parse, flag_value, flag)
    env_value = os.environ.get(env_key, "").strip()
    return _parse_or_fail(parse, env_value, env_key) if env_value else None


def _parse_or_fail(parse: Callable[[str], Any], value: str, name: str) -> Any:
    try:
        return parse(value)
    except ValueError as err:
        raise UsageError(f"{name}: {err}, got {value!r}") from None


def _parse_hhmm(value: str) -> time:
    match = _HHMM.match(value.strip())
    if not match:
        raise ValueError("expected a time as HH:MM (24-hour)")
    return time(int(match[1]), int(match[2]))


def _country(value: str) -> str:
    import holidays  # only needed when a country is configured

    code = value.strip().upper()
    if code not in holidays.list_supported_countries():
        raise ValueError("expected a country code that the `holidays` package supports")
    return code


def _date_order(value: str) -> str:
    order = value.strip().upper()
    if order not in DATE_ORDERS:
        raise ValueError("expected MDY or DMY")
    return order


def _rules_path(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.is_file():
        raise ValueError("no such rule pack file")
    return path


def parse_zone(name: str, source: str) -> tzinfo:
    """A ZoneInfo for an IANA name; UsageError naming `source` when the zone is unknown."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UsageError(f"{source}: unknown time zone {name!r} (try e.g. Europe/Paris)") from None


def parse_now(value: str, source: str) -> datetime:
    """An ISO 8601 date-time, naive or not (a naive one is read in the agent's zone)."""
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"{source}: not an ISO 8601 date-time: {value!r} (e.g. 2026-11-25T10:00:00-05:00)"
        ) from None


def _read_draft(args: argparse.Namespace) -> str:
    if args.file is not None and args.file != "-":
        try:
            return _decode(Path(args.file).read_bytes())
        except OSError as err:
            raise UsageError(f"cannot read {args.file}: {err.strerror or err}") from None
    if args.text is not None and args.text != "-":
        return _from_argv(args.text)
    if args.text is None and args.file is None and _stdin_is_terminal():
        raise UsageError("no draft given: pass TEXT, --file PATH, or - to read stdin")
    return _decode(_read_stdin())


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _read_stdin() -> bytes:
    try:
        stream = getattr(sys.stdin, "buffer", None)
        return stream.read() if stream is not None else sys.stdin.read().encode("utf-8", "replace")
    except (OSError, ValueError) as err:
        raise UsageError(f"cannot read stdin: {err}") from None


@contextmanager
def _binary_input(path: str) -> Iterator[IO[bytes]]:
    """The file, or stdin for "-" (left open: it is not ours to close)."""
    if path == "-":
        stream = getattr(sys.stdin, "buffer", None)
        # a text-only stdin (tests, embedding) is re-encoded
        yield stream if stream is not None else io.BytesIO(sys.stdin.read().encode("utf-8"))
        return
    try:
        handle = open(path, "rb")  # noqa: SIM115 -- closed below; open errors need their own message
    except OSError as err:
        raise UsageError(f"cannot read {path}: {err.strerror or err}") from None
    with handle:
        yield handle


def _decode(raw: bytes) -> str:
    """UTF-8 without a leading BOM, broken bytes as U+FFFD: odd input still gets reviewed."""
    return raw.decode("utf-8-sig", errors="replace")


def _from_argv(text: str) -> str:
    """argv holds undecodable bytes as lone surrogates; turn them into U+FFFD like a file would."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", errors="replace")
    except UnicodeEncodeError:
        return scrub(text)


def scrub(text: str) -> str:
    """Lone surrogates (e.g. JSON "\\ud800") as U+FFFD: same length, so offsets still hold."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def _review_one(text: str, options: ReviewOptions) -> Review:
    from slackapp.review import review

    now = options.now
    if now is not None and now.tzinfo is None and options.tz is not None:
        now = now.replace(tzinfo=options.tz)  # a naive --now is wall-clock time in --tz
    return review(text, severity=options.severity, now=now, tz=options.tz, config=options.config)


# ---------------------------------------------------------------- JSONL batches


def review_jsonl(source: Iterable[bytes], options: ReviewOptions) -> Iterator[str]:
    """One output line per non-blank input line, lazily: memory stays flat on any file size."""
    for number, raw in enumerate(source, start=1):
        line = _decode(raw)
        if line.strip():
            yield json.dumps(_review_record(line, number, options), ensure_ascii=False)


def _review_record(line: str, number: int, options: ReviewOptions) -> dict[str, Any]:
    record_id: Any = None
    try:
        record = json.loads(line, parse_constant=_reject_constant)
        if not isinstance(record, dict):
            raise UsageError("expected a JSON object")
        record_id = _scrub_id(record.get("id"))
        line_options = _line_options(record, options)
        text = record.get("text")
        if not isinstance(text, str):
            raise UsageError('"text" must be a string')
        result = _review_one(scrub(text), line_options)
    except (UsageError, ValueError) as err:  # JSONDecodeError is a ValueError
        return {"id": record_id, "line": number, "error": _one_line(err)}
    except Exception as err:  # an engine bug on one draft must not sink the whole batch
        print(f"slackapp review: line {number}: engine failed: {err!r}", file=sys.stderr)
        return {"id": record_id, "line": number, "error": f"internal error: {type(err).__name__}"}
    return {"id": record_id, **result.to_dict()}


def _line_options(record: dict[str, Any], options: ReviewOptions) -> ReviewOptions:
    severity = record.get("severity", options.severity)
    if severity is not None and severity not in SEVERITY_CHOICES:
        raise UsageError(f'"severity" must be minor, moderate or serious, not {severity!r}')
    now, tz = record.get("now"), record.get("tz")
    for key, value in (("now", now), ("tz", tz)):
        if value is not None and not isinstance(value, str):
            raise UsageError(f'"{key}" must be a string')
    return replace(
        options,
        severity=severity,
        now=parse_now(now, '"now"') if now else options.now,
        tz=parse_zone(tz, '"tz"') if tz else options.tz,
    )


def _scrub_id(value: Any) -> Any:
    return scrub(value) if isinstance(value, str) else value


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


def _one_line(err: Exception) -> str:
    if isinstance(err, json.JSONDecodeError):
        message = f"invalid JSON: {err}"
    elif isinstance(err, UsageError):
        message = str(err)
    else:  # the engine's ValueError for a bad argument
        message = f"cannot review: {err}"
    return " ".join(message.split())


# ---------------------------------------------------------------- the terminal report

_PART_LABELS = {
    "names_problem": "Names the problem",
    "owns_it": "Owns it",
    "states_fix": "States the fix",
    "gives_timeline": "Gives a timeline",
    "offers_remedy": "Offers a remedy",
}
_ANSI = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}


def _use_color(stream: IO[str]) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def render_report(result: Review, *, color: bool = False) -> str:
    """The human-readable review: verdict, parts checklist, findings, promises, rewrite."""

    def paint(text: str, style: str) -> str:
        return f"\x1b[{_ANSI[style]}m{text}\x1b[0m" if color else text

    sections = [_verdict(result, paint)]
    if result.notice is None:
        sections.append(_checklist(result, paint))
    if result.findings:
        sections.append(_findings(result, paint))
    if result.promises:
        sections.append(_promises(result, paint))
    if result.rewrite:
        sections.append(paint("Suggested rewrite", "bold") + "\n" + _indent(result.rewrite))
    return "\n\n".join(sections) + "\n"


Paint = Callable[[str, str], str]


def _verdict(result: Review, paint: Paint) -> str:
    if result.notice is not None:
        return paint("Not reviewed: ", "yellow") + result.notice
    if not result.findings and not result.parts.missing():
        verdict = paint("Ready to send", "green")
    elif result.score >= 70:
        verdict = paint("Nearly there", "yellow")
    else:
        verdict = paint("Needs work", "red")
    severity = result.severity
    estimate = "" if severity.used == severity.estimated else f", estimated {severity.estimated}"
    lines = [
        f"{paint('Verdict:', 'bold')} {verdict} (score {result.score}/100)",
        f"{paint('Severity:', 'bold')} {severity.used}{estimate}; "
        f"{result.apology_count} apology expression(s)",
    ]
    lines += [f"  {paint('·', 'dim')} {advice}" for advice in result.advice]
    if result.suggest_gesture:
        lines.append(f"  {paint('·', 'dim')} consider a gesture: credit, refund or waived fee")
    return "\n".join(lines)


def _checklist(result: Review, paint: Paint) -> str:
    parts = result.parts.to_dict()
    lines = [paint("Parts", "bold")]
    for name, label in _PART_LABELS.items():
        mark = paint("✓", "green") if parts.get(name) else paint("✗", "red")
        lines.append(f"  {mark} {label}")
    return "\n".join(lines)


def _findings(result: Review, paint: Paint) -> str:
    lines = [paint(f"Findings ({len(result.findings)})", "bold")]
    for finding in result.findings:
        lines.append(f"  {paint(finding.code, 'yellow')}: “{_quote(finding.text)}”")
        lines.append(f"      why: {finding.message}")
        if finding.suggestion is not None:
            suggestion = finding.suggestion or "(delete it)"
            lines.append(f"      try: {paint(suggestion, 'cyan')}")
    return "\n".join(lines)


def _promises(result: Review, paint: Paint) -> str:
    lines = [paint(f"Promises ({len(result.promises)})", "bold")]
    for promise in result.promises:
        if promise.done:
            status = paint("done", "green")
        elif promise.due is not None:
            status = f"due {promise.due:%a %d %b %Y %H:%M} {promise.due.tzname() or ''}".rstrip()
        else:
            status = paint("no due time", "red")
        lines.append(f"  {paint(promise.kind, 'cyan')}: “{_quote(promise.text)}”, {status}")
    return "\n".join(lines)


def _quote(text: str, limit: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" if line else "" for line in text.splitlines())


# ---------------------------------------------------------------- slackapp promises / remind

PROMISE_STATUSES = ("open", "overdue", "done", "cancelled")


def _add_promises(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "promises",
        help="list tracked promises (operators)",
        description="List tracked promises across teams and agents, soonest deadline first.",
    )
    parser.add_argument("--team", metavar="T", help="only this workspace (team id)")
    parser.add_argument("--user", metavar="U", help="only this agent (user id)")
    parser.add_argument("--status", choices=PROMISE_STATUSES, help="overdue: open and past due")
    parser.add_argument("--json", action="store_true", help="print a JSON array")
    parser.set_defaults(func=_run_promises)


def _run_promises(args: argparse.Namespace) -> int:
    from slackapp.store import Store

    store = Store.from_settings(_settings())
    try:
        found = store.list_promises(team=args.team, user=args.user, status=args.status)
    finally:
        store.close()
    if args.json:
        sys.stdout.write(json.dumps([p.to_dict() for p in found], ensure_ascii=False) + "\n")
        return 0
    now = datetime.now().astimezone()
    for promise in found:
        due = f"{promise.due:%Y-%m-%d %H:%M} UTC" if promise.due else "no deadline"
        status = "overdue" if promise.is_overdue(now) else promise.status
        sys.stdout.write(
            f"{promise.id:>6}  {promise.team_id} {promise.user_id}  {status:<9}  {due:<20}  "
            f"{promise.kind}: {_quote(promise.clause, 60)}\n"
        )
    return 0


def _add_remind(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "remind",
        help="send due reminder DMs",
        description="Send the reminder DMs that are due (at-least-once, safe to run beside "
        "`slackapp serve` or another `remind`). Without --once, keep sending until stopped.",
    )
    parser.add_argument("--once", action="store_true", help="send what is due now, then exit")
    parser.add_argument("--now", metavar="ISO", help="pretend it is this time (naive = UTC)")
    parser.set_defaults(func=_run_remind)


def _run_remind(args: argparse.Namespace) -> int:
    from datetime import UTC, timedelta
    from time import monotonic

    from slackapp.reminders import Dispatcher
    from slackapp.store import Store

    settings = _settings()
    if not settings.slack_bot_token and not settings.oauth_enabled:
        raise UsageError("SLACK_BOT_TOKEN: required to send reminder DMs")
    store = Store.from_settings(settings)
    dispatcher = Dispatcher.for_app(settings, store)
    if args.now:
        start, began = parse_now(args.now, "--now"), monotonic()
        start = start if start.tzinfo else start.replace(tzinfo=UTC)
        dispatcher.clock = lambda: start + timedelta(seconds=monotonic() - began)
    try:
        if not args.once:
            dispatcher.run_forever()
            return 0
        outcomes = dispatcher.run_once()
    finally:
        store.close()
    dropped = ("undeliverable",) if outcomes["undeliverable"] else ()
    shown = ("sent", "postponed", "retry", *dropped)
    summary = ", ".join(f"{outcomes[name]} {name}" for name in shown)
    sys.stdout.write(f"reminders: {summary}\n")
    return 0


def _add_serve(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the Slack app",
        description="Serve Slack: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on "
        "HOST:PORT at /slack/events (GET /healthz for health checks).",
    )
    parser.set_defaults(func=_run_serve)


def _run_serve(args: argparse.Namespace) -> int:
    from slackapp.config import ConfigError
    from slackapp.server import serve

    try:
        serve(_settings())
    except ConfigError as err:
        raise UsageError(str(err)) from None
    return 0


def _add_run(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run",
        help="serve Slack, or the local sandbox when no Slack credentials are set",
        description="With Slack credentials (env or .env), the same as `serve`. Without any, "
        "the real app against a local Slack stand-in: prints the URL to open (PORT, default "
        "3000). See docs/sandbox.md.",
    )
    parser.set_defaults(func=_run_run)


def _run_run(args: argparse.Namespace) -> int:
    settings = _settings()
    credentials = (
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
        settings.slack_client_id,
    )
    if any(credentials):
        return _run_serve(args)
    from slackapp.sandbox.run import run

    try:
        run(settings)
    except OSError as err:  # e.g. the port is taken
        raise UsageError(f"cannot start the sandbox on port {settings.port}: {err}") from None
    return 0


def _settings() -> Settings:
    from slackapp.config import ConfigError, Settings

    try:
        return Settings.load()
    except ConfigError as err:
        raise UsageError(str(err)) from None


# ---------------------------------------------------------------- entry point

# One entry per subcommand; each adds its parser and sets `func`.
SUBCOMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (
    _add_review,
    _add_promises,
    _add_remind,
    _add_serve,
    _add_run,
)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="slackapp", description="Review customer apologies, then keep their promises."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add_subcommand in SUBCOMMANDS:
        add_subcommand(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help, or a usage error already printed by argparse
        return exit_.code if isinstance(exit_.code, int) else 2
    _tolerate_unencodable_output()
    try:
        return args.func(args)
    except UsageError as err:
        print(f"slackapp {args.command}: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `slackapp review --jsonl big.jsonl | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


def _tolerate_unencodable_output() -> None:
    """A non-UTF-8 terminal gets '?' for ✓ and emoji instead of a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
