"""The browser sandbox without a browser: its page, its Slack-side state, how it signs what
it sends, its clock, and `slackapp run` choosing between Slack and the sandbox."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from slackapp import cli
from slackapp.config import Settings
from slackapp.sandbox.clock import SandboxClock
from slackapp.sandbox.run import SandboxRun, start_sandbox
from slackapp.sandbox.workspace import STATIC, Sandbox, signature

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO.parent / "shared" / "slack-specs"
CHANNEL = "C0SUPPORT"
DRAFT = "We apologize for any inconvenience. I'll call you back tomorrow at 3pm."

for _proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_proxy, None)


def fetch(url: str, body: dict[str, Any] | None = None) -> tuple[int, str, str]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


class FakeApp:
    """A stand-in for the app: checks each request's signature with slack_sdk's own
    verifier, records it, and answers with `reply` (the body of the app's ack)."""

    def __init__(self, secret: str) -> None:
        self.verifier = SignatureVerifier(secret)
        self.received: list[dict[str, Any]] = []
        self.reply = ""
        app = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                valid = app.verifier.is_valid_request(body, dict(self.headers))
                kind = self.headers["Content-Type"]
                parsed = json.loads(body) if kind == "application/json" else parse_qs(body)
                app.received.append({"valid": valid, "type": kind, "body": parsed})
                answer = app.reply.encode() if valid else b"invalid request"
                self.send_response(200 if valid else 401)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/slack/events"

    def payload(self, index: int = -1) -> dict[str, Any]:
        return json.loads(self.received[index]["body"]["payload"][0])


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    specs = SPECS if (SPECS / "web-api.methods").is_dir() else None
    with Sandbox(specs, user_tz="America/New_York") as fake:
        yield fake


@pytest.fixture
def app(sandbox: Sandbox) -> Iterator[FakeApp]:
    fake = FakeApp(sandbox.signing_secret)
    sandbox.app_url = fake.url
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def bot(sandbox: Sandbox) -> WebClient:
    return WebClient(token=sandbox.bot_token, base_url=sandbox.api_url)


def intent(sandbox: Sandbox, name: str, **body: Any) -> dict[str, Any]:
    status, _, text = fetch(f"{sandbox.base_url}/sandbox/{name}", body)
    assert status == 200, text
    return json.loads(text)


# --- signing ------------------------------------------------------------------------------


def test_signature_matches_slacks_published_example() -> None:
    body = (
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id="
        "G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook"
        "-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F3977"
        "00885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d1"
        "0d2c447fce8b6703c"
    )
    assert signature("8f742231b10e8888abcd99yyyzzz85a5", "1531420618", body) == (
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    )


def test_a_slash_command_is_signed_form_encoded_with_a_response_url(
    sandbox: Sandbox, app: FakeApp
) -> None:
    intent(sandbox, "command", channel=CHANNEL, text=f"/apology {DRAFT}")
    (request,) = app.received
    assert request["valid"] and request["type"] == "application/x-www-form-urlencoded"
    form = {key: values[0] for key, values in request["body"].items()}
    assert form["command"] == "/apology" and form["text"] == DRAFT
    assert form["channel_id"] == CHANNEL and form["user_id"] == sandbox.user_id
    assert form["response_url"].startswith(f"{sandbox.base_url}/response/")
    assert form["trigger_id"]


def test_a_wrong_secret_is_refused_by_the_app_and_shown_as_slackbot_would(
    sandbox: Sandbox, app: FakeApp
) -> None:
    sandbox.signing_secret = "not-the-apps-secret"
    answer = intent(sandbox, "command", channel=CHANNEL, text="/apology hi")
    assert answer == {"ok": False, "status": 401}
    (note,) = sandbox.ephemerals.values()
    assert note["user"] == "USLACKBOT" and "HTTP 401" in note["text"]


def test_unknown_commands_and_commands_in_threads_never_reach_the_app(
    sandbox: Sandbox, app: FakeApp
) -> None:
    intent(sandbox, "command", channel=CHANNEL, text="/nope x")
    intent(sandbox, "command", channel=CHANNEL, text="/apology x", thread_ts="1.000001")
    assert app.received == []
    notes = sorted(m["text"] for m in sandbox.ephemerals.values())
    assert notes == [
        "`/apology` is not supported in threads. Sorry!",
        "`/nope` is not a valid command.",
    ]


# --- response_url: ephemeral, replace_original, delete_original ---------------------------


def test_response_url_posts_become_ephemeral_messages_that_replace_and_delete(
    sandbox: Sandbox, app: FakeApp
) -> None:
    intent(sandbox, "command", channel=CHANNEL, text="/apology hello")
    url = app.received[0]["body"]["response_url"][0]
    post = lambda body: urllib.request.urlopen(  # noqa: E731
        urllib.request.Request(url, json.dumps(body).encode(), method="POST"), timeout=5
    )
    post({"text": "first", "response_type": "ephemeral"})
    ((key, message),) = sandbox.ephemerals.items()
    assert key[0] == CHANNEL and message["text"] == "first" and message["to"] == sandbox.user_id

    post({"text": "second", "replace_original": True, "blocks": [{"type": "divider"}]})
    assert [m["text"] for m in sandbox.ephemerals.values()] == ["second"]
    assert sandbox.ephemerals[key]["blocks"][0]["block_id"]  # Slack names unnamed blocks

    post({"delete_original": True})
    assert sandbox.ephemerals == {}
    post({"text": "shown to all", "response_type": "in_channel"})
    assert [m["text"] for m in sandbox.messages.values()] == ["shown to all"]
    post({"text": "fifth"})
    with pytest.raises(urllib.error.HTTPError) as used:  # Slack: 5 uses per response_url
        post({"text": "sixth"})
    assert used.value.code == 404


def test_a_click_on_an_ephemeral_message_carries_no_message_but_a_response_url(
    sandbox: Sandbox, app: FakeApp
) -> None:
    intent(sandbox, "command", channel=CHANNEL, text="/apology hello")
    sandbox.record_response(
        app.received[0]["body"]["response_url"][0].rsplit("/", 1)[1], {"text": "review"}
    )
    ((_, ts),) = sandbox.ephemerals
    values = {"promises": {"track_choice": {"type": "checkboxes", "selected_options": []}}}
    action = {"type": "button", "action_id": "track_promises", "value": "{}"}
    intent(sandbox, "action", channel=CHANNEL, ts=ts, block_id="promises", action=action,
           values=values)
    payload = app.payload()
    assert app.received[-1]["valid"] and payload["type"] == "block_actions"
    assert payload["container"] == {
        "type": "message", "message_ts": ts, "channel_id": CHANNEL, "is_ephemeral": True
    }
    assert "message" not in payload and payload["state"] == {"values": values}
    assert payload["actions"][0]["block_id"] == "promises"
    assert payload["response_url"].startswith(sandbox.base_url)


def test_a_click_on_a_dm_carries_the_message(sandbox: Sandbox, app: FakeApp) -> None:
    client = bot(sandbox)
    channel = client.conversations_open(users=sandbox.user_id)["channel"]["id"]
    assert channel == sandbox.dm_channel
    posted = client.chat_postMessage(channel=channel, text="Reminder", blocks=[
        {"type": "actions", "block_id": "promise:1", "elements": [
            {"type": "button", "action_id": "promise_done", "value": "1",
             "text": {"type": "plain_text", "text": "Mark done"}}]}])
    action = {"type": "button", "action_id": "promise_done", "value": "1"}
    intent(sandbox, "action", channel=channel, ts=posted["ts"], block_id="promise:1",
           action=action)
    payload = app.payload()
    assert payload["container"]["is_ephemeral"] is False
    assert payload["message"]["text"] == "Reminder"
    assert sandbox.state()["conversations"][channel][0]["text"] == "Reminder"


# --- messages, threads, modals, Home --------------------------------------------------------


def test_messages_and_thread_replies_are_kept_in_order(sandbox: Sandbox) -> None:
    parent = intent(sandbox, "message", channel=CHANNEL, text="Sorry about that!")
    intent(sandbox, "message", channel=CHANNEL, text="reply", thread_ts=parent["ts"])
    bot(sandbox).chat_postMessage(channel=CHANNEL, text="bot reply", thread_ts=parent["ts"])
    shown = sandbox.state()["conversations"][CHANNEL]
    assert [m["text"] for m in shown] == ["Sorry about that!", "reply", "bot reply"]
    assert [m.get("thread_ts") for m in shown] == [None, parent["ts"], parent["ts"]]


def test_the_shortcut_sends_the_message_and_a_trigger_that_opens_one_modal(
    sandbox: Sandbox, app: FakeApp
) -> None:
    message = intent(sandbox, "message", channel=CHANNEL, text="So sorry!")
    intent(sandbox, "shortcut", channel=CHANNEL, ts=message["ts"], callback_id="review_apology")
    payload = app.payload()
    assert app.received[-1]["valid"] and payload["type"] == "message_action"
    assert payload["message"]["text"] == "So sorry!" and payload["channel"]["id"] == CHANNEL
    client, view = bot(sandbox), {"type": "modal", "title": {"type": "plain_text", "text": "R"},
                                  "blocks": []}
    opened = client.views_open(trigger_id=payload["trigger_id"], view=view)["view"]
    pushed = client.views_push(trigger_id=sandbox._trigger(), view=view)["view"]
    assert [m["id"] for m in sandbox.state()["modals"]] == [opened["id"], pushed["id"]]
    with pytest.raises(SlackApiError) as spent:  # a trigger_id works once
        client.views_open(trigger_id=payload["trigger_id"], view=view)
    assert spent.value.response["error"] == "expired_trigger_id"


@pytest.mark.parametrize(
    ("reply", "expect"),
    [("", []), ('{"response_action": "clear"}', []),
     ('{"response_action": "errors", "errors": {"b": "Too long"}}', ["opened"]),
     ('{"response_action": "update", "view": {"type": "modal", "title": {"type": '
      '"plain_text", "text": "Updated"}, "blocks": []}}', ["Updated"])],
)
def test_a_submission_does_what_the_apps_ack_says(
    sandbox: Sandbox, app: FakeApp, reply: str, expect: list[str]
) -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "opened"}, "blocks": []}
    opened = bot(sandbox).views_open(trigger_id=sandbox._trigger(), view=view)["view"]
    app.reply = reply
    values = {"b": {"a": {"type": "plain_text_input", "value": "x"}}}
    intent(sandbox, "submit", view_id=opened["id"], values=values)
    payload = app.payload()
    assert payload["type"] == "view_submission" and payload["view"]["state"]["values"] == values
    modals = sandbox.state()["modals"]
    assert [m["title"]["text"] for m in modals] == expect
    if "errors" in reply:
        assert modals[0]["errors"] == {"b": "Too long"}


def test_opening_home_sends_a_signed_app_home_opened_event(
    sandbox: Sandbox, app: FakeApp
) -> None:
    intent(sandbox, "home", tab="home")
    (request,) = app.received
    assert request["valid"] and request["type"] == "application/json"
    assert request["body"]["type"] == "event_callback"
    assert request["body"]["event"]["type"] == "app_home_opened"
    assert request["body"]["event"]["user"] == sandbox.user_id
    bot(sandbox).views_publish(user_id=sandbox.user_id, view={"type": "home", "blocks": []})
    assert sandbox.state()["home"]["type"] == "home"


def test_calls_are_checked_against_slacks_method_reference(sandbox: Sandbox) -> None:
    if not sandbox.specs_dir:
        pytest.skip("../shared/slack-specs is not here")
    with pytest.raises(SlackApiError) as missing:
        bot(sandbox).api_call("chat.postMessage", json={"text": "no channel"})
    assert missing.value.response["error"] == "invalid_arguments"


# --- the page -------------------------------------------------------------------------------


def test_the_page_and_its_files_are_served_and_nothing_else(sandbox: Sandbox) -> None:
    status, kind, html = fetch(sandbox.base_url + "/")
    assert status == 200 and kind.startswith("text/html") and "/static/sandbox.js" in html
    status, kind, script = fetch(sandbox.base_url + "/static/sandbox.js")
    assert status == 200 and kind.startswith("text/javascript") and "poll()" in script
    for path in ("/static/../workspace.py", "/static/nope.js", "/etc/passwd", "/sandbox/nope"):
        assert fetch(sandbox.base_url + path)[0] == 404
    assert sandbox._server and sandbox._server.server_address[0] == "127.0.0.1"


def test_state_is_long_polled(sandbox: Sandbox) -> None:
    version = sandbox.state()["version"]
    threading.Timer(0.2, lambda: sandbox.add_message(CHANNEL, "U0YOU", "hi")).start()
    started = time.monotonic()
    status, _, body = fetch(f"{sandbox.base_url}/sandbox/state?after={version}")
    assert status == 200 and 0.1 < time.monotonic() - started < 5
    assert json.loads(body)["conversations"][CHANNEL][0]["text"] == "hi"


@pytest.mark.skipif(not shutil.which("node"), reason="node is not installed")
def test_the_script_parses() -> None:
    for script in STATIC.glob("*.js"):
        subprocess.run(["node", "--check", str(script)], check=True)


# --- the clock ------------------------------------------------------------------------------


def test_the_clock_only_moves_forward_and_finds_the_next_morning() -> None:
    start = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)  # Friday 5:30 pm in New York
    clock = SandboxClock(lambda: start)
    assert clock.advance(timedelta(hours=1)) == start + timedelta(hours=1)
    morning = clock.next_morning(ZoneInfo("America/New_York")).astimezone(
        ZoneInfo("America/New_York")
    )
    assert (morning.day, morning.hour, morning.minute) == (28, 9, 0)
    with pytest.raises(ValueError):
        clock.advance(timedelta(seconds=-1))


def test_clock_buttons_move_time_then_run_the_dispatcher(sandbox: Sandbox) -> None:
    ticks: list[datetime] = []
    sandbox.on_clock = lambda: ticks.append(sandbox.clock.now())
    before = sandbox.clock.now()
    intent(sandbox, "clock", step="day")
    intent(sandbox, "clock", step="hour")
    assert len(ticks) == 2 and ticks[1] - before >= timedelta(hours=25)
    ts = bot(sandbox).chat_postMessage(channel=CHANNEL, text="later")["ts"]
    assert float(ts) >= int((before + timedelta(hours=25)).timestamp())  # its time, in ts
    assert fetch(f"{sandbox.base_url}/sandbox/clock", {"step": "year"})[0] == 400


# --- with the real app ----------------------------------------------------------------------


@pytest.fixture
def running(tmp_path: Path) -> Iterator[SandboxRun]:
    settings = Settings.load({}, dotenv_path=None)
    with start_sandbox(
        settings, database=tmp_path / "app.db", user_tz="America/New_York",
        process_before_response=True,
    ) as run:
        yield run


def test_the_real_app_reviews_tracks_and_reminds_through_the_sandbox(
    running: SandboxRun,
) -> None:
    sandbox = running.sandbox
    intent(sandbox, "command", channel=CHANNEL, text=f"/apology {DRAFT}")
    (((_, ts), review),) = sandbox.wait_for(lambda: list(sandbox.ephemerals.items()))
    assert "Needs work" in review["text"]
    track = next(b for b in review["blocks"] if b["block_id"] == "promises")
    box, button = track["elements"]
    values = {"promises": {"track_choice": {"type": "checkboxes",
                                            "selected_options": box["initial_options"]}}}
    intent(sandbox, "action", channel=CHANNEL, ts=ts, block_id="promises", values=values,
           action={"type": "button", "action_id": "track_promises", "value": button["value"]})
    sandbox.wait_for(
        lambda: "Tracking 1 promise" in json.dumps(sandbox.ephemerals[(CHANNEL, ts)]["blocks"])
    )

    intent(sandbox, "clock", step="morning")  # tomorrow 9:00, before the 3pm deadline
    assert sandbox.state()["conversations"][sandbox.dm_channel] == []
    intent(sandbox, "clock", step="day")  # the day after: the due DM goes out at once
    (dm, *overdue) = sandbox.state()["conversations"][sandbox.dm_channel]
    assert dm["text"].startswith("You promised a call back by 3:00 pm")
    assert [b["type"] for b in dm["blocks"]] == ["section", "actions"]
    assert all("Overdue" in m["text"] for m in overdue)  # unless quiet hours hold it back
    intent(sandbox, "home", tab="home")
    home = sandbox.wait_for(lambda: sandbox.state()["home"])
    assert "Your promises" in json.dumps(home["blocks"])


def test_the_shortcut_can_replace_your_own_message_with_the_rewrite(
    running: SandboxRun,
) -> None:
    sandbox = running.sandbox
    posted = intent(sandbox, "message", channel=CHANNEL, text="Sorry for any inconvenience.")
    intent(sandbox, "shortcut", channel=CHANNEL, ts=posted["ts"], callback_id="review_apology")
    (modal,) = sandbox.wait_for(  # it opens at once, and the review fills it
        lambda: [m for m in sandbox.state()["modals"] if "replace" in json.dumps(m["blocks"])]
    )
    replace = next(b for b in modal["blocks"] if b["block_id"] == "replace")
    (button,) = replace["elements"]
    intent(sandbox, "action", view_id=modal["id"], block_id="replace", values={},
           action={"type": "button", "action_id": "replace_draft", "value": button["value"]})
    edited = sandbox.wait_for(
        lambda: sandbox.messages[(CHANNEL, posted["ts"])]["text"] != "Sorry for any inconvenience."
        and sandbox.messages[(CHANNEL, posted["ts"])]["text"]
    )
    assert "[" in edited  # the rewrite, with its placeholders


# --- slackapp run ---------------------------------------------------------------------------


def test_run_serves_slack_when_credentials_are_set(monkeypatch, tmp_path: Path) -> None:
    calls: list[str] = []
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("slackapp.server.serve", lambda settings: calls.append("serve"))
    monkeypatch.setattr("slackapp.sandbox.run.run", lambda settings: calls.append("sandbox"))
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main(["run"]) == 0
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-1\nSLACK_SIGNING_SECRET=s\n")
    assert cli.main(["run"]) == 0
    assert calls == ["sandbox", "serve"]


def test_slackapp_run_without_credentials_prints_one_line_with_the_page(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env |= {"PORT": "0", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "slackapp", "run"], cwd=tmp_path, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        url = line.split("open ", 1)[1].strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        assert fetch(url)[0] == 200
    finally:
        process.terminate()
        out, err = process.communicate(timeout=10)
    assert process.returncode in (0, -15) and out == "" and "Traceback" not in err
