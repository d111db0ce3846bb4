"""Message shortcut "Review apology": review any message in a modal; offer to replace the
agent's own message with the rewrite when we can act as them."""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from slackapp.listeners import flow

CALLBACK_ID = "review_apology"
NOT_YOURS = "This is someone else's message, so I only suggest a rewrite for you to copy."
NO_USER_TOKEN = (
    "To replace your message in place, reinstall the app and allow it to edit your "
    "messages. Meanwhile, copy the rewrite."
)


def register(app: App) -> None:
    app.message_shortcut(CALLBACK_ID)(flow.after_ack(review_message))


@flow.reported
def review_message(shortcut: dict, client: WebClient, context: BoltContext) -> None:
    svc = flow.services(context)
    team_id, user_id = shortcut["team"]["id"], shortcut["user"]["id"]
    message = shortcut.get("message") or {}
    text = message.get("text") or ""
    own = message.get("user") == user_id
    # Only a message reviewed whole can be replaced by its rewrite.
    whole = len(text) <= flow.REVIEW_LIMIT
    replaceable = own and whole and svc.user_token(context, client, user_id) is not None
    zone = svc.agent_zone(client, team_id, user_id)
    state = flow.start_state(
        svc,
        team_id=team_id,
        user_id=user_id,
        text=text,
        tz=zone,
        channel=shortcut["channel"]["id"],
        ts=message.get("ts"),
        replaceable=replaceable,
    )
    review = flow.review_of(svc, text, state)
    svc.store.log_review(team_id=team_id, user_id=user_id, review=review, draft=text)
    note = _why_no_replace(own=own, whole=whole) if not replaceable else None
    view = flow.rendered(
        svc, review, state, draft=text, team_id=team_id, surface="modal", note=note
    )
    client.views_open(trigger_id=shortcut["trigger_id"], view=view)


def _why_no_replace(*, own: bool, whole: bool) -> str | None:
    if not own:
        return NOT_YOURS
    return NO_USER_TOKEN if whole else None  # a cut-short review says so itself
