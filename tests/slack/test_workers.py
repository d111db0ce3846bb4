"""The work after each ack in review worker processes, as `slackapp serve` runs it: the
agent sees the same review, controls and modal, and a worker that dies is replaced."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from slackapp.sandbox.slack_api import FakeSlack

from .conftest import AGENT_TOKEN, DRAFT, OTHER, Running, block_action, click, control, run_app
from .test_shortcut import opened_view, shortcut


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


def test_a_worker_that_dies_is_replaced(split: Running) -> None:
    assert split.executor is not None
    with pytest.raises(BrokenProcessPool):
        split.executor.submit(os._exit, 1).result(timeout=10)
    assert split.command(DRAFT).status == 200
    assert "Score" in answer(split, "cmd", 1)["blocks"][0]["text"]["text"]
