"""Track promises the way the Slack surfaces do, for the store and reminder tests."""

from __future__ import annotations

from slackapp.review.model import Promise
from slackapp.store import Store

TEAM, AGENT = "T0TEAM", "U0AGENT"
CHANNEL = "C0SUPPORT"
LINK = "https://sandbox.slack.com/archives/C0SUPPORT/p1764514800000100"


def track(
    store: Store,
    *promises: Promise,
    team: str = TEAM,
    user: str = AGENT,
    channel: str = CHANNEL,
    link: str = LINK,
) -> list[int]:
    return store.track_promises(
        team_id=team,
        user_id=user,
        channel_id=channel,
        permalink=link,
        promises=promises,
        customer="Dana",
    )
