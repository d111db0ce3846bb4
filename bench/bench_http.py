"""Signed `/apology` round trips through the real HTTP server, against a bare Bolt app.

Each app runs in its own process (its own GIL, as in production) behind the same threaded
WSGI server, against the Slack stand-in in this process, with production settings: the
ack is the HTTP answer and the review comes after it. The baseline is a Bolt app whose
only listener acks, configured the way slackapp acks (in the request thread): the ratio
is what our middleware, our listeners and the reviews running meanwhile cost the ack.
Each client sends signed, form-encoded slash commands back to back on a new connection
(as Slack does); we time request -> 200 and count requests/s at 1, 8 and 32 clients, and
time request -> review posted to its response_url. Both apps are up for the whole run
and take turns level by level (slackapp's level ends once all its reviews have arrived),
so that both meet much the same background load on a shared machine.

Run: `python -m bench http` (or `make bench` for every benchmark).
Targets: p99 < 50 ms at 8 clients; overhead (p50 ratio) <= 1.5x.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App

from slackapp.app import make_client
from slackapp.config import Settings
from slackapp.sandbox.slack_api import FakeSlack
from slackapp.server import http_server

SECRET = "bench-signing-secret"
LEVELS = (1, 8, 32)
REQUESTS = {1: 150, 8: 400, 32: 640}
WARMUP = 20
REVIEW_STATS = (("p50", 0.5), ("p99", 0.99), ("max", 1.0))
DRAFT = (
    "Hi Dana, we apologize for any inconvenience. Due to a system error your order #4411 "
    "shipped three days late. I will refund the $12.50 shipping fee by Friday and email you "
    "the tracking link as soon as possible."
)
REPO = Path(__file__).resolve().parents[1]
SPECS = REPO.parent / "shared" / "slack-specs"


def signed_headers(body: str) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }


@dataclass
class TimedSlack(FakeSlack):
    """The stand-in, noting when each response_url post (a finished review) arrives."""

    arrived: dict[str, float] = field(default_factory=dict)

    def record_response(self, name: str, body: dict[str, Any]) -> tuple[int, str]:
        self.arrived[name] = time.perf_counter()
        return super().record_response(name, body)


class SlackProcess:
    """The stand-in, run in a process of its own: its work on each response_url post must
    not take the GIL from the clients timing the acks (Slack's servers are elsewhere)."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve_stand_in, args=(child,), daemon=True)
        self._process.start()
        self.api_url, self.bot_token, self.team_id, self._base_url = self._conn.recv()

    def response_url(self, name: str) -> str:
        return f"{self._base_url}/response/{name}"

    def arrivals(self, count: int) -> dict[str, float]:
        """When each response_url post arrived (`time.perf_counter`, the same clock in every
        process), once `count` have."""
        self._conn.send(count)
        return self._conn.recv()

    def close(self) -> None:
        self._conn.send(None)
        self._process.join(10)


def _serve_stand_in(conn: Connection) -> None:
    with TimedSlack(SPECS if SPECS.is_dir() else None) as slack:
        slack.add_user("U0AGENT")
        conn.send((slack.api_url, slack.bot_token, slack.team_id, slack.base_url))
        while (count := conn.recv()) is not None:
            slack.wait_for(lambda: len(slack.responses) >= count, timeout=120)
            conn.send(dict(slack.arrived))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def command_body(slack: SlackProcess, name: str) -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": slack.team_id,
            "channel_id": "C0SUPPORT",
            "user_id": "U0AGENT",
            "command": "/apology",
            "text": DRAFT,
            "api_app_id": "A0APP",
            "response_url": slack.response_url(name),
            "trigger_id": "1.2.abc",
        }
    )


def one_request(port: int, body: str) -> float:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", "/slack/events", body=body, headers=signed_headers(body))
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}")
    finally:
        connection.close()
    return time.perf_counter() - started


def run_level(
    port: int, clients: int, total: int, body: Callable[[int], str], sent_at: dict[int, float]
) -> dict:
    """Ack latency and requests/s; `sent_at` gets when each request number was sent."""
    per_client = total // clients
    latencies: list[float] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        mine = []
        for n in range(offset, offset + per_client):
            sent_at[n] = time.perf_counter()
            mine.append(one_request(port, body(n)))
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(c * per_client,)) for c in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "p50": statistics.median(latencies) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "rps": len(latencies) / elapsed,
    }


def bare_server() -> None:
    """The baseline, run in its own process: a Bolt app whose only listener acks."""
    settings = Settings.load(dotenv_path=None)
    os.environ.pop("SLACK_BOT_TOKEN", None)  # the client carries it; Bolt would warn it is unused
    app = App(
        client=make_client(settings, settings.slack_bot_token),
        signing_secret=SECRET,
        process_before_response=True,  # as slackapp acks: Bolt's default polls every 10 ms
    )
    app.command("/apology")(lambda ack: ack())
    server = http_server(app, "127.0.0.1", 0)
    print(f"listening on http://127.0.0.1:{server.server_port}/slack/events", flush=True)
    server.serve_forever()


@contextmanager
def app_process(args: list[str], env: dict[str, str]) -> Iterator[int]:
    """Start an app in its own process (its own GIL, as in production); yield its port."""
    single_workspace = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_CLIENT_")}
    process = subprocess.Popen(
        [sys.executable, *args],
        env={**single_workspace, **env},
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        if "listening on" not in line:
            raise RuntimeError(f"{args} did not start: {line!r}")
        yield int(line.rsplit(":", 1)[1].split("/")[0])
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class Target:
    """One app under test, and how many commands it has been sent."""

    label: str
    port: int
    reviews: bool  # whether its answers come to response_url (the bare app sends none)
    sent: int = 0


def level(target: Target, slack: SlackProcess, clients: int, total: int) -> dict:
    """One level's stats; with reviews, it waits for them all and adds how long after its
    request each arrived (p50, p99 and the slowest, in ms)."""
    sent_at: dict[int, float] = {}
    base = target.sent

    def name(n: int) -> str:
        return f"{target.label}-{base + n}"

    stats = run_level(target.port, clients, total, lambda n: command_body(slack, name(n)), sent_at)
    target.sent += len(sent_at)
    if target.reviews:
        arrived = slack.arrivals(target.sent)
        waits = [arrived[name(n)] - t for n, t in sent_at.items()]
        stats |= {f"review {k}": percentile(waits, q) * 1000 for k, q in REVIEW_STATS}
    return stats


def measure(targets: tuple[Target, ...], slack: SlackProcess) -> dict[str, dict[int, dict]]:
    """Stats per app and client count. The apps take turns level by level, so that on a
    shared machine both meet much the same background load."""
    results: dict[str, dict[int, dict]] = {target.label: {} for target in targets}
    for target in targets:
        level(target, slack, 1, WARMUP)
    for clients in LEVELS:
        for target in targets:
            results[target.label][clients] = level(target, slack, clients, REQUESTS[clients])
    return results


def main() -> None:
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        os.environ.pop(proxy, None)
    slack = SlackProcess()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_PATH": str(Path(tmp) / "bench.db"),
            "PORT": "0",
            "LOG_LEVEL": "WARNING",
            "SLACK_APP_TOKEN": "",  # HTTP mode, whatever the shell says
        }
        with (
            app_process(["-m", "slackapp", "serve"], env) as our_port,
            app_process(["-m", "bench.bench_http", "--bare-server"], env) as bare_port,
        ):
            targets = (Target("slackapp", our_port, True), Target("bare", bare_port, False))
            results = measure(targets, slack)
    slack.close()
    ours, bare = results["slackapp"], results["bare"]
    print(f"signed /apology over HTTP ({len(DRAFT)}-char draft), ack latency per request")
    print(f"{'clients':>7} | {'app':<9} | {'p50 ms':>7} | {'p99 ms':>7} | {'req/s':>7}")
    for clients in LEVELS:
        for label, results in (("slackapp", ours), ("bare Bolt", bare)):
            r = results[clients]
            print(
                f"{clients:>7} | {label:<9} | {r['p50']:7.2f} | {r['p99']:7.2f} | {r['rps']:7.0f}"
            )
    print("review posted to response_url, after its request was sent (slackapp):")
    for clients in LEVELS:
        waits = ", ".join(f"{k} {ours[clients][f'review {k}']:.0f} ms" for k, _ in REVIEW_STATS)
        print(f"  {clients:>2} clients: {waits}")
    print("overhead (slackapp / bare Bolt):")
    for clients in LEVELS:
        o, b = ours[clients], bare[clients]
        print(
            f"  {clients:>2} clients: p50 {o['p50'] / b['p50']:.2f}x, "
            f"p99 {o['p99'] / b['p99']:.2f}x, throughput {b['rps'] / o['rps']:.2f}x"
        )
    p99_8 = ours[8]["p99"]
    ratio_8 = ours[8]["p50"] / bare[8]["p50"]
    verdict = "met" if p99_8 < 50 and ratio_8 <= 1.5 else "MISSED"
    print(
        f"targets (p99 < 50 ms at 8 clients, overhead <= 1.5x): {verdict} "
        f"(p99 {p99_8:.1f} ms, p50 ratio {ratio_8:.2f}x)"
    )


if __name__ == "__main__":
    bare_server() if sys.argv[1:] == ["--bare-server"] else main()
