"""The real app over real HTTP, against the in-memory Slack stand-in."""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from slackapp.app import build_app
from slackapp.config import Settings
from slackapp.listeners.flow import InlineExecutor
from slackapp.review import warm_up
from slackapp.sandbox.slack_api import FakeSlack
from slackapp.sandbox.workspace import signature  # checked against Slack's test vector
from slackapp.server import ReviewWorkers, http_server
from slackapp.store import Store

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO.parent / "shared" / "slack-specs"
SECRET = "test-signing-secret"
TEAM, AGENT, OTHER = "T0TEAM", "U0AGENT", "U0OTHER"
AGENT_TOKEN = "xoxp-agent-user-token"

for _proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_proxy, None)  # slack_sdk would send even loopback calls through a proxy


def specs_dir() -> Path | None:
    return SPECS if (SPECS / "web-api.methods").is_dir() else None


@dataclass
class Reply:
    status: int
    body: str
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


def post(
    url: str,
    body: str,
    *,
    secret: str | None = SECRET,
    timestamp: int | None = None,
    content_type: str = "application/x-www-form-urlencoded",
) -> Reply:
    """POST `body` signed exactly as Slack signs it (or unsigned with secret=None)."""
    headers = {"Content-Type": content_type}
    if secret is not None:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        headers |= {
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature(secret, ts, body),
        }
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Reply(response.status, response.read().decode(), time.perf_counter() - started)
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read().decode(), time.perf_counter() - started)


@dataclass
class Running:
    """The app serving on a loopback port, with its stand-in Slack and store."""

    url: str
    slack: FakeSlack
    store: Store
    workers: ReviewWorkers | None = None  # the review worker processes, as under `serve`

    def command(self, text: str, *, user: str = AGENT, response: str = "cmd", **kw: Any) -> Reply:
        form = {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "sandbox",
            "channel_id": "C0SUPPORT",
            "channel_name": "support",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/apology",
            "text": text,
            "response_url": self.slack.response_url(response),
            "trigger_id": "1.2.abc",
            "api_app_id": "A0APP",
        }
        return post(self.url, urlencode(form), **kw)

    def payload(self, payload: dict[str, Any], **kw: Any) -> Reply:
        return post(self.url, urlencode({"payload": json.dumps(payload)}), **kw)

    def last_response(self, name: str = "cmd") -> dict[str, Any]:
        bodies = [body for key, body in self.slack.responses if key == name]
        assert bodies, f"nothing was posted to response_url {name!r}"
        return bodies[-1]


def settings_for(slack: FakeSlack, tmp_path: Path, **extra: str) -> Settings:
    env = {
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_PATH": str(tmp_path / "app.db"),
        "PORT": "0",
        **extra,
    }
    return Settings.load(env, dotenv_path=None)


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(specs_dir()) as fake:
        fake.add_user(AGENT, tz="America/New_York", token=AGENT_TOKEN)
        fake.add_user(OTHER, tz="Europe/London")
        yield fake


def run_app(
    slack: FakeSlack, tmp_path: Path, *, workers: bool = False, **extra: str
) -> Iterator[Running]:
    """The app on a loopback port; with `workers`, the work after each ack runs in review
    worker processes as under `slackapp serve` (else inline, before the HTTP answer)."""
    settings = settings_for(slack, tmp_path, **extra)
    store = Store.from_settings(settings)
    warm_up(settings.engine_config())  # as the workers do: a timed ack never pays for it
    # Inline, the work after each ack runs before the HTTP answer, so a test sees its
    # effects as soon as its request returns (test_workers covers the real split).
    app = build_app(settings, store, listener_executor=None if workers else InlineExecutor())
    review_workers = ReviewWorkers(settings) if workers else None
    if review_workers:
        app.middleware(review_workers.take)
        review_workers.start()
    server = http_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/slack/events"
        yield Running(url, slack, store, review_workers)
    finally:
        server.shutdown()
        server.server_close()
        if review_workers:
            review_workers.shutdown()
        store.close()


@pytest.fixture
def running(slack: FakeSlack, tmp_path: Path) -> Iterator[Running]:
    yield from run_app(slack, tmp_path, SLACK_USER_TOKEN=AGENT_TOKEN)


DRAFT = (
    "Sorry for the inconvenience. Due to a system error your order was late. I will refund "
    "the shipping fee by Friday and I will call you tomorrow at 3pm. This will never happen again."
)


def controls(blocks: list[dict[str, Any]]) -> list[tuple[str | None, dict[str, Any]]]:
    """(block_id, element) for every interactive element, in display order."""
    found = []
    for block in blocks:
        for element in [block.get("accessory"), block.get("element"), *block.get("elements", [])]:
            if isinstance(element, dict) and "action_id" in element:
                found.append((block.get("block_id"), element))
    return found


def control(blocks: list[dict[str, Any]], action_id: str) -> tuple[str | None, dict[str, Any]]:
    matches = [c for c in controls(blocks) if c[1]["action_id"] == action_id]
    assert matches, f"no {action_id!r} control in the blocks"
    return matches[0]


def envelope(kind: str, user: str = AGENT) -> dict[str, Any]:
    """The fields Slack puts on every interactivity payload."""
    return {
        "type": kind,
        "team": {"id": TEAM, "domain": "sandbox"},
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": "A0APP",
        "token": "legacy",
        "trigger_id": "1.2.abc",
    }


def block_action(
    block_id: str | None,
    element: dict[str, Any],
    *,
    user: str = AGENT,
    view: dict[str, Any] | None = None,
    response: str = "cmd",
    slack: FakeSlack,
    values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A block_actions payload as Slack sends it for a click on an ephemeral message
    (no `message`, only `container.is_ephemeral`) or, with `view`, inside a modal."""
    action = {
        "type": element["type"],
        "action_id": element["action_id"],
        "block_id": block_id,
        "action_ts": f"{time.time():.6f}",
    }
    if "value" in element:
        action["value"] = element["value"]
    payload = envelope("block_actions", user) | {
        "actions": [action],
        "state": {"values": values or {}},
    }
    if view is not None:
        payload |= {
            "container": {"type": "view", "view_id": view["id"]},
            "view": {**view, "state": {"values": values or {}}},
        }
    else:
        payload |= {
            "container": {
                "type": "message",
                "is_ephemeral": True,
                "channel_id": "C0SUPPORT",
                "message_ts": "1.000001",
            },
            "channel": {"id": "C0SUPPORT", "name": "support"},
            "response_url": slack.response_url(response),
        }
    return payload


def click(running: Running, payload: dict[str, Any]) -> Reply:
    """Send an interaction and check Slack would count it as acknowledged."""
    reply = running.payload(payload)
    assert reply.status == 200 and reply.seconds < 2.0, reply
    return reply


def ticked(options: list[dict[str, Any]]) -> dict[str, Any]:
    return {"promises": {"track_choice": {"type": "checkboxes", "selected_options": options}}}
