"""Cues find exactly what their regex finds, while skipping drafts that cannot match."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from slackapp.review.cues import Cue, words_of
from slackapp.review.rules import compile_pattern, lexicon, load_rules
from slackapp.review.text import fold, mask

CORPUS = Path(__file__).parent / "fixtures" / "drafts.jsonl"
LEXICONS = (
    "problem", "ownership", "remedy", "error_reversal", "missed_contact",
    "serious", "repeated", "moderate", "minor",
)  # fmt: skip


def every_cue() -> list[Cue]:
    """Each lexicon entry, and each phrase rule without its hand-picked triggers."""
    cues = [cue for name in LEXICONS for cue in lexicon(name).cues]
    return cues + [Cue(rule.cue.regex, branches=rule.cue.branches) for rule in load_rules().rules]


def spans(matches: object) -> list[tuple[int, int]]:
    return [match.span() for match in matches]  # type: ignore[attr-defined]


def test_cues_find_what_a_full_scan_finds_on_every_corpus_draft() -> None:
    drafts = [json.loads(line)["text"] for line in CORPUS.open(encoding="utf-8")]
    cues = every_cue()
    for draft in drafts:
        lowered = fold(mask(draft))
        for cue in cues:
            assert spans(cue.finditer(lowered)) == spans(cue.regex.finditer(lowered)), (
                cue,
                draft,
            )


def test_most_cues_are_anchored_on_words() -> None:
    cues = every_cue()
    anchored = [cue for cue in cues if cue.words is not None]
    assert len(anchored) >= 0.9 * len(cues)


def test_a_cue_reads_its_anchor_words_off_the_pattern() -> None:
    cue = Cue(compile_pattern(r"\b(?:delayed|lost|cancell?ed) (?:parcel|order)\b", {}))
    assert cue.words is not None
    assert cue.words <= {"delayed", "lost", "canceled", "cancelled", "parcel", "order"}
    assert cue.hits("the box arrived in one piece") == []
    # Every match starts with one of these, so the regex is tried only where they occur.
    assert cue.head_words == {"delayed", "lost", "canceled", "cancelled"}
    assert [m.group() for m in cue.finditer("a lost parcel, then a cancelled order")] == [
        "lost parcel",
        "cancelled order",
    ]


def test_open_ended_words_become_fragments() -> None:
    cue = Cue(compile_pattern(r"\breimburs\w*", {}))
    assert cue.fragments == ("reimburs",)
    assert spans(cue.finditer("we reimbursed your fee")) == [(3, 13)]


def test_a_pattern_without_a_fixed_word_always_runs() -> None:
    cue = Cue(compile_pattern(r"[$£€] ?\d{4,}", {}))
    assert cue.words is None
    assert [m.group() for m in cue.finditer("a refund of $1250 today")] == ["$1250"]


def test_text_is_split_into_words_where_a_regex_boundary_falls() -> None:
    assert words_of("we didn't re-ship it: order#12") == {
        "we", "didn", "t", "re", "ship", "it", "order", "12",
    }  # fmt: skip
    assert "café" in words_of("the café order")


VOCABULARY = ["we", "i", "lost", "delayed", "order", "parcel", "sorry", "for", "the", "again"]
PATTERNS = [
    r"\b(?:we|i) (?:\w+ ){0,2}?lost\b",
    r"\b(?:delayed|lost) (?:order|parcel)\b",
    r"\bsorry (?:for|about) (?:the )?(?:delay(?:ed)?|order)",
    r"(?<![\w'])lost (?:it )?again\b",
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(VOCABULARY), st.sampled_from([" ", ", ", ". ", "! ", "-"])),
        max_size=200,
    )
)
def test_cues_agree_with_the_regex_on_any_mix_of_their_words(pieces: list[str]) -> None:
    text = " ".join(pieces)  # long and short: a long text is searched sentence by sentence
    for pattern in PATTERNS:
        cue = Cue(compile_pattern(pattern, {}))
        assert spans(cue.finditer(text)) == spans(cue.regex.finditer(text)), pattern


def test_a_pattern_with_a_backreference_is_scanned_in_full() -> None:
    cue = Cue(re.compile(r"(a)\1"))
    assert cue.words is None
    assert spans(cue.finditer("xaay")) == [(1, 3)]


def test_a_rule_tries_at_each_head_only_the_alternatives_that_open_there() -> None:
    """The first alternative that matches wins, as in the full alternation."""
    branches = tuple(
        compile_pattern(p, {})
        for p in (r"\bwe (?:lost|missed) it\b", r"\bsorry if\b", r"\bwe lost\b")
    )
    cue = Cue(re.compile("|".join(f"(?:{b.pattern})" for b in branches)), branches=branches)
    text = "we lost it, we lost the box, and sorry if that hurt"
    assert spans(cue.finditer(text)) == spans(cue.regex.finditer(text)) == [
        (0, 10),
        (12, 19),
        (33, 41),
    ]
