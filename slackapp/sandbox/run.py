"""`slackapp run` without Slack credentials: the real app, served over HTTP as `serve`
does, against the browser sandbox, in one process that shares the sandbox's clock.

    with start_sandbox(settings) as running:   # tests
        running.url                               # the page to open

`run(settings)` is the blocking form that `make run` uses: it prints one line, the URL.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slackapp.app import build_app
from slackapp.config import Settings
from slackapp.reminders import Dispatcher
from slackapp.review import warm_up
from slackapp.sandbox.workspace import Sandbox
from slackapp.server import EVENTS_PATH, ThreadingWSGIServer, configure_logging, http_server
from slackapp.store import Store

PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)
# Slack's method reference beside the project (../shared), used to check every call's
# arguments when present; SLACK_SPECS_DIR points elsewhere.
DEFAULT_SPECS = Path(__file__).resolve().parents[2].parent / "shared" / "slack-specs"


def specs_dir() -> Path | None:
    path = Path(os.environ.get("SLACK_SPECS_DIR") or DEFAULT_SPECS)
    return path if (path / "web-api.methods").is_dir() else None


def local_zone_name() -> str:
    """This machine's IANA zone (TZ, else /etc/localtime), so sandbox times match the wall."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(str(Path("/etc/localtime").resolve()).partition("zoneinfo/")[2])
    for name in candidates:
        try:
            if name and ZoneInfo(name):
                return name
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return "UTC"


@dataclass
class SandboxRun:
    """The sandbox page and API, the app behind it, its store and reminder dispatcher."""

    sandbox: Sandbox
    settings: Settings
    store: Store
    server: ThreadingWSGIServer
    dispatcher: Dispatcher

    @property
    def url(self) -> str:
        return self.sandbox.base_url + "/"

    def stop(self) -> None:
        self.dispatcher.stop()
        self.server.shutdown()
        self.server.server_close()
        self.sandbox.stop()
        self.store.close()

    def __enter__(self) -> SandboxRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_sandbox(
    settings: Settings,
    *,
    port: int = 0,
    database: Path | None = None,
    user_tz: str | None = None,
    process_before_response: bool = False,
) -> SandboxRun:
    """Start the sandbox on 127.0.0.1:`port`, then the real app pointed at it."""
    for name in PROXY_VARIABLES:  # slack_sdk would send even loopback calls through a proxy
        os.environ.pop(name, None)
    sandbox = Sandbox(specs_dir(), port=port, user_tz=user_tz or local_zone_name()).start()
    sandbox.morning = settings.quiet_hours[1]
    if database is None:
        database = Path(tempfile.mkdtemp(prefix="slackapp-sandbox-")) / "sandbox.db"
    app_settings = replace(
        settings,
        slack_bot_token=sandbox.bot_token,
        slack_signing_secret=sandbox.signing_secret,
        slack_user_token=sandbox.user_token,
        slack_app_token=None,
        slack_client_id=None,
        slack_client_secret=None,
        slack_api_url=sandbox.api_url,
        database_path=database,
    )
    store = Store.from_settings(app_settings)
    warm_up(app_settings.engine_config())  # reviews run inline here: the first is not slower
    app = build_app(app_settings, store, process_before_response=process_before_response)
    server = http_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, name="slackapp-http", daemon=True).start()
    sandbox.app_url = f"http://127.0.0.1:{server.server_port}{EVENTS_PATH}"
    dispatcher = Dispatcher.for_app(app_settings, store)
    dispatcher.clock = sandbox.clock.now  # reminders fall due on the sandbox's time
    store.clock = sandbox.clock.now  # and what the agent does is stamped with it
    dispatcher.poll_interval = 5.0
    sandbox.on_clock = lambda: dispatcher.run_once(max_wait=timedelta(0))
    dispatcher.start()
    return SandboxRun(sandbox, app_settings, store, server, dispatcher)


def run(settings: Settings) -> None:
    """Serve until Ctrl-C; print the page's URL (one line). DATABASE_PATH, when set, keeps
    the sandbox's promises; else they live in a temporary file."""
    configure_logging(os.environ.get("LOG_LEVEL", "WARNING").upper())
    database = settings.database_path if os.environ.get("DATABASE_PATH") else None
    running = start_sandbox(settings, port=settings.port, database=database)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    print(f"slackapp: no Slack credentials, so try it locally: open {running.url}", flush=True)
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
