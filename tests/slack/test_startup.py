"""`slackapp serve` as a real process: settings errors, HTTP serving, health, quick acks."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from slackapp.sandbox.slack_api import FakeSlack

from .conftest import AGENT, DRAFT, REPO, SECRET, Running

BASE_ENV = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO)}


def serve(env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "slackapp", "serve"],
        env={**BASE_ENV, **env},
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize(
    ("env", "line"),
    [
        ({}, "slackapp serve: SLACK_BOT_TOKEN: required"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "slackapp serve: SLACK_SIGNING_SECRET: required"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PORT": "http"},
            "slackapp serve: PORT: expected a whole number",
        ),
        (
            {"SLACK_BOT_TOKEN": "oops", "SLACK_SIGNING_SECRET": "s"},
            "slackapp serve: SLACK_BOT_TOKEN: expected a token starting with 'xoxb-'",
        ),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "QUIET_HOURS": "late"},
            "slackapp serve: QUIET_HOURS: expected a span as HH:MM-HH:MM",
        ),
    ],
)
def test_bad_settings_are_one_clear_line_and_exit_2(env, line, tmp_path) -> None:
    process = serve(env, tmp_path)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert err.strip().splitlines() == [err.strip()] and err.startswith(line)
    assert "Traceback" not in err and out == ""


def test_a_broken_rule_pack_or_unreachable_slack_is_one_line_at_start_up(tmp_path) -> None:
    pack = tmp_path / "team.toml"
    pack.write_text("not = [toml", encoding="utf-8")
    ready = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    for env, line in (
        ({**ready, "RULES_PATH": str(pack)}, "slackapp serve: RULES_PATH: rule pack"),
        ({**ready, "SLACK_API_URL": "http://127.0.0.1:9/api/"}, "slackapp serve: SLACK_API_URL"),
    ):
        process = serve(env, tmp_path)
        _, err = process.communicate(timeout=60)
        assert process.returncode == 2
        assert "Traceback" not in err
        assert err.strip().splitlines()[-1].startswith(line)


def test_serves_slack_over_http(slack: FakeSlack, tmp_path) -> None:
    # Real env wins over .env: the bogus PORT in .env must not matter.
    (tmp_path / ".env").write_text(f"SLACK_SIGNING_SECRET={SECRET}\nPORT=99999\n")
    env = {
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_API_URL": slack.api_url,
        "PORT": "0",
        "DATABASE_PATH": str(tmp_path / "app.db"),
    }
    process = serve(env, tmp_path)
    try:
        first = process.stdout.readline()
        assert "listening on http://127.0.0.1:" in first, process.stderr.read()
        base = first.split("listening on ")[1].strip().removesuffix("/slack/events")
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as health:
            assert health.status == 200
        running = Running(f"{base}/slack/events", slack, store=None)  # type: ignore[arg-type]
        reply = running.command(DRAFT, user=AGENT)
        assert reply.status == 200 and reply.seconds < 0.5  # ack first, review after
        slack.wait_for(lambda: slack.responses, timeout=10)
        assert running.last_response()["blocks"]
        assert running.command(DRAFT, secret="forged").status == 401
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode == 0
    assert "will be unused" not in process.stderr.read()  # no spurious warning at start


def test_healthz_answers_before_slack_is_involved(running: Running) -> None:
    started = time.perf_counter()
    with urllib.request.urlopen(running.url.replace("/slack/events", "/healthz")) as health:
        assert health.read() == b"ok\n"
    assert time.perf_counter() - started < 0.5


def test_oauth_installs_keep_their_tokens_in_the_database_file(slack: FakeSlack, tmp_path) -> None:
    import sqlite3

    from .conftest import run_app

    for running in run_app(
        slack, tmp_path, SLACK_BOT_TOKEN="", SLACK_CLIENT_ID="111.222", SLACK_CLIENT_SECRET="shh"
    ):
        install = running.url.replace("/slack/events", "/slack/install")
        with urllib.request.urlopen(install, timeout=5) as page:
            assert page.status == 200 and b"slack.com/oauth/v2/authorize" in page.read()
        tables = {
            row[0]
            for row in sqlite3.connect(tmp_path / "app.db").execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        }
        assert {"slack_installations", "slack_bots", "oauth_states", "promises"} <= tables


def test_socket_mode_stops_on_sigterm_and_closes_what_it_opened(
    slack: FakeSlack, tmp_path, monkeypatch
) -> None:
    import signal

    import slack_bolt.adapter.socket_mode as socket_mode

    from slackapp import server
    from slackapp.reminders import Dispatcher
    from slackapp.store import Store

    from .conftest import settings_for

    closed: list[str] = []

    class StandInHandler:  # Slack's websocket is out of reach here; the rest is real
        def __init__(self, app, app_token: str) -> None:
            assert app_token == "xapp-1-test"

        def connect(self) -> None:
            os.kill(os.getpid(), signal.SIGTERM)  # as a process manager stops the app

        def close(self) -> None:
            closed.append("socket")

    def spy(cls, name: str) -> None:
        original = getattr(cls, name)

        def recorded(self, *args, **kwargs):
            closed.append(cls.__name__)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, recorded)

    monkeypatch.setattr(socket_mode, "SocketModeHandler", StandInHandler)
    spy(Dispatcher, "stop")
    spy(Store, "close")
    previous = signal.getsignal(signal.SIGTERM)
    try:
        server.serve(settings_for(slack, tmp_path, SLACK_APP_TOKEN="xapp-1-test"))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert closed == ["socket", "Dispatcher", "Store"]
