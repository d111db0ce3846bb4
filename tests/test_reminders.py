"""Reminder delivery against the Slack stand-in over HTTP: whole timelines under a frozen
clock, quiet hours and zones, retries, and several dispatchers (or crashed ones) on one file."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import tracking
from freezegun import freeze_time
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore

from slackapp.cli import main
from slackapp.config import Settings
from slackapp.listeners.flow import Services
from slackapp.reminders import Dispatcher, Pacer, QuietHours, promise_message, snooze_until
from slackapp.review.model import Promise
from slackapp.sandbox.slack_api import FakeSlack
from slackapp.store import Store

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO.parent / "shared" / "slack-specs" / "web-api.methods"
NEW_YORK, TOKYO = ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")
TEAM, AGENT, AGENT_TOKYO = "T0TEAM", "U0AGENT", "U0TOKYO"
LINK = "https://sandbox.slack.com/archives/C0SUPPORT/p1764514800000100"
MONDAY_10AM = datetime(2026, 11, 30, 10, 0, tzinfo=NEW_YORK)

for _proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_proxy, None)  # slack_sdk would send even loopback calls through a proxy


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(SPECS.parent if SPECS.is_dir() else None) as fake:
        fake.add_user(AGENT, tz="America/New_York")
        fake.add_user(AGENT_TOKYO, tz="Asia/Tokyo")
        yield fake


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    opened = Store(tmp_path / "app.db")
    yield opened
    opened.close()


def dispatcher_for(store: Store, slack: FakeSlack, clock=None, **options) -> Dispatcher:
    """A dispatcher whose pacing waits advance `clock` (a freezegun clock) instead of sleeping."""
    pacer = Pacer(clock=time.monotonic, sleep=clock.tick) if clock else Pacer()
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    zone_of = Services(Settings(), store).agent_zone
    return Dispatcher(store, client, zone_of, pacer=pacer, **options)


def refund_due(due: datetime, text: str = "I'll refund the shipping fee by 5pm today") -> Promise:
    return Promise("refund", text, 0, len(text), due)


def track(store: Store, *promises: Promise, user: str = AGENT) -> list[int]:
    return tracking.track(store, *promises, team=TEAM, user=user, link=LINK)


def dms(slack: FakeSlack) -> list[dict]:
    return [call.args for call in slack.calls_to("chat.postMessage")]


def shown(message: dict) -> str:
    """Everything the agent reads in a DM: fallback text plus every block's text."""
    return message["text"] + json.dumps(message.get("blocks", []), ensure_ascii=False)


def action_ids(message: dict) -> list[str]:
    return [
        element["action_id"]
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def test_a_promise_from_due_dm_through_snooze_and_nudge_to_done_and_checkin(store, slack):
    due = MONDAY_10AM.replace(hour=17)
    with freeze_time(MONDAY_10AM) as clock:
        dispatcher = dispatcher_for(store, slack, clock)
        (promise_id,) = track(store, refund_due(due))

        clock.move_to(due - timedelta(minutes=1))
        dispatcher.run_once()
        assert dms(slack) == []

        clock.move_to(due)
        dispatcher.run_once()
        (due_dm,) = dms(slack)
        assert due_dm["channel"] == "D0AGENT"
        assert due_dm["text"] == "You promised Dana a refund by 5:00 pm today"
        assert "I'll refund the shipping fee by 5pm today" in shown(due_dm)
        assert f"<{LINK}|Open the conversation>" in shown(due_dm)
        assert action_ids(due_dm) == [
            "promise_done",
            "promise_snooze",
            "promise_snooze_date",
            "promise_cancel",
        ]

        clock.move_to(due + timedelta(minutes=5))
        store.snooze(promise_id, team_id=TEAM, user_id=AGENT, until=due + timedelta(hours=1))
        clock.move_to(due + timedelta(hours=1))
        assert dispatcher.run_once()["postponed"] == 1  # 6 pm: quiet hours have begun
        clock.move_to(datetime(2026, 12, 1, 8, 59, tzinfo=NEW_YORK))
        dispatcher.run_once()
        assert len(dms(slack)) == 1

        clock.move_to(datetime(2026, 12, 1, 9, 0, tzinfo=NEW_YORK))
        dispatcher.run_once()
        nudge = dms(slack)[-1]
        assert nudge["text"] == ":warning: Overdue: you promised Dana a refund by 5:00 pm yesterday"

        store.complete(promise_id, team_id=TEAM, user_id=AGENT)
        clock.move_to(datetime(2026, 12, 3, 10, 0, tzinfo=NEW_YORK))  # 3 business days on
        dispatcher.run_once()
        checkin = dms(slack)[-1]
        assert "A short check-in" in checkin["text"]
        assert "Hi Dana, just checking in" in shown(checkin)
        assert "is everything in order now?" in shown(checkin)
        assert f"<{LINK}|Open the conversation>" in shown(checkin)

        clock.move_to(datetime(2026, 12, 10, 10, 0, tzinfo=NEW_YORK))
        dispatcher.run_once()
        assert len(dms(slack)) == 3
        assert store.pending_reminders() == []


def test_a_promise_closed_after_its_reminder_was_claimed_gets_no_dm(store, slack):
    due = MONDAY_10AM + timedelta(hours=1)
    with freeze_time(due) as clock:
        (promise_id,) = track(store, refund_due(due))
        dispatcher = dispatcher_for(store, slack, clock)
        claimed = store.claim_due(due, lease=timedelta(minutes=5))
        store.cancel(promise_id, team_id=TEAM, user_id=AGENT)
        send_by = due + timedelta(minutes=1)
        assert [dispatcher._deliver(reminder, send_by) for reminder in claimed] == ["skipped"]
    assert dms(slack) == []


def test_times_are_shown_and_quiet_hours_kept_in_each_agents_own_zone(store, slack):
    due = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # 10 am in New York, midnight in Tokyo
    with freeze_time(due) as clock:
        dispatcher = dispatcher_for(store, slack, clock)
        track(store, refund_due(due))
        track(store, refund_due(due), user=AGENT_TOKYO)
        dispatcher.run_once()  # the deadline itself may fall in quiet hours: both go now
        assert sorted(dm["text"] for dm in dms(slack)) == [
            "You promised Dana a refund by 10:00 am today",
            "You promised Dana a refund by 12:00 am today",
        ]
        clock.move_to(due + timedelta(hours=2))  # noon in New York, 2 am in Tokyo
        dispatcher.run_once()
        assert [dm["channel"] for dm in dms(slack)[2:]] == ["D0AGENT"]
        clock.move_to(datetime(2026, 12, 1, 9, 0, tzinfo=TOKYO))
        dispatcher.run_once()
        assert [dm["channel"] for dm in dms(slack)[2:]] == ["D0AGENT", "D0TOKYO"]


def test_a_friday_evening_nudge_waits_for_monday_morning(store, slack):
    friday_due = datetime(2026, 12, 4, 17, 0, tzinfo=NEW_YORK)
    with freeze_time(friday_due) as clock:
        dispatcher = dispatcher_for(store, slack, clock)
        (promise_id,) = track(store, refund_due(friday_due))
        dispatcher.run_once()
        clock.move_to(friday_due + timedelta(hours=2))
        dispatcher.run_once()
    assert len(dms(slack)) == 1  # the due DM went at the deadline; the nudge waits
    (waiting,) = [r for r in store.pending_reminders() if r.promise_id == promise_id]
    assert waiting.kind == "overdue"
    assert waiting.send_at == datetime(2026, 12, 7, 9, 0, tzinfo=NEW_YORK)


def test_rate_limited_sends_wait_for_retry_after_and_then_go_through(store, slack):
    track(store, refund_due(datetime.now(UTC) - timedelta(minutes=1)))
    dispatcher = dispatcher_for(store, slack)
    slack.fail_next(2, status=429, retry_after=1)
    started = time.monotonic()
    outcome = dispatcher.run_once()
    assert time.monotonic() - started >= 1.0
    assert outcome["sent"] == 1 and outcome["retry"] >= 1
    assert len(dms(slack)) == 1


def test_server_errors_are_retried_with_backoff(store, slack):
    track(store, refund_due(datetime.now(UTC) - timedelta(minutes=1)))
    dispatcher = dispatcher_for(store, slack, backoff_base=timedelta(milliseconds=50))
    slack.fail_next(3, status=500)
    outcome = dispatcher.run_once()
    assert outcome["sent"] == 1
    assert len(dms(slack)) == 1


def test_a_reminder_slack_keeps_refusing_stays_in_the_outbox_for_the_next_run(store, slack):
    track(store, refund_due(datetime.now(UTC) - timedelta(minutes=1)))
    dispatcher = dispatcher_for(store, slack, backoff_base=timedelta(milliseconds=50))
    slack.fail_next(1000, status=500)
    assert dispatcher.run_once(max_wait=timedelta(milliseconds=300))["sent"] == 0
    (due,) = [r for r in store.pending_reminders() if r.kind == "due"]
    assert due.attempts >= 2
    row = store.db["reminders"].get(due.id)
    assert row["sent_at"] is None and "internal_error" in row["last_error"]


def test_a_reminder_for_an_agent_who_left_is_dropped_not_retried_forever(store, slack, caplog):
    track(store, refund_due(datetime.now(UTC) - timedelta(minutes=1)))
    dispatcher = dispatcher_for(store, slack, backoff_base=timedelta(milliseconds=50))
    slack.fail_method("conversations.open", "account_inactive")
    outcome = dispatcher.run_once(max_wait=timedelta(milliseconds=300))
    assert (outcome["undeliverable"], outcome["retry"], outcome["sent"]) == (1, 0, 0)
    assert not [r for r in store.pending_reminders() if r.kind == "due"]
    (row,) = [r for r in store.db["reminders"].rows if r["kind"] == "due"]
    assert "account_inactive" in row["last_error"] and row["dm_ts"] is None
    assert "cannot be delivered" in caplog.text
    (promise,) = store.db["promises"].rows
    assert promise["status"] == "open"  # the promise itself is still owed


def test_one_broken_reminder_does_not_hold_up_the_others(store, slack):
    due = datetime.now(UTC) - timedelta(minutes=1)
    track(store, refund_due(due))
    track(store, refund_due(due), user=AGENT_TOKYO)

    def zone_of(client: WebClient, team_id: str, user_id: str) -> str:
        if user_id == AGENT:
            raise RuntimeError("a bug in one agent's lookup")
        return "Asia/Tokyo"

    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    dispatcher = Dispatcher(store, client, zone_of, backoff_base=timedelta(hours=1))
    outcome = dispatcher.run_once(max_wait=timedelta(0))
    assert (outcome["sent"], outcome["retry"]) == (1, 1)
    assert [dm["channel"] for dm in dms(slack)] == ["D0TOKYO"]
    (kept,) = [r for r in store.pending_reminders(user_id=AGENT) if r.kind == "due"]
    assert "a bug in one agent's lookup" in store.db["reminders"].get(kept.id)["last_error"]


def test_the_serve_thread_sends_due_reminders_until_stopped(store, slack):
    dispatcher = dispatcher_for(store, slack, poll_interval=0.05).start()
    try:
        track(store, refund_due(datetime.now(UTC)))
        slack.wait_for(lambda: dms(slack))
    finally:
        dispatcher.stop()
    assert dms(slack)[0]["text"].startswith("You promised Dana a refund by")
    track(store, refund_due(datetime.now(UTC)))
    time.sleep(0.3)  # six polls' worth: a stopped dispatcher sends nothing more
    assert len(dms(slack)) == 1


# --- several dispatcher processes on one file -------------------------------------------

WORKER = """
import sys
from datetime import timedelta
from slack_sdk import WebClient
from slackapp.reminders import Dispatcher, Pacer, QuietHours, promise_message, snooze_until
from slackapp.store import Store

path, api_url, token, rate, lease = sys.argv[1:6]
pacer = Pacer(per_channel=float(rate), per_workspace=float(rate), workspace_burst=1)
client = WebClient(token=token, base_url=api_url)
dispatcher = Dispatcher(
    Store(path), client, lambda *_: "America/New_York",
    pacer=pacer, lease=timedelta(seconds=float(lease)), batch=5,
)
dispatcher.run_once()
"""
NUMBERED = re.compile(r"refund number (\d+)\.")


def fill_outbox(store: Store, count: int) -> None:
    past = datetime.now(UTC) - timedelta(minutes=1)
    for agent in range(10):
        promises = [
            refund_due(past, f"I'll send refund number {n}.") for n in range(agent, count, 10)
        ]
        track(store, *promises, user=f"U{agent:02d}")


def spawn_worker(store: Store, slack: FakeSlack, rate: float, lease: float) -> subprocess.Popen:
    argv = [sys.executable, "-c", WORKER, str(store.path), slack.api_url, slack.bot_token]
    return subprocess.Popen([*argv, str(rate), str(lease)], cwd=REPO)


def deliveries(slack: FakeSlack) -> Counter[int]:
    """Reminders per DM Slack accepted (a killed worker may leave a call with no body)."""
    posted = [json.dumps(message.get("blocks")) for message in slack.messages.values()]
    return Counter(int(number) for blocks in posted for number in NUMBERED.findall(blocks))


def test_two_dispatchers_racing_on_one_file_send_each_reminder_once(store, slack):
    fill_outbox(store, 100)
    workers = [spawn_worker(store, slack, rate=500, lease=60) for _ in range(2)]
    assert [worker.wait(timeout=60) for worker in workers] == [0, 0]
    assert deliveries(slack) == Counter(range(100))


def test_killing_dispatchers_mid_dispatch_loses_no_reminder(store, slack):
    fill_outbox(store, 250)
    pick = random.Random(20261130)
    for _ in range(20):
        before = len(dms(slack))
        worker = spawn_worker(store, slack, rate=100, lease=1)  # short: a crash costs 1 s
        slack.wait_for(lambda before=before: len(dms(slack)) > before, timeout=10)
        time.sleep(pick.uniform(0, 0.15))
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(timeout=10) == -signal.SIGKILL
    time.sleep(1.1)  # the killed workers' leases run out
    assert spawn_worker(store, slack, rate=500, lease=1).wait(timeout=60) == 0
    sent = deliveries(slack)
    assert set(sent) == set(range(250))
    assert sum(sent.values()) - 250 <= 20  # at most the one DM in flight per kill


# --- the command line ------------------------------------------------------------------


@pytest.fixture
def env(monkeypatch, store, slack) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", slack.bot_token)
    monkeypatch.setenv("SLACK_API_URL", slack.api_url)
    monkeypatch.setenv("DATABASE_PATH", str(store.path))
    monkeypatch.chdir(store.path.parent)  # no stray .env


def test_remind_once_sends_what_is_due_at_the_given_time(env, store, slack, capsys):
    track(store, refund_due(MONDAY_10AM.replace(hour=17)))
    assert main(["remind", "--once", "--now", "2026-11-30T21:59:00+00:00"]) == 0
    assert capsys.readouterr().out == "reminders: 0 sent, 0 postponed, 0 retry\n"
    assert main(["remind", "--once", "--now", "2026-11-30T22:00:00"]) == 0  # naive: UTC
    assert capsys.readouterr().out == "reminders: 1 sent, 0 postponed, 0 retry\n"
    assert [dm["text"] for dm in dms(slack)] == ["You promised Dana a refund by 5:00 pm today"]


def test_promises_lists_for_operators_with_filters(env, store, capsys):
    past, future = datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC) + timedelta(hours=1)
    late, _ = track(store, refund_due(past), refund_due(future, "I'll call you back"))
    track(store, refund_due(future), user=AGENT_TOKYO)
    assert main(["promises", "--status", "overdue", "--json"]) == 0
    (only,) = json.loads(capsys.readouterr().out)
    assert (only["id"], only["user_id"], only["status"]) == (late, AGENT, "open")
    assert main(["promises", "--user", AGENT]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "overdue" in lines[0] and "I'll call you back" in lines[1]
    assert main(["promises", "--team", "T0ELSE"]) == 0
    assert capsys.readouterr().out == ""


# --- what the agent reads ---------------------------------------------------------------


def test_snooze_choices_land_in_the_agents_own_working_morning():
    friday_evening = datetime(2026, 12, 4, 17, 30, tzinfo=NEW_YORK)
    quiet = QuietHours()
    assert snooze_until("1h", friday_evening, NEW_YORK, quiet) == friday_evening.replace(hour=18)
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=NEW_YORK)
    assert snooze_until("tomorrow", friday_evening, NEW_YORK, quiet) == monday
    picked = snooze_until("2026-12-09", friday_evening, TOKYO, quiet)
    assert picked == datetime(2026, 12, 9, 9, 0, tzinfo=TOKYO)


def test_a_long_promise_still_fits_slacks_block_limits(store):
    (promise_id,) = track(store, refund_due(MONDAY_10AM, "I'll refund you. " * 400))
    promise = store.get_promise(promise_id, team_id=TEAM, user_id=AGENT)
    text, blocks = promise_message(promise, now=MONDAY_10AM, zone=NEW_YORK, late=False)
    section = blocks[0].to_dict()["text"]["text"]  # to_dict() checks Slack's limits
    assert len(section) < 3000 and section.count("…") == 1
    assert text == "You promised Dana a refund by 10:00 am today"


def test_oauth_installs_dm_with_each_workspaces_installed_bot_token(env, store, slack, monkeypatch):
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    monkeypatch.setenv("SLACK_CLIENT_ID", "111.222")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "client-secret")
    installations = SQLite3InstallationStore(database=str(store.path), client_id="111.222")
    bot = {"bot_token": slack.bot_token, "bot_id": slack.bot_id, "bot_user_id": slack.bot_user_id}
    installations.save(Installation(app_id="A0APP", user_id=AGENT, team_id=TEAM, **bot))
    due = datetime.now(UTC) - timedelta(minutes=1)
    track(store, refund_due(due))
    store.track_promises(
        team_id="T0GONE",
        user_id="U0GONE",
        channel_id="C1",
        permalink=None,
        promises=[refund_due(due)],
    )
    outcome = Dispatcher.for_app(Settings.load(), store).run_once(max_wait=timedelta(0))
    assert (outcome["sent"], outcome["retry"]) == (1, 1)
    assert [dm["channel"] for dm in dms(slack)] == ["D0AGENT"]
    (waiting,) = [r for r in store.pending_reminders(team_id="T0GONE") if r.kind == "due"]
    assert "no bot token installed" in store.db["reminders"].get(waiting.id)["last_error"]
