"""Block Kit rendering holds Slack's limits whatever the review holds."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from slackapp import blocks
from slackapp.blocks import ReviewState
from slackapp.review.model import Finding, Parts, Promise, Review, SeverityAssessment


def huge_review(text: str = "x" * 5000, count: int = 300) -> Review:
    findings = tuple(Finding("hedging", i * 10, i * 10 + 5, text, text, text) for i in range(count))
    promises = tuple(
        Promise("refund", text, i, i + 1, datetime(2026, 12, 1, 17, tzinfo=UTC))
        for i in range(count)
    )
    return Review(
        Parts(),
        findings,
        9,
        SeverityAssessment("serious", "minor"),
        promises,
        text * 20,
        3,
        advice=(text,) * 5,
        suggest_gesture=True,
    )


def test_the_fullest_review_fits_a_message_and_a_modal() -> None:
    review = huge_review()
    state = ReviewState(now=0, draft_id="abc", dismissed=tuple(range(0, 400, 10)))
    message = blocks.review_message(review, state)
    assert len(message["blocks"]) <= 50
    Block.parse_all(message["blocks"])
    view = blocks.review_modal(review, state).to_dict()
    assert len(view["blocks"]) <= 100
    View(**view)
    shown = str(message["blocks"])
    assert blocks.TRUNCATED in shown and "more not shown" in shown


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab &<>`\n🙈"), min_size=1, max_size=20_000))
def test_code_chunks_keep_the_text_until_a_visible_cut(text: str) -> None:
    chunks = blocks.code_chunks(text, 3000, 3)
    assert all(len(chunk) <= 3000 and chunk.startswith("```\n") for chunk in chunks)
    pieces = [chunk[4:-4] for chunk in chunks]
    assert all(re.fullmatch(r"([^&]|&(amp|lt|gt);)*", piece, re.S) for piece in pieces)
    body, escaped = "".join(pieces), blocks.escape(text.replace("```", "`\u200b``"))
    if body != escaped:
        assert body.endswith("\n" + blocks.TRUNCATED)
        assert escaped.startswith(body.removesuffix("\n" + blocks.TRUNCATED))


def test_mrkdwn_control_characters_are_escaped() -> None:
    assert blocks.escape("<!here> & <@U1>") == "&lt;!here&gt; &amp; &lt;@U1&gt;"


def test_state_round_trips_compactly() -> None:
    state = ReviewState(
        now=1,
        draft="Sorry, “truly”",
        severity="serious",
        dismissed=(4, 9),
        channel="C1",
        ts="1.2",
        replaceable=True,
    )
    assert ReviewState.decode(state.encode()) == state
    assert len(ReviewState(now=1).encode()) < 20
