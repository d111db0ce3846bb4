"""The Slack stand-in answers like Slack: spec-checked arguments, both encodings, failures."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlencode

from slackapp.sandbox.slack_api import FakeSlack


def call(slack: FakeSlack, method: str, body: bytes, content_type: str, token: str | None):
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(slack.api_url + method, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), dict(error.headers)


def form(slack: FakeSlack, method: str, token: str | None = None, **args: str):
    return call(
        slack,
        method,
        urlencode(args).encode(),
        "application/x-www-form-urlencoded",
        token or slack.bot_token,
    )


def test_json_and_form_bodies_are_both_understood(slack: FakeSlack) -> None:
    status, answer, _ = call(
        slack,
        "chat.postMessage",
        json.dumps({"channel": "C1", "text": "hi"}).encode(),
        "application/json; charset=utf-8",
        slack.bot_token,
    )
    assert status == 200 and answer["ok"] and answer["channel"] == "C1"
    _, opened, _ = form(slack, "conversations.open", users="U0AGENT")
    assert opened["ok"] and opened["channel"]["id"].startswith("D")
    assert [c.method for c in slack.calls] == ["chat.postMessage", "conversations.open"]


def test_required_arguments_come_from_slacks_method_reference(slack: FakeSlack) -> None:
    _, answer, _ = form(slack, "chat.update", channel="C1")  # ts is required
    assert answer == {
        "ok": False,
        "error": "invalid_arguments",
        "response_metadata": {"messages": ["missing required field: ts"]},
    }
    assert form(slack, "chat.explode", channel="C1")[1]["error"] == "unknown_method"
    assert form(slack, "auth.test", token="xoxb-unknown")[1]["error"] == "invalid_auth"
    assert call(slack, "auth.test", b"", "application/x-www-form-urlencoded", None)[1] == {
        "ok": False,
        "error": "invalid_arguments",
        "response_metadata": {"messages": ["missing required field: token"]},
    }


def test_user_tokens_edit_only_their_own_messages(slack: FakeSlack) -> None:
    theirs = slack.add_message("C1", "U0OTHER", "draft")
    _, answer, _ = form(
        slack,
        "chat.update",
        token="xoxp-agent-user-token",
        channel="C1",
        ts=theirs["ts"],
        text="edited",
    )
    assert answer["error"] == "cant_update_message"
    assert slack.messages[("C1", theirs["ts"])]["text"] == "draft"


def test_it_can_be_told_to_rate_limit_or_fail(slack: FakeSlack) -> None:
    slack.fail_next(1, status=429, retry_after=7)
    slack.fail_next(1, status=500)
    status, answer, headers = form(slack, "auth.test")
    assert (status, answer["error"], headers["Retry-After"]) == (429, "ratelimited", "7")
    assert form(slack, "auth.test")[0] == 500
    assert form(slack, "auth.test")[1]["ok"]
