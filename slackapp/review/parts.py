"""The five parts of an apology that works, read from the masked draft and its promises."""

from __future__ import annotations

import re

from slackapp.review.rules import compile_pattern
from collections.abc import Sequence

from slackapp.review.model import Finding, Parts, Promise


def _any(*patterns: str) -> re.Pattern[str]:
    return compile_pattern("|".join(f"(?:{p})" for p in patterns), {})


# What a concrete problem sounds like; "the issue" or "the inconvenience" alone is not one.
PROBLEM = _any(
    r"\b(?:late(?! fees?)|later than|delayed|delay|instead of|dropped|overdue|missing|missed|lost|damaged|broken|cracked|defective"
    r"|faulty|wrong|incorrect|inaccurate|duplicated?|twice|double[- ]?(?:charged|billed|booked)"
    r"|overcharged|overbilled|cancell?ed|declined|rejected|failed|fails|crash(?:ed|es|ing)?"
    r"|outage|offline|unavailable|locked out|typo|glitch|leak(?:ed)?|exposed|deleted|disappeared"
    r"|spoiled|stale|expired|stuck|frozen|no-show|mix-?up|mixed up|overbooked|rude|misspelled"
    r"|misprinted|mislabell?ed|misrouted|hacked|suspended|disconnected|interrupted|bounced"
    r"|corrupted|wiped|stranded|bumped|spilled|melted|leaking|short-?shipped|undelivered)\b",
    r"\b(?:visible to|shared with|sent to|given to) (?:another|other|the wrong|a different)\b",
    r"\b\d+[- ]?(?:minute|hour|day|week|month)s?(?:'s)? (?:wait|delay|late)\b",
    r"\bkeeps? (?:\w+ing)\b|\bwithout (?:telling|notifying|asking|warning|checking with) you\b",
    r"\btoo (?:small|big|large|long|short|hot|cold|late|early|slow|loud)\b",
    r"\b(?:been|was|got) (?:held|blocked|frozen|flagged|closed)\b",
    r"\bcharged (?:you|your (?:\w+ )?(?:card|account))\b",
    r"\b(?:never|didn't|did not|hasn't|has not|haven't|have not|wasn't|weren't|won't|couldn't"
    r"|can't|cannot) (?:\w+ ){0,2}?(?:arrived?|come|came|shown? up|showed up|received?|got"
    r"|gotten|work(?:ed|ing)?|load(?:ed)?|open(?:ed)?|deliver(?:ed)?|go through|went through"
    r"|call(?:ed)? (?:you )?back|log in|sign in|access|connect|process(?:ed)?|appear(?:ed)?)\b",
    r"\b(?:stopped|not) working\b|\bwent down\b|\bwas down\b|\bkept you (?:waiting|on hold)\b",
    r"\b(?:error|mistake|problem|issue|bug|fault) (?:\w+ ){0,5}?(?:with|on|in|for|at) your \w+",
    r"\bcharged (?:you )?(?:\$|£|€|\d|twice|again|for)",
    r"\b(?:waited|waiting|on hold) (?:for )?(?:\w+ )?(?:hours?|days?|weeks?|minutes?)\b",
    r"\b(?:no|without) (?:power|water|heat|internet|signal|service|access|connection)\b",
)

# First-person, unhedged responsibility.
OWNERSHIP = _any(
    r"\b(?:that|this|it)(?:'s| is| was| were) (?:entirely |completely |totally |all |squarely "
    r"|100% |fully )?(?:on (?:us|me)|(?:our|my) (?:own )?(?:\w+ )?(?:fault|mistake|error|doing"
    r"|oversight|responsibility|miss|slip|blunder))\b",
    r"\b(?:our|my) (?:own )?(?:[\w']+ )?(?:fault|mistake|error|oversight|blunder|slip|slip-?up"
    r"|screw-?up|mix-?up|typo|failure|lapse|miss|bug)\b",
    r"\b(?:error|mistake|fault|slip) (?:was )?(?:on|from) (?:our|my) (?:side|end|part)\b",
    r"\b(?:my|our) bad\b",
    r"\bon (?:us|me)\b(?! to)",
    r"\b(?:we|i)(?: really| clearly| completely)? (?:made|make) (?:a|an|the|this|that) "
    r"(?:\w+ )?(?:mistake|error|blunder|bad call)\b",
    r"\b(?:we|i)(?: really| clearly| completely| totally)? (?:messed|screwed|mixed|fouled) "
    r"(?:\w+ )?up\b",
    r"\b(?:we|i) (?:dropped|fumbled) the ball\b",
    r"\b(?:we|i) (?:got|had) (?:\w+ ){1,3}?wrong\b",
    r"\b(?:we|i) (?:failed|forgot|neglected) to\b",
    r"\b(?:we|i) (?:should(?:n't| not)?|ought to) have\b",
    r"\b(?:we|i) (?:take|accept|own) (?:full |complete |total )?(?:responsibility|ownership"
    r"|the blame|this|that|it)\b",
    r"\b(?:we|i) let you down\b",
    r"\b(?:we|i)(?:'ve| have)? (?:[\w']+ ){0,6}?(?:wrong|incorrect|a bug|by mistake|in error"
    r"|twice|by accident|accidentally|instead of|missing|without (?:the|your|a|an) \w+)\b",
    r"\bwrong (?:[\w']+ ){1,4}?(?:we|i) (?:\w+ed|sent|made|gave|put|took|shipped|brought)\b",
    r"\b(?:we|i) (?:missed|overlooked|misread|misunderstood|mislabell?ed|misplaced|mishandled"
    r"|lost|broke|double-?charged|overcharged|double-?booked|overbooked|forgot)\b",
    r"\b(?:i|we) (?:accidentally|mistakenly|wrongly|incorrectly)\b",
    r"\b(?:we|i) \w+ (?:\w+ ){0,6}?without (?:telling|notifying|asking|warning|checking with) you\b",
)

# First-person fix verbs, when the promise reader found no clause.
FIX = _any(
    r"\b(?:i|we)(?:'ve| have| had)? (?:already |just |now |since |also )?(?:shipped|sent|refunded"
    r"|reversed|corrected|fixed|updated|reset|restored|issued|credited|rebooked|re-?sent"
    r"|processed|resolved|replaced|repaired|re-?enabled|unlocked|reinstated|relabell?ed|waived"
    r"|applied|adjusted|rescheduled|re-?routed|re-?delivered|patched|rolled back|removed)\b",
    r"\b(?:has|have|had) (?:now |already |just )?been (?:fixed|resolved|corrected|restored|shipped"
    r"|refunded|reversed|processed|updated|replaced|repaired|reinstated|credited|waived)\b",
    r"(?:'s|'re|\bis|\bare) (?:now |all )?(?:fixed|resolved|corrected|restored|sorted)\b",
)

# A gesture beyond undoing the error.
REMEDY = _any(
    r"\b(?:credit|credits|voucher|coupon|discount|promo code|gift card|gift certificate"
    r"|compensation|goodwill|complimentary|on the house|bonus points|loyalty points|free of charge)\b",
    r"\bfree (?:\w+ )?(?:month|months|year|week|shipping|delivery|upgrade|night|nights|meal|drink"
    r"|dessert|session|lesson|class|ticket|tickets|service|subscription|trial|item|replacement"
    r"|express|add-?on|bag|seat|coffee|pizza)\b",
    r"\b(?:waived?|waiving|comped|refunded|refund(?:ing)?|reimburs\w*|knocked off|taken off)"
    r" (?:\w+ ){0,3}?(?:fee|fees|charge|charges|cost|shipping|delivery|price|month|subscription)\b",
    r"\b\d+ ?(?:%|percent) off\b",
    r"\b(?:upgraded?|upgrading) (?:you|your)\b",
)

# Reversing a wrong charge puts things right; it is the fix, not a gesture.
ERROR_REVERSAL = _any(
    r"\b(?:duplicate|double|extra|erroneous|incorrect|wrong|mistaken|second|unauthori[sz]ed"
    r"|accidental|overcharged?|twice)\b"
)

_EXCLUDED = frozenset({"inconvenience-boilerplate", "sorry-you-feel", "conditional-apology"})
_UNOWNED = frozenset({"conditional-apology", "hedging", "deflects-blame"})
_REMEDY_KINDS = frozenset({"credit"})
_FIX_KINDS = frozenset({"refund", "replacement", "callback", "update", "credit", "fix"})


def detect_parts(
    masked: str, promises: Sequence[Promise], findings: Sequence[Finding] = ()
) -> Parts:
    states_fix = any(p.kind in _FIX_KINDS for p in promises) or _found(FIX, masked, findings, ())
    return Parts(
        names_problem=_found(PROBLEM, masked, findings, _EXCLUDED),
        owns_it=_found(OWNERSHIP, masked, findings, _EXCLUDED | _UNOWNED),
        states_fix=states_fix,
        gives_timeline=any(p.due is not None or (p.done and p.kind != "other") for p in promises)
        or (states_fix and not promises and _found(FIX, masked, findings, ())),
        offers_remedy=_offers_remedy(masked, promises, findings),
    )


def _offers_remedy(masked: str, promises: Sequence[Promise], findings: Sequence[Finding]) -> bool:
    for promise in promises:
        if promise.kind in _REMEDY_KINDS:
            return True
        if promise.kind == "refund" and not ERROR_REVERSAL.search(
            masked, promise.start, promise.end
        ):
            return True
    return any(
        not ERROR_REVERSAL.search(masked[max(0, m.start() - 40) : m.end()])
        for m in REMEDY.finditer(masked)
        if not _inside(m.span(), findings, _EXCLUDED)
    )


def _found(
    pattern: re.Pattern[str], masked: str, findings: Sequence[Finding], excluded: frozenset[str]
) -> bool:
    return any(not _inside(m.span(), findings, excluded) for m in pattern.finditer(masked))


def _inside(span: tuple[int, int], findings: Sequence[Finding], codes: frozenset[str]) -> bool:
    """True when a finding of these codes covers any of the span (its words are not meant)."""
    return any(f.code in codes and f.start < span[1] and span[0] < f.end for f in findings)
