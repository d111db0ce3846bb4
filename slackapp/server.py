"""serve(settings): Socket Mode when SLACK_APP_TOKEN is set, else HTTP.

HTTP uses the stdlib's WSGI server with a thread per request (Bolt's own dev server binds
0.0.0.0); it answers Slack at /slack/events (and the OAuth install/redirect paths when
OAuth is on) and load balancers at GET /healthz, bound to HOST (127.0.0.1 by default).
"""

from __future__ import annotations

import fcntl
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App, BoltRequest, BoltResponse, Respond
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError

from slackapp.app import build_app
from slackapp.config import ConfigError, Settings
from slackapp.listeners import flow
from slackapp.reminders import Dispatcher
from slackapp.review import warm_up
from slackapp.review.rules import RulePackError, load_rules
from slackapp.store import Store

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
# Two, so that one review waiting out a Retry-After does not hold up everyone's.
REVIEW_PROCESSES = 2
REVIEW_NICENESS = 19  # when the cores are busy, the OS runs the acks first (see run_worker)
# Past this backlog (the oldest unfinished review's wait, in seconds) new acks wait, so
# that reviews keep arriving within Slack's 3 s ...
BACKLOG_LIMIT = 1.0
# ... but an ack waits at most this long: it has its own 3 s, and workers stuck waiting
# out a Retry-After must not hold every ack for long.
ACK_DELAY_LIMIT = 1.0
SHUTDOWN_WAIT = 30.0  # seconds a stopping worker gets to finish the requests it was sent


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


# Requests whose ack is an empty 200: the review workers run their listeners whole. A view
# submission's ack carries the next modal, so the server's own app answers it.
FORWARDED_TYPES = frozenset({"block_actions", "message_action"})
PIPE_BYTES = 1 << 20  # room for a few hundred requests in flight (Linux caps pipes at 1 MB)
WORKER_START_LIMIT = 60.0  # seconds for a worker to import, open its store and warm up


def forwarded(body: dict[str, Any]) -> bool:
    """Slash commands, block actions and message shortcuts: their ack carries nothing."""
    return "command" in body or body.get("type") in FORWARDED_TYPES


@dataclass
class _Worker:
    process: BaseProcess
    inbox: Connection  # the write end of the worker's pipe
    # Requests sent and not yet known finished, oldest first: when, and their response_url.
    unfinished: deque[tuple[float, str | None]] = field(default_factory=deque)
    finished: int = 0  # how many it has finished, as far as `unfinished` knows
    alive: bool = True  # takes requests
    watched: bool = True  # to be replaced if it dies (until a replacement fails to start)


class ReviewWorkers:
    """Processes that each run the whole Bolt app for requests acked with an empty 200.

    As Bolt middleware in the server (`take`), it acks such a request once Bolt has
    verified it, and sends the raw request to the least busy worker through a pipe; the
    worker's app (`build_app(behind_server=True)`) runs its listener, review included. So
    the server does less per request than a bare Bolt app, and a review never holds the
    GIL the acks need; the workers run at a lower CPU priority. Two, so that one review
    waiting out a Retry-After does not hold up everyone's.

    Acks come first, but not at any price: once the oldest unfinished request has waited
    BACKLOG_LIMIT, each new ack waits for the workers to catch up (at most ACK_DELAY_LIMIT),
    so a flood beyond what they can review slows the acks instead of pushing every review
    past Slack's 3 s. A worker that dies is replaced, and the agents whose requests it held
    are told."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self._finished = self._context.RawArray("q", REVIEW_PROCESSES)  # each worker's count
        self._workers: list[_Worker] = []
        self._stopping = threading.Event()

    def start(self) -> ReviewWorkers:
        self._workers = [self._spawn(slot) for slot in range(REVIEW_PROCESSES)]
        threading.Thread(target=self._watch, name="review-workers", daemon=True).start()
        return self

    @property
    def pids(self) -> list[int | None]:
        return [worker.process.pid for worker in self._workers]

    def take(self, req: BoltRequest, next: Callable[[], None]) -> BoltResponse | None:
        """Bolt middleware: ack a forwarded request and send it on; let the rest through."""
        if not forwarded(req.body):
            next()
            return None
        self._wait_for_room()
        self._send(req)
        return BoltResponse(status=200, body="")

    def _send(self, req: BoltRequest) -> None:
        raw = (req.raw_body if req.mode == "http" else req.body, req.headers, req.mode)
        with self._lock:
            self._forget_finished()
            live = [worker for worker in self._workers if worker.alive]
            for worker in sorted(live, key=lambda worker: len(worker.unfinished)):
                try:
                    worker.inbox.send(raw)
                except OSError:  # it died a moment ago; the watcher replaces it
                    worker.alive = False
                    continue
                worker.unfinished.append((time.monotonic(), req.body.get("response_url")))
                return
        raise RuntimeError("no review worker is running")

    def _forget_finished(self) -> None:
        """Drop from each worker's `unfinished` what its shared counter says it finished."""
        for slot, worker in enumerate(self._workers):
            while worker.finished < self._finished[slot] and worker.unfinished:
                worker.unfinished.popleft()
                worker.finished += 1

    def _wait_for_room(self) -> None:
        deadline = time.monotonic() + ACK_DELAY_LIMIT
        while time.monotonic() < deadline:
            with self._lock:
                self._forget_finished()
                sent = [w.unfinished[0][0] for w in self._workers if w.alive and w.unfinished]
            if not sent or time.monotonic() - min(sent) < BACKLOG_LIMIT:
                return
            time.sleep(0.01)

    def _spawn(self, slot: int) -> _Worker:
        reader, writer = self._context.Pipe(duplex=False)
        with suppress(OSError):  # the default 64 KB holds only a few dozen requests
            fcntl.fcntl(writer.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        ready = self._context.Event()
        self._finished[slot] = 0
        process = self._context.Process(
            target=run_worker,
            args=(self._settings, reader, self._finished, slot, ready),
            name=f"review-worker-{slot}",
            daemon=True,
        )
        process.start()
        reader.close()
        deadline = time.monotonic() + WORKER_START_LIMIT
        while not ready.wait(0.05):  # started and warm now, not on the first /apology
            if not process.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"review worker {slot} did not start")
        return _Worker(process, writer)

    def _watch(self) -> None:
        """Replace each worker that dies, and tell whoever was waiting on it."""
        while not self._stopping.is_set():
            with self._lock:
                slots = {w.process.sentinel: n for n, w in enumerate(self._workers) if w.watched}
            for sentinel in wait(list(slots), timeout=1.0):
                if not self._stopping.is_set():
                    self._replace(slots[sentinel])  # type: ignore[index]

    def _replace(self, slot: int) -> None:
        with self._lock:
            self._forget_finished()
            dead = self._workers[slot]
            dead.alive = dead.watched = False
            dead.inbox.close()
            lost = [url for _, url in dead.unfinished]
        log.error("a review worker died with %d request(s) unfinished; starting another", len(lost))
        for url in filter(None, lost):  # a click in a modal has no response_url
            flow.report_error(WorkerDied(), kind="review", respond=Respond(response_url=url))
        try:
            replacement = self._spawn(slot)
        except (RuntimeError, OSError) as error:
            log.error("%s; running with one worker fewer", error)
            return
        with self._lock:
            if not self._stopping.is_set():
                self._workers[slot] = replacement
                return
        replacement.inbox.close()  # `serve` stopped while it started: it gets no work
        replacement.process.join(SHUTDOWN_WAIT)

    def shutdown(self) -> None:
        """Let the workers finish what they were sent (they were acked), then stop them."""
        self._stopping.set()
        with self._lock:
            for worker in self._workers:
                worker.inbox.close()
        for worker in self._workers:
            worker.process.join(SHUTDOWN_WAIT)
            if worker.process.is_alive():
                worker.process.terminate()


class WorkerDied(Exception):
    """A review worker died while a request it had been sent was unfinished."""


def run_worker(settings: Settings, inbox: Connection, finished: Any, slot: int, ready: Any) -> None:
    """A review worker: below the server in priority, deaf to the terminal's Ctrl-C (the
    server decides when to stop), its store open, its engine warm; then each request the
    server sends, through the same Bolt app, until the server closes the pipe."""
    os.nice(REVIEW_NICENESS)
    with suppress(AttributeError, OSError):  # Linux: run only when a core would idle
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    configure_logging(settings.log_level)
    warm_up(settings.engine_config())
    store = Store.from_settings(settings)
    app = build_app(settings, store, behind_server=True)
    ready.set()
    try:
        while True:
            try:
                body, headers, mode = inbox.recv()
            except EOFError:
                return
            try:
                app.dispatch(BoltRequest(body=body, headers=headers, mode=mode))
            except Exception:  # Bolt reports listener errors itself; this is a last resort
                log.exception("a review worker could not handle a request")
            finished[slot] += 1
    finally:
        store.close()


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
        app = build_app(settings, store)
    except BoltError as error:  # e.g. auth.test refused the bot token at start-up
        raise ConfigError(f"SLACK_BOT_TOKEN: Slack did not accept it ({error})") from None
    except (OSError, SlackApiError) as error:  # auth.test could not reach Slack at all
        reason = getattr(error, "reason", None) or error
        raise ConfigError(
            f"SLACK_API_URL: cannot reach Slack at {settings.slack_api_url} ({reason})"
        ) from None
    workers.start()
    app.middleware(workers.take)
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
        workers.shutdown()  # the requests already acked still get their answer
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
