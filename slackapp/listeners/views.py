"""Submitting the review modal tracks the ticked promises."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from slackapp import blocks
from slackapp.blocks import ReviewState
from slackapp.listeners import flow


def register(app: App) -> None:
    app.view(blocks.MODAL_CALLBACK)(submit_review)


def submit_review(
    ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext
) -> None:
    svc = flow.services(context)
    team_id, user_id = body["user"].get("team_id") or body["team"]["id"], body["user"]["id"]
    state = ReviewState.decode(view["private_metadata"])
    text = flow.draft_of(svc, state, team_id=team_id, user_id=user_id)
    if text is None:
        ack(response_action="update", view=blocks.notice_modal("Review apology", flow.EXPIRED))
        return
    review = flow.review_of(svc, text, state)
    chosen = flow.selected_promises(review, view.get("state", {}).get("values", {}))
    done = state.but(tracked=bool(chosen))
    ack(
        response_action="update",
        view=flow.rendered(
            svc,
            review,
            done,
            draft=text,
            team_id=team_id,
            surface="modal",
            note=flow.tracked_note(len(chosen)),
        ),
    )
    # After the ack (Slack waits only 3 s for it): the permalink lookup is a Web API call.
    if chosen:  # an empty submit tracks nothing (the review offers the check-in on its own)
        flow.track(svc, client, state, chosen, team_id=team_id, user_id=user_id, channel_id=None)
