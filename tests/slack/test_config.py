"""Settings: env over .env, defaults, and one line naming the bad setting."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from slackapp.config import ConfigError, Settings


def test_defaults_and_engine_config() -> None:
    settings = Settings.load({}, dotenv_path=None)
    assert (settings.port, settings.host, settings.slack_api_url) == (
        3000,
        "127.0.0.1",
        "https://slack.com/api/",
    )
    assert settings.quiet_hours == (time(18), time(9)) and not settings.store_drafts
    engine = Settings.load(
        {"WORKDAY_END": "18:30", "DATE_ORDER": "dmy", "HOLIDAY_COUNTRY": "gb"}, dotenv_path=None
    ).engine_config()
    assert (engine.workday_end, engine.date_order, engine.holiday_country) == (
        time(18, 30),
        "DMY",
        "GB",
    )


def test_real_environment_wins_over_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("PORT=4000\nLOG_LEVEL=debug\n# a comment\nSLACK_API_URL=http://x:1/api\n")
    settings = Settings.load({"PORT": "5000"}, dotenv_path=dotenv)
    assert (settings.port, settings.log_level, settings.slack_api_url) == (
        5000,
        "DEBUG",
        "http://x:1/api/",
    )


@pytest.mark.parametrize(
    ("env", "starts"),
    [
        ({"SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN: expected a token starting with"),
        ({"SLACK_API_URL": "slack.com"}, "SLACK_API_URL: expected an http(s) URL"),
        ({"WORKDAY_END": "5pm"}, "WORKDAY_END: expected a time as HH:MM"),
        ({"RETENTION_DAYS": "-1"}, "RETENTION_DAYS: expected a whole number"),
        ({"STORE_DRAFTS": "maybe"}, "STORE_DRAFTS: expected true or false"),
        ({"RULES_PATH": "/nope.toml"}, "RULES_PATH: no such file"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL: expected DEBUG or INFO"),
    ],
)
def test_malformed_settings_name_themselves(env: dict[str, str], starts: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.load(env, dotenv_path=None)
    assert str(caught.value).startswith(starts) and "\n" not in str(caught.value)


def test_serving_needs_slack_credentials() -> None:
    with pytest.raises(ConfigError, match=r"^SLACK_CLIENT_SECRET: required"):
        Settings.load(
            {"SLACK_CLIENT_ID": "1.2", "SLACK_SIGNING_SECRET": "s"}, dotenv_path=None
        ).require_slack()
    oauth = Settings.load(
        {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"},
        dotenv_path=None,
    )
    assert oauth.require_slack().oauth_enabled
    socket = Settings.load(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, dotenv_path=None
    )
    assert socket.require_slack().socket_mode  # no signing secret needed over a socket


def test_env_example_lists_every_setting_and_loads_as_the_defaults() -> None:
    from .conftest import REPO

    example = REPO / ".env.example"
    keys = {
        line.split("=", 1)[0]
        for line in example.read_text().splitlines()
        if line and not line.startswith("#")
    }
    documented = (REPO / "docs" / "configuration.md").read_text()
    fields = {name.upper() for name in Settings.__dataclass_fields__}
    assert keys == fields
    assert all(f"`{key}`" in documented for key in fields)
    assert Settings.load({}, dotenv_path=example) == Settings()
