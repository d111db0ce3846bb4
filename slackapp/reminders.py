"""Reminder DMs: what they say, and delivering the outbox (claim with a lease, DM the agent,
mark sent). No Slack wiring beyond the WebClient it is given.

Used in-process by `slackapp serve` (`Dispatcher.start()`) and by `slackapp remind --once`.
Messages are built with slack_sdk.models (Slack's limits checked before sending) and show
times in the agent's own zone.
Delivery is at-least-once (docs/operations.md): a row is marked sent only after Slack
accepted the DM, so a crash in between re-sends it once the lease runs out.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from datetime import time as time_of_day
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DatePickerElement,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)

from slackapp.store import Reminder, Store, TrackedPromise, utcnow

if TYPE_CHECKING:
    from slackapp.config import Settings

log = logging.getLogger(__name__)

DONE, SNOOZE, SNOOZE_DATE, CANCEL, CHECKIN_DONE = (
    "promise_done",
    "promise_snooze",
    "promise_snooze_date",
    "promise_cancel",
    "checkin_done",
)
PROMISE_ACTIONS = (DONE, SNOOZE, SNOOZE_DATE, CANCEL)

WHAT_WAS_PROMISED = {
    "refund": "a refund",
    "replacement": "a replacement",
    "callback": "a call back",
    "update": "an update",
    "credit": "a credit",
    "fix": "a fix",
    "other": "to follow up",
}
CHECKIN_NOTE = "Hi {name}, just checking in after the trouble you had: is everything in order now?"


# --- time, in the agent's zone --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuietHours:
    """When DMs wait: nightly from `start` to `end`, weekends, and configured holidays."""

    start: time_of_day = time_of_day(18, 0)
    end: time_of_day = time_of_day(9, 0)
    holidays: Container[date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, settings: Settings, holidays: Container[date]) -> QuietHours:
        start, end = settings.quiet_hours
        return cls(start, end, holidays)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def is_quiet(self, moment: datetime) -> bool:
        hour = moment.time()
        if self.start > self.end:  # overnight, the usual case
            at_night = hour >= self.start or hour < self.end
        else:
            at_night = self.start <= hour < self.end
        return at_night or not self.is_working_day(moment.date())

    def next_working_moment(self, moment: datetime, zone: tzinfo) -> datetime:
        """`moment` itself when it is within working hours, else when they next begin."""
        local = moment.astimezone(zone)
        if not self.is_quiet(local):
            return moment
        day = local.date() if local.time() < self.end else local.date() + timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, self.end, tzinfo=zone)

    def morning_after(self, moment: datetime, zone: tzinfo) -> datetime:
        """The start of the next working morning (the "tomorrow morning" snooze)."""
        day = moment.astimezone(zone).date() + timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, self.end, tzinfo=zone)


def zone_named(name: str | None) -> tzinfo:
    """The agent's zone from its users.info name; the server's own zone when unknown."""
    if name:
        try:
            return ZoneInfo(name)
        except ZoneInfoNotFoundError:
            log.warning("unknown time zone %r; using the server's", name)
    return datetime.now().astimezone().tzinfo or UTC


def clock_text(moment: datetime) -> str:
    """5:00 pm"""
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{moment.hour % 12 or 12}:{moment.minute:02d} {suffix}"


def day_text(day: date, today: date) -> str:
    relative = {0: "today", 1: "tomorrow", -1: "yesterday"}.get((day - today).days)
    return relative or f"on {day:%a} {day.day} {day:%b}"


def when_text(moment: datetime, now: datetime, zone: tzinfo) -> str:
    """'5:00 pm today', '9:00 am on Mon 30 Nov', in the agent's zone."""
    local = moment.astimezone(zone)
    return f"{clock_text(local)} {day_text(local.date(), now.astimezone(zone).date())}"


def snooze_until(choice: str, now: datetime, zone: tzinfo, quiet: QuietHours) -> datetime:
    """The moment a snooze option (`1h`, `tomorrow` or an ISO date) stands for."""
    if choice == "1h":
        return now + timedelta(hours=1)
    if choice == "tomorrow":
        return quiet.morning_after(now, zone)
    return datetime.combine(date.fromisoformat(choice), quiet.end, tzinfo=zone)


# --- messages ---------------------------------------------------------------------------------


def quoted(clause: str, limit: int = 500) -> str:
    """The promise as a quote, short enough for any section (Slack allows 3,000)."""
    flat = " ".join(clause.split())
    return ">" + (flat if len(flat) <= limit else flat[: limit - 1] + "…")


def promise_link(permalink: str | None) -> str:
    return f"\n<{permalink}|Open the conversation>" if permalink else ""


def promise_headline(promise: TrackedPromise, now: datetime, zone: tzinfo, *, late: bool) -> str:
    what = WHAT_WAS_PROMISED.get(promise.kind, "to follow up")
    whom = f" {promise.customer}" if promise.customer else ""
    if promise.due is None:
        return f"You promised{whom} {what}"
    when = when_text(promise.due, now, zone)
    if late:
        return f":warning: Overdue: you promised{whom} {what} by {when}"
    return f"You promised{whom} {what} by {when}"


def promise_actions(promise: TrackedPromise) -> ActionsBlock:
    """Mark done, Snooze (1 hour, tomorrow morning, or a date) and Cancel."""
    value = str(promise.id)
    return ActionsBlock(
        block_id=f"promise:{promise.id}",
        elements=[
            ButtonElement(text="Mark done", action_id=DONE, value=value, style="primary"),
            StaticSelectElement(
                action_id=SNOOZE,
                placeholder="Snooze…",
                options=[
                    Option(text="For 1 hour", value=f"{value}:1h"),
                    Option(text="Until tomorrow morning", value=f"{value}:tomorrow"),
                ],
            ),
            # No initial date: picking the date already shown would send no action.
            DatePickerElement(action_id=SNOOZE_DATE, placeholder="Snooze until…"),
            ButtonElement(
                text="Cancel",
                action_id=CANCEL,
                value=value,
                style="danger",
                confirm=ConfirmObject(
                    title="Cancel this promise?",
                    text="No more reminders about it. Use this when it no longer applies.",
                    confirm="Cancel it",
                    deny="Keep it",
                ),
            ),
        ],
    )


def outcome_text(promise: TrackedPromise, now: datetime, zone: tzinfo) -> str | None:
    """What happened to a promise, once the agent acted on it (None while it waits)."""
    if promise.status == "done" and promise.done_at:
        return f":white_check_mark: Marked done {when_text(promise.done_at, now, zone)}"
    if promise.status == "cancelled":
        return f":no_entry_sign: Cancelled {when_text(promise.updated_at, now, zone)}"
    return None


def promise_message(
    promise: TrackedPromise,
    *,
    now: datetime,
    zone: tzinfo,
    late: bool,
    snoozed_until: datetime | None = None,
) -> tuple[str, list[Block]]:
    """The reminder DM (text fallback, blocks); once settled, the outcome replaces the buttons.

    `late` says whether to flag it overdue: the due DM itself goes out a moment after the
    deadline, and must not."""
    headline = promise_headline(promise, now, zone, late=late)
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"*{headline}*\n{quoted(promise.clause)}{promise_link(promise.permalink)}"
            )
        )
    ]
    outcome = outcome_text(promise, now, zone)
    if snoozed_until and not outcome:
        outcome = f":zzz: Snoozed until {when_text(snoozed_until, now, zone)}"
    if outcome:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=outcome)]))
    else:
        blocks.append(promise_actions(promise))
    return headline, blocks


def checkin_message(
    reminder: Reminder, *, now: datetime, zone: tzinfo, done: bool = False
) -> tuple[str, list[Block]]:
    """The check-in DM: a short note the agent can copy to the customer."""
    to_whom = f" to {reminder.customer}" if reminder.customer else ""
    headline = f"A few days ago you apologized{to_whom}. A short check-in shows you meant it."
    note = CHECKIN_NOTE.format(name=reminder.customer or "there")
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(text=f"*{headline}*{promise_link(reminder.permalink)}")
        ),
        SectionBlock(text=MarkdownTextObject(text=f"```{note}```")),
    ]
    if done:
        blocks.append(
            ContextBlock(elements=[MarkdownTextObject(text=":white_check_mark: Checked in")])
        )
    else:
        blocks.append(
            ActionsBlock(
                block_id=f"checkin:{reminder.id}",
                elements=[ButtonElement(text="I checked in", action_id=CHECKIN_DONE, value="done")],
            )
        )
    return headline, blocks


ZoneLookup = Callable[[WebClient, str, str], str | None]
Outcome = Literal["sent", "skipped", "postponed", "retry", "released", "undeliverable"]
# Slack errors that no retry will cure: the agent left, or cannot be sent a DM. A token
# error is not among them: once an admin reinstalls the app, the reminder should go out.
UNDELIVERABLE = frozenset(
    {"account_inactive", "user_not_found", "user_disabled", "cannot_dm_bot", "not_in_channel"}
)


class TokenBucket:
    """`rate` tokens a second, up to `burst` saved; reserving may run into debt (a wait)."""

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.stamp = now

    def reserve(self, now: float) -> float:
        """Take one token; the seconds to wait before using it."""
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        self.tokens -= 1
        return max(0.0, -self.tokens / self.rate)


class Pacer:
    """Keeps chat.postMessage within Slack's tier: ~1 message/s per channel (each agent's
    DM is its own channel) and a workspace-wide budget ("several hundred a minute")."""

    def __init__(
        self,
        *,
        per_channel: float = 1.0,
        per_workspace: float = 5.0,
        workspace_burst: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self.per_channel = per_channel
        self.per_workspace = per_workspace
        self.workspace_burst = workspace_burst
        self.clock = clock
        self.sleep = sleep
        self._buckets: dict[str, TokenBucket] = {}
        self._paused_until = 0.0

    def _bucket(self, key: str, rate: float, burst: float, now: float) -> TokenBucket:
        if key not in self._buckets:
            self._buckets[key] = TokenBucket(rate, burst, now)
        return self._buckets[key]

    def wait_turn(self, team_id: str, channel: str) -> None:
        now = self.clock()
        if now < self._paused_until:
            self.sleep(self._paused_until - now)
            now = self.clock()
        workspace = self._bucket(team_id, self.per_workspace, self.workspace_burst, now)
        conversation = self._bucket(f"{team_id}/{channel}", self.per_channel, 1.0, now)
        wait = max(workspace.reserve(now), conversation.reserve(now))
        if wait:
            self.sleep(wait)

    def pause(self, seconds: float) -> None:
        """Slack said 429: nobody in this process posts before Retry-After has passed."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)


def interleave_by_agent(reminders: list[Reminder]) -> list[Reminder]:
    """Round-robin across agents, so one agent's backlog (paced at 1 DM/s on their DM
    channel) does not hold up everyone else's."""
    queues: dict[tuple[str, str], list[Reminder]] = {}
    for reminder in reminders:
        queues.setdefault((reminder.team_id, reminder.user_id), []).append(reminder)
    rounds = itertools.zip_longest(*queues.values())
    return [reminder for turn in rounds for reminder in turn if reminder is not None]


def installed_bot_tokens(settings: Settings) -> Callable[[str], str | None]:
    """team -> bot token, from the OAuth installation store the app writes (same file)."""
    from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore

    installations = SQLite3InstallationStore(
        database=str(settings.database_path), client_id=settings.slack_client_id or ""
    )

    def token_for(team_id: str) -> str | None:
        bot = installations.find_bot(enterprise_id=None, team_id=team_id)
        return bot.bot_token if bot else None

    return token_for


@dataclass
class Dispatcher:
    """Drains due reminders. Many may run at once, in threads or processes, on one file."""

    store: Store
    client: WebClient
    zone_of: ZoneLookup  # (client, team_id, user_id) -> IANA name, e.g. Services.agent_zone
    token_for: Callable[[str], str | None] | None = None  # team -> bot token (OAuth installs)
    quiet: QuietHours = field(default_factory=QuietHours)
    pacer: Pacer = field(default_factory=Pacer)
    clock: Callable[[], datetime] = utcnow
    lease: timedelta = timedelta(minutes=5)
    batch: int = 20
    poll_interval: float = 15.0
    backoff_base: timedelta = timedelta(seconds=5)
    backoff_cap: timedelta = timedelta(minutes=30)
    retention: timedelta | None = None

    def __post_init__(self) -> None:
        self._dm_channels: dict[tuple[str, str], str] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_purge: datetime | None = None
        self._retries: list[datetime] = []  # when rows this run failed become due again

    @classmethod
    def for_app(cls, settings: Settings, store: Store) -> Dispatcher:
        """What `serve` and `remind` run: the app's retrying client, with SLACK_BOT_TOKEN or,
        for OAuth installs, each workspace's installed bot token."""
        from slackapp.app import make_client
        from slackapp.listeners.flow import Services

        return cls(
            store,
            make_client(settings, settings.slack_bot_token),
            Services(settings, store).agent_zone,
            token_for=installed_bot_tokens(settings) if settings.oauth_enabled else None,
            quiet=QuietHours.of(settings, store.holidays),
            retention=timedelta(days=settings.retention_days),
        )

    # --- running --------------------------------------------------------------------------

    def start(self) -> Dispatcher:
        """Deliver in a background thread. With no bot token at all there is nobody to send
        as: log it and stay idle rather than fail every few seconds."""
        if not self.client.token and self.token_for is None:
            log.warning("no bot token: reminder DMs are not sent")
            return self
        self._stop.clear()
        self._thread = threading.Thread(
            target=self.run_forever, name="reminder-dispatcher", daemon=True
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout)

    def run_forever(self) -> None:
        """Deliver until stop(): right away while busy, every poll_interval when idle."""
        while not self._stop.is_set():
            try:
                busy = self.tick().total() >= self.batch  # a full batch: more may wait
            except Exception:  # a locked file or a Slack outage must not end the thread
                log.exception("reminder dispatch failed; trying again shortly")
                busy = False
            if not busy:
                self._stop.wait(self.poll_interval)

    def run_once(self, max_wait: timedelta = timedelta(seconds=30)) -> Counter[Outcome]:
        """Send everything due now, waiting out short backoffs; then return what happened."""
        outcomes: Counter[Outcome] = Counter()
        give_up_at = self.clock() + max_wait
        self._retries.clear()
        while True:
            tick = self.tick()
            outcomes += tick
            if tick.total():
                continue  # claim again until nothing is due
            now = self.clock()
            retry = min((at for at in self._retries if at > now), default=None)
            if retry is None or retry > give_up_at:
                return outcomes  # anything left is retried by the next run: nothing is lost
            self.pacer.sleep((retry - now).total_seconds())

    def tick(self) -> Counter[Outcome]:
        """Claim one batch of due reminders and deliver it."""
        now = self.clock()
        self._purge_now_and_then(now)
        claimed = self.store.claim_due(now, lease=self.lease, limit=self.batch)
        # Send only well within the lease, so no other dispatcher can have taken a row by
        # the time we post it (pacing, busy writes and Retry-After can make a batch slow).
        send_by = now + self.lease / 2
        return Counter(
            self._deliver(reminder, send_by) for reminder in interleave_by_agent(claimed)
        )

    # --- one reminder ---------------------------------------------------------------------

    def _deliver(self, reminder: Reminder, send_by: datetime) -> Outcome:
        if not self.store.is_pending(reminder.id):
            return "skipped"  # the promise was closed or snoozed after we claimed it
        scope = {"team_id": reminder.team_id, "user_id": reminder.user_id}
        promise = (
            self.store.get_promise(reminder.promise_id, **scope) if reminder.promise_id else None
        )
        if reminder.promise_id and (promise is None or promise.status != "open"):  # just closed
            self.store.mark_sent(reminder.id, at=self.clock(), dm_channel=None, dm_ts=None)
            return "skipped"
        try:
            return self._send(reminder, promise, send_by)
        except SlackApiError as error:
            if error.response.get("error") in UNDELIVERABLE:
                log.error("reminder %s cannot be delivered (%s); dropped", reminder.id, error)
                self.store.give_up(reminder.id, at=self.clock(), error=str(error))
                return "undeliverable"
            self._retry_later(reminder, error)
            return "retry"
        except Exception as error:  # the network, or a bug: retry this one, send the rest
            self._retry_later(reminder, error)
            return "retry"

    def _send(
        self, reminder: Reminder, promise: TrackedPromise | None, send_by: datetime
    ) -> Outcome:
        client = self._client(reminder.team_id)
        now = self.clock()
        zone = zone_named(self.zone_of(client, reminder.team_id, reminder.user_id))
        # A due DM goes at the deadline even at night; nudges and check-ins wait.
        working = now if reminder.kind == "due" else self.quiet.next_working_moment(now, zone)
        if working > now:
            self.store.postpone(reminder.id, until=working)
            return "postponed"
        if promise:
            late = reminder.kind == "overdue"
            text, blocks = promise_message(promise, now=now, zone=zone, late=late)
        else:
            text, blocks = checkin_message(reminder, now=now, zone=zone)
        channel = self._dm_channel(client, reminder.team_id, reminder.user_id)
        self.pacer.wait_turn(reminder.team_id, channel)
        if self.clock() >= send_by:
            self.store.release([reminder.id])
            return "released"
        response = client.chat_postMessage(
            channel=channel, text=text, blocks=blocks, unfurl_links=False
        )
        dm_channel, dm_ts = response["channel"], response["ts"]
        self.store.mark_sent(reminder.id, at=self.clock(), dm_channel=dm_channel, dm_ts=dm_ts)
        return "sent"

    def _client(self, team_id: str) -> WebClient:
        """The bot's client in that workspace: the one client, or (OAuth installs) a copy
        carrying that workspace's installed bot token."""
        if self.token_for is None:
            return self.client
        token = self.token_for(team_id)
        if not token:
            raise LookupError(f"no bot token installed for workspace {team_id}")
        base = self.client
        return WebClient(
            token=token,
            base_url=base.base_url,
            timeout=base.timeout,
            retry_handlers=base.retry_handlers,
        )

    def _dm_channel(self, client: WebClient, team_id: str, user_id: str) -> str:
        key = (team_id, user_id)
        if key not in self._dm_channels:
            opened = client.conversations_open(users=user_id)
            self._dm_channels[key] = opened["channel"]["id"]
        return self._dm_channels[key]

    def _retry_later(self, reminder: Reminder, error: Exception) -> None:
        wait = self._retry_after(error)
        if wait is not None:
            self.pacer.pause(wait.total_seconds())
        else:
            wait = min(self.backoff_base * 2 ** (reminder.attempts - 1), self.backoff_cap)
        at = self.clock() + wait
        self._retries.append(at)
        unexpected = not isinstance(error, SlackApiError | OSError)  # a bug: keep the traceback
        log.warning(
            "reminder %s failed (%s); retry at %s", reminder.id, error, at, exc_info=unexpected
        )
        self.store.retry_at(reminder.id, at=at, error=str(error))

    @staticmethod
    def _retry_after(error: Exception) -> timedelta | None:
        """Slack's Retry-After on a 429, else None (an ordinary backoff applies)."""
        response = getattr(error, "response", None)
        if response is None or response.status_code != 429:
            return None
        header = {k.lower(): v for k, v in (response.headers or {}).items()}.get("retry-after")
        values = header if isinstance(header, list) else [header]
        try:
            return timedelta(seconds=int(values[0]))
        except (TypeError, ValueError):
            return timedelta(seconds=30)

    def _purge_now_and_then(self, now: datetime) -> None:
        if self.retention is None or (self._next_purge and now < self._next_purge):
            return
        removed = self.store.purge(now - self.retention)
        log.info("retention purge: %s", removed)
        self._next_purge = now + timedelta(hours=1)
