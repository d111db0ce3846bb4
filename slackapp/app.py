"""build_app(settings, store) -> a Bolt App with every listener registered."""

from __future__ import annotations

import logging
import os
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltContext, Respond
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore
from slack_sdk.oauth.state_store.sqlite3 import SQLite3OAuthStateStore

from slackapp.config import Settings
from slackapp.listeners import actions, commands, events, flow, shortcuts, views
from slackapp.store import Store

log = logging.getLogger(__name__)

# Least privilege; docs/configuration.md says why each is needed and manifest.yml matches.
BOT_SCOPES = ("commands", "chat:write", "im:write", "users:read")
USER_SCOPES = ("chat:write",)
LISTENERS = (commands, shortcuts, actions, views, events)
WEB_API_TIMEOUT = 10  # seconds; a stuck call must not hold a worker thread for long


def make_client(settings: Settings, token: str | None = None) -> WebClient:
    """A WebClient for the configured API URL that retries 429s (Retry-After), 5xx and
    dropped connections; Bolt copies these into every per-request client. The handlers
    share one attempt count, so a call is tried at most three times in all."""
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=WEB_API_TIMEOUT,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_app(
    settings: Settings,
    store: Store,
    *,
    process_before_response: bool = True,
    listener_executor: Executor | None = None,
    behind_server: bool = False,
) -> App:
    """With process_before_response (the default), each ack runs in the request thread
    and the HTTP answer follows it at once; the slow work after each ack runs meanwhile
    on `listener_executor` (`flow.review_pool()` by default).

    `behind_server`: the app of a review worker, fed requests the server has verified
    and acked already (`slackapp.server.ReviewWorkers`): it checks no signature and runs
    the work after each ack at once."""
    settings.require_slack()
    # Bolt turns OAuth on by itself when these merely exist in the environment, even
    # empty; Settings decide that, so blank ones must not reach it.
    for key in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
        if not os.environ.get(key, "").strip():
            os.environ.pop(key, None)
    # The client carries the bot token (single workspace) or none (OAuth); Bolt would also
    # read SLACK_BOT_TOKEN itself and warn at every start that it goes unused.
    hidden = os.environ.pop("SLACK_BOT_TOKEN", None)
    try:
        app = App(
            client=make_client(
                settings, None if settings.oauth_enabled else settings.slack_bot_token
            ),
            signing_secret=settings.slack_signing_secret or "",
            request_verification_enabled=not (settings.socket_mode or behind_server),
            token_verification_enabled=not behind_server,  # the server ran auth.test
            oauth_settings=_oauth_settings(settings) if settings.oauth_enabled else None,
            process_before_response=process_before_response,
        )
    finally:
        if hidden is not None:
            os.environ["SLACK_BOT_TOKEN"] = hidden
    executor = listener_executor or (flow.InlineExecutor() if behind_server else flow.review_pool())
    svc = flow.Services(settings, store, executor)

    @app.middleware
    def provide_services(context: BoltContext, next: Any) -> None:
        context["services"] = svc
        next()

    app.error(report_error)
    for listener in LISTENERS:
        listener.register(app)
    return app


def _oauth_settings(settings: Settings) -> OAuthSettings:
    database = str(settings.database_path)
    installations = SQLite3InstallationStore(database=database, client_id=settings.slack_client_id)
    installations.init()  # create its tables now: an unwritable file fails at start-up
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=list(USER_SCOPES),
        installation_store=installations,
        state_store=SQLite3OAuthStateStore(database=database, expiration_seconds=600),
    )


def report_error(error: Exception, body: dict, respond: Respond) -> None:
    """Errors in acks and other synchronous listeners (the work after an ack reports its own)."""
    kind = str(body.get("command") or body.get("type") or "a request")
    flow.report_error(error, kind=kind, respond=respond if body.get("response_url") else None)
