"""Events. App Home lists the agent's promises (slackapp.followup), with how to use the app."""

from __future__ import annotations

from slack_bolt import App

from slackapp import followup


def register(app: App) -> None:
    followup.register_events(app)
