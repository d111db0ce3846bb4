"""Properties of the review engine that must hold for any text a Slack user can paste."""

from __future__ import annotations

import json
from datetime import datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from slackapp.review import review
from slackapp.review.model import FINDING_CODES, PART_NAMES, PROMISE_KINDS, SEVERITIES

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("America/New_York"))
TZ = "America/New_York"

TOP_KEYS = {"parts", "findings", "apology_count", "severity", "promises", "rewrite"}
FINDING_KEYS = {"code", "start", "end", "text", "message", "suggestion"}
PROMISE_KEYS = {"kind", "text", "start", "end", "due", "done"}

APOLOGY_PHRASES = (
    "We apologize for any inconvenience",
    "We apologize for any inconvenience this may have caused.",
    "I'm sorry you feel that way",
    "sorry if you were offended",
    "If we made a mistake,",
    "As per our policy",
    "due to a system error",
    "the courier lost your parcel",
    "mistakes were made",
    "there may have been an error on our side",
    "Sorry! So sorry... again, our apologies",
    "I am mortified",
    "oops, my bad 🙈",
    "as soon as possible",
    "we'll look into it",
    "this will never happen again",
    "we guarantee",
    "I'll refund the shipping fee today",
    "I'm sending a new one",
    "I'll call you tomorrow at 3pm",
    "I'll email you an update by Friday",
    "I've added a $20 credit",
    "our engineers will fix the sync bug within 24 hours",
    "I have already shipped a replacement",
    "your order #4417 arrived three days late",
    "That was our scheduling error.",
    "within 2 business days",
    "by 12/3",
)
SLACK_TOKENS = (
    "<@U123>",
    "<@U123|jane>",
    "<#C1|name>",
    "<!here>",
    "<https://x|label>",
    "<https://example.com/orders/4417>",
    "*bold*",
    "_it_",
    "~strike~",
    ":emoji:",
    ":white_check_mark:",
    "`code span`",
    "```\ncode block\n```",
    "> quoted line",
    "&amp;",
    "&lt;",
    "&gt;",
    "•",
    "\n",
    "\n\n",
)
ODD_CHARACTERS = (
    "\u0000",
    "\u0007",
    "\u001b[31m",
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\u202e",  # right-to-left override
    "\ufeff",
    "\ufffd",
    "e\u0301",  # combining accent
    "ﬁ",  # ligature: lower()/casefold() change its length
    "İ",  # lower() turns one character into two
    "ß",
    "👩‍👩‍👧",
    "🙈",
    "Ｓｏｒｒｙ",  # full-width
    "\r\n",
    "\t",
    "\u2028",
    "\u0085",
)

any_character = st.characters(exclude_categories=("Cs",))  # every code point but surrogates
plain_text = st.text(any_character, max_size=300)
phrase = st.sampled_from(APOLOGY_PHRASES)


def _wrap(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Slack markup around a phrase: the engine must see through it, offsets must not move."""
    wrappers = ("*{}*", "_{}_", "~{}~", "`{}`", "```{}```", "> {}", "<https://x|{}>", "<@U1|{}>")
    return st.builds(lambda w, s: w.format(s), st.sampled_from(wrappers), inner)


piece = st.one_of(
    phrase,
    _wrap(phrase),
    st.sampled_from(SLACK_TOKENS),
    st.sampled_from(ODD_CHARACTERS),
    st.text(any_character, max_size=12),
    st.text("abcdefghijklmnopqrstuvwxyz ,.!?'", max_size=30),
)
separator = st.sampled_from(("", " ", ". ", "\n", "\n> ", ", ", "! "))
slack_draft = st.builds(
    lambda pieces, sep: sep.join(pieces), st.lists(piece, max_size=25), separator
)
severity = st.sampled_from((None, *SEVERITIES))


def _repeated_to(chunk: str, length: int) -> str:
    return (chunk * (length // len(chunk) + 1))[:length]


big_draft = st.builds(
    _repeated_to,
    st.one_of(slack_draft, plain_text).filter(bool),
    st.sampled_from((2_000, 20_000, 100_000)),
)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_valid_review(text: str, result) -> None:
    """The contract's shape, types and span rules for a review of `text`."""
    as_dict = json.loads(json.dumps(result.to_dict(), allow_nan=False))  # serialisable
    assert as_dict == json.loads(result.to_json())
    assert as_dict.keys() >= TOP_KEYS
    assert set(as_dict["parts"]) == set(PART_NAMES)
    assert all(isinstance(value, bool) for value in as_dict["parts"].values())
    assert type(as_dict["apology_count"]) is int and as_dict["apology_count"] >= 0
    assert set(as_dict["severity"]) >= {"estimated", "used"}
    assert {as_dict["severity"]["estimated"], as_dict["severity"]["used"]} <= set(SEVERITIES)
    assert isinstance(as_dict["rewrite"], str)
    for finding in as_dict["findings"]:
        assert finding.keys() >= FINDING_KEYS
        assert finding["code"] in FINDING_CODES
        assert_span(text, finding)
        assert isinstance(finding["message"], str) and finding["message"]
        assert finding["suggestion"] is None or isinstance(finding["suggestion"], str)
    assert_no_overlap(as_dict["findings"])
    for promise in as_dict["promises"]:
        assert promise.keys() >= PROMISE_KEYS
        assert promise["kind"] in PROMISE_KINDS
        assert_span(text, promise)
        assert isinstance(promise["done"], bool)
        if promise["due"] is not None:
            assert datetime.fromisoformat(promise["due"]).utcoffset() is not None


def assert_span(text: str, item: dict) -> None:
    start, end = item["start"], item["end"]
    assert type(start) is int and type(end) is int
    assert 0 <= start <= end <= len(text), item
    assert item["text"] == text[start:end], item


def assert_no_overlap(findings: list[dict]) -> None:
    """One finding per span: where patterns overlap, the longest wins."""
    spans = sorted((f["start"], f["end"]) for f in findings)
    for (_, end), (next_start, _) in pairwise(spans):
        assert end <= next_start, spans


@FAST
@given(text=plain_text, chosen=severity)
def test_any_text_gives_a_valid_review(text: str, chosen: str | None) -> None:
    assert_valid_review(text, review(text, severity=chosen, now=NOW, tz=TZ))


@FAST
@given(text=slack_draft, chosen=severity)
def test_slack_markup_with_apology_phrases_gives_a_valid_review(
    text: str, chosen: str | None
) -> None:
    assert_valid_review(text, review(text, severity=chosen, now=NOW, tz=TZ))


@FEW
@given(text=big_draft)
def test_drafts_up_to_100_kb_give_a_valid_review(text: str) -> None:
    assert_valid_review(text, review(text, now=NOW, tz=TZ))


def test_empty_and_blank_text_give_a_valid_review() -> None:
    for text in ("", " ", "\n\n", "\u200b", "\x00"):
        assert_valid_review(text, review(text, now=NOW, tz=TZ))


@FAST
@given(text=slack_draft, chosen=severity)
# Found by hypothesis: a quote the rewrite had joined into its paragraph stopped being a quote.
@example(text="<@U123>> We apologize for any inconvenienceWe apologize for any inconvenience",
         chosen=None)
def test_reviewing_the_rewrite_finds_nothing(text: str, chosen: str | None) -> None:
    first = review(text, severity=chosen, now=NOW, tz=TZ)
    second = review(first.rewrite, severity=first.severity.used, now=NOW, tz=TZ)
    assert second.codes == (), (first.rewrite, [f.to_dict() for f in second.findings])
