"""The sandbox's clock: the real time plus an offset that only grows.

`slackapp run` hands `SandboxClock.now` to the reminder Dispatcher (its `clock` hook), so
"+1 day" on the page makes tomorrow's reminders due now, without waiting.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta, tzinfo


class SandboxClock:
    def __init__(self, real: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._real = real
        self._offset = timedelta()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The sandbox's "now", an aware UTC datetime (a Dispatcher `clock`)."""
        return self._real() + self._offset

    @property
    def offset(self) -> timedelta:
        return self._offset

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta():
            raise ValueError("the sandbox clock only moves forward")
        with self._lock:
            self._offset += delta
        return self.now()

    def next_morning(self, zone: tzinfo, morning: time = time(9, 0)) -> datetime:
        """Move to `morning` of the next calendar day in `zone` (when quiet hours end)."""
        local = self.now().astimezone(zone)
        target = datetime.combine(local.date() + timedelta(days=1), morning, tzinfo=zone)
        return self.advance(target - local)
