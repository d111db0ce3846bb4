"""Message shortcut "Review apology": review any message in a modal; offer to replace the
agent's own message with the rewrite when we can act as them."""

from __future__ import annotations

import logging

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from slackapp import blocks
from slackapp.listeners import flow

log = logging.getLogger(__name__)

CALLBACK_ID = "review_apology"
MODAL_TITLE = "Review apology"
READING = "Reading your draft…"
NOT_YOURS = "This is someone else's message, so I only suggest a rewrite for you to copy."
NO_USER_TOKEN = (
    "To replace your message in place, reinstall the app and allow it to edit your "
    "messages. Meanwhile, copy the rewrite."
)


def register(app: App) -> None:
    app.message_shortcut(CALLBACK_ID)(flow.after_ack(review_message))


@flow.reported
def review_message(shortcut: dict, client: WebClient, context: BoltContext) -> None:
    # The trigger expires 3 s after the click: open the modal at once, fill it in after.
    opened = client.views_open(
        trigger_id=shortcut["trigger_id"], view=blocks.notice_modal(MODAL_TITLE, READING)
    )["view"]
    try:
        view = _reviewed(shortcut, client, context)
    except Exception as error:  # say so in the open modal, not in a stray message
        view = blocks.notice_modal(MODAL_TITLE, flow.error_line(error, kind="review_message"))
    try:
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=view)
    except SlackApiError as error:
        if flow.error_code(error) not in ("not_found", "hash_conflict"):
            raise
        log.info("the review modal was closed before the review was ready")


def _reviewed(shortcut: dict, client: WebClient, context: BoltContext) -> View:
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
    return flow.rendered(
        svc, review, state, draft=text, team_id=team_id, surface="modal", note=note
    )


def _why_no_replace(*, own: bool, whole: bool) -> str | None:
    if not own:
        return NOT_YOURS
    return NO_USER_TOKEN if whole else None  # a cut-short review says so itself
