"""The five parts of an apology that works, read from the masked draft and its promises."""

from __future__ import annotations

import re
from collections.abc import Sequence

from slackapp.review.model import Finding, Parts, Promise
from slackapp.review.rules import compile_pattern
from slackapp.review.text import sentence_spans


def _any(*patterns: str) -> re.Pattern[str]:
    return compile_pattern("|".join(f"(?:{p})" for p in patterns), {})


# What a concrete problem sounds like; "the issue" or "the inconvenience" alone is not one.
PROBLEM = _any(
    r"\b(?:late(?! fees?)|later than|delayed|delay|instead of|dropped|overdue|missing|missed|lost|damaged|broken|cracked|defective"
    r"|faulty|wrong|incorrect|inaccurate|duplicated?|twice|double[- ]?(?:charged|billed|booked)"
    r"|overcharged|overbilled|cancell?ed|declined|rejected|failed|fails|crash(?:ed|es|ing)?"
    r"|offline|unavailable|locked out|typo|unclear|uninstalled|doubled|halved|glitch|leak(?:ed)?|exposed|deleted|disappeared"
    r"|spoiled|stale|expired|stuck|frozen|no-show|mix-?up|mixed up|overbooked|rude|misspelled"
    r"|misprinted|mislabell?ed|misrouted|hacked|suspended|disconnected|interrupted|bounced"
    r"|corrupted|wiped|stranded|bumped|spilled|melted|leaking|short-?shipped|undelivered)\b",
    r"\b(?:visible to|shared with|sent to|given to) (?:another|other|the wrong|a different)\b",
    r"\bto (?:your|the|an?) (?:old|wrong|previous|former|incorrect|neighbour'?s?|neighbor'?s?)\b",
    r"\b(?:\d+[- ]hour|hours-long|day-long) outage\b|\bdouble[- ]booking\b|\bhad to (?:chase|remind|call"
    r"|ask|wait|come back|follow up)\b|\bnever \w+ed\b|\bshould(?:n't| not) have\b",
    r"\b(?:took|taking) (?:\d+|two|three|four|five|six|several|many) (?:hours|days|weeks|months)\b",
    r"\b(?:shipped|sent|delivered|posted) (?:[\w']+ ){1,4}?without (?:the|your|a|an)\b",
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
    r"\b(?:my|our) (?:bad|b)\b",
    r"\b(?:failure|mistake|error|lapse|fault|oversight) on (?:our|my) part\b",
    r"\b(?:bug|error|mistake|fault|problem) (?:that |which )?(?:we|i) (?:shipped|introduced|made|caused"
    r"|pushed|released|created)\b",
    r"\b(?:we|i) \w+ (?:a|the) (?:bad|broken|faulty|buggy|wrong|incorrect)\b",
    r"\b(?:careless|wrong|unacceptable|unforgivable|inexcusable|thoughtless) of (?:me|us)\b",
    r"\b(?:we|i) left (?:[\w']+ ){0,4}?(?:unlocked|open|behind|running|unattended)\b",
    r"\bour (?:[\w']+ ){0,6}?instead of\b",
    r"\b(?:we|i) \w+ (?:[^\s.!?;]+ ){0,8}?(?:when you only|even though you|although you|despite your)\b",
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
    r"\b(?:we|i)(?:'ve| have)? (?:[^\s.!?;]+ ){0,10}?(?:wrong|incorrect|a bug|by mistake|in error"
    r"|twice|by accident|accidentally|instead of|missing|without (?:the|your|a|an) \w+)\b",
    r"\bwrong (?:[\w']+ ){1,4}?(?:we|i) (?:\w+ed|sent|made|gave|put|took|shipped|brought)\b",
    r"\b(?:we|i) (?:missed|overlooked|misread|misunderstood|mislabell?ed|misplaced|mishandled"
    r"|lost|broke|double-?charged|overcharged|double-?booked|overbooked|forgot|wiped|deleted|erased"
    r"|damaged|dropped|skipped|overwrote)\b",
    r"\b(?:i|we) (?:accidentally|mistakenly|wrongly|incorrectly)\b",
    r"\b(?:we|i) \w+ (?:\w+ ){0,6}?without (?:telling|notifying|asking|warning|checking with) you\b",
)

# A gesture beyond undoing the error.
REMEDY = _any(
    r"\b(?:a|an|\d[\d,.]*%?|[$£€¥]\d[\d,.]*|extra|additional|bonus|free|complimentary|goodwill)"
    r" (?:[\w$£€¥.,%-]+ ){0,2}?(?:credit|voucher|coupon|discount|promo code|gift card|gift certificate"
    r"|points|miles|gems|coins|upgrade)\b",
    r"\b(?:compensation|goodwill|complimentary|on the house|free of charge|at no (?:extra )?(?:cost"
    r"|charge))\b|\b(?:is|are|will be|'s) on (?:us|me)\b",
    r"\b(?:we've|we have|i've|i have|we'll|i'll|we will|i will) (?:also )?(?:paid|pay|covered|cover)"
    r" for\b",
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
    r"|accidental|overcharged?|twice|missing|owed|revers\w*|difference|overpayment|back|again)\b"
)

_EXCLUDED = frozenset({"inconvenience-boilerplate", "sorry-you-feel", "conditional-apology"})
_UNOWNED = frozenset({"conditional-apology", "hedging", "deflects-blame"})
# What puts the problem right; an update, a call or a gesture alone does not.
_FIX_KINDS = frozenset({"refund", "replacement", "fix", "other"})
# ...unless what went wrong was the missing call or reply itself.
_CONTACT_KINDS = frozenset({"callback", "update"})
MISSED_CONTACT = _any(
    r"\b(?:missed|forgot) (?:\w+ ){0,2}?(?:call|callback|call-back|reply|appointment call)\b",
    r"\b(?:didn't|did not|never|failed to) (?:call|ring|phone|get back|reply|respond|write back)\b",
)


def detect_parts(
    lowered: str, promises: Sequence[Promise], findings: Sequence[Finding] = ()
) -> Parts:
    hedged = _sentences_with(lowered, findings, _UNOWNED)
    fix_kinds = _FIX_KINDS | (_CONTACT_KINDS if MISSED_CONTACT.search(lowered) else frozenset())
    fixes = [p for p in promises if p.kind in fix_kinds and not _within(p, hedged)]
    return Parts(
        names_problem=_found(PROBLEM, lowered, findings, _EXCLUDED, _quiet_spans(promises, findings)),
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
