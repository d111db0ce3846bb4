"""serve(settings): Socket Mode when SLACK_APP_TOKEN is set, else HTTP.

HTTP uses the stdlib's WSGI server with a thread per request (Bolt's own dev server binds
0.0.0.0); it answers Slack at /slack/events (and the OAuth install/redirect paths when
OAuth is on) and load balancers at GET /healthz, bound to HOST (127.0.0.1 by default).
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError

from slackapp.app import build_app
from slackapp.config import ConfigError, Settings
from slackapp.reminders import Dispatcher
from slackapp.review.rules import RulePackError, load_rules
from slackapp.store import Store

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"


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
    # Reviews are CPU-bound and share one GIL with the acks: a shorter switch interval
    # keeps each ack from waiting long behind a review.
    sys.setswitchinterval(0.001)
    try:
        app = build_app(settings, store)
    except BoltError as error:  # e.g. auth.test refused the bot token at start-up
        raise ConfigError(f"SLACK_BOT_TOKEN: Slack did not accept it ({error})") from None
    except (OSError, SlackApiError) as error:  # auth.test could not reach Slack at all
        reason = getattr(error, "reason", None) or error
        raise ConfigError(
            f"SLACK_API_URL: cannot reach Slack at {settings.slack_api_url} ({reason})"
        ) from None
    dispatcher = Dispatcher.for_app(settings, store).start()  # reminder DMs, in a thread
    if settings.socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        print("slackapp: connected to Slack over Socket Mode", flush=True)
        SocketModeHandler(app, settings.slack_app_token).start()
        return
    server = http_server(app, settings.host, settings.port)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(
        f"slackapp: listening on http://{settings.host}:{server.server_port}{EVENTS_PATH}",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        dispatcher.stop()
        store.close()
