"""Requests acked by the server and run in review worker processes, as `slackapp serve`
runs them: the agent sees the same review, controls and modal, and a worker that dies is
replaced, with the agent whose request it held told."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import BoltRequest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore

from slackapp.app import build_app
from slackapp.sandbox.slack_api import FakeSlack
from slackapp.server import ReviewWorkers
from slackapp.store import Store

from .conftest import (
    AGENT,
    AGENT_TOKEN,
    DRAFT,
    OTHER,
    TEAM,
    Running,
    block_action,
    click,
    control,
    envelope,
    run_app,
    settings_for,
)
from .test_shortcut import opened_view, shortcut, ticked


@pytest.fixture
def split(slack: FakeSlack, tmp_path: Path) -> Iterator[Running]:
    yield from run_app(slack, tmp_path, workers=True, SLACK_USER_TOKEN=AGENT_TOKEN)


def answer(running: Running, name: str, count: int) -> dict:
    """The `count`-th post to response_url `name`, once a worker has sent it."""
    slack = running.slack
    slack.wait_for(lambda: len([k for k, _ in slack.responses if k == name]) >= count, 10)
    return running.last_response(name)


def test_reviews_clicks_and_the_modal_come_from_the_workers(split: Running) -> None:
    reply = split.command(DRAFT)
    assert reply.status == 200 and reply.seconds < 2.0
    message = answer(split, "cmd", 1)
    assert "Score" in message["blocks"][0]["text"]["text"]

    block_id, serious = control(message["blocks"], "severity_serious")
    click(split, block_action(block_id, serious, slack=split.slack))
    assert "you chose *serious*" in json.dumps(answer(split, "cmd", 2)["blocks"])

    shortcut(split, OTHER)
    split.slack.wait_for(lambda: split.slack.calls_to("views.update"), 10)
    assert "Suggested rewrite" in json.dumps(opened_view(split)["blocks"])


def test_a_worker_that_dies_is_replaced_and_its_agent_told(split: Running) -> None:
    assert split.workers is not None
    first = split.workers.pids
    split.slack.fail_next(1, retry_after=5)  # the worker's first Web API call waits 5 s
    assert split.command(DRAFT).status == 200
    split.slack.wait_for(lambda: split.slack.calls, 10)
    for pid in first:
        os.kill(pid, signal.SIGKILL)
    told = answer(split, "cmd", 1)
    assert told["text"].startswith("Something failed on our side")
    assert "blocks" not in told  # no half-made review

    deadline = time.monotonic() + 60
    while set(split.workers.pids) & set(first) or None in split.workers.pids:
        assert time.monotonic() < deadline, "the dead workers were not replaced"
        time.sleep(0.1)
    assert split.command(DRAFT, response="again").status == 200
    assert "Score" in answer(split, "again", 1)["blocks"][0]["text"]["text"]


def test_the_modal_submit_is_answered_by_the_server_itself(split: Running) -> None:
    """Its ack carries the next modal, so it cannot wait for a worker."""
    shortcut(split, AGENT)
    split.slack.wait_for(lambda: split.slack.calls_to("views.update"), 10)
    view = opened_view(split)
    _, boxes = control(view["blocks"], "track_choice")
    submission = envelope("view_submission") | {
        "view": {**view, "state": {"values": ticked(boxes["options"])}},
    }
    reply = split.payload(submission)
    assert reply.status == 200 and reply.json()["response_action"] == "update"
    assert sorted(p.kind for p in split.store.open_promises(TEAM, AGENT)) == ["callback", "refund"]


class NoWorkHere(Executor):
    """The server's own executor, which forwarded requests must never reach."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future:
        raise AssertionError("the server ran a forwarded request's work itself")


def test_socket_mode_requests_reach_the_workers_too(slack: FakeSlack, tmp_path: Path) -> None:
    """Over Socket Mode a request is a JSON envelope's payload, with no signature."""
    settings = settings_for(slack, tmp_path, SLACK_APP_TOKEN="xapp-1-test")
    store = Store.from_settings(settings)
    app = build_app(settings, store, listener_executor=NoWorkHere())
    workers = ReviewWorkers(settings)
    app.middleware(workers.take)
    workers.start()
    try:
        command = {
            "team_id": TEAM,
            "channel_id": "C0SUPPORT",
            "user_id": AGENT,
            "command": "/apology",
            "text": DRAFT,
            "response_url": slack.response_url("socket"),
            "trigger_id": "1.2.abc",
            "api_app_id": "A0APP",
        }
        acked = app.dispatch(BoltRequest(body=command, mode="socket_mode"))
        assert acked.status == 200 and not acked.body
        slack.wait_for(lambda: slack.responses, 20)
        assert "Score" in slack.responses[-1][1]["blocks"][0]["text"]["text"]
    finally:
        workers.shutdown()
        store.close()


def test_workers_serve_each_installed_workspace_with_its_own_token(
    slack: FakeSlack, tmp_path: Path
) -> None:
    """With OAuth, a worker finds the workspace's install in the shared database file."""
    oauth = {"SLACK_BOT_TOKEN": "", "SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "shh"}
    for running in run_app(slack, tmp_path, workers=True, **oauth):
        SQLite3InstallationStore(database=str(tmp_path / "app.db"), client_id="111.222").save(
            Installation(
                app_id="A0APP",
                team_id=TEAM,
                user_id=AGENT,
                bot_token=slack.bot_token,
                bot_id=slack.bot_id,
                bot_user_id=slack.bot_user_id,
                bot_scopes=["commands", "chat:write"],
            )
        )
        assert running.command(DRAFT).status == 200
        assert "Score" in answer(running, "cmd", 1)["blocks"][0]["text"]["text"]
        assert {call.token for call in slack.calls} == {slack.bot_token}
