"""The "Review apology" message shortcut: a modal with the same review and controls; the
agent's own message can be replaced with the rewrite, nobody else's."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.views import View

from slackapp import blocks
from slackapp.listeners import flow

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
    controls,
    envelope,
    run_app,
    ticked,
)


def shortcut(running: Running, author: str, *, user: str = AGENT, text: str = DRAFT) -> dict:
    message = running.slack.add_message("C0SUPPORT", author, text)
    payload = {
        "type": "message_action",
        "callback_id": "review_apology",
        "trigger_id": "1.2.abc",
        "team": {"id": TEAM, "domain": "sandbox"},
        "user": {"id": user, "team_id": TEAM},
        "channel": {"id": "C0SUPPORT", "name": "support"},
        "message_ts": message["ts"],
        "message": message,
        "response_url": running.slack.response_url("shortcut"),
        "api_app_id": "A0APP",
        "token": "legacy",
    }
    reply = running.payload(payload)
    assert reply.status == 200 and reply.seconds < 2.0
    return message


def opened_view(running: Running) -> dict[str, Any]:
    call = running.slack.calls_to("views.open")[-1]
    view = running.slack.views[max(running.slack.views)]
    assert_modal_valid(view)
    assert call.args["trigger_id"] == "1.2.abc"
    return view


def assert_modal_valid(view: dict[str, Any]) -> None:
    fields = {k: v for k, v in view.items() if k not in ("id", "team_id", "hash", "bot_id")}
    View(**fields).to_dict()  # parses, and checks title/submit lengths and block limits
    assert len(view["blocks"]) <= blocks.MAX_BLOCKS["modal"]
    assert len(view["title"]["text"]) <= 24
    assert len(view.get("private_metadata", "")) <= blocks.METADATA_LIMIT


def action_ids(view: dict[str, Any]) -> list[str]:
    return [element["action_id"] for _, element in controls(view["blocks"])]


def test_own_message_can_be_replaced_with_the_rewrite(running: Running) -> None:
    message = shortcut(running, AGENT)
    view = opened_view(running)
    block_id, replace = control(view["blocks"], "replace_draft")
    assert replace["confirm"]  # a replaced message can't be un-replaced: ask first
    click(running, block_action(block_id, replace, view=view, slack=running.slack))
    update = running.slack.calls_to("chat.update")[-1]
    assert update.token == AGENT_TOKEN  # the agent's own token, never the bot's
    edited = running.slack.messages[("C0SUPPORT", message["ts"])]["text"]
    assert edited == update.args["text"] and edited != DRAFT
    redrawn = running.slack.views[view["id"]]
    assert_modal_valid(redrawn)
    assert "your message now shows the rewrite" in json.dumps(redrawn["blocks"])
    assert "replace_draft" not in action_ids(redrawn)


def test_someone_elses_message_is_never_edited(running: Running) -> None:
    shortcut(running, OTHER)
    view = opened_view(running)
    assert "replace_draft" not in action_ids(view)
    assert "someone else's message" in json.dumps(view["blocks"])
    assert "```" in json.dumps(view["blocks"])  # the rewrite, to copy
    # Even a crafted click on a stale control edits nothing.
    _, severity = control(view["blocks"], "severity_minor")
    forged = {"type": "button", "action_id": "replace_draft", "value": severity["value"]}
    click(running, block_action("replace", forged, view=view, slack=running.slack))
    assert not running.slack.calls_to("chat.update")


def test_without_a_user_token_the_rewrite_is_offered_to_copy(slack, tmp_path) -> None:
    for running in run_app(slack, tmp_path):
        shortcut(running, AGENT)
        view = opened_view(running)
        assert "replace_draft" not in action_ids(view)
        assert "reinstall the app" in json.dumps(view["blocks"])


def test_modal_controls_update_the_view(running: Running) -> None:
    shortcut(running, OTHER)
    view = opened_view(running)
    block_id, serious = control(view["blocks"], "severity_serious")
    click(running, block_action(block_id, serious, view=view, slack=running.slack))
    update = running.slack.calls_to("views.update")[-1]
    assert update.args["view_id"] == view["id"] and update.args["hash"] == view["hash"]
    redrawn = running.slack.views[view["id"]]
    assert_modal_valid(redrawn)
    assert control(redrawn["blocks"], "severity_serious")[1]["style"] == "primary"

    block_id, dismiss = control(redrawn["blocks"], "dismiss_finding")
    click(running, block_action(block_id, dismiss, view=redrawn, slack=running.slack))
    assert block_id not in [b.get("block_id") for b in running.slack.views[view["id"]]["blocks"]]
    assert sum(running.store.dismissal_counts(TEAM).values()) == 1


def test_submitting_the_modal_tracks_promises_with_a_link(running: Running) -> None:
    shortcut(running, AGENT)
    view = opened_view(running)
    _, boxes = control(view["blocks"], "track_choice")
    assert boxes["initial_options"] == boxes["options"]
    submission = envelope("view_submission") | {
        "view": {**view, "state": {"values": ticked(boxes["options"])}},
    }
    reply = running.payload(submission)
    assert reply.status == 200
    answer = reply.json()
    assert answer["response_action"] == "update"
    assert_modal_valid({**answer["view"], "id": view["id"]})
    tracked = running.store.open_promises(TEAM, AGENT)
    assert sorted(p.kind for p in tracked) == ["callback", "refund"]
    assert all(p.permalink and "C0SUPPORT" in p.permalink for p in tracked)


def test_agent_gets_a_short_line_when_slack_refuses(running: Running) -> None:
    running.slack.fail_method("views.open", "expired_trigger_id")
    shortcut(running, AGENT)  # acked fine; the modal then fails
    line = running.last_response("shortcut")["text"]
    assert line.startswith("Slack answered `expired_trigger_id`, so this didn't go through.")
    assert "sorry" not in line.lower() and "apolog" not in line.lower()
    assert "Traceback" not in line and "xox" not in line


def test_the_modal_opens_at_once_and_the_review_fills_it(running: Running) -> None:
    shortcut(running, AGENT)
    methods = [call.method for call in running.slack.calls]
    assert methods.index("views.open") < methods.index("users.info") < methods.index("views.update")
    (opening,) = running.slack.calls_to("views.open")
    assert "Reading your draft" in json.dumps(opening.args["view"])
    (update,) = running.slack.calls_to("views.update")
    opened = opened_view(running)
    assert update.args["view_id"] == opened["id"]
    assert any(action.startswith("severity") for action in action_ids(opened))


def test_a_review_that_fails_says_so_in_the_open_modal(running: Running, monkeypatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("engine bug")

    monkeypatch.setattr(flow, "review_of", broken)
    shortcut(running, AGENT)
    view = running.slack.views[max(running.slack.views)]
    shown = json.dumps(view["blocks"])
    assert "Something failed on our side" in shown and "engine bug" not in shown
    assert not [key for key, _ in running.slack.responses if key == "shortcut"]


def test_closing_the_modal_before_the_review_is_ready_is_not_an_error(running: Running) -> None:
    running.slack.fail_method("views.update", "not_found")
    shortcut(running, AGENT)
    assert not [key for key, _ in running.slack.responses if key == "shortcut"]
