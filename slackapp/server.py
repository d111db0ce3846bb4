"""serve(settings): Socket Mode when SLACK_APP_TOKEN is set, else HTTP.

HTTP uses the stdlib's WSGI server with a thread per request (Bolt's own dev server binds
0.0.0.0); it answers Slack at /slack/events (and the OAuth install/redirect paths when
OAuth is on) and load balancers at GET /healthz, bound to HOST (127.0.0.1 by default).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError

from slackapp.app import build_app
from slackapp.config import ConfigError, Settings
from slackapp.listeners import flow
from slackapp.reminders import Dispatcher
from slackapp.review import review
from slackapp.review.rules import RulePackError, load_rules
from slackapp.store import Store

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
# Two, so that one review waiting out a Retry-After does not hold up everyone's.
REVIEW_PROCESSES = 2
REVIEW_NICENESS = 5  # when the cores are busy, the OS runs the acks first
# Past this backlog (the oldest unfinished review's wait, in seconds) new acks wait, so
# that reviews keep arriving within Slack's 3 s ...
BACKLOG_LIMIT = 1.0
# ... but an ack waits at most this long: it has its own 3 s, and workers stuck waiting
# out a Retry-After must not hold every ack for long.
ACK_DELAY_LIMIT = 1.0


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a hung request must not block shutdown
    request_queue_size = 128  # the default backlog of 5 resets connections under bursts


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # access log at DEBUG only
        log.debug("%s %s", self.address_string(), format % args)


def wsgi_app(app: App) -> Callable[..., Iterable[bytes]]:
    bolt = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") == "GET":
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n"]
        return bolt(environ, start_response)

    return application


def http_server(app: App, host: str, port: int) -> ThreadingWSGIServer:
    """A ready (bound) server; port 0 picks a free one (see `server.server_port`)."""
    return make_server(
        host, port, wsgi_app(app), server_class=ThreadingWSGIServer, handler_class=QuietHandler
    )


class ReviewWorkers(Executor):
    """The work after each ack (reviews: CPU-bound) in worker processes, each with its own
    GIL: in the server's process a review would hold the interpreter against the acks
    Slack waits 3 s for. A worker that dies is replaced (a broken pool takes no work).

    Acks come first, but not at any price: once the oldest unfinished review has waited
    BACKLOG_LIMIT, each new ack waits for the workers to catch up (at most ACK_DELAY_LIMIT),
    so a flood beyond what they can review slows the acks instead of pushing every review
    past Slack's 3 s."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._room = threading.Condition()
        self._waiting: dict[Future, float] = {}  # unfinished work, oldest first
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> ReviewWorkers:
        with self._room:
            self._pool = self._start()
        return self

    def _start(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            REVIEW_PROCESSES,
            mp_context=multiprocessing.get_context("spawn"),  # no fork of a threaded server
            initializer=start_worker,
            initargs=(self._settings,),
        )
        for ready in [pool.submit(os.getpid) for _ in range(REVIEW_PROCESSES)]:
            ready.result()  # started and warm now, not on the first /apology
        return pool

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        with self._room:
            if self._pool is None:
                raise RuntimeError("ReviewWorkers.start() first")
            self._room.wait_for(self._has_room, timeout=ACK_DELAY_LIMIT)
            try:
                future = self._pool.submit(fn, *args, **kwargs)
            except BrokenProcessPool:
                log.error("a review worker died; starting new ones")
                self._pool = self._start()
                future = self._pool.submit(fn, *args, **kwargs)
            self._waiting[future] = time.monotonic()
        future.add_done_callback(self._finished)
        return future

    def _has_room(self) -> bool:
        oldest = next(iter(self._waiting.values()), None)
        return oldest is None or time.monotonic() - oldest < BACKLOG_LIMIT

    def _finished(self, future: Future) -> None:
        with self._room:
            del self._waiting[future]
            self._room.notify_all()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait, cancel_futures=cancel_futures)


def start_worker(settings: Settings) -> None:
    """A review worker: below the server in priority, deaf to the terminal's Ctrl-C (the
    server decides when to stop), its store open and its engine warm."""
    os.nice(REVIEW_NICENESS)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    configure_logging(settings.log_level)
    review("Sorry for the delay.", config=flow.process_services(settings).engine)


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # slack_sdk logs request details at DEBUG; keep them out even when we debug.
    logging.getLogger("slack_sdk").setLevel(max(logging.getLevelName(level), logging.INFO))


def serve(settings: Settings) -> None:
    """Run until SIGINT/SIGTERM. Raises ConfigError for settings Slack would refuse."""
    configure_logging(settings.log_level)
    settings.require_slack()
    try:
        load_rules(settings.engine_config().rules_path)  # a broken pack fails now, not per review
    except RulePackError as error:
        raise ConfigError(f"RULES_PATH: {error}") from None
    store = Store.from_settings(settings)
    workers = ReviewWorkers(settings)
    try:
        app = build_app(settings, store, listener_executor=workers)
    except BoltError as error:  # e.g. auth.test refused the bot token at start-up
        raise ConfigError(f"SLACK_BOT_TOKEN: Slack did not accept it ({error})") from None
    except (OSError, SlackApiError) as error:  # auth.test could not reach Slack at all
        reason = getattr(error, "reason", None) or error
        raise ConfigError(
            f"SLACK_API_URL: cannot reach Slack at {settings.slack_api_url} ({reason})"
        ) from None
    workers.start()
    dispatcher = Dispatcher.for_app(settings, store).start()  # reminder DMs, in a thread
    # SIGTERM ends either mode the way Ctrl-C does, so the shutdown below always runs.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if settings.socket_mode:
            _serve_socket_mode(app, settings)
        else:
            _serve_http(app, settings)
    except KeyboardInterrupt:
        pass
    finally:
        dispatcher.stop()
        workers.shutdown()  # the reviews already acked still get their answer
        store.close()


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def _serve_socket_mode(app: App, settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, settings.slack_app_token)
    try:
        handler.connect()
        print("slackapp: connected to Slack over Socket Mode", flush=True)
        threading.Event().wait()  # until SIGINT or SIGTERM
    finally:
        handler.close()


def _serve_http(app: App, settings: Settings) -> None:
    server = http_server(app, settings.host, settings.port)
    print(
        f"slackapp: listening on http://{settings.host}:{server.server_port}{EVENTS_PATH}",
        flush=True,
    )
    try:
        server.serve_forever()
    finally:
        server.server_close()
