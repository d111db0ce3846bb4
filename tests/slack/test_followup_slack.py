"""Follow-through in Slack: the real Bolt app over signed HTTP acting on reminder DMs and the
App Home tab, against the Slack stand-in (fixtures and helpers from conftest.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import tracking

from slackapp.reminders import Dispatcher
from slackapp.review.model import Promise
from slackapp.store import TrackedPromise

from .conftest import AGENT, OTHER, TEAM, Reply, Running, envelope, post, settings_for

NEW_YORK = ZoneInfo("America/New_York")
LINK = "https://sandbox.slack.com/archives/C0SUPPORT/p1764514800000100"


@pytest.fixture
def dispatcher(running: Running, tmp_path) -> Dispatcher:
    return Dispatcher.for_app(settings_for(running.slack, tmp_path), running.store)


def track(running: Running, *dues: datetime | None, user: str = AGENT) -> list[int]:
    promises = [
        Promise("refund", f"I'll refund the shipping fee ({n})", 0, 30, due)
        for n, due in enumerate(dues)
    ]
    return tracking.track(running.store, *promises, team=TEAM, user=user, link=LINK)


def promise(running: Running, promise_id: int) -> TrackedPromise:
    found = running.store.get_promise(promise_id, team_id=TEAM, user_id=AGENT)
    assert found is not None
    return found


def click(
    running: Running, action: dict[str, Any], *, user: str = AGENT, where: tuple | None = None
) -> Reply:
    """A signed block_actions request: on the DM at `where` (channel, ts), else on Home."""
    payload = envelope("block_actions", user) | {
        "actions": [{"action_ts": f"{datetime.now(UTC).timestamp():.6f}", **action}],
    }
    if where:
        channel, ts = where
        payload |= {
            "container": {"type": "message", "channel_id": channel, "message_ts": ts},
            "channel": {"id": channel},
            "message": {"ts": ts, "text": "reminder"},
        }
    else:
        payload |= {
            "container": {"type": "view", "view_id": f"H{user}"},
            "view": {"id": f"H{user}", "type": "home"},
        }
    reply = running.payload(payload)
    assert reply.status == 200, reply.body
    return reply


def done_button(promise_id: int) -> dict[str, Any]:
    return {
        "action_id": "promise_done",
        "block_id": f"promise:{promise_id}",
        "type": "button",
        "value": str(promise_id),
    }


def sent_dm(running: Running, dispatcher: Dispatcher, promise_id: int) -> tuple[str, str]:
    dispatcher.run_once()
    where = running.store.latest_dm(promise_id, team_id=TEAM, user_id=AGENT)
    assert where is not None, "no DM was sent"
    return where


def last_update(running: Running) -> str:
    (*_, update) = running.slack.calls_to("chat.update")
    return update.args["text"] + json.dumps(update.args["blocks"], ensure_ascii=False)


def home_blocks(running: Running) -> str:
    (*_, publish) = running.slack.calls_to("views.publish")
    assert publish.args["user_id"] == AGENT
    return json.dumps(publish.args["view"]["blocks"], ensure_ascii=False)


def test_mark_done_on_the_dm_closes_the_promise_and_updates_the_dm_in_place(running, dispatcher):
    (promise_id,) = track(running, datetime.now(UTC) - timedelta(minutes=1))
    where = sent_dm(running, dispatcher, promise_id)
    click(running, done_button(promise_id), where=where)
    assert promise(running, promise_id).status == "done"
    (update,) = running.slack.calls_to("chat.update")
    assert (update.args["channel"], update.args["ts"]) == where
    assert "Marked done" in last_update(running)
    assert '"type": "actions"' not in json.dumps(update.args["blocks"])  # buttons are gone
    assert running.store.pending_reminders(user_id=AGENT)[0].kind == "checkin"


def test_snoozing_from_the_dm_reschedules_and_says_until_when(running, dispatcher):
    (promise_id,) = track(running, datetime.now(UTC) - timedelta(minutes=1))
    where = sent_dm(running, dispatcher, promise_id)
    snooze_an_hour = {
        "action_id": "promise_snooze",
        "block_id": f"promise:{promise_id}",
        "type": "static_select",
        "selected_option": {"value": f"{promise_id}:1h", "text": {"type": "plain_text"}},
    }
    click(running, snooze_an_hour, where=where)
    (again,) = [r for r in running.store.pending_reminders() if r.promise_id == promise_id]
    assert abs(again.send_at - (datetime.now(UTC) + timedelta(hours=1))) < timedelta(seconds=30)
    assert "Snoozed until" in last_update(running)
    assert promise(running, promise_id).snooze_count == 1


def test_the_date_picker_snoozes_to_that_mornings_start_in_the_agents_zone(running, dispatcher):
    (promise_id,) = track(running, datetime.now(UTC) - timedelta(minutes=1))
    where = sent_dm(running, dispatcher, promise_id)
    day = (datetime.now(NEW_YORK) + timedelta(days=3)).date()
    pick = {
        "action_id": "promise_snooze_date",
        "block_id": f"promise:{promise_id}",
        "type": "datepicker",
        "selected_date": day.isoformat(),
    }
    click(running, pick, where=where)
    (again,) = [r for r in running.store.pending_reminders() if r.promise_id == promise_id]
    assert again.send_at == datetime(day.year, day.month, day.day, 9, 0, tzinfo=NEW_YORK)


def test_cancel_stops_the_reminders(running, dispatcher):
    (promise_id,) = track(running, datetime.now(UTC) + timedelta(hours=3))
    cancel = {**done_button(promise_id), "action_id": "promise_cancel"}
    click(running, cancel)  # from the Home tab
    assert promise(running, promise_id).status == "cancelled"
    assert [r.kind for r in running.store.pending_reminders()] == ["checkin"]
    assert "Nothing open" in home_blocks(running)


def test_another_agent_cannot_act_on_my_promise(running, dispatcher):
    (promise_id,) = track(running, datetime.now(UTC) - timedelta(minutes=1))
    where = sent_dm(running, dispatcher, promise_id)
    click(running, done_button(promise_id), user=OTHER, where=where)
    assert promise(running, promise_id).status == "open"
    assert running.slack.calls_to("chat.update") == []


def test_app_home_lists_open_promises_overdue_first_with_done_this_week_and_the_rate(
    running, dispatcher
):
    now = datetime.now(UTC)
    *_, kept = track(
        running, now + timedelta(days=2), now - timedelta(hours=1), None, now + timedelta(days=1)
    )
    running.store.complete(kept, team_id=TEAM, user_id=AGENT)
    track(running, now - timedelta(hours=5), user=OTHER)  # someone else's: never shown
    event = {
        "token": "legacy",
        "team_id": TEAM,
        "api_app_id": "A0APP",
        "type": "event_callback",
        "event_id": "Ev0HOME",
        "event_time": int(now.timestamp()),
        "event": {"type": "app_home_opened", "user": AGENT, "channel": "D0AGENT", "tab": "home"},
    }
    reply = post(running.url, json.dumps(event), content_type="application/json")
    assert reply.status == 200
    home = home_blocks(running)
    order = [home.index(f"shipping fee ({n})") for n in (1, 0, 2)]
    assert order == sorted(order)  # overdue, then by deadline, undated last
    assert ":warning: Overdue" in home
    assert "Done this week" in home and "shipping fee (3)" in home and "on time" in home
    assert "50% of promises kept on time" in home  # one kept, one overdue


def test_mark_done_on_home_redraws_home_and_the_reminder_dm(running, dispatcher):
    (promise_id,) = track(running, datetime.now(UTC) - timedelta(minutes=1))
    where = sent_dm(running, dispatcher, promise_id)
    click(running, done_button(promise_id))
    assert promise(running, promise_id).status == "done"
    assert "Nothing open" in home_blocks(running)
    (update,) = running.slack.calls_to("chat.update")
    assert (update.args["channel"], update.args["ts"]) == where
    assert "Marked done" in last_update(running)


def test_the_checkin_dm_can_be_marked_as_sent(running, dispatcher):
    reminder_id = running.store.schedule_checkin(
        team_id=TEAM, user_id=AGENT, permalink=LINK, customer="Dana"
    )
    today = datetime.now(NEW_YORK).date()
    tuesday = today + timedelta(days=7 + (1 - today.weekday()) % 7)  # past the 3 business days
    dispatcher.clock = lambda: datetime.combine(tuesday, time(10), tzinfo=NEW_YORK)
    dispatcher.run_once()
    (dm,) = running.slack.calls_to("chat.postMessage")
    assert "is everything in order now?" in json.dumps(dm.args["blocks"])
    row = running.store.db["reminders"].get(reminder_id)
    button = {"action_id": "checkin_done", "block_id": f"checkin:{reminder_id}", "type": "button"}
    click(running, {**button, "value": "done"}, where=(row["dm_channel"], row["dm_ts"]))
    assert "Checked in" in last_update(running)
