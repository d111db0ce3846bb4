"""`/apology <draft>`: review a draft and answer only the agent, in place."""

from __future__ import annotations

from slack_bolt import App, BoltContext, Respond
from slack_sdk import WebClient

from slackapp import blocks
from slackapp.listeners import flow

COMMAND = "/apology"
HELP_WORDS = ("", "help", "-h", "--help", "?")


def register(app: App) -> None:
    app.command(COMMAND)(flow.after_ack(apology))


@flow.reported
def apology(command: dict, respond: Respond, client: WebClient, context: BoltContext) -> None:
    text = (command.get("text") or "").strip()
    if text.lower() in HELP_WORDS:
        respond(response_type="ephemeral", **blocks.message(blocks.HELP))
        return
    svc = flow.services(context)
    team_id, user_id = command["team_id"], command["user_id"]
    zone = svc.agent_zone(client, team_id, user_id)
    state = flow.start_state(
        svc, team_id=team_id, user_id=user_id, text=text, tz=zone, channel=command.get("channel_id")
    )
    review = flow.review_of(svc, text, state)
    svc.store.log_review(team_id=team_id, user_id=user_id, review=review, draft=text)
    message = flow.rendered(svc, review, state, draft=text, team_id=team_id, surface="message")
    respond(response_type="ephemeral", **message)
