"""The five parts of an apology that works, read from the masked draft and its promises."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from slackapp.review.cues import CueList
from slackapp.review.learnt import FACT_WEIGHT, settle_yes_no, weight_table
from slackapp.review.model import PART_NAMES, Finding, Parts, Promise
from slackapp.review.rules import lexicon
from slackapp.review.text import SpanIndex, sentence_spans

PROBLEM = lexicon("problem")

OWNERSHIP = lexicon("ownership")

REMEDY = lexicon("remedy")

ERROR_REVERSAL = lexicon("error_reversal")

_EXCLUDED = frozenset({"inconvenience-boilerplate", "sorry-you-feel", "conditional-apology"})
_UNOWNED = frozenset({"conditional-apology", "hedging", "deflects-blame"})
_POLICY = frozenset({"lawyerly-distance"})
# A fix promised only if we were wrong is no fix; one beside an excuse still is.
_HYPOTHETICAL = frozenset({"conditional-apology"})
# What puts the problem right; an update, a call or a gesture alone does not.
_FIX_KINDS = frozenset({"refund", "replacement", "fix", "other"})
# Looking into it, asking someone or passing it on is not yet putting it right.
_INVESTIGATES = re.compile(
    r"\b(?:look(?:ing)? into|investigat\w*|review\w*|check\w*|escalat\w*|pass\w*\b.{0,30}\bon\b|"
    r"flag\w*|ask\w*|chas\w*|find(?:ing)? out|dig\w*|rais\w* (?:it|this|a ticket)|forward\w*|"
    r"passed|handed|contacted)\b"
)
# ...unless what went wrong was the missing call or reply itself.
_CONTACT_KINDS = frozenset({"callback", "update"})
MISSED_CONTACT = lexicon("missed_contact")


def detect_parts(
    lowered: str,
    promises: Sequence[Promise],
    findings: Sequence[Finding],
    words: dict[str, float],
) -> Parts:
    """The rules' reading of each part, unless the model learnt from the labelled drafts is
    fairly sure it is wrong."""
    ruled, features = parts_evidence(lowered, promises, findings, words)
    scores = weight_table("parts").scores(features)
    return Parts(**{name: settle_yes_no(getattr(ruled, name), scores[name]) for name in PART_NAMES})


def parts_evidence(
    lowered: str,
    promises: Sequence[Promise],
    findings: Sequence[Finding],
    words: dict[str, float],
) -> tuple[Parts, dict[str, float]]:
    """The rules' reading, and what the model reads beside it. `words` is
    `word_features(lowered)`."""
    ruled = rule_parts(lowered, promises, findings)
    return ruled, part_features(words, ruled, promises, findings)


def part_features(
    words: dict[str, float],
    ruled: Parts,
    promises: Sequence[Promise],
    findings: Sequence[Finding],
) -> dict[str, float]:
    """What the model reads: the draft's words and word pairs, each part the rules found,
    the finding codes, and the kinds and timing of the promises."""
    features = dict(words)
    facts = [f"rule:{name}" for name in PART_NAMES if getattr(ruled, name)]
    facts += [f"code:{finding.code}" for finding in findings]
    for promise in promises:
        timing = "done" if promise.done else "due" if promise.due else "undated"
        facts += [f"promise:{promise.kind}", f"promise:{timing}"]
    features.update(dict.fromkeys(facts, FACT_WEIGHT))
    return features


def rule_parts(
    lowered: str, promises: Sequence[Promise], findings: Sequence[Finding] = ()
) -> Parts:
    """The hand-written rules alone: a lexicon cue no excusing finding covers, promises of
    the kinds that put the problem right, a gesture beyond undoing the error."""
    hedged = _sentences_with(lowered, findings, _UNOWNED)
    hypothetical = _sentences_with(lowered, findings, _HYPOTHETICAL)
    fix_kinds = _FIX_KINDS | (_CONTACT_KINDS if MISSED_CONTACT.search(lowered) else frozenset())
    fixes = [
        p
        for p in promises
        if p.kind in fix_kinds
        and not _within(p, hypothetical)
        and not (p.kind == "other" and _INVESTIGATES.search(p.text.lower()))
    ]
    return Parts(
        names_problem=_found(
            PROBLEM, lowered, findings, _EXCLUDED, _quiet_spans(lowered, promises, findings)
        ),
        owns_it=_found(OWNERSHIP, lowered, findings, _EXCLUDED, hedged),
        states_fix=bool(fixes),
        gives_timeline=any(p.due is not None or p.done for p in fixes)
        or any(p.due is not None for p in promises),
        offers_remedy=_offers_remedy(lowered, promises, findings),
    )


def _offers_remedy(lowered: str, promises: Sequence[Promise], findings: Sequence[Finding]) -> bool:
    if any(p.kind == "credit" for p in promises):
        return True
    blocked = _covering(findings, _EXCLUDED)
    return any(
        not ERROR_REVERSAL.search(lowered[max(0, m.start() - 40) : m.end()])
        for m in REMEDY.matches(lowered)
        if not blocked.overlaps(*m.span())
    )


def _sentences_with(lowered: str, findings: Sequence[Finding], codes: frozenset[str]) -> SpanIndex:
    """Sentences holding a hedge, a condition or an excuse: what else they say is not owned."""
    return SpanIndex(_held_sentences(lowered, findings, codes))


def _held_sentences(
    lowered: str, findings: Sequence[Finding], codes: frozenset[str]
) -> list[tuple[int, int]]:
    sentences = sentence_spans(lowered)
    starts = [start for start, _ in sentences]
    held = {bisect_right(starts, f.start) - 1 for f in findings if f.code in codes}
    return [sentences[i] for i in sorted(held) if i >= 0]


def _quiet_spans(
    lowered: str, promises: Sequence[Promise], findings: Sequence[Finding]
) -> list[tuple[int, int]]:
    """Where a problem word does not describe what went wrong: the fix, the policy sentence."""
    fixes = [(p.start, p.end) for p in promises if not p.done]
    return fixes + _held_sentences(lowered, findings, _POLICY)


def _within(promise: Promise, spans: SpanIndex) -> bool:
    return spans.overlaps(promise.start, promise.start + 1)


def _found(
    cues: CueList,
    lowered: str,
    findings: Sequence[Finding],
    excluded: frozenset[str],
    quiet: Iterable[tuple[int, int]] | SpanIndex = (),
) -> bool:
    """A match that no excluded finding covers and that starts outside the quiet spans."""
    blocked = _covering(findings, excluded)
    silent = quiet if isinstance(quiet, SpanIndex) else SpanIndex(quiet)
    return any(
        not blocked.overlaps(*m.span()) and not silent.overlaps(m.start(), m.start() + 1)
        for m in cues.matches(lowered)
    )


def _covering(findings: Sequence[Finding], codes: frozenset[str]) -> SpanIndex:
    return SpanIndex((f.start, f.end) for f in findings if f.code in codes)
