"""The browser sandbox: FakeSlack grown into a one-person workspace with a page.

`Sandbox` is a `FakeSlack` (the same Web API stand-in the tests use) that also:
- serves a Slack-like page (static/) and its state as JSON, long-polled;
- plays Slack's side towards the app: slash commands, the message shortcut, clicks,
  modal submissions and `app_home_opened`, each signed with the signing secret exactly
  as Slack signs them (v0 HMAC-SHA256 of `v0:{ts}:{body}`, ts from the wall clock);
- shows what the app sends back: `response_url` posts (ephemeral, replace_original,
  delete_original), messages and thread replies, DMs, modals and the App Home;
- runs a clock that buttons push forward, then lets the reminder dispatcher catch up.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time as time_of_day
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode
from zoneinfo import ZoneInfo

from slackapp.sandbox.clock import SandboxClock
from slackapp.sandbox.slack_api import Answer, FakeSlack, Identity, SlackError, _Page

STATIC = Path(__file__).parent / "static"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
SLACKBOT = "USLACKBOT"
RESPONSE_URL_USES, RESPONSE_URL_TTL = 5, 30 * 60  # Slack: 5 uses within 30 minutes
TRIGGER_TTL = 3.0  # seconds; a trigger_id is also single use
CLOCK_STEPS = {"hour": timedelta(hours=1), "day": timedelta(days=1)}
# slack_sdk sends loopback calls through a proxy when one is set; the sandbox never should.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def signature(secret: str, timestamp: str, body: str) -> str:
    """Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class _Target:
    """Where a response_url's posts land: its channel and the message it may replace."""

    channel: str
    original: str | None
    ephemeral: bool
    expires: float = field(default_factory=lambda: time.monotonic() + RESPONSE_URL_TTL)
    uses: int = 0


@dataclass
class Sandbox(FakeSlack):
    """`Sandbox(app_url=..., signing_secret=...).start()`; open `sandbox.base_url + "/"`."""

    app_url: str | None = None
    signing_secret: str = field(default_factory=lambda: secrets.token_hex(16))
    app_name: str = "slackapp"
    api_app_id: str = "A0SANDBOX"
    user_id: str = "U0YOU"
    user_name: str = "you"
    user_token: str = "xoxp-sandbox-you"
    user_tz: str = "America/New_York"
    channels: dict[str, str] = field(default_factory=lambda: {"C0SUPPORT": "support"})
    commands: tuple[str, ...] = ("/apology",)
    clock: SandboxClock = field(default_factory=SandboxClock)
    morning: time_of_day = time_of_day(9, 0)  # "next morning" (where quiet hours end)
    on_clock: Callable[[], object] | None = None  # e.g. one reminder dispatch run

    def __post_init__(self) -> None:
        super().__post_init__()
        self.add_user(self.user_id, tz=self.user_tz, token=self.user_token)
        self.users[self.user_id]["name"] = self.user_name
        self.dm_channel = "D" + self.user_id.lstrip("UW")  # what conversations.open answers
        self.modals: list[str] = []  # the open modal stack, view ids, top last
        self.view_errors: dict[str, dict[str, str]] = {}
        self._targets: dict[str, _Target] = {}
        self._triggers: dict[str, float] = {}
        self._spent_triggers: set[str] = set()
        self.handlers |= {"views.open": self._open_modal, "views.push": self._push_modal}
        self.intents: dict[str, Callable[[dict[str, Any]], Answer]] = {
            "message": self.post_message,
            "command": self.run_command,
            "shortcut": self.run_shortcut,
            "action": self.click,
            "submit": self.submit,
            "close": self.close_modal,
            "home": self.open_home,
            "clock": self.advance_clock,
        }

    def epoch(self) -> float:
        return self.clock.now().timestamp()

    # --- what the person does (the page posts these to /sandbox/<intent>) ------------------

    def post_message(self, intent: dict[str, Any]) -> Answer:
        text = str(intent.get("text") or "").strip()
        if not text:
            raise ValueError("nothing to post")
        message = self.add_message(
            intent["channel"], self.user_id, text, thread_ts=intent.get("thread_ts") or None
        )
        return {"ok": True, "ts": message["ts"]}

    def run_command(self, intent: dict[str, Any]) -> Answer:
        """`/apology <draft>`: a signed, form-encoded slash command with a response_url."""
        channel = intent["channel"]
        command, _, text = str(intent.get("text") or "").strip().partition(" ")
        if intent.get("thread_ts"):
            return self._slackbot(channel, f"`{command}` is not supported in threads. Sorry!")
        if command not in self.commands:
            return self._slackbot(channel, f"`{command}` is not a valid command.")
        target = self._target(channel, None, ephemeral=True)
        form = {
            "token": "sandbox",
            "team_id": self.team_id,
            "team_domain": "sandbox",
            "channel_id": channel,
            "channel_name": self._channel_name(channel),
            "user_id": self.user_id,
            "user_name": self.user_name,
            "command": command,
            "text": text.strip(),
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "false",
            "response_url": self.response_url(target),
            "trigger_id": self._trigger(),
        }
        return self._deliver(urlencode(form), command, channel, target)

    def run_shortcut(self, intent: dict[str, Any]) -> Answer:
        """A message shortcut from a message's "⋯" menu: `message_action` with a trigger_id."""
        channel, ts = intent["channel"], intent["ts"]
        with self._lock:
            message = dict(self.messages[(channel, ts)])
        payload = {
            **self._from_person(),
            "type": "message_action",
            "callback_id": intent.get("callback_id", "review_apology"),
            "trigger_id": self._trigger(),
            "message_ts": ts,
            "message": message,
            "channel": {"id": channel, "name": self._channel_name(channel)},
            "response_url": self.response_url(self._target(channel, None, ephemeral=True)),
            "action_ts": f"{time.time():.6f}",
        }
        return self._deliver(_form(payload), "The shortcut", channel)

    def click(self, intent: dict[str, Any]) -> Answer:
        """A click or a choice in a message, an ephemeral message, a modal or the Home tab."""
        action = {
            **intent["action"],
            "block_id": intent["block_id"],
            "action_ts": f"{time.time():.6f}",
        }
        values = intent.get("values") or {}
        payload: dict[str, Any] = {
            **self._from_person(),
            "type": "block_actions",
            "trigger_id": self._trigger(),
            "actions": [action],
        }
        if intent.get("view_id"):
            with self._lock:
                view = self.views[intent["view_id"]]
            payload["container"] = {"type": "view", "view_id": view["id"]}
            payload["view"] = {**view, "state": {"values": values}}
            return self._deliver(_form(payload), "That action")
        channel, ts = intent["channel"], intent["ts"]
        with self._lock:
            ephemeral = (channel, ts) in self.ephemerals
            message = None if ephemeral else dict(self.messages[(channel, ts)])
        payload["container"] = {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        }
        payload["channel"] = {"id": channel, "name": self._channel_name(channel)}
        payload["state"] = {"values": values}
        payload["response_url"] = self.response_url(self._target(channel, ts, ephemeral))
        if message is not None:  # Slack sends no copy of an ephemeral message
            payload["message"] = message
        return self._deliver(_form(payload), "That action", channel)

    def submit(self, intent: dict[str, Any]) -> Answer:
        """The modal's submit button: `view_submission`, then do what the app's ack says."""
        view_id = intent["view_id"]
        with self._lock:
            view = self.views[view_id]
        payload = {
            **self._from_person(),
            "type": "view_submission",
            "trigger_id": self._trigger(),
            "view": {**view, "state": {"values": intent.get("values") or {}}},
            "response_urls": [],
        }
        status, body = self._post(_form(payload), "application/x-www-form-urlencoded")
        if status != 200:
            return {"ok": False, "error": f"the app answered HTTP {status}"}
        answer = json.loads(body) if body.strip() else {}
        with self._lock:
            self.view_errors.pop(view_id, None)
            kind = answer.get("response_action")
            if kind == "errors":
                self.view_errors[view_id] = answer.get("errors") or {}
            elif kind == "update":
                self._store_view(view_id, {"view": answer["view"]}, self._bot())
            elif kind == "push":
                pushed = f"V{next(self._ids):08d}"
                self._store_view(pushed, {"view": answer["view"]}, self._bot())
                self.modals.append(pushed)
            elif kind == "clear":
                self.modals.clear()
            elif view_id in self.modals:
                self.modals.remove(view_id)
            self.changed()
        return {"ok": True, "response_action": kind}

    def close_modal(self, intent: dict[str, Any]) -> Answer:
        with self._lock:
            if intent["view_id"] in self.modals:
                self.modals.remove(intent["view_id"])
            self.changed()
        return {"ok": True}

    def open_home(self, intent: dict[str, Any]) -> Answer:
        """Opening the app's Home (or Messages) tab: a signed JSON `app_home_opened` event."""
        tab = intent.get("tab", "home")
        event: dict[str, Any] = {
            "type": "app_home_opened",
            "user": self.user_id,
            "channel": self.dm_channel,
            "tab": tab,
            "event_ts": f"{time.time():.6f}",
        }
        with self._lock:
            if home := self.views.get(f"H{self.user_id}"):
                event["view"] = home
        body = {
            "token": "sandbox",
            "team_id": self.team_id,
            "api_app_id": self.api_app_id,
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{next(self._ids):010d}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": self.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        status, _ = self._post(json.dumps(body), "application/json")
        return {"ok": status == 200, "status": status}

    def advance_clock(self, intent: dict[str, Any]) -> Answer:
        """Move on by an hour, a day or to the next morning; then run the reminders due."""
        step = intent.get("step")
        if step == "morning":
            self.clock.next_morning(ZoneInfo(self.user_tz), self.morning)
        elif step in CLOCK_STEPS:
            self.clock.advance(CLOCK_STEPS[step])
        else:
            raise ValueError(f"unknown clock step {step!r}")
        with self._lock:
            self.changed()
        if self.on_clock:
            self.on_clock()
        return {"ok": True, "now": self.clock.now().isoformat()}

    # --- talking to the app ----------------------------------------------------------------

    def _post(self, body: str, content_type: str) -> tuple[int, str]:
        """POST `body` to the app, signed as Slack signs it; (status, body), 502 if unreachable."""
        if not self.app_url:
            raise RuntimeError("the sandbox has no app_url to send to")
        timestamp = str(int(time.time()))  # the wall clock: the app rejects skew over 5 min
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature(self.signing_secret, timestamp, body),
        }
        request = urllib.request.Request(self.app_url, body.encode(), headers, method="POST")
        try:
            with _DIRECT.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except OSError as error:
            return 502, str(error)

    def _deliver(
        self, body: str, what: str, channel: str | None = None, target: str | None = None
    ) -> Answer:
        """Send; an error shows up as Slackbot would tell it, and a non-empty ack (a slash
        command may answer in its HTTP response) is shown as the app's reply."""
        status, text = self._post(body, "application/x-www-form-urlencoded")
        if status != 200:
            if channel:
                self._slackbot(channel, f"{what} failed: the app answered HTTP {status}.")
            return {"ok": False, "status": status}
        if target and text.strip():
            try:
                reply = json.loads(text)
            except ValueError:
                reply = {"text": text}
            self.record_response(target, reply if isinstance(reply, dict) else {"text": text})
        return {"ok": True, "status": status}

    def _from_person(self) -> dict[str, Any]:
        return {
            "team": {"id": self.team_id, "domain": "sandbox"},
            "user": {
                "id": self.user_id,
                "username": self.user_name,
                "name": self.user_name,
                "team_id": self.team_id,
            },
            "api_app_id": self.api_app_id,
            "token": "sandbox",
            "is_enterprise_install": False,
        }

    def _channel_name(self, channel: str) -> str:
        return self.channels.get(channel, "directmessage")

    def _bot(self) -> Identity:
        return self.tokens[self.bot_token]

    def _trigger(self) -> str:
        trigger = f"{next(self._ids)}.{int(time.time())}.{secrets.token_hex(8)}"
        self._triggers[trigger] = time.monotonic() + TRIGGER_TTL
        return trigger

    def _target(self, channel: str, original: str | None, ephemeral: bool) -> str:
        name = f"r{next(self._ids)}{secrets.token_hex(4)}"
        self._targets[name] = _Target(channel, original, ephemeral)
        return name

    def _slackbot(self, channel: str, text: str) -> Answer:
        with self._lock:
            ts = self._ts()
            self.ephemerals[(channel, ts)] = {
                "type": "message",
                "user": SLACKBOT,
                "text": text,
                "ts": ts,
                "to": self.user_id,
            }
            self.changed()
        return {"ok": False, "error": text}

    # --- what the app does (Web API and response_url), on top of FakeSlack ----------------

    def apply_response(self, name: str, body: dict[str, Any]) -> tuple[int, str]:
        target = self._targets.get(name)
        if target is None:
            return 200, "ok"  # a name a test made up: recorded only
        if target.uses >= RESPONSE_URL_USES or time.monotonic() > target.expires:
            return 404, "used_url"
        target.uses += 1
        where = self.ephemerals if target.ephemeral else self.messages
        key = (target.channel, target.original or "")
        if body.get("delete_original"):
            where.pop(key, None)
            return 200, "ok"
        if not body.get("text") and not body.get("blocks"):
            return 400, "no_text"
        if body.get("replace_original") and key in where:
            where[key]["text"] = body.get("text", "")
            where[key]["blocks"] = _name_blocks(body.get("blocks") or [])
            return 200, "ok"
        bot = self._bot()
        message = self._message(body, bot)
        if body.get("response_type") == "in_channel":
            self.messages[(target.channel, message["ts"])] = message
        else:
            self.ephemerals[(target.channel, message["ts"])] = {**message, "to": self.user_id}
        if target.original is None:
            target.original = message["ts"]
            target.ephemeral = body.get("response_type") != "in_channel"
        return 200, "ok"

    def _message(self, args: dict[str, Any], who: Identity) -> dict[str, Any]:
        message = super()._message(args, who)
        _name_blocks(message.get("blocks") or [])
        return message

    def _update(self, args: dict[str, Any], who: Identity) -> Answer:
        answer = super()._update(args, who)
        _name_blocks(self._existing(args).get("blocks") or [])
        return answer

    def _store_view(self, view_id: str, args: dict[str, Any], who: Identity) -> dict[str, Any]:
        view = super()._store_view(view_id, args, who)
        _name_blocks(view.get("blocks") or [])
        self.view_errors.pop(view_id, None)
        return view

    def _open_modal(self, args: dict[str, Any], who: Identity) -> Answer:
        self._spend_trigger(args.get("trigger_id"))
        answer = self._views_open(args, who)
        self.modals = [answer["view"]["id"]]
        return answer

    def _push_modal(self, args: dict[str, Any], who: Identity) -> Answer:
        self._spend_trigger(args.get("trigger_id"))
        if len(self.modals) >= 3:
            raise SlackError("push_limit_reached")
        answer = self._views_open(args, who)
        self.modals.append(answer["view"]["id"])
        return answer

    def _spend_trigger(self, trigger: str | None) -> None:
        """A trigger the sandbox issued works once, within 3 seconds (others pass: tests)."""
        if trigger in self._spent_triggers:
            raise SlackError("expired_trigger_id")
        expires = self._triggers.pop(trigger or "", None)
        if expires is not None:
            self._spent_triggers.add(trigger or "")
            if time.monotonic() > expires:
                raise SlackError("expired_trigger_id")

    # --- the page --------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """Everything the page shows, as JSON-ready data."""
        with self._lock:
            conversations: dict[str, list[dict[str, Any]]] = {
                channel: [] for channel in [*self.channels, self.dm_channel]
            }
            for store, ephemeral in ((self.messages, False), (self.ephemerals, True)):
                for (channel, _), message in store.items():
                    shown = {**message, "channel": channel, "ephemeral": ephemeral}
                    conversations.setdefault(channel, []).append(shown)
            for messages in conversations.values():
                messages.sort(key=lambda m: tuple(int(p) for p in m["ts"].split(".")))
            modals = [{**self.views[v], "errors": self.view_errors.get(v, {})} for v in self.modals]
            return {
                "version": self.version,
                "now": self.clock.now().isoformat(),
                "ahead_seconds": int(self.clock.offset.total_seconds()),
                "zone": self.user_tz,
                "me": {"id": self.user_id, "name": self.user_name},
                "app": {"name": self.app_name, "user_id": self.bot_user_id},
                "channels": [{"id": c, "name": n} for c, n in self.channels.items()],
                "dm": self.dm_channel,
                "conversations": conversations,
                "modals": modals,
                "home": self.views.get(f"H{self.user_id}"),
            }

    def serve_page(self, method: str, path: str, query: str, raw: bytes) -> _Page | None:
        if method == "GET" and path in ("/", "/index.html"):
            return _static("index.html")
        if method == "GET" and path.startswith("/static/"):
            return _static(path.removeprefix("/static/"))
        if method == "GET" and path == "/sandbox/state":
            after = int((parse_qs(query).get("after") or ["-1"])[0])
            self.wait_for_change(after, timeout=20.0)
            with self._lock:  # dumped while nothing can change it
                return _Page(200, json.dumps(self.state()).encode())
        intent = self.intents.get(path.removeprefix("/sandbox/"))
        if method != "POST" or not path.startswith("/sandbox/") or intent is None:
            return None
        try:
            answer = intent(json.loads(raw or b"{}"))
        except (KeyError, ValueError, TypeError) as error:
            return _Page(400, json.dumps({"ok": False, "error": repr(error)}).encode())
        return _Page(200, json.dumps(answer).encode())


def _form(payload: dict[str, Any]) -> str:
    """Interactivity is form-encoded: `payload=<JSON>`."""
    return urlencode({"payload": json.dumps(payload)})


def _name_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Slack gives every block without a block_id a random one when it stores it."""
    for block in blocks:
        if isinstance(block, dict):
            block.setdefault("block_id", secrets.token_urlsafe(4))
    return blocks


def _static(name: str) -> _Page | None:
    path = STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file():
        return None
    return _Page(200, path.read_bytes(), CONTENT_TYPES.get(path.suffix, "text/plain"))
