"""Only requests signed by Slack, recently, reach a listener."""

from __future__ import annotations

import time

from .conftest import SECRET, Running, signature

SLACK_VECTOR_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id="
    "G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-"
    "collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F3977008"
    "85554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c44"
    "7fce8b6703c"
)


def test_signature_matches_slacks_published_example() -> None:
    assert signature("8f742231b10e8888abcd99yyyzzz85a5", "1531420618", SLACK_VECTOR_BODY) == (
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    )


def test_forged_unsigned_and_stale_requests_are_refused(running: Running) -> None:
    running.slack.reset()
    attempts = {
        "forged": {"secret": "not-the-secret"},
        "unsigned": {"secret": None},
        "stale": {"timestamp": int(time.time()) - 301},
        "from the future": {"timestamp": int(time.time()) + 360},  # margin: time passes
    }
    for name, how in attempts.items():
        reply = running.command("Sorry for the inconvenience.", **how)
        assert reply.status == 401, name
    time.sleep(0.2)  # a listener that slipped through would call Slack by now
    assert running.slack.calls == [] and running.slack.responses == []
    assert running.command("help", secret=SECRET).status == 200
