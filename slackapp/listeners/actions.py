"""Buttons on a review (ephemeral message or modal): severity, "Not an issue here", Track,
and replacing the agent's own message. Each re-reviews from the control's state and
redraws the review in place. Other features add their registrations to `register`."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackapp import blocks, followup
from slackapp.blocks import ReviewState
from slackapp.listeners import flow
from slackapp.review import Review

log = logging.getLogger(__name__)

SEVERITY = re.compile(r"^severity_(minor|moderate|serious)$")


def register(app: App) -> None:
    app.action(SEVERITY)(flow.after_ack(change_severity))
    app.action("dismiss_finding")(flow.after_ack(dismiss_finding))
    app.action("track_choice")(flow.ack_now)  # ticking a box waits for the confirm
    app.action("track_promises")(flow.after_ack(track_promises))
    app.action("schedule_checkin")(flow.after_ack(schedule_checkin))
    app.action("replace_draft")(flow.after_ack(replace_draft))
    followup.register_actions(app)  # Mark done / Snooze / Cancel on reminder DMs and Home


class Click:
    """One click on a review control: who, which state, and how to redraw the review."""

    def __init__(
        self, body: dict, action: dict, context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        self.body, self.client, self.respond = body, client, respond
        self.svc = flow.services(context)
        self.team_id = body["user"].get("team_id") or body["team"]["id"]
        self.user_id = body["user"]["id"]
        self.state = ReviewState.decode(action["value"])
        self.view = body.get("view")  # set when the click came from the modal
        self.text: str | None = None  # the draft, once draft() has loaded it

    def reviewed(self, state: ReviewState | None = None) -> Review | None:
        """Re-review the clicked state (or `state`); None once the agent has been told that
        the server-side copy of a long draft has expired."""
        self.text = flow.draft_of(self.svc, self.state, team_id=self.team_id, user_id=self.user_id)
        if self.text is None:
            self._replace_with(
                blocks.notice_modal("Review apology", flow.EXPIRED), blocks.message(flow.EXPIRED)
            )
            return None
        return flow.review_of(self.svc, self.text, state or self.state)

    def show(self, state: ReviewState, *, note: str | None = None) -> None:
        review = self.reviewed(state)
        if review:
            self.show_review(review, state, note=note)

    def show_review(self, review: Review, state: ReviewState, *, note: str | None = None) -> None:
        surface = "modal" if self.view else "message"
        shown = flow.rendered(
            self.svc,
            review,
            state,
            draft=self.text or "",
            team_id=self.team_id,
            surface=surface,
            note=note,
        )
        self._replace_with(shown, shown)

    def track(self, promises: list[Any]) -> None:
        """Log the ticked promises (none: schedule just the check-in) for the clicking agent."""
        flow.track(
            self.svc,
            self.client,
            self.state,
            promises,
            team_id=self.team_id,
            user_id=self.user_id,
            channel_id=(self.body.get("channel") or {}).get("id"),
        )

    def _replace_with(self, view: Any, message: dict[str, Any]) -> None:
        if self.view:
            self.client.views_update(view_id=self.view["id"], hash=self.view.get("hash"), view=view)
        else:  # an ephemeral message can only be replaced through its response_url
            self.respond(replace_original=True, response_type="ephemeral", **message)


@flow.reported
def change_severity(
    body: dict, action: dict, context: BoltContext, client: WebClient, respond: Respond
) -> None:
    click = Click(body, action, context, client, respond)
    click.show(click.state)


def on_review(handler: Callable[[Click, Review, dict], None]) -> Callable[..., None]:
    """A review control's listener: rebuild the click, re-review its draft, then act."""

    def listener(
        body: dict, action: dict, context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        click = Click(body, action, context, client, respond)
        review = click.reviewed()
        if review is not None:
            handler(click, review, action)

    listener.__name__ = listener.__qualname__ = handler.__name__  # picklable by name
    return flow.reported(listener)


@on_review
def dismiss_finding(click: Click, review: Review, action: dict) -> None:
    start = int(action["block_id"].removeprefix("finding-"))
    for finding in review.findings:
        if finding.start == start:
            click.svc.store.record_dismissal(
                team_id=click.team_id, user_id=click.user_id, code=finding.code
            )
    click.show_review(review, click.state)


@on_review
def track_promises(click: Click, review: Review, action: dict) -> None:
    chosen = flow.selected_promises(review, click.body.get("state", {}).get("values", {}))
    click.track(chosen)
    click.show_review(
        review, click.state.but(tracked=bool(chosen)), note=flow.tracked_note(len(chosen))
    )


@on_review
def schedule_checkin(click: Click, review: Review, action: dict) -> None:
    """A review with no promises: remind the agent to check in with the customer."""
    click.track([])
    click.show_review(review, click.state.but(tracked=True), note=flow.CHECKIN_NOTE)


@flow.reported
def replace_draft(
    body: dict, action: dict, context: BoltContext, client: WebClient, respond: Respond
) -> None:
    click = Click(body, action, context, client, respond)
    state = click.state
    token = click.svc.user_token(context, client, click.user_id)
    if not (state.replaceable and state.channel and state.ts and token):
        click.show(state, note="I can't edit that message for you; copy the rewrite instead.")
        return
    review = click.reviewed()
    if review is None:
        return
    try:
        # The agent's own token: Slack itself refuses to edit anyone else's message with it.
        client.chat_update(token=token, channel=state.channel, ts=state.ts, text=review.rewrite)
    except SlackApiError as error:
        log.warning("chat.update of the agent's message failed (%s)", error.response.get("error"))
        click.show_review(
            review, state, note="Slack didn't let me edit that message; copy the rewrite instead."
        )
        return
    click.show_review(
        review,
        state.but(replaceable=False),
        note="Done: your message now shows the rewrite. Fill in any [placeholders].",
    )
