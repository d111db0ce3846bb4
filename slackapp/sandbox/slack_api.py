"""A local, in-memory stand-in for Slack's Web API (and for `response_url`s).

It answers like Slack for the methods this app uses, records every call, checks each
call's required arguments against Slack's own method reference
(`web-api.methods/<method>.json`, `args.required`) when given that directory, and can
be told to fail the next calls with 429 (Retry-After) or 500. Tests, benchmarks and the
browser sandbox all drive the real app against it.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

Answer = dict[str, Any]


@dataclass(frozen=True)
class Call:
    method: str
    args: dict[str, Any]
    token: str | None


@dataclass(frozen=True)
class Identity:
    team_id: str
    user_id: str
    bot_id: str | None = None


@dataclass
class _Failure:
    status: int
    remaining: int
    retry_after: int | None


class SlackError(Exception):
    """Raised by a method handler: becomes `{"ok": false, "error": code}`."""

    def __init__(self, code: str, *messages: str) -> None:
        super().__init__(code)
        self.code = code
        self.messages = messages


@dataclass
class FakeSlack:
    """`with FakeSlack(specs_dir) as slack:` serves on 127.0.0.1 at `slack.api_url`."""

    specs_dir: Path | None = None
    team_id: str = "T0TEAM"
    bot_token: str = "xoxb-fake-bot"
    bot_user_id: str = "U0BOT"
    bot_id: str = "B0BOT"
    calls: list[Call] = field(default_factory=list)
    responses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    ephemerals: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, Identity] = field(default_factory=dict)
    port: int = 0  # 0: any free port on 127.0.0.1

    def __post_init__(self) -> None:
        self.tokens.setdefault(
            self.bot_token, Identity(self.team_id, self.bot_user_id, self.bot_id)
        )
        self._lock = threading.Condition()
        self._failures: list[_Failure] = []
        self._errors: dict[str, list[str]] = {}
        self._ids = itertools.count(1)
        self._specs: dict[str, dict[str, Any] | None] = {}
        self._server: ThreadingHTTPServer | None = None
        self.version = 0  # bumped on every change, so a page can wait for news
        self._stopped = False
        self.handlers: dict[str, Callable[[dict[str, Any], Identity], Answer]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.update": self._update,
            "chat.delete": self._delete,
            "chat.getPermalink": self._permalink,
            "conversations.open": self._open_im,
            "views.open": self._views_open,
            "views.push": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "users.info": self._users_info,
        }

    # --- set-up and inspection ---------------------------------------------------------------

    def start(self) -> FakeSlack:
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler_for(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        with self._lock:  # pages waiting for news get their answer now, not seconds later
            self._stopped = True
            self._lock.notify_all()
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server, "call start() first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.base_url}/response/{name}"

    def add_user(
        self, user_id: str, *, tz: str = "America/New_York", token: str | None = None
    ) -> None:
        """A workspace member; with `token`, also a user token that acts as them."""
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team_id,
            "name": user_id.lower(),
            "tz": tz,
        }
        if token:
            self.tokens[token] = Identity(self.team_id, user_id)

    def add_message(
        self, channel: str, user: str, text: str, *, thread_ts: str | None = None
    ) -> dict[str, Any]:
        """A message someone typed (a thread reply with `thread_ts`)."""
        message = {
            "type": "message",
            "user": user,
            "text": text,
            "ts": self._ts(),
            "team": self.team_id,
        }
        if thread_ts:
            message["thread_ts"] = thread_ts
        with self._lock:
            self.messages[(channel, message["ts"])] = message
            self.changed()
        return message

    def fail_next(self, count: int, *, status: int = 429, retry_after: int | None = 1) -> None:
        """Answer the next `count` API calls with `status` (429 carries Retry-After)."""
        with self._lock:
            self._failures.append(_Failure(status, count, retry_after if status == 429 else None))

    def fail_method(self, method: str, error: str) -> None:
        """Answer the next call to `method` with `{"ok": false, "error": error}`."""
        with self._lock:
            self._errors.setdefault(method, []).append(error)

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Block until `predicate()` is truthy (re-checked on every call); return its value."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not (result := predicate()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("the stand-in saw no matching call in time")
                self._lock.wait(remaining)
            return result

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.responses.clear()

    def changed(self) -> None:
        """Note a change (call with the lock held) and wake whoever waits for one."""
        self.version += 1
        self._lock.notify_all()

    def wait_for_change(self, after: int, timeout: float) -> int:
        """Block until `version` passes `after` (or `timeout` seconds); the version."""
        with self._lock:
            self._lock.wait_for(lambda: self.version > after or self._stopped, timeout)
            return self.version

    # --- request handling --------------------------------------------------------------------

    def answer(
        self, method: str, args: dict[str, Any], token: str | None
    ) -> tuple[int, Answer, dict[str, str]]:
        """(HTTP status, JSON body, extra headers) for one Web API call."""
        with self._lock:  # one call at a time: handlers share the message and view dicts
            failure = self._take_failure()
            self.calls.append(Call(method, args, token))
            self.changed()
            if failure:
                retry = failure.retry_after
                headers = {"Retry-After": str(retry)} if retry is not None else {}
                error = "ratelimited" if failure.status == 429 else "internal_error"
                return failure.status, {"ok": False, "error": error}, headers
            try:
                return 200, {"ok": True, **self._dispatch(method, args, token)}, {}
            except SlackError as error:
                body: Answer = {"ok": False, "error": error.code}
                if error.messages:
                    body["response_metadata"] = {"messages": list(error.messages)}
                return 200, body, {}

    def record_response(self, name: str, body: dict[str, Any]) -> tuple[int, str]:
        """A POST to a `response_url`: recorded, then applied by `apply_response`."""
        with self._lock:
            self.responses.append((name, body))
            self.changed()
            return self.apply_response(name, body)

    def apply_response(self, name: str, body: dict[str, Any]) -> tuple[int, str]:
        """(HTTP status, body) for a response_url post; the sandbox shows it as Slack would."""
        return 200, "ok"

    def serve_page(self, method: str, path: str, query: str, raw: bytes) -> _Page | None:
        """Anything but the Web API and response URLs: None is a 404 (the sandbox adds pages)."""
        return None

    def _take_failure(self) -> _Failure | None:
        while self._failures and self._failures[0].remaining <= 0:
            self._failures.pop(0)
        if not self._failures:
            return None
        self._failures[0].remaining -= 1
        return self._failures[0]

    def _dispatch(self, method: str, args: dict[str, Any], token: str | None) -> Answer:
        spec = self._spec(method)
        if method not in self.handlers or (self.specs_dir and spec is None):
            raise SlackError("unknown_method")
        if spec:
            given = set(args) | ({"token"} if token else set())
            missing = [
                name for name in spec.get("args", {}).get("required") or [] if name not in given
            ]
            if missing:
                raise SlackError(
                    "invalid_arguments", *(f"missing required field: {m}" for m in missing)
                )
        if self._errors.get(method):
            raise SlackError(self._errors[method].pop(0))
        identity = self.tokens.get(token or "")
        if identity is None:
            raise SlackError("not_authed" if not token else "invalid_auth")
        return self.handlers[method](args, identity)

    def _spec(self, method: str) -> dict[str, Any] | None:
        if not self.specs_dir:
            return None
        if method not in self._specs:
            path = self.specs_dir / "web-api.methods" / f"{method}.json"
            self._specs[method] = json.loads(path.read_text()) if path.is_file() else None
        return self._specs[method]

    def _ts(self) -> str:
        return f"{int(self.epoch())}.{next(self._ids):06d}"

    def epoch(self) -> float:
        """Epoch seconds for new message timestamps (the sandbox's clock may run ahead)."""
        return time.time()

    # --- methods -------------------------------------------------------------------------

    def _auth_test(self, args: dict[str, Any], who: Identity) -> Answer:
        answer = {
            "url": "https://sandbox.slack.com/",
            "team": "Sandbox",
            "user": who.user_id.lower(),
            "team_id": who.team_id,
            "user_id": who.user_id,
        }
        return {**answer, "bot_id": who.bot_id} if who.bot_id else answer

    def _post_message(self, args: dict[str, Any], who: Identity) -> Answer:
        message = self._message(args, who)
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        self.messages[(args["channel"], message["ts"])] = message
        return {"channel": args["channel"], "ts": message["ts"], "message": message}

    def _post_ephemeral(self, args: dict[str, Any], who: Identity) -> Answer:
        message = {**self._message(args, who), "to": args["user"]}
        self.ephemerals[(args["channel"], message["ts"])] = message
        return {"message_ts": message["ts"]}

    def _message(self, args: dict[str, Any], who: Identity) -> dict[str, Any]:
        if not args.get("text") and not args.get("blocks"):
            raise SlackError("no_text")
        message = {
            "type": "message",
            "user": who.user_id,
            "text": args.get("text", ""),
            "ts": self._ts(),
        }
        if args.get("blocks"):
            message["blocks"] = _json_arg(args["blocks"])
        if who.bot_id:
            message["bot_id"] = who.bot_id
        return message

    def _update(self, args: dict[str, Any], who: Identity) -> Answer:
        message = self._existing(args)
        if message["user"] != who.user_id:
            raise SlackError("cant_update_message")
        if len(args.get("text") or "") > 4000:
            raise SlackError("msg_too_long")
        message["text"] = args.get("text", message["text"])
        if "blocks" in args:
            message["blocks"] = _json_arg(args["blocks"]) or []
        return {"channel": args["channel"], "ts": args["ts"], "text": message["text"]}

    def _delete(self, args: dict[str, Any], who: Identity) -> Answer:
        if self._existing(args)["user"] != who.user_id:
            raise SlackError("cant_delete_message")
        del self.messages[(args["channel"], args["ts"])]
        return {"channel": args["channel"], "ts": args["ts"]}

    def _existing(self, args: dict[str, Any]) -> dict[str, Any]:
        message = self.messages.get((args["channel"], args.get("ts") or args.get("message_ts")))
        if message is None:
            raise SlackError("message_not_found")
        return message

    def _permalink(self, args: dict[str, Any], who: Identity) -> Answer:
        channel, ts = args["channel"], args["message_ts"].replace(".", "")
        return {
            "channel": channel,
            "permalink": f"https://sandbox.slack.com/archives/{channel}/p{ts}",
        }

    def _open_im(self, args: dict[str, Any], who: Identity) -> Answer:
        users = args.get("users")
        if not users:
            raise SlackError("users_list_not_supplied")
        return {"channel": {"id": "D" + users.split(",")[0].lstrip("UW")}}

    def _views_open(self, args: dict[str, Any], who: Identity) -> Answer:
        if not args.get("trigger_id") and not args.get("interactivity_pointer"):
            raise SlackError("invalid_arguments", "invalid `trigger_id`")
        return {"view": self._store_view(f"V{next(self._ids):08d}", args, who)}

    def _views_update(self, args: dict[str, Any], who: Identity) -> Answer:
        view_id = args.get("view_id")
        if view_id not in self.views:
            raise SlackError("not_found")
        if args.get("hash") and args["hash"] != self.views[view_id]["hash"]:
            raise SlackError("hash_conflict")
        return {"view": self._store_view(view_id, args, who)}

    def _views_publish(self, args: dict[str, Any], who: Identity) -> Answer:
        return {"view": self._store_view(f"H{args['user_id']}", args, who)}

    def _store_view(self, view_id: str, args: dict[str, Any], who: Identity) -> dict[str, Any]:
        view = {
            **_json_arg(args["view"]),
            "id": view_id,
            "team_id": who.team_id,
            "hash": f"{int(time.time())}.{next(self._ids)}",
            "bot_id": who.bot_id,
        }
        self.views[view_id] = view
        return view

    def _users_info(self, args: dict[str, Any], who: Identity) -> Answer:
        user = self.users.get(args["user"])
        if user is None:
            raise SlackError("user_not_found")
        return {"user": user}


@dataclass(frozen=True)
class _Page:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"


def _json_arg(value: Any) -> Any:
    """Form-encoded calls carry `blocks`/`view` as JSON strings; JSON calls as objects."""
    return json.loads(value) if isinstance(value, str) else value


def _handler_for(slack: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def _serve(self) -> None:
            url = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if url.path.startswith("/api/"):
                args = {**dict(parse_qsl(url.query)), **self._body_args(raw)}
                auth = self.headers.get("Authorization", "")
                token = auth.removeprefix("Bearer ").strip() or args.pop("token", None)
                args.pop("token", None)
                status, body, headers = slack.answer(url.path.removeprefix("/api/"), args, token)
                self._send(status, json.dumps(body), headers)
            elif url.path.startswith("/response/") and self.command == "POST":
                name = url.path.removeprefix("/response/")
                status, text = slack.record_response(name, json.loads(raw or b"{}"))
                self._send(status, text, {}, content_type="text/plain")
            elif page := slack.serve_page(self.command, url.path, url.query, raw):
                self._send(page.status, page.body, {}, content_type=page.content_type)
            else:
                self._send(404, "not found", {}, content_type="text/plain")

        def _body_args(self, raw: bytes) -> dict[str, Any]:
            if not raw:
                return {}
            if self.headers.get("Content-Type", "").startswith("application/json"):
                return json.loads(raw)
            return dict(parse_qsl(raw.decode(), keep_blank_values=True))

        def _send(
            self,
            status: int,
            body: str | bytes,
            headers: dict[str, str],
            content_type: str = "application/json; charset=utf-8",
        ) -> None:
            data = body.encode() if isinstance(body, str) else body
            self.send_response(status, HTTPStatus(status).phrase)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

    return Handler
