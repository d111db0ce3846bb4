"""manifest.yml is a valid v1 manifest and asks for exactly what the code uses."""

from __future__ import annotations

import json

import pytest
import yaml
from jsonschema import Draft7Validator

from slackapp import app
from slackapp.listeners import commands, shortcuts

from .conftest import REPO, SPECS

SCHEMA = SPECS / "manifest.schema.1.0.0.json"


@pytest.fixture
def manifest() -> dict:
    return yaml.safe_load((REPO / "manifest.yml").read_text())


def test_manifest_validates_against_slacks_schema(manifest: dict) -> None:
    if not SCHEMA.is_file():
        pytest.skip(f"Slack's manifest schema not found at {SCHEMA} (../shared/slack-specs)")
    errors = sorted(Draft7Validator(json.loads(SCHEMA.read_text())).iter_errors(manifest), key=str)
    assert [e.message for e in errors] == []


def test_manifest_matches_the_code(manifest: dict) -> None:
    features = manifest["features"]
    assert [c["command"] for c in features["slash_commands"]] == [commands.COMMAND]
    assert [(s["type"], s["callback_id"]) for s in features["shortcuts"]] == [
        ("message", shortcuts.CALLBACK_ID)
    ]
    scopes = manifest["oauth_config"]["scopes"]
    assert tuple(scopes["bot"]) == app.BOT_SCOPES and tuple(scopes["user"]) == app.USER_SCOPES
    assert features["app_home"]["home_tab_enabled"] and features["app_home"]["messages_tab_enabled"]
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert manifest["settings"]["interactivity"]["is_enabled"]
