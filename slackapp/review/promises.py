"""Promised actions in a draft: what the agent commits to, or reports as done.

Works on the masked text (quotes, code and markup already blanked), one sentence at
a time: a sentence is cut into chunks at commas, semicolons and "and I/we/you...",
a chunk holding a commitment ("I'll", "we're sending", "I've refunded", "a new one
will go out") starts a promise clause, and the chunks after it extend that clause.
The clause's head verb, then its nouns, give the kind; deadlines.py reads its time.
Conventions are recorded in docs/decisions.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from slackapp.review.config import EngineConfig
from slackapp.review.deadlines import CueIndex, Deadline, find_deadline
from slackapp.review.model import Promise, PromiseKind
from slackapp.review.text import sentence_spans

# --- phrase tables ---------------------------------------------------------------

# Who commits: the agent, the team, or "our engineers/courier/...".
FIRST_PERSON = r"(?:\bI|\bwe|\bour\s+[\w-]+(?:\s+[\w-]+)?)"
# Words that may sit between a commitment and its verb.
ADVERB = (
    r"(?:also|now|already|just|personally|of course|definitely|certainly|then|actually|"
    r"immediately|quickly|promptly|gone ahead and|went ahead and|go ahead and|"
    r"make sure to|be sure to|happily|gladly)"
)
# Past verbs that undo the mistake: they count even after "we" and even near "error".
UNDO_VERBS = (
    "refunded|reimbursed|reversed|voided|credited|waived|fixed|corrected|resolved|"
    "repaired|patched|restored|reinstated|reactivated|unlocked|removed|rolled (?:it |them )?back"
)
# Past verbs that report a remedy taken. Simple past with "we"/"our" only counts for
# UNDO_VERBS: "we shipped a bug", "we moved your appointment" describe the mistake.
DONE_VERBS = (
    rf"{UNDO_VERBS}|replaced|reshipped|re-shipped|resent|re-sent|shipped|sent|dispatched|"
    r"posted|issued|reissued|re-issued|processed|applied|added|knocked|comped|upgraded|"
    r"rebooked|re-booked|booked|rescheduled|relabeled|relabelled|re-labelled|reopened|"
    r"moved|set|arranged|changed|updated|adjusted|sorted|confirmed|escalated|expedited|"
    r"emailed|texted|messaged|called|cancell?ed|discounted|released|deployed|rolled out|"
    r"flagged|submitted|rebuilt|renewed|regenerated|pushed|asked|answered|mixed|made|"
    r"relocated|covered|paid|put|reassigned|reconnected|restarted|reset|resubmitted|"
    r"reprocessed|remade|requested|repaid|released"
)
# Participles that report a remedy in the passive ("your refund has been issued").
PASSIVE_DONE = (
    rf"{UNDO_VERBS}|replaced|reshipped|resent|shipped|sent|dispatched|posted|issued|"
    r"reissued|processed|applied|added|approved|rebooked|rescheduled|relabell?ed|reopened|"
    r"sorted|deployed|released|taken care of|renewed|regenerated|relocated|moved|upgraded|"
    r"updated"
)
# In the present ("is refunded") only a few participles report a remedy; "refunds
# are issued to the original card" states a policy.
PRESENT_DONE = (
    r"fixed|resolved|sorted|refunded|restored|credited|waived|taken care of|back|unlocked|"
    r"reconnected|reset|reactivated|reinstated|(?:correctly|properly)\s+\w+ed"
)
BASE_VERBS = (
    r"send|ship|call|phone|ring|email|e-mail|text|message|write|refund|reimburse|reverse|"
    r"add|apply|waive|credit|fix|patch|resolve|correct|repair|sort|get|check|let|keep|"
    r"post|follow|confirm|issue|process|update|make|arrange|book|rebook|reschedule|reach|"
    r"chase|look|review|investigate|escalate|give|put|set|move|reopen|restore|replace|"
    r"reship|resend|cancel|schedule|expedite|upgrade|find|walk|share|pass|contact|"
    r"monitor|recalculate|reissue|remove|cover|drop|email|adjust|honou?r"
)
ACTION_ING = (
    r"sending|shipping|issuing|reissuing|processing|refunding|reversing|crediting|working|"
    r"rolling|fixing|looking(?!\s+forward)|investigating|escalating|preparing|arranging|"
    r"reviewing|replacing|resending|reshipping|putting|setting|updating|adding|applying|"
    r"waiving|deploying|patching|chasing|calling|booking|rebooking|rescheduling|"
    r"following|checking|organi[sz]ing|restoring|correcting|resolving|repairing|removing|"
    r"in the process of"
)
_DETERMINER = r"(?:a|an|the|our|your|their|his|her|its|this|that|some|\w+'s)\b"
# Commitments: (name, tense, weak, pattern). `head` marks the verb that names the act.
# tense: "pending" (to do), "done" (reported taken), "settling" (done unless the clause
# gives a time, as in "on its way and should arrive by Tuesday"). A weak commitment
# only counts when it names a kind: a passive "was sent" of nothing in particular
# narrates the mistake, an "offer" of nothing is a pleasantry.
TRIGGERS: tuple[tuple[str, str, bool, str], ...] = (
    (
        "first_person_future",
        "pending",
        False,
        rf"{FIRST_PERSON}\s*(?:'ll|will|shall|'m going to|am going to|'re going to|"
        rf"are going to|'m gonna|am gonna|'re gonna)\s+(?!not\b|never\b)(?:{ADVERB}\s+)*"
        r"(?P<head>[\w'-]+(?:\s+[\w'-]+)?)",
    ),
    (
        "first_person_progressive",
        "pending",
        False,
        rf"{FIRST_PERSON}\s*(?:'m|am|'re|are|is)\s+(?:now\s+|currently\s+|actively\s+|"
        rf"already\s+)?(?P<head>{ACTION_ING})\b",
    ),
    (
        "let_me",
        "pending",
        False,
        r"\blet\s+(?:me|us)\s+(?!know\b|explain\b|say\b|apologi[sz]e\b|assure\b|be\b|"
        r"reassure\b)(?P<head>\w+)",
    ),
    (
        "you_will_receive",
        "pending",
        False,
        r"\byou\s*(?:'ll|will|should|'re going to|are going to)\s+(?:also\s+|now\s+|soon\s+)?"
        r"(?P<head>receive|get|see|hear|find|have(?!\s+(?:received|got|gotten|to|been)\b))\b",
    ),
    (
        "expect",
        "pending",
        False,
        r"\b(?:you\s+can|please|you\s+should|you'll)\s+(?P<head>expect)\b",
    ),
    (
        "passive_future",
        "pending",
        True,
        rf"\b(?:will|'ll|shall|should|is going to|are going to)\s+(?:{ADVERB}\s+)*be\s+"
        r"(?:\w+ly\s+)?(?P<head>\w+(?:ed|en)|sent|put|set|made|paid)\b",
    ),
    (
        "third_person_future",
        "pending",
        False,
        r"(?:'ll|\bwill|\bshall|\bshould(?!\s+have\b|'ve))\s+(?!not\b|never\b)"
        rf"(?:{ADVERB}\s+)*(?P<head>\w+)",
    ),
    (
        "scheduled",
        "pending",
        False,
        r"\b(?P<head>goes\s+(?:out|live)|go\s+(?:out|live)|ships|leaves|arrives|"
        rf"(?:is|are)\s+(?:due|scheduled|set)\s+to\s+(?!{_DETERMINER}))",
    ),
    (
        "third_person_progressive",
        "pending",
        False,
        r"\b(?:is|are|'s|'re)\s+(?:now\s+|currently\s+|already\s+)?(?P<head>leaving|arriving|"
        r"shipping|going out|heading|bringing|coming your way|coming to you|being\s+"
        r"(?:\w+(?:ed|en)|sent|set))\b",
    ),
    (
        "coming_your_way",
        "pending",
        False,
        r"\b(?P<head>coming\s+(?:your\s+way|to\s+you))\b",
    ),
    (
        "while_we",
        "pending",
        False,
        rf"\bwhile\s+{FIRST_PERSON}\s+(?P<head>look|investigate|work|check|review|sort|fix)\b",
    ),
    ("next_update", "pending", False, r"\bnext\s+(?P<head>update)\b"),
    (
        "noun_with_time",
        "pending",
        False,
        r"^\W*(?:(?:a|your|the|full)\s+)?(?P<head>refund|replacement|credit|fix|update|callback|"
        r"call)\s+(?:by|within|today|tomorrow|tonight|in|on)\b",
    ),
    (
        "intends_to",
        "pending",
        False,
        r"(?<!\byou)\s(?:expects?|plans?|aims?|intends?|hopes?)\s+to\s+(?P<head>\w+)",
    ),
    (
        "first_person_perfect",
        "done",
        False,
        rf"{FIRST_PERSON}\s*(?:have|'ve|has)\s+(?:{ADVERB}\s+)*(?P<head>{DONE_VERBS})\b",
    ),
    (
        "first_person_past",
        "done",
        False,
        rf"{FIRST_PERSON}\s+(?:{ADVERB}\s+)*(?P<head>{DONE_VERBS})\b",
    ),
    (
        "passive_done",
        "done",
        True,
        r"\b(?:has|have|had|'s|'ve)\s+(?:now\s+|already\s+|just\s+|also\s+|fully\s+)*been\s+"
        rf"(?:now\s+|already\s+|fully\s+)*(?P<head>{PASSIVE_DONE})\b|"
        r"\b(?:was|were)\s+(?:now\s+|already\s+|just\s+|also\s+|fully\s+)*"
        rf"(?P<past>{PASSIVE_DONE})\b|"
        r"\b(?:is|are|'s|'re)\s+(?:now\s+|already\s+|all\s+|fully\s+)*"
        rf"(?P<present>{PRESENT_DONE})\b",
    ),
    (
        "elliptical_done",
        "done",
        True,
        r"^\W*(?!(?:I|we|you|they|he|she|it)\b)(?:[\w-]+\s+){0,2}?"
        r"(?P<head>fixed|sorted|resolved|updated|restored|renewed|refunded|corrected|done|"
        r"rebooked|reissued|reset|unlocked|cancell?ed|replaced|credited|waived)\b"
        rf"(?!\s+(?:to|by|for|{_DETERMINER}))",
    ),
    (
        "shipped_itself",
        "done",
        False,
        r"\b(?:order|package|parcel|item|replacement|refund|card|it)\s+"
        r"(?P<head>shipped|went out|was dispatched)\b",
    ),
    (
        "on_its_way",
        "settling",
        False,
        r"\b(?P<head>on\s+(?:its|the|their)\s+way|in\s+the\s+(?:post|mail)|out\s+for\s+delivery)\b",
    ),
    (
        "gift",
        "done",
        True,
        r"\b(?P<head>there's|there\s+is|here's|here\s+is|(?:please\s+)?enjoy|"
        r"(?:is|are)\s+on\s+us|(?:has|have)\s+(?:a|an)\b|with\b[^,.;]{1,40}?\bincluded)",
    ),
    (
        "offer",
        "pending",
        True,
        rf"{FIRST_PERSON}\s*(?:'d|would)\s+(?:like|love)\s+to\s+(?P<head>\w+)",
    ),
)
# Lower-case substrings a trigger cannot match without: a chunk skips the rest.
_PAST = ("ed", "sent", "set", "made", "built", "rolled")
TRIGGER_CUES: dict[str, tuple[str, ...]] = {
    "first_person_future": ("'ll", "will", "shall", "going to", "gonna"),
    "first_person_progressive": ("ing", "process"),
    "let_me": ("let ",),
    "you_will_receive": ("you",),
    "expect": ("expect",),
    "passive_future": (" be ",),
    "third_person_future": ("'ll", "will", "shall", "should"),
    "scheduled": ("goes", "go out", "go live", "ships", "leaves", "arrives", "due to",
                  "scheduled", "set to"),
    "third_person_progressive": ("ing",),
    "coming_your_way": ("coming",),
    "while_we": ("while",),
    "next_update": ("next",),
    "noun_with_time": ("refund", "replacement", "credit", "fix", "update", "call"),
    "intends_to": ("expect", "plan", "aim", "intend", "hope"),
    "first_person_perfect": _PAST,
    "first_person_past": _PAST,
    "passive_done": (*_PAST, "taken", "back"),
    "elliptical_done": ("ed", "done", "reset"),
    "shipped_itself": ("shipped", "went out", "dispatched"),
    "on_its_way": ("way", "post", "mail", "delivery"),
    "gift": ("there", "here", "enjoy", "on us", "has a", "have a", "included"),
    "offer": ("'d like", "would like", "'d love", "would love"),
}  # fmt: skip
# Verbs that make a "will" a prediction or a pleasantry rather than a commitment.
NOT_AN_ACTION = re.compile(
    r"(?:be\s+(?:happy|glad|pleased|more|able|here|around|available|sorry|grateful|"
    r"on time|fine|ok|okay|good|great|perfect|worth|the)|arrive on time|help|happen|need|"
    r"have\s+to|want|hope|"
    r"like|love|depend|mean|cost|take|seem|look\s+like|work|you|i|we|it|they|apply|not|"
    r"never|make\s+sure\s+(?:of\s+it|this|that|it)|ensure|ever)\b",
    re.I,
)
# Words that turn a reported past action into the description of the mistake.
PROBLEM_MARKERS = re.compile(
    r"\b(?:wrong|instead of|by mistake|in error|twice|without|incorrect\w*|accidentally|"
    r"mistakenly|bug|error|typo|mistake|because|mixed up|which is why|didn't|did not|"
    r"wasn't|failed|forgot|lost|misplaced|damaged)\b",
    re.I,
)
# "I'll have a supervisor call you", "I've asked Royal Mail to return them": the kind
# is the delegated act, and a done delegation with a time is still to happen.
DELEGATION = re.compile(
    r"(?:have|has|had|ask|asked|asking|get|got|arrange(?:d)?\s+for|tell|told|send|sent)\s+"
    r"(?:someone|somebody|a|an|the|our|my|one of our|(?-i:[A-Z])\w*)\b[^,.;]{0,40}?\b(?:to\s+)?"
    r"(?P<inner>call|phone|ring|email|text|contact|get back|follow up|fix|repair|change|"
    r"replace|refund|return|check|visit|come)\b",
    re.I,
)
# The head verb decides the kind first (order matters: "update you" before "update").
HEAD_KINDS: tuple[tuple[PromiseKind, str], ...] = (
    ("callback", r"(?:call|phone|ring|called|phoned|rang|calling|give you a (?:call|ring))\b"),
    (
        "update",
        r"(?:update you|updated you|keep(?:ing)? you|let you know|let them know|get(?:ting)? back|"
        r"got back|follow(?:ed|ing)?[ -]up|report back|circle back|touch base|be in touch|"
        r"check(?:ing)? in|check(?:ed)? with|reach(?:ed)? out|post(?:ed)? an update|updating you|"
        r"emailed|texted|messaged|(?:e-?mail|text|message|write to|contact) you\b"
        rf"(?!\s+{_DETERMINER})|updates?\b(?!\s+{_DETERMINER})|send you (?:a |an |the )?"
        r"(?:fresh |new |updated )?(?:confirmation|update|summary|report))",
    ),
    ("other", r"(?:look(?:ing)? into|investigat|review|consider|assess|explore)"),
    ("refund", r"(?:refund|reimburs|revers|pay you back|paid you back|void|repa(?:y|id))"),
    (
        "credit",
        r"(?:waiv|comp(?:ed)?\b|knock|upgrad|discount|cover|paid for|pay for|"
        r"credit(?!.*\bback\b))",
    ),
    ("refund", r"credit"),
    ("fix", r"reissu\w*(?=.*\bcorrect)"),
    ("replacement", r"(?:replac|reship|re-ship|resend|re-send|resent|re-sent|reissu|re-issu)"),
    (
        "fix",
        r"(?:fix|patch|resolv|correct|repair|sort|get (?:it|this|that|things) (?:sorted|fixed|"
        r"resolved)|restor|reopen|re-open|reinstat|rebook|re-book|reschedul|re-add|"
        r"added (?:it|them) back|claw|roll(?:ing|ed)? (?:out (?:the|a) fix|\w+ back)|deploy|"
        r"relabel|re-label|rework|set\b|moved?\b|book|find|found|chang|updat|adjust|unlock|"
        r"reactivat|remov|work(?:ing)? on (?:a |the )?fix|flag|submit|rebuil|renew|regenerat|"
        r"cancel|"
        r"push|return|relocat|back\b|releas|reassign|reconnect|restart|reset|resubmit|reprocess|"
        r"put\b.*\bback\b|get (?:\w+ )?back (?:up|online|on track|to normal)|adjust)",
    ),
)
# Otherwise the nouns of the clause decide, in this order.
NOUN_KINDS: tuple[tuple[PromiseKind, str], ...] = (
    (
        "refund",
        r"\brefund\w*|\breimburse\w*|\bmoney back\b|\bback (?:on|to|in|into) your "
        r"(?:card|account|bank|statement)\b|(?:[$£€]\s?\d[\d,.]*|\bmoney)\b[^.;]{0,30}\bback\b",
    ),
    (
        "credit",
        r"\bcredit\b|\bdiscount\w*|\d+\s*%\s*off\b|[$£€]\s?\d[\d,.]*\s+off\b|\bvouchers?\b|"
        r"\bcoupons?\b|\bgift card|\bpromo(?:tional)? code|\bfree\s+(?!of\b)\w+|"
        r"\bcomplimentary\b|\bon us\b|\bat no (?:extra )?(?:charge|cost)\b|\bmiles\b|"
        r"\bpoints\b|\bgems\b|\bgoodwill\b|\bcompensation\b|\bat our (?:cost|expense)\b|"
        r"\bincluded\b|\bon the house\b",
    ),
    (
        "replacement",
        r"\breplacement\b|\bnew one\b|\banother one\b|\bfresh \w+|\b(?:right|correct) "
        r"(?:one|pair|size|item|model|colou?r|part|version)\b|\bsend (?:one|another)\b|"
        r"\bsend(?:ing)? (?:you )?(?:the|a|your) missing\b",
    ),
    (
        "fix",
        r"\b(?:the|a) (?:fix|patch|bug ?fix)\b|\brepair\b|\bagain\b|\bback to normal\b|"
        r"\btechnicians?\b|\bengineers?\b",
    ),
    (
        "update",
        r"\bupdated?\b|\bupdates\b|\bconfirmation\b|\bconfirm\b|\bstatus\b|\bnews\b|"
        r"\ban answer\b|\bwrite-up\b|\breport\b|\bsummary\b|\bbreakdown\b|\bpost-?mortem\b|"
        r"\btracking (?:link|number|details)\b|\bhave tracking\b|\blog\b|\bitinerary\b",
    ),
    ("callback", r"\b(?:a|your) (?:call|callback|phone call|call back)\b"),
)
# Steps agents name before the real promise ("I'll check and get back to you").
PREPARATORY = re.compile(
    r"(?:check|look|sort|review|investigate|recalculate|chase|find out|dig|confirm|verify|"
    r"double-check|speak|talk|ask)\w*\b",
    re.I,
)
# Heads that, naming nothing the nouns recognise, still change something for the customer.
FIX_BY_DEFAULT = re.compile(r"(?:add|added|arrang|set up|install|introduc|implement|put)", re.I)
# A shared-subject "... and confirm by Thursday" closes the act before it.
_CONFIRMS = re.compile(r"confirm\b", re.I)
# Chunk boundaries inside a sentence.
# Each starts on its punctuation or conjunction, so the scan skips plain words quickly.
_CHUNK_BREAK = re.compile(
    r"[;:](?=\s)|,(?=\s)(?:\s+(?:and|but|so|then|plus)\b)?|(?<=\s)[–—-](?=\s)|"
    r"(?<=\s)(?<!ahead\s)(?:and|but|so|plus)\s+(?:then\s+|also\s+)?(?=(?:I|I'\w+|we|we'\w+|"
    r"you|you'\w+|it|it's|they|our|my|your|the|this|that|these|a|an|he|she|there|"
    rf"{DONE_VERBS}|{BASE_VERBS})\b)",
    re.I,
)
_CONJOINED_DONE = re.compile(rf"(?:also\s+|then\s+)?(?P<head>{DONE_VERBS})\b", re.I)
_CONJOINED_BASE = re.compile(rf"(?:also\s+|then\s+)?(?P<head>{BASE_VERBS})\b", re.I)
# A sentence that swears "never again" is an overpromise, not a commitment to act.
_NEVER_AGAIN = re.compile(r"\bnever\b|\b(?:ever|not|n't)\b[^.!?]*\bagain\b", re.I)
# Before a third-person "will": the customer's own to-do, or a guarantee (an overpromise).
_THIRD_PERSON_EXCEPTIONS = re.compile(r"\byou\s*$|\b(?:guarantee|assure you|promise you)\b", re.I)
# "They'll show in your app within 24 hours" continues the clause before it.
_ANAPHORIC_FUTURE = re.compile(r"(?:it|they)\s*(?:'ll|will|should)\b", re.I)
_CONDITIONAL = re.compile(r"(?:if|unless|whether|in case|once|when|should you)\b", re.I)
_QUESTION = re.compile(
    r"(?:would|could|can|shall|should|will|do|does|did|have|has|is|are|may|might|"
    r"was|were)\s+(?:you|i|we|it|that|this)\b",
    re.I,
)
# Abbreviations that end a "sentence" in text.sentence_spans but not the sentence.
_ABBREVIATION_END = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|St|Prof|No|vs|approx)\.$")
_LEAD_MAX_WORDS = 4  # "Tomorrow morning, I'll call": a short lead lends its time
_TRAILING = ".,;:!? \t\n"

_TRIGGERS = tuple(
    (name, tense, weak, re.compile(pattern, re.I)) for name, tense, weak, pattern in TRIGGERS
)
_TRIGGER_INDEX = CueIndex(TRIGGER_CUES)
_UNDO = re.compile(rf"(?:{UNDO_VERBS})\b", re.I)
_HEAD_KINDS = tuple((kind, re.compile(pattern, re.I)) for kind, pattern in HEAD_KINDS)
_NOUN_KINDS = tuple((kind, re.compile(pattern, re.I)) for kind, pattern in NOUN_KINDS)


@dataclass(frozen=True, slots=True)
class _Clause:
    """A promise clause in masked-text offsets, before it becomes a `Promise`."""

    start: int
    end: int
    head: int  # where the verb that names the act begins
    tense: str  # "pending", "done" or "settling" (see TRIGGERS)
    weak: bool
    conjoined: bool = False  # shares the previous clause's subject ("..., and added a credit")


# --- public API ---------------------------------------------------------------------


def find_promises(
    text: str, masked: str, *, now: datetime, config: EngineConfig
) -> tuple[Promise, ...]:
    """Every action the draft commits to or reports as done, in reading order."""
    promises: list[Promise] = []
    for start, end in _sentences(masked):
        promises.extend(_sentence_promises(text, masked, start, end, now, config))
    return tuple(promises)


# --- sentences to clauses -----------------------------------------------------------------


def _sentences(masked: str) -> list[tuple[int, int]]:
    """text.sentence_spans, rejoined where it cut after "Dr." or "Mr."."""
    spans: list[tuple[int, int]] = []
    for start, end in sentence_spans(masked):
        if spans and _ABBREVIATION_END.search(
            masked, max(spans[-1][0], spans[-1][1] - 8), spans[-1][1]
        ):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _sentence_promises(
    text: str, masked: str, start: int, end: int, now: datetime, config: EngineConfig
) -> list[Promise]:
    chunks = _chunks(masked, start, end)
    if masked[start:end].rstrip().endswith("?"):
        chunks = chunks[:-1]  # the question itself asks, it does not promise
    clauses: list[_Clause] = []
    lead: tuple[int, int] | None = None
    swears = bool(_NEVER_AGAIN.search(masked, start, end))
    for chunk_start, chunk_end in chunks:
        previous = clauses[-1] if clauses else None
        clause = _clause(masked, chunk_start, chunk_end, previous, swears)
        if clause is not None:
            clauses.append(clause)
        elif clauses:
            clauses[-1] = replace(clauses[-1], end=chunk_end)
        elif lead is None:
            lead = (chunk_start, chunk_end)
    resolved = _merge(
        [_resolve(masked, clause, now, config) for clause in clauses], masked, now, config
    )
    if resolved and lead and len(masked[lead[0] : lead[1]].split()) <= _LEAD_MAX_WORDS:
        resolved[0] = _with_lead_time(resolved[0], masked[lead[0] : lead[1]], now, config)
    promises = (_promise(text, *item) for item in resolved)
    return [promise for promise in promises if promise is not None]


def _chunks(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """Pieces of a sentence between commas, semicolons and "and <subject>"."""
    pieces: list[tuple[int, int]] = []
    cursor = start
    for boundary in _CHUNK_BREAK.finditer(masked, start, end):
        pieces.append((cursor, boundary.start()))
        cursor = boundary.end()
    pieces.append((cursor, end))
    # Chunks start on a word, so patterns anchored at a chunk's start see its first word.
    starts = [s + len(masked[s:e]) - len(masked[s:e].lstrip()) for s, e in pieces]
    return [
        (s, e) for s, (_, e) in zip(starts, pieces, strict=True) if masked[s:e].strip(_TRAILING)
    ]


def _clause(
    masked: str, start: int, end: int, previous: _Clause | None, swears: bool
) -> _Clause | None:
    """The promise a chunk opens: its own commitment, or a verb sharing the last one's.

    In a sentence that swears "never again" only reported actions count.
    """
    chunk = masked[start:end]
    if _QUESTION.match(chunk):
        return None
    found = [item for item in _triggers(chunk) if not (swears and item[1] != "done")]
    if found:
        return _from_triggers(chunk, start, end, found)
    if previous is None or masked[previous.end : start].strip(_TRAILING + "andthenplus"):
        return None  # a shared-subject verb must follow its promise directly
    pattern = _CONJOINED_BASE if previous.tense == "pending" else _CONJOINED_DONE
    match = pattern.match(chunk)
    if match is None:
        return None
    head = start + match.start("head")
    return _Clause(start, end, head, previous.tense, previous.weak, conjoined=True)


_Found = tuple[str, str, bool, re.Match[str]]


def _triggers(chunk: str) -> list[_Found]:
    candidates = _TRIGGER_INDEX.names(chunk.lower())
    if not candidates:
        return []
    conditional = bool(_CONDITIONAL.match(chunk))
    found = [
        (name, tense, weak, match)
        for name, tense, weak, pattern in _TRIGGERS
        if name in candidates
        for match in pattern.finditer(chunk)
        if _is_commitment(name, tense, match, chunk, conditional)
    ]
    return sorted(found, key=lambda item: item[3].start())


def _is_commitment(
    name: str, tense: str, match: re.Match[str], chunk: str, conditional: bool
) -> bool:
    if tense == "done":
        return not conditional and _reports_remedy(name, match, chunk)
    if name == "third_person_future" and _THIRD_PERSON_EXCEPTIONS.search(chunk, 0, match.start()):
        return False
    if name in ("first_person_future", "third_person_future", "offer"):
        return not NOT_AN_ACTION.match(chunk, match.start("head"))
    return True


def _reports_remedy(name: str, match: re.Match[str], chunk: str) -> bool:
    """A past verb is a remedy unless it describes the mistake ("we sent the wrong size")."""
    verb = _head_text(match)
    if verb is None:
        return True
    if _UNDO.match(verb):
        return True
    if name == "first_person_past" and not re.match(r"\s*I\b", match.group(), re.I):
        return False
    return not PROBLEM_MARKERS.search(chunk, match.start())


def _head_text(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    return groups.get("head") or groups.get("past") or groups.get("present")


def _head_start(match: re.Match[str]) -> int:
    for group in ("head", "past", "present"):
        if match.groupdict().get(group) is not None:
            return match.start(group)
    return match.start()


def _from_triggers(chunk: str, start: int, end: int, found: list[_Found]) -> _Clause:
    head = _head_start(found[0][3])
    tenses = {tense for _, tense, _, _ in found}
    tense = next(t for t in ("pending", "settling", "done") if t in tenses)
    delegation = DELEGATION.match(chunk, head)
    if delegation:
        head = delegation.start("inner")
        tense = "settling" if tense == "done" else tense
    weak = all(is_weak for _, _, is_weak, _ in found)
    return _Clause(start, end, start + head, tense, weak)


# --- clauses to promises ---------------------------------------------------------------------


_Resolved = tuple[_Clause, PromiseKind, Deadline | None]


def _resolve(masked: str, clause: _Clause, now: datetime, config: EngineConfig) -> _Resolved:
    deadline = find_deadline(masked[clause.start : clause.end], now, config)
    if clause.tense == "settling":
        clause = replace(clause, tense="pending" if deadline and deadline.due else "done")
    return clause, _kind(masked, clause), deadline


def _kind(masked: str, clause: _Clause) -> PromiseKind:
    head = masked[clause.head : clause.end]
    for kind, pattern in _HEAD_KINDS:
        if pattern.match(head):
            return kind
    text = masked[clause.start : clause.end]
    for kind, pattern in _NOUN_KINDS:
        if pattern.search(text):
            return kind
    return "fix" if FIX_BY_DEFAULT.match(head) else "other"


def _merge(
    items: list[_Resolved], masked: str, now: datetime, config: EngineConfig
) -> list[_Resolved]:
    """Join clauses that make one promise: "check and get back to you", "..., and they'll show"."""
    merged: list[_Resolved] = []
    for item in items:
        kind = _merged_kind(merged[-1], item, masked) if merged else None
        if kind is None:
            merged.append(item)
            continue
        first = merged[-1][0]
        second = item[0]
        tense = "pending" if "pending" in (first.tense, second.tense) else first.tense
        joined = replace(first, end=second.end, tense=tense)
        merged[-1] = (joined, kind, find_deadline(masked[joined.start : joined.end], now, config))
    return merged


def _merged_kind(first: _Resolved, second: _Resolved, masked: str) -> PromiseKind | None:
    """The kind of the joined promise, or None when the two stay apart."""
    (clause_a, kind_a, deadline_a), (clause_b, kind_b, _) = first, second
    if _ANAPHORIC_FUTURE.match(masked, clause_b.start):
        return kind_b if kind_a == "other" else kind_a
    if not clause_b.conjoined:
        return None
    untimed = deadline_a is None or deadline_a.due is None
    if (kind_b == "other" and _bare_other(second)) or _CONFIRMS.match(masked, clause_b.head):
        return kind_a
    if untimed and (kind_a == "other" or PREPARATORY.match(masked, clause_a.head)):
        return kind_a if kind_b == "other" else kind_b
    return None


def _bare_other(item: _Resolved) -> bool:
    """An unnamed step with no time of its own, like "check" in "check and get back to you"."""
    _, kind, deadline = item
    return kind == "other" and (deadline is None or deadline.due is None)


def _with_lead_time(item: _Resolved, lead: str, now: datetime, config: EngineConfig) -> _Resolved:
    clause, kind, deadline = item
    if deadline is not None:
        return item
    return clause, kind, find_deadline(lead, now, config)


def _promise(
    text: str, clause: _Clause, kind: PromiseKind, deadline: Deadline | None
) -> Promise | None:
    if clause.weak and kind == "other":
        return None
    start, end = _trim(text, clause.start, clause.end)
    pending = clause.tense == "pending"
    due = deadline.due if deadline and pending else None
    return Promise(kind=kind, text=text[start:end], start=start, end=end, due=due, done=not pending)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Without surrounding space and trailing punctuation."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return start, end
