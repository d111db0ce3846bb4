"""Promised actions in a draft (filled in by the promises work)."""

from __future__ import annotations

from datetime import datetime

from slackapp.review.config import EngineConfig
from slackapp.review.model import Promise


def find_promises(
    text: str, masked: str, *, now: datetime, config: EngineConfig
) -> tuple[Promise, ...]:
    return ()
