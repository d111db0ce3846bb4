"""Settings: read once from the environment and `.env`, validated with one clear line per error.

Real environment variables always win over `.env` (python-dotenv never overrides them).
`Settings.load()` checks formats only, so `slackapp review` works without Slack credentials;
`require_slack()` adds the checks that serving needs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from dotenv import dotenv_values

from slackapp.review.config import EngineConfig

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


class ConfigError(ValueError):
    """A missing or malformed setting; str() is the one line to show the operator."""


@dataclass(frozen=True)  # no slots: the class attributes double as the defaults below
class Settings:
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_user_token: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    database_path: Path = Path("./slackapp.db")
    host: str = "127.0.0.1"
    port: int = 3000
    workday_end: time = time(17, 0)
    holiday_country: str | None = None
    date_order: str = "MDY"
    rules_path: Path | None = None
    store_drafts: bool = False
    retention_days: int = 90
    checkin_after_days: int = 3
    quiet_hours: tuple[time, time] = (time(18, 0), time(9, 0))
    log_level: str = "INFO"

    @classmethod
    def load(
        cls, env: Mapping[str, str] | None = None, dotenv_path: str | Path | None = ".env"
    ) -> Settings:
        """Settings from `env` (default: os.environ) over the values in `dotenv_path`."""
        file_values = (
            dotenv_values(dotenv_path) if dotenv_path and Path(dotenv_path).is_file() else {}
        )
        merged = {k: v for k, v in file_values.items() if v is not None}
        merged.update(os.environ if env is None else env)
        return cls(**{name: parse(_get(merged, key)) for key, name, parse in _FIELDS})

    @property
    def oauth_enabled(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    def require_slack(self) -> Settings:
        """Check that the credentials for `serve` are all there; returns self."""
        if bool(self.slack_client_id) != bool(self.slack_client_secret):
            missing = "SLACK_CLIENT_SECRET" if self.slack_client_id else "SLACK_CLIENT_ID"
            raise ConfigError(f"{missing}: required when the other OAuth setting is set")
        if not self.oauth_enabled and not self.slack_bot_token:
            raise ConfigError(
                "SLACK_BOT_TOKEN: required (or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)"
            )
        if not self.slack_signing_secret and not self.socket_mode:
            raise ConfigError("SLACK_SIGNING_SECRET: required to verify requests over HTTP")
        if self.oauth_enabled and self.socket_mode:
            raise ConfigError("SLACK_APP_TOKEN: Socket Mode cannot serve the OAuth install flow")
        return self

    def engine_config(self) -> EngineConfig:
        return EngineConfig(
            workday_end=self.workday_end,
            holiday_country=self.holiday_country,
            date_order=self.date_order,  # type: ignore[arg-type]
            rules_path=self.rules_path,
        )


def _get(values: Mapping[str, Any], key: str) -> str | None:
    value = values.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _fail(key: str, expected: str, value: str) -> ConfigError:
    return ConfigError(f"{key}: expected {expected}, got {value!r}")


def _optional(parse: Callable[[str, str], Any], key: str, default: Any = None):
    return key, lambda value: default if value is None else parse(key, value)


def _token(prefix: str) -> Callable[[str, str], str]:
    def parse(key: str, value: str) -> str:
        if not value.startswith(prefix):
            # Never echo a token-like value back: it may be a real secret in the wrong slot.
            raise ConfigError(f"{key}: expected a token starting with {prefix!r}")
        return value

    return parse


def _text(key: str, value: str) -> str:
    return value


def _url(key: str, value: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise _fail(key, "an http(s) URL", value)
    return value if value.endswith("/") else value + "/"


def _int_in(low: int, high: int) -> Callable[[str, str], int]:
    def parse(key: str, value: str) -> int:
        if not value.isdigit() or not low <= int(value) <= high:
            raise _fail(key, f"a whole number from {low} to {high}", value)
        return int(value)

    return parse


def _hhmm(key: str, value: str) -> time:
    match = _HHMM.match(value)
    if not match:
        raise _fail(key, "a time as HH:MM (24-hour)", value)
    return time(int(match[1]), int(match[2]))


def _span(key: str, value: str) -> tuple[time, time]:
    start, sep, end = value.partition("-")
    if not sep or not _HHMM.match(start.strip()) or not _HHMM.match(end.strip()):
        raise _fail(key, "a span as HH:MM-HH:MM", value)
    return _hhmm(key, start.strip()), _hhmm(key, end.strip())


def _choice(*choices: str) -> Callable[[str, str], str]:
    def parse(key: str, value: str) -> str:
        if value.upper() not in choices:
            raise _fail(key, " or ".join(choices), value)
        return value.upper()

    return parse


def _bool(key: str, value: str) -> bool:
    if value.lower() not in _TRUE + _FALSE:
        raise _fail(key, "true or false", value)
    return value.lower() in _TRUE


def _country(key: str, value: str) -> str:
    import holidays  # imported here: only needed when a country is configured

    if value.upper() not in holidays.list_supported_countries():
        raise _fail(key, "an ISO 3166 country code that `holidays` supports", value)
    return value.upper()


def _existing_file(key: str, value: str) -> Path:
    path = Path(value).expanduser()
    if not path.is_file():
        raise ConfigError(f"{key}: no such file {value!r}")
    return path


def _path(key: str, value: str) -> Path:
    return Path(value).expanduser()


# (environment key, Settings field, parser of the stripped value or None when unset)
_FIELDS: tuple[tuple[str, str, Callable[[str | None], Any]], ...] = tuple(
    (key, key.lower(), parse)
    for key, parse in (
        _optional(_token("xoxb-"), "SLACK_BOT_TOKEN"),
        _optional(_text, "SLACK_SIGNING_SECRET"),
        _optional(_token("xapp-"), "SLACK_APP_TOKEN"),
        _optional(_token("xoxp-"), "SLACK_USER_TOKEN"),
        _optional(_text, "SLACK_CLIENT_ID"),
        _optional(_text, "SLACK_CLIENT_SECRET"),
        _optional(_url, "SLACK_API_URL", Settings.slack_api_url),
        _optional(_path, "DATABASE_PATH", Settings.database_path),
        _optional(_text, "HOST", Settings.host),
        _optional(_int_in(0, 65535), "PORT", Settings.port),
        _optional(_hhmm, "WORKDAY_END", Settings.workday_end),
        _optional(_country, "HOLIDAY_COUNTRY"),
        _optional(_choice("MDY", "DMY"), "DATE_ORDER", Settings.date_order),
        _optional(_existing_file, "RULES_PATH"),
        _optional(_bool, "STORE_DRAFTS", Settings.store_drafts),
        _optional(_int_in(1, 3650), "RETENTION_DAYS", Settings.retention_days),
        _optional(_int_in(1, 365), "CHECKIN_AFTER_DAYS", Settings.checkin_after_days),
        _optional(_span, "QUIET_HOURS", Settings.quiet_hours),
        _optional(_choice(*LOG_LEVELS), "LOG_LEVEL", Settings.log_level),
    )
)
