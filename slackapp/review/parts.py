"""The five parts of an apology that works, read from the masked draft and its promises."""

from __future__ import annotations

import re
from collections.abc import Sequence

from slackapp.review.model import Finding, Parts, Promise
from slackapp.review.rules import lexicon
from slackapp.review.text import sentence_spans

PROBLEM = lexicon("problem")

OWNERSHIP = lexicon("ownership")

REMEDY = lexicon("remedy")

ERROR_REVERSAL = lexicon("error_reversal")

_EXCLUDED = frozenset({"inconvenience-boilerplate", "sorry-you-feel", "conditional-apology"})
_UNOWNED = frozenset({"conditional-apology", "hedging", "deflects-blame"})
# What puts the problem right; an update, a call or a gesture alone does not.
_FIX_KINDS = frozenset({"refund", "replacement", "fix", "other"})
# ...unless what went wrong was the missing call or reply itself.
_CONTACT_KINDS = frozenset({"callback", "update"})
MISSED_CONTACT = lexicon("missed_contact")


def detect_parts(
    lowered: str, promises: Sequence[Promise], findings: Sequence[Finding] = ()
) -> Parts:
    hedged = _sentences_with(lowered, findings, _UNOWNED)
    fix_kinds = _FIX_KINDS | (_CONTACT_KINDS if MISSED_CONTACT.search(lowered) else frozenset())
    fixes = [p for p in promises if p.kind in fix_kinds and not _within(p, hedged)]
    return Parts(
        names_problem=_found(
            PROBLEM, lowered, findings, _EXCLUDED, _quiet_spans(promises, findings)
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
    return any(
        not ERROR_REVERSAL.search(lowered[max(0, m.start() - 40) : m.end()])
        for m in REMEDY.finditer(lowered)
        if not _inside(m.span(), findings, _EXCLUDED)
    )


def _sentences_with(
    lowered: str, findings: Sequence[Finding], codes: frozenset[str]
) -> list[tuple[int, int]]:
    """Sentences holding a hedge, a condition or an excuse: what else they say is not owned."""
    return [
        span
        for span in sentence_spans(lowered)
        if any(f.code in codes and span[0] <= f.start < span[1] for f in findings)
    ]


def _quiet_spans(
    promises: Sequence[Promise], findings: Sequence[Finding]
) -> list[tuple[int, int]]:
    """Where a problem word does not describe what went wrong: the fix, the policy line."""
    fixes = [(p.start, p.end) for p in promises if not p.done]
    policy = [(f.start, f.end) for f in findings if f.code == "lawyerly-distance"]
    return fixes + policy


def _within(promise: Promise, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= promise.start < b for a, b in spans)


def _found(
    pattern: re.Pattern[str],
    lowered: str,
    findings: Sequence[Finding],
    excluded: frozenset[str],
    quiet: Sequence[tuple[int, int]] = (),
) -> bool:
    return any(
        not _inside(m.span(), findings, excluded)
        and not any(a <= m.start() < b for a, b in quiet)
        for m in pattern.finditer(lowered)
    )


def _inside(span: tuple[int, int], findings: Sequence[Finding], codes: frozenset[str]) -> bool:
    """True when a finding of these codes covers any of the span (its words are not meant)."""
    return any(f.code in codes and f.start < span[1] and span[0] < f.end for f in findings)
