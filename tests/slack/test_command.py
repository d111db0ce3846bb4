"""`/apology` over signed HTTP: the ephemeral review and its controls, redrawn in place."""

from __future__ import annotations

import re
from typing import Any

from slack_sdk import WebClient
from slack_sdk.models.blocks import Block

from slackapp import blocks
from slackapp.config import Settings
from slackapp.listeners import flow
from slackapp.store import Store

from .conftest import AGENT, DRAFT, TEAM, Running, block_action, click, control, controls, ticked


def review_of(running: Running, text: str = DRAFT) -> dict[str, Any]:
    reply = running.command(text)
    assert reply.status == 200 and reply.seconds < 2.0  # Slack waits 3 s for the ack
    return running.last_response()


def assert_slack_valid(message: dict[str, Any]) -> None:
    """What Slack would accept: a text fallback, ≤ 50 blocks, models that parse and hold
    their limits (to_dict() checks text lengths), button values ≤ 2,000."""
    assert message["text"].strip()
    assert len(message["blocks"]) <= blocks.MAX_BLOCKS["message"]
    for block in Block.parse_all(message["blocks"]):
        block.to_dict()
    for _, element in controls(message["blocks"]):
        assert len(element.get("value", "")) <= blocks.VALUE_LIMIT


def score_of(message: dict[str, Any]) -> int:
    return int(re.search(r"Score (\d+)/100", texts(message)).group(1))


def texts(message: dict[str, Any]) -> str:
    """Every text the agent reads (not the state hidden in button values)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for key, value in node.items():
                if key != "value":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message["blocks"])
    return "\n".join(found)


def test_review_answers_only_the_agent_with_every_part(running: Running) -> None:
    message = review_of(running)
    assert_slack_valid(message)
    assert message["response_type"] == "ephemeral"
    shown = texts(message)
    assert "Score" in message["blocks"][0]["text"]["text"]
    for label in blocks.PART_LABELS.values():
        assert label in shown
    assert "> Sorry for the inconvenience" in shown  # the quoted phrase, why and a fix
    assert "*Try:*" in shown
    assert "```" in shown  # the rewrite, ready to copy
    assert [
        e["action_id"] for _, e in controls(message["blocks"]) if "severity" in e["action_id"]
    ] == ["severity_minor", "severity_moderate", "severity_serious"]
    _, boxes = control(message["blocks"], "track_choice")
    assert boxes["initial_options"] == boxes["options"]  # every promise ticked by default
    assert any("refund" in o["text"]["text"] for o in boxes["options"])
    assert all(o["description"]["text"].startswith("due ") for o in boxes["options"])


def test_help_when_empty_or_asked(running: Running) -> None:
    for text in ("", "  ", "help"):
        message = review_of(running, text)
        assert "/apology <your draft>" in message["text"]
    assert not running.slack.calls_to("users.info")


def test_severity_choice_rereviews_in_place(running: Running) -> None:
    message = review_of(running)
    estimated = next(
        e
        for _, e in controls(message["blocks"])
        if e.get("style") == "primary" and e["action_id"].startswith("severity_")
    )
    block_id, serious = control(message["blocks"], "severity_serious")
    assert estimated["action_id"] != "severity_serious"
    click(running, block_action(block_id, serious, slack=running.slack))
    redrawn = running.last_response()
    assert redrawn["replace_original"] is True
    assert_slack_valid(redrawn)
    _, chosen = control(redrawn["blocks"], "severity_serious")
    assert chosen.get("style") == "primary" and chosen["text"]["text"] == "✓ Serious"
    assert "you chose *serious*" in texts(redrawn)


def test_not_an_issue_drops_the_finding_and_is_counted(running: Running) -> None:
    message = review_of(running)
    block_id, dismiss = control(message["blocks"], "dismiss_finding")
    quoted = next(b for b in message["blocks"] if b.get("block_id") == block_id)["text"]["text"]
    click(running, block_action(block_id, dismiss, slack=running.slack))
    redrawn = running.last_response()
    assert_slack_valid(redrawn)
    assert block_id not in [b.get("block_id") for b in redrawn["blocks"]]
    assert quoted.splitlines()[0] not in texts(redrawn)
    assert score_of(redrawn) > score_of(message)  # the waved-through finding no longer costs
    assert running.store.dismissal_counts(TEAM) == {"inconvenience-boilerplate": 1}
    # The next review in this team says how often the rule was waved through.
    assert "not an issue 1×" in texts(review_of(running))


def test_track_persists_the_ticked_promises(running: Running) -> None:
    message = review_of(running)
    _, boxes = control(message["blocks"], "track_choice")
    block_id, confirm = control(message["blocks"], "track_promises")
    refund = [o for o in boxes["options"] if "refund" in o["text"]["text"]]
    click(running, block_action(block_id, confirm, slack=running.slack, values=ticked(refund)))
    tracked = running.store.open_promises(TEAM, AGENT)
    assert [(p.kind, p.channel_id) for p in tracked] == [("refund", "C0SUPPORT")]
    assert tracked[0].due is not None
    redrawn = running.last_response()
    assert "Tracking 1 promise" in texts(redrawn)
    assert not [c for c in controls(redrawn["blocks"]) if c[1]["action_id"] == "track_promises"]


def test_long_draft_is_reviewed_and_cut_visibly(running: Running) -> None:
    draft = (DRAFT + "\n") * (100_000 // (len(DRAFT) + 1))
    message = review_of(running, draft)
    assert_slack_valid(message)
    assert "I reviewed the first 12,000 of" in texts(message)
    assert "more not shown" in texts(message)
    # Too long for a button value: the state points at a server-side copy instead.
    _, serious = control(message["blocks"], "severity_serious")
    assert draft[:200] not in serious["value"]
    click(running, block_action("severity", serious, slack=running.slack))
    assert_slack_valid(running.last_response())
    assert "you chose *serious*" in texts(running.last_response())


def test_hostile_markup_cannot_ping_or_link(running: Running) -> None:
    draft = (
        "<!channel> <@U0OTHER> Sorry for the inconvenience <https://evil.example|your refund>"
        " ``` *bold* & \u202e\x00 🙈 "
    )
    message = review_of(running, draft)
    assert_slack_valid(message)
    shown = texts(message)
    assert "<!channel>" not in shown and "<@U0OTHER>" not in shown and "<https://" not in shown


def test_unreviewable_text_gets_a_plain_notice() -> None:
    from slackapp.review import review

    result = review("\u200b\u200b")
    assert result.notice  # the engine's plain-words verdict
    message = blocks.review_message(result, blocks.ReviewState(now=0, draft="\u200b\u200b"))
    assert result.notice in message["blocks"][0]["text"]["text"]


def test_web_api_rate_limits_and_server_errors_are_retried(running: Running) -> None:
    running.slack.fail_next(1, status=429, retry_after=1)
    running.slack.fail_next(1, status=500)
    assert running.command(DRAFT).status == 200  # users.info: 429, then 500, then ok
    assert_slack_valid(running.last_response())
    assert len(running.slack.calls_to("users.info")) == 3


def test_a_forgotten_long_draft_says_so_instead_of_failing(running: Running) -> None:
    gone = blocks.ReviewState(now=0, draft_id="purged-after-a-day").encode()
    button = {"type": "button", "action_id": "severity_minor", "value": gone}
    click(running, block_action("severity", button, slack=running.slack))
    assert "This review has expired" in running.last_response()["text"]


def test_unticking_every_promise_tracks_nothing(running: Running) -> None:
    message = review_of(running)
    block_id, confirm = control(message["blocks"], "track_promises")
    click(running, block_action(block_id, confirm, slack=running.slack, values=ticked([])))
    assert running.store.open_promises(TEAM, AGENT) == []
    assert "nothing is tracked" in texts(running.last_response())


def test_an_unreachable_slack_costs_the_time_zone_not_the_review(slack, tmp_path) -> None:
    from .conftest import run_app

    for running in run_app(slack, tmp_path):
        slack.fail_next(3, status=503)  # users.info: every attempt fails
        assert running.command(DRAFT).status == 200
        message = running.last_response()
        assert_slack_valid(message)
        assert "Score" in message["text"]


def test_a_draft_without_promises_offers_the_check_in(running: Running) -> None:
    message = review_of(running, "I'm sorry your order arrived three days late. That was my error.")
    block_id, remind = control(message["blocks"], "schedule_checkin")
    click(running, block_action(block_id, remind, slack=running.slack))
    pending = running.store.pending_reminders(team_id=TEAM, user_id=AGENT)
    assert [r.kind for r in pending] == ["checkin"]
    redrawn = running.last_response()
    assert "check in with the customer" in texts(redrawn)
    assert not [c for c in controls(redrawn["blocks"]) if c[1]["action_id"] == "schedule_checkin"]


def test_an_agents_zone_is_asked_again_after_a_while(slack, tmp_path, monkeypatch) -> None:
    store = Store(tmp_path / "zones.db")
    services = flow.Services(Settings(), store)
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    clock = [1000.0]
    monkeypatch.setattr(flow.time, "monotonic", lambda: clock[0])
    slack.add_user("U0TRAVEL", tz="America/New_York")
    assert services.agent_zone(client, slack.team_id, "U0TRAVEL") == "America/New_York"
    slack.add_user("U0TRAVEL", tz="Asia/Tokyo")  # the agent flew to Tokyo
    assert services.agent_zone(client, slack.team_id, "U0TRAVEL") == "America/New_York"
    assert len(slack.calls_to("users.info")) == 1  # cached
    clock[0] += flow.ZONE_TTL
    assert services.agent_zone(client, slack.team_id, "U0TRAVEL") == "Asia/Tokyo"
    slack.fail_next(3, status=503)
    clock[0] += flow.ZONE_TTL
    assert services.agent_zone(client, slack.team_id, "U0TRAVEL") == "Asia/Tokyo"  # last known
    store.close()

