"""What every review surface shares: the services listeners reach through `context`,
the agent's time zone, the draft state behind each control, and re-reviewing it."""

from __future__ import annotations

import functools
import inspect
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, Args, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackapp import blocks
from slackapp.blocks import ReviewState, Surface
from slackapp.config import Settings
from slackapp.review import EngineConfig, Review, review
from slackapp.store import Store

log = logging.getLogger(__name__)
ZONE_TTL = 6 * 3600.0  # seconds an agent's zone is trusted before users.info is asked again

# A draft whose state fits a button value (2,000) with room for a few dismissals rides
# inline; a longer one waits server-side in the store's short-lived draft table.
INLINE_STATE_LIMIT = 1700
# No apology runs this long; a pasted 100 KB still gets a quick review of its start.
REVIEW_LIMIT = 12_000

# What a Web API call can raise once the client's retries are spent.
WEB_ERRORS = (SlackApiError, OSError)

EXPIRED = "This review has expired. Run `/apology` or *Review apology* again."
# In-process work after acks (the sandbox; `serve` uses worker processes) shares one GIL
# with the acks: few threads keep an ack from queueing behind many reviews, and two let
# one review wait out a Retry-After alone.
REVIEW_THREADS = 2


def review_pool() -> Executor:
    return ThreadPoolExecutor(REVIEW_THREADS, thread_name_prefix="review")


@dataclass
class Services:
    settings: Settings
    store: Store
    executor: Executor = field(default_factory=review_pool)  # the work after each ack
    engine: EngineConfig = field(init=False)
    # (zone, when it was looked up): an agent who travels gets the new zone within hours.
    _zones: dict[tuple[str, str], tuple[str | None, float]] = field(
        default_factory=dict, init=False
    )
    _token_owner: str | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        self.engine = self.settings.engine_config()

    def agent_zone(self, client: WebClient, team_id: str, user_id: str) -> str | None:
        """The agent's IANA zone from users.info, cached for ZONE_TTL; None (the server's
        zone) if Slack cannot say, or the last zone known while it cannot."""
        key, now = (team_id, user_id), time.monotonic()
        known = self._zones.get(key)
        if known is not None and now - known[1] < ZONE_TTL:
            return known[0]
        try:
            zone = client.users_info(user=user_id)["user"].get("tz")
        except WEB_ERRORS as error:
            log.warning("users.info failed (%s); using the last zone known", error_code(error))
            return known[0] if known else None
        self._zones[key] = (zone, now)
        return zone

    def user_token(self, context: BoltContext, client: WebClient, user_id: str) -> str | None:
        """A token that acts as `user_id`: their OAuth user token, or SLACK_USER_TOKEN when
        auth.test says it belongs to them. Never someone else's."""
        if context.user_token:  # Bolt resolves it for the user behind this request only
            return context.user_token
        token = self.settings.slack_user_token
        if not token:
            return None
        with self._lock:
            if self._token_owner is None:
                try:
                    self._token_owner = client.auth_test(token=token)["user_id"]
                except WEB_ERRORS as error:
                    log.warning("auth.test for SLACK_USER_TOKEN failed (%s)", error_code(error))
                    return None
        return token if self._token_owner == user_id else None


def report_error(error: Exception, *, kind: str, respond: Respond | None) -> None:
    """Log what failed (never a token) and tell the agent in one short line."""
    line = error_line(error, kind=kind)
    if respond is None:
        return
    try:
        respond(text=line, response_type="ephemeral", replace_original=False)
    except Exception as failure:  # reporting an error must never raise another
        log.error("could not tell the agent about the error: %s", type(failure).__name__)


def error_line(error: Exception, *, kind: str) -> str:
    """Log the error and say in one plain line what the agent can do (no apology, no trace)."""
    if isinstance(error, SlackApiError):
        code = error_code(error)
        log.error("Slack Web API error %s while handling %s", code, kind)
        return f"Slack answered `{code}`, so this didn't go through. Try again in a minute."
    if isinstance(error, OSError):  # timeouts and refused connections, after the retries
        log.error("Slack Web API unreachable (%s) while handling %s", error_code(error), kind)
        return "Slack didn't answer in time, so this didn't go through. Try again in a minute."
    log.error("error while handling %s", kind, exc_info=error)
    return (
        "Something failed on our side, so this didn't go through. Try again; if it keeps "
        "failing, tell whoever runs this app."
    )


def reported(work: Callable[..., None]) -> Callable[..., None]:
    """Work run after the ack has no caller to raise to: log the error, tell the agent."""

    @functools.wraps(work)
    def run(**kwargs: Any) -> None:
        try:
            work(**kwargs)
        except Exception as error:
            report_error(error, kind=work.__name__, respond=kwargs["context"].respond)

    return run


def ack_now(ack: Ack) -> None:
    """A control whose click needs no work of ours (the work waits for a later submit)."""
    ack()


def after_ack(work: Callable[..., None]) -> Callable[..., None]:
    """A listener that acks, then hands `work` its arguments on the services' executor.

    Slack waits only 3 s for the ack; with process_before_response the HTTP answer leaves
    when the listener returns, so in-process (the sandbox) the work runs on a thread after
    it. Under `serve` the whole listener already runs in a review worker after the ack
    (`slackapp.server.ReviewWorkers`), and the executor there runs the work at once.
    Unlike a Bolt lazy listener, the request is not deep-copied (its Web API client
    included), which was over half an ack's CPU: it is finished once acked.
    """
    names = tuple(inspect.signature(work).parameters)

    def listener(ack: Ack, args: Args) -> None:
        ack()
        given = {name: getattr(args, name) for name in names}
        done = services(args.context).executor.submit(work, **given)
        done.add_done_callback(functools.partial(_unfinished, work.__name__, args.context.respond))

    listener.__name__ = work.__name__
    return listener


class InlineExecutor(Executor):
    """Runs the work at once, in the caller's thread: in a review worker, after the ack."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:
            future.set_exception(error)
        return future


def _unfinished(kind: str, respond: Respond | None, done: Future) -> None:
    """The work never ran to the end: its executor refused it, or it raised past `reported`.

    (Under `serve` a review worker that dies is reported by `ReviewWorkers` instead.)"""
    error = None if done.cancelled() else done.exception()
    if error is not None:
        report_error(error, kind=kind, respond=respond)


def services(context: BoltContext) -> Services:
    return context["services"]


def error_code(error: Exception) -> str:
    """Slack's error code, or the kind of network failure: never the request itself."""
    if isinstance(error, SlackApiError) and error.response:
        return str(error.response.get("error"))
    return type(error).__name__


def start_state(
    svc: Services, *, team_id: str, user_id: str, text: str, tz: str | None, **where: Any
) -> ReviewState:
    state = ReviewState(now=int(time.time()), draft=text, tz=tz, **where)
    if len(state.encode()) <= INLINE_STATE_LIMIT:
        return state
    draft_id = svc.store.save_draft(team_id=team_id, user_id=user_id, text=text)
    return state.but(draft=None, draft_id=draft_id)


def draft_of(svc: Services, state: ReviewState, *, team_id: str, user_id: str) -> str | None:
    if state.draft is not None:
        return state.draft
    if state.draft_id:
        return svc.store.load_draft(state.draft_id, team_id=team_id, user_id=user_id)
    return None


def review_of(svc: Services, text: str, state: ReviewState) -> Review:
    """The same review every time for the same state: `now` is pinned to the first one.
    Past REVIEW_LIMIT characters only the start is reviewed, so the answer stays quick."""
    now = datetime.fromtimestamp(state.now, UTC)
    return review(
        text[:REVIEW_LIMIT], severity=state.severity, now=now, tz=state.tz, config=svc.engine
    )


def rendered(
    svc: Services,
    review: Review,
    state: ReviewState,
    *,
    draft: str,
    team_id: str,
    surface: Surface,
    note: str | None = None,
) -> Any:
    """Message kwargs (surface "message") or a View (surface "modal") for this review."""
    if len(draft) > REVIEW_LIMIT:
        cut = f"Long draft: I reviewed the first {REVIEW_LIMIT:,} of {len(draft):,} characters."
        note = f"{note}\n{cut}" if note else cut
    kwargs = {"dismissal_counts": svc.store.dismissal_counts(team_id), "note": note}
    if surface == "modal":
        return blocks.review_modal(review, state, **kwargs)
    return blocks.review_message(review, state, **kwargs)


def selected_promises(review: Review, values: dict[str, Any]) -> list[Any]:
    """The open promises whose "Track" box is ticked in a payload's `state.values`."""
    chosen = values.get("promises", {}).get("track_choice", {}).get("selected_options") or []
    indices = {int(option["value"]) for option in chosen if option.get("value", "").isdigit()}
    return [p for i, p in enumerate(review.promises) if i in indices and not p.done]


def track(
    svc: Services,
    client: WebClient,
    state: ReviewState,
    promises: list[Any],
    *,
    team_id: str,
    user_id: str,
    channel_id: str | None,
) -> list[int]:
    """Persist confirmed promises, with a link back to the reviewed message when there is one.

    With no promises, only the check-in is scheduled."""
    permalink = None
    if state.channel and state.ts:
        try:
            permalink = client.chat_getPermalink(channel=state.channel, message_ts=state.ts)[
                "permalink"
            ]
        except WEB_ERRORS as error:
            log.warning("chat.getPermalink failed (%s); tracking without a link", error_code(error))
    if not promises:
        svc.store.schedule_checkin(team_id=team_id, user_id=user_id, permalink=permalink)
        return []
    return svc.store.track_promises(
        team_id=team_id,
        user_id=user_id,
        channel_id=state.channel or channel_id or "",
        permalink=permalink,
        promises=promises,
    )


CHECKIN_NOTE = "Done: I'll remind you to check in with the customer in a few business days."


def tracked_note(count: int) -> str:
    if not count:
        return "No promise was ticked, so nothing is tracked."
    return f"Tracking {count} promise{'s' * (count > 1)}: I'll remind you before each is due."
