"""The suggested rewrite: the draft's own sentences, mended, plus placeholders for what is missing.

It never invents a fact: what only the agent knows goes in [square brackets].
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache

from slackapp.review.model import Finding, Parts
from slackapp.review.parts import OWNERSHIP as OWNERSHIP_CUES
from slackapp.review.parts import PROBLEM as PROBLEM_CUES
from slackapp.review.rules import RuleSet
from slackapp.review.text import fold, mask, sentence_spans

# Sentences added when the draft lacks a part (placeholders are the agent's to fill).
OPENER_NAMED = "I'm sorry."
OPENER_UNNAMED = "I'm sorry about [what went wrong, in the customer's words]."
OWNERSHIP = "That was our mistake."
PREVENTION = "We've changed [what you changed] so this is much less likely to happen again."
FIX = "To put it right, I will [what you are doing to fix it] by [when]."
TIMELINE = "You can expect this to be done by [when]."
GESTURE = (
    "To make up for it, I'd like to offer [a concrete gesture: a refund, credit or waived fee]."
)

# Codes whose whole clause goes: what is left of it would not stand on its own.
_CLAUSE_CODES = frozenset(
    {
        "inconvenience-boilerplate",
        "sorry-you-feel",
        "conditional-apology",
        "lawyerly-distance",
        "overpromise",
    }
)
# Clause breaks: a separator starts the clause after it, so the text can be re-joined.
_CLAUSE_BREAK = re.compile(r"[,;:]\s+|\s+(?:and|but|so)\s+|\s+[-–—]\s+")
_CONNECTOR = re.compile(
    r"^(?:[,;:]|\s)*(?:(?:which\s+(?:is|was|explains)\s+why|which\s+(?:meant|means)(?:\s+that)?"
    r"|and|but|so|which|then)\b)?\s*",
    re.I,
)
_SUBJECT = re.compile(r"(?:we|i)\b", re.I)
# Words that only lead up to drama: "[I am so] deeply ashamed", "[and that is] inexcusable".
_DRAMA_LEAD = frozenset(
    {"i", "am", "m", "we", "are", "re", "so", "very", "truly", "deeply", "really", "just", "and",
     "that", "this", "it", "is", "was", "s", "which", "absolutely", "utterly", "completely",
     "totally", "simply"}
)  # fmt: skip
# A deflection naming our own tool or partner as the actor: owned, it keeps its verb.
_OUR_ACTOR_DID = re.compile(
    r"our\s+(?:[\w'-]+\s+){0,3}?(?P<act>(?:[a-z]+ed|lost|left|sent|made|took|gave|put|forgot|"
    r"broke|kept|ran|got|didn't|did not|never|failed)(?:\s+up)?)$",
    re.I,
)
_OF_ITS_NAME = re.compile(r"(?:\s+(?:of|and)\s+[A-Z]\w*)+")
_OF_THE_DOCUMENT = re.compile(
    r"\s+of\s+(?:the|our|your)\s+(?:[\w&'-]+\s+){0,4}?(?:agreement|terms|conditions|contract"
    r"|policy|charter|code|rules)(?:\s+(?:terms|conditions|wording|document|schedule))?"
    r"(?:\s+(?:of|and)\s+\w+)*",
    re.I,
)
# How a sentence's front is mended once a cut reached it (None: nothing can stand).
_OPENING_MENDS: tuple[tuple[re.Pattern[str], str | None], ...] = tuple(
    (re.compile(pattern, re.I), mend)
    for pattern, mend in (
        (
            r"that\s+(?!(?:is|was|'s|has|had|will|would|should|must|can|could|did|does"
            r"|means|meant|isn't|wasn't)\b)(?=\w)",
            "",
        ),
        (
            r"(?=(?:will|would|can|could|should|must)\b"
            r"|(?:have|had)\s+(?:\w+ed|been|sent|made|taken|given|put|done|got|seen)\b"
            # "[Our delivery partner] delivered your sofa", not "Disputed charges remain due"
            r"|(?:(?!(?:need|feed|speed|seed|indeed|proceed|exceed|succeed)\b)[a-z]{2,}ed"
            r"|sent|made|took|gave|put|left|lost|forgot|broke|kept|ran|got|showed)\s+"
            r"(?:your|the|a|an|you|it|them|our|his|her|their|some|this|that|these|those)\b)",
            "we ",
        ),
        (r"(?:is|are|was|were|has|does|did|do)\b", None),
    )
)
# A sentence that already reports or promises the fix ("the duplicate charge was reversed").
_FIXING = re.compile(
    r"\b(?:i|we)(?:'ve|'ll| have| will| am| are|'m|'re)\b|\b(?:has|have|had) been\b|\[|"
    r"\b(?:refund|revers|credit|replac|fixed|sorted|restor|resolved|corrected|reissu|resent|rebook)",
)
_ASKS = re.compile(r"\?\s*$|^\W*please\b")  # a question or a request, not the problem
_THAT_FOLLOWS = re.compile(r"\s+that\b", re.I)
_LEADING_SEPARATORS = re.compile(r"^(?:[\s,;.!?-]|:(?![\w+-]+:))+")  # but not ":wave:"
_FIGURE = re.compile(r"[\d#$£€¥@]")  # a number, a sum, an id, a handle
_SPECIFIC = re.compile(rf"{_FIGURE.pattern}|(?<=\w )[A-Z][a-z]+")  # or a name
# "may have taken" said plainly is "took", not "taken".
_IRREGULAR_PAST = {
    "taken": "took", "given": "gave", "forgotten": "forgot", "written": "wrote",
    "shown": "showed", "gotten": "got", "mistaken": "mistook", "chosen": "chose",
    "broken": "broke", "driven": "drove", "stolen": "stole", "hidden": "hid",
    "begun": "began", "done": "did", "gone": "went", "seen": "saw", "eaten": "ate",
    "overtaken": "overtook", "undertaken": "undertook", "withdrawn": "withdrew",
}  # fmt: skip


def _simple_past(match: re.Match[str]) -> str:
    participle = match[1]
    return _IRREGULAR_PAST.get(participle.lower(), participle)


# Hedges and what each becomes when said plainly.
_UNHEDGE: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(pattern, re.I), replacement)
    for pattern, replacement in (
        (r"\b(?:may|might|could|must) have been\b", "was"),
        (r"\b(?:may|might|could) (?:possibly |perhaps )?have ([\w-]+)", _simple_past),
        (r"\b(?:may|might|could)'ve ([\w-]+)", _simple_past),
        (r"\bthere (?:seems|appears|seemed|appeared) to (?:have been|be)\b", "there was"),
        (r"\b(?:may|might|could) be\b", "is"),
        (r"\bit (?:would )?(?:appears?|seems?|looks)(?: like| as if| as though| that)?(?: |$)", ""),
        (r"\bit(?:'s| is| was) (?:possible|likely|conceivable)(?: that)?(?: |$)", ""),
        (r"\b(?:seems|appears) to (?:have been|be)\b", "was"),
        (r"\b(?:seems|looks|appears)(?: like| as if| as though| that)?(?: |$)", ""),
        (r"\b(?:i|we) (?:think|believe|suspect) ", ""),
        (
            r"\b(?:possibly|perhaps|maybe|probably|potentially|arguably|likely|seemingly"
            r"|apparently|somewhat|partly|partially|slightly|a little) ",
            "",
        ),
    )
)
# A reply opens with whom it addresses: "Hi Dana,", "Dear Mr. and Mrs. Fraser,", a Slack
# mention, or a tweet's @handles (with or without a "Hi Dana," after them).
_GREETING = re.compile(
    r"^\s*(?:(?:@\w+\s+)*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b"
    r"(?:\b(?:mr|mrs|ms|dr|prof)\.|[^,.!\n]){0,40}[,!.]|<@\w+>|(?:@\w+\s*)+)",
    re.I,
)
_LEAD_IN = re.compile(
    r"^(?:(?:i'?m|we'?re|i am|we are) )?(?:(?:so|very|really|truly|terribly|deeply) )?"
    r"(?:sorry|apologies|my apologies|our apologies)(?: again)?(?: that)?[,!:]? ",
    re.I,
)
_WORDS = re.compile(r"[^\W_]+")
_CAUSED_BY = r"(?:because of|due to|owing to|as a result of|caused by|thanks to)"
_CAUSE = re.compile(rf"(?:because|{_CAUSED_BY})\b", re.I)  # an excuse opening with its connector
_LEADS_TO = re.compile(r"\s+(?:meant|means|has meant)(?: that)?\s+", re.I)
_CAUSE_BEFORE = re.compile(r"\s(?:because|as)\s+$", re.I)  # "because [the courier lost it]"
_COPULA_AT_END = re.compile(r"\b(?:was|were|is|are|been)\s*$", re.I)
_GENERAL = re.compile(r"\b(?:where|if|when|whenever|unless)\b", re.I)
_TRAILING_CAUSE = re.compile(rf"\s+{_CAUSED_BY}\s+$", re.I)  # a connector left behind
_END_PUNCTUATION = re.compile(r"\s*[.!?;:]+\s*$")
_PLACEHOLDER = re.compile(r"\[[^\]]*\]")
_COMMITMENT = re.compile(
    r"\b(?:we|i)(?:'ll| will|'re going to| are going to|'m going to| am going to)\b", re.I
)
_PROMISED_ACTION = re.compile(r"^(?:we|i)'ll \[what you will do\] ")
_TIME_PLACEHOLDER = re.compile(r"\bby \[")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|\x1b\[[0-9;]*m")


def write_rewrite(
    text: str,
    masked: str,
    parts: Parts,
    findings: Sequence[Finding],
    rules: RuleSet,
    *,
    gesture: bool,
    residual: Callable[[str], Sequence[Finding]],
) -> str:
    """A rewrite that keeps the draft's specifics and, reviewed again, has no findings.

    `residual` reviews a candidate rewrite and returns what is still wrong with it.
    """
    if not masked.strip():
        return ""
    spans = sentence_spans(masked)
    starts = [start for start, _ in spans]
    by_sentence: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_sentence[bisect_right(starts, finding.start) - 1].append(finding)
    sentences = [_mend(text, span, by_sentence[i]) for i, span in enumerate(spans)]
    body = _clean(_join(_one_apology([s for s in sentences if s], rules)), residual)
    overpromised = any(f.code == "overpromise" for f in findings)
    # The added sentences are fixed, clean, and add a sorry only where none is left, so
    # the cleaned body needs no second pass (tests/test_review.py holds them to that).
    return _join(
        _add_missing(_split(body), parts, rules, gesture=gesture, overpromised=overpromised)
    )


def _join(sentences: Sequence[str]) -> str:
    """One paragraph, but a quoted line (the customer's words) keeps a line of its own, so
    it stays a quote and is not read as the agent's."""
    joined: list[str] = []
    after_quote = False
    for sentence in sentences:
        quoted = sentence.lstrip().startswith(">")
        if joined:
            joined.append("\n" if quoted or after_quote else " ")
        joined.append(sentence)
        after_quote = quoted
    return "".join(joined)


def _clean(draft: str, residual: Callable[[str], Sequence[Finding]]) -> str:
    """Whatever the mending could not fix is taken out; a hedge left over (one the first
    reading's longer finding hid) is said plainly instead."""
    for attempt in range(3):
        leftover = residual(draft)
        if not leftover:
            break
        edits = [(f.start, f.end, _plain(f) if attempt == 0 else "") for f in leftover]
        draft = _tidy(_remove_spans(draft, edits))
    return draft


def _split(body: str) -> list[str]:
    return [body[a:b] for a, b in sentence_spans(mask(body))]


def _mend(text: str, span: tuple[int, int], findings: Sequence[Finding]) -> str:
    """The sentence with its findings mended: whole clauses go, phrases are replaced."""
    start, end = span
    inside = [
        f for f in findings if start <= f.start and f.end <= end and f.code != "over-apology"
    ]  # extra sorries are thinned out sentence by sentence, later
    if not inside:
        return _kept(_tidy(text[start:end]))
    clauses = _clauses(text, start, end)
    dropped: set[int] = set()
    spared: set[Finding] = set()
    edits: list[tuple[int, int, str]] = []
    for finding in (f for f in inside if _drops_clause(f)):
        hit = _hit(clauses, finding)
        if cut := _excuse_after_the_problem(text, clauses, hit, finding):
            edits.append(cut)  # "Your order was late [because our courier lost it]."
        elif any(_has_specifics(text, clauses[i], finding) for i in hit):
            spared.add(finding)  # it names an order, a sum, a person: patch the phrase instead
        elif cut := _excuse_before_the_problem(text, clauses, hit, finding):
            edits.append(cut)  # "[The courier's outage meant] your card was declined."
        else:
            dropped.update(hit)
    for finding in inside:
        if _drops_clause(finding) and finding not in spared:
            continue
        replacement = _replacement(finding, text[start : finding.start])
        if finding in spared and (owned := _OUR_ACTOR_DID.match(finding.text)):
            replacement = f"we {owned['act']}"  # "[our system failed] to read your tag at J4"
        if _repeats_placeholder(replacement, edits):
            replacement = ""  # one placeholder per sentence is enough
        cut_from = finding.start if replacement else _with_its_connector(text, finding.start)
        cut_to = finding.end
        if finding.code == "tone-mismatch":
            cut_from, lead = _drama_cut(text, clauses, finding)
            dropped.update(lead)
        elif finding.code == "lawyerly-distance" and not replacement:
            cut_to = _with_the_document(text, finding.end, end)
        edits.append((cut_from, cut_to, replacement))
    kept = [
        (text[separator:a], _apply(text, a, b, edits))
        for index, ((a, b), separator) in enumerate(
            zip(clauses, [start] + [b for _, b in clauses[:-1]], strict=True)
        )
        if index not in dropped
    ]
    if not kept:
        return ""
    sentence = kept[0][1] + "".join(sep + clause for sep, clause in kept[1:])
    if 0 in dropped:
        sentence = _CONNECTOR.sub("", sentence)
    return _kept(_tidy(_mended_opening(text[start:end], sentence)))


def _mended_opening(original: str, mended: str) -> str:
    """The front of a sentence a cut reached (after any greeting): an orphaned "that" goes
    ("[I'm mortified] that we lost your parcel"); a left-out subject is owned ("[Our
    courier partner] will be with you by 1pm" -> "we will be ..."); a clause with no subject
    left goes ("[The fault originates from the maker] and is therefore covered ...").
    What the draft itself opened with stays."""
    greeting = _GREETING.match(mended)
    at = greeting.end() if greeting else 0
    written = _GREETING.match(original)
    opening = original[written.end() if written else 0 :].lstrip(" ,;:–—-")
    rest = mended[at:].lstrip(" ,;:–—-")
    for cue, mend in _OPENING_MENDS:
        cut = cue.match(rest)
        if cut and not cue.match(opening):
            if mend is None:  # the subjectless clause goes; what follows its break stays
                brk = _CLAUSE_BREAK.search(rest)
                rest = _CONNECTOR.sub("", rest[brk.end() :]) if brk else ""
                return f"{mended[:at]} {rest}".strip()
            return f"{mended[:at]} {mend}{rest[cut.end() :]}".lstrip()
    return mended


def _with_the_document(text: str, at: int, end: int) -> int:
    """Where removed policy language ends, the document it cites included: "[Under clause
    4.2] of the Master Services Agreement, the outage ...", "our Terms [of Sale]"."""
    document = _OF_THE_DOCUMENT.match(text, at, end)
    at = document.end() if document else at
    named = _OF_ITS_NAME.match(text, at, end)
    return named.end() if named else at


def _hit(clauses: Sequence[tuple[int, int]], finding: Finding) -> list[int]:
    """The clauses the finding overlaps."""
    return [i for i, (a, b) in enumerate(clauses) if a < finding.end and finding.start < b]


def _drama_cut(
    text: str, clauses: Sequence[tuple[int, int]], finding: Finding
) -> tuple[int, list[int]]:
    """Where a tone finding's cut starts, and the clauses before it that go too. The words
    leading up to the drama go with it when it ends its clause and they only lead up to it
    ("[and that is] inexcusable", "[I can't apologize enough], this is [truly inexcusable]")
    or it is at least half of its clause; or when the sentence opens on it and goes on
    with "that" ("[I am so deeply ashamed] that we lost your parcel")."""
    hit = _hit(clauses, finding)
    if len(hit) != 1 or not _WORDS.search(finding.text):
        return finding.start, []
    index = hit[0]
    opening = clauses[0][0]
    greeting = _GREETING.match(text[opening : clauses[-1][1]])  # "@dmitri_v Our bad: ..."
    floor = opening + (greeting.end() if greeting else 0)
    start, end = max(clauses[index][0], floor), clauses[index][1]
    following = text[finding.end : end]
    ends_clause = len(_WORDS.findall(following)) <= 1
    # Nothing of the clause is left: it goes whole, so a connector after it goes too ("[This
    # was inexcusable] and I understand"), unless it holds the greeting or its separator
    # closes an emoji (":wave:").
    own = clauses[index][0] >= floor and text[clauses[index][0]] != ":"
    whole = [index] if own and not following.strip() else []
    if _only_leads_up(text[floor : finding.start]) and (
        ends_clause or _THAT_FOLLOWS.match(following)
    ):
        lead = [i for i in range(index) if clauses[i][1] > floor]
        return _first_word(text, start, finding), lead + whole
    before = text[start : finding.start]
    if ends_clause and (
        _only_leads_up(before) or len(_WORDS.findall(finding.text)) >= len(_WORDS.findall(before))
    ):
        return _first_word(text, start, finding), whole
    return finding.start, []


def _only_leads_up(words: str) -> bool:
    return all(word.lower() in _DRAMA_LEAD for word in _WORDS.findall(words))


def _first_word(text: str, start: int, finding: Finding) -> int:
    """Where the words from `start` begin: a separator there may end an emoji (":wave:")."""
    word = _WORDS.search(text, start, finding.end)
    return word.start() if word else finding.start


def _excuse_after_the_problem(
    text: str, clauses: Sequence[tuple[int, int]], hit: Sequence[int], finding: Finding
) -> tuple[int, int, str] | None:
    """The cut that takes an excuse ("because our courier lost it") off the end of its clause,
    when the clause first says what went wrong; None when there is no such problem to keep,
    or when the excuse holds a number, a sum or an id that the rewrite must keep."""
    if len(hit) != 1:
        return None
    start, end = clauses[hit[0]]
    if _CAUSE.match(finding.text):
        excuse = finding.start
    elif connector := _CAUSE_BEFORE.search(text, start, finding.start):
        excuse = connector.start()  # "because [our head office team never] placed the order"
    else:
        return None
    tail = _END_PUNCTUATION.search(text, finding.end, end)
    stop = tail.start() if tail else end
    before, excuse_text = text[start:excuse], text[excuse:stop]
    if len(_WORDS.findall(before)) < 3 or _FIGURE.search(excuse_text):
        return None
    if _SPECIFIC.search(excuse_text) and not PROBLEM_CUES.search(fold(before)):
        return None  # "We've refunded the fee [because your family weren't seated ... Rome]"
    # "The outage was [caused by a contractor's cable cut]": the clause needs its complement,
    # unless it states a rule ("not payable where a cancellation is caused by ...").
    owned = _COPULA_AT_END.search(before) and not _GENERAL.search(before)
    return excuse, stop, "our mistake" if owned else ""


def _excuse_before_the_problem(
    text: str, clauses: Sequence[tuple[int, int]], hit: Sequence[int], finding: Finding
) -> tuple[int, int, str] | None:
    """The cut that takes a culprit ("the courier's outage meant") off the front of a clause
    that goes on to say what went wrong; None when nothing of the problem would be left."""
    if len(hit) != 1:
        return None
    start, end = clauses[hit[0]]
    if text[start : finding.start].strip(" \t\n,;:-–—"):
        return None
    linked = _LEADS_TO.match(text, finding.end, end)
    if not linked or len(_WORDS.findall(text[linked.end() : end])) < 3:
        return None
    return finding.start, linked.end(), ""


def _with_its_connector(text: str, start: int) -> int:
    """Where a removed cause begins, "due to" included: no "were not delivered due to." left."""
    connector = _TRAILING_CAUSE.search(text, max(0, start - 30), start)
    return connector.start() if connector else start


def _kept(sentence: str) -> str:
    """A mended sentence, or nothing when too little of it is left to stand alone."""
    return sentence if len(_WORDS.findall(sentence)) >= 2 or _GREETING.match(sentence) else ""


def _has_specifics(text: str, clause: tuple[int, int], finding: Finding) -> bool:
    """Numbers, sums, ids or names in the clause outside the flagged phrase."""
    start, end = clause
    outside = text[start : finding.start] + " " + text[finding.end : end]
    return bool(_SPECIFIC.search(outside))


def _drops_clause(finding: Finding) -> bool:
    """Stock phrases, excuses and promises no one can keep take their clause with them."""
    if finding.code in _CLAUSE_CODES:
        return True
    if finding.code == "deflects-blame":
        return finding.suggestion is None  # it names a culprit; ownership is added instead
    return finding.rule == "vague-action" and not _SUBJECT.match(finding.text)


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, cursor = [], start
    for brk in _CLAUSE_BREAK.finditer(text, start, end):
        spans.append((cursor, brk.start()))
        cursor = brk.start()
    spans.append((cursor, end))
    return [(a, b) for a, b in spans if b > a]


def _apply(text: str, start: int, end: int, edits: Sequence[tuple[int, int, str]]) -> str:
    local = [(a - start, b - start, r) for a, b, r in edits if start <= a and b <= end]
    return _remove_spans(text[start:end], local)


def _repeats_placeholder(replacement: str, edits: Sequence[tuple[int, int, str]]) -> bool:
    placeholders = _PLACEHOLDER.findall(replacement)
    return any(p in earlier for p in placeholders for _, _, earlier in edits)


def _plain(finding: Finding) -> str:
    """A hedge said plainly ("we might have applied" becomes "we applied"); else nothing."""
    if finding.code != "hedging":
        return ""
    plain = finding.text
    for pattern, replacement in _UNHEDGE:
        plain = pattern.sub(replacement, plain)
    return plain


def _replacement(finding: Finding, before: str) -> str:
    """What replaces the finding; `before` is its sentence up to it."""
    if finding.code in ("tone-mismatch", "hedging"):
        return _plain(finding)
    suggestion = finding.suggestion or ""
    if _COMMITMENT.search(before) and not _SUBJECT.match(finding.text):
        # "We'll chase them and get back to you [as soon as we hear]": the sentence already
        # says what we will do, so only the time is missing.
        suggestion = _PROMISED_ACTION.sub("", suggestion)
    return suggestion


def _one_apology(sentences: list[str], rules: RuleSet) -> list[str]:
    """Keep the first apology; later ones lose their sorry, or go when nothing is left."""
    kept: list[str] = []
    apologized = False
    for sentence in sentences:
        if rules.apology.search(_prose(sentence)):
            if apologized:
                sentence = _drop_lead_in(sentence)
                if not sentence or rules.apology.search(_prose(sentence)):
                    continue
            apologized = True
        kept.append(sentence)
    return kept


def _drop_lead_in(sentence: str) -> str:
    rest = _LEAD_IN.sub("", sentence, count=1)
    if rest == sentence or re.match(r"(?:for|about|again)\b", rest, re.I):
        return ""
    return _capitalize(rest)


def _add_missing(
    sentences: list[str], parts: Parts, rules: RuleSet, *, gesture: bool, overpromised: bool
) -> list[str]:
    body = list(sentences)
    greeting, as_written = _split_greeting(body)
    apologies = [i for i, s in enumerate(body) if rules.apology.search(_prose(s))]
    if not apologies:
        body.insert(0, OPENER_NAMED if parts.names_problem else OPENER_UNNAMED)
        apologies = [0]
    if not (parts.owns_it and OWNERSHIP_CUES.search(_prose(" ".join(body)))):
        # Also when the only ownership was "my bad". "That" needs the problem before it.
        body.insert(_after_the_problem(body, apologies[0]) + 1, OWNERSHIP)
    if not parts.states_fix:
        body.append(FIX)
    elif not parts.gives_timeline and not _TIME_PLACEHOLDER.search(" ".join(body)):
        body.append(TIMELINE)
    if overpromised:
        body.append(PREVENTION)
    if gesture and not parts.offers_remedy:
        body.append(GESTURE)
    if as_written and greeting[0].endswith(",") and body[0] == _capitalize(as_written):
        body[0] = as_written  # still right after "Hi Dana,": "sorry for this!" stays lower-case
    return greeting + body


def _after_the_problem(body: list[str], apology: int) -> int:
    """The apology's sentence, or the next one when only that one says what went wrong
    (and is not already the fix): "I'm sorry. Your card was declined. That was our
    mistake." """
    following = apology + 1
    if following < len(body):
        apology_names_it = PROBLEM_CUES.search(_prose(body[apology]))
        next_one = _prose(body[following])
        plain_statement = not _FIXING.search(next_one) and not _ASKS.search(next_one)
        if not apology_names_it and PROBLEM_CUES.search(next_one) and plain_statement:
            return following
    return apology


def _split_greeting(body: list[str]) -> tuple[list[str], str]:
    """Take "Hi Dana," off the front so added sentences go after it; also return what
    followed it in the same sentence, as written (the body starts with it capitalised)."""
    match = _GREETING.match(body[0]) if body else None
    if not match:
        return [], ""
    rest = _LEADING_SEPARATORS.sub("", body[0][match.end() :].strip())
    if not _WORDS.search(rest):
        rest = ""  # "@leo_gamer." left alone by what was cut after it
    if rest:
        body[0] = _capitalize(rest)
    else:
        body.pop(0)
    greeting = match.group(0).strip()
    greeting = greeting[:-1] + "," if greeting.endswith(".") else greeting  # "Hi Dana." opens
    return [greeting], rest


def _remove_spans(text: str, edits: Sequence[tuple[int, int, str]]) -> str:
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


# The seams an edit leaves, and their repair, in order.
_SEAMS = tuple(
    (re.compile(pattern), repair)
    for pattern, repair in (
        (r"[ \t]{2,}", " "),
        (r"(?<!\.)\.\.(?!\.)", "."),
        (r"\s+([,.!?;]|:(?![\w+-]+:))", r"\1"),
        (r"([,;:])(?=[.!?])", ""),
        (r"([,;:])\1+", r"\1"),
        (_LEADING_SEPARATORS.pattern, ""),
        (r"\s*,\s*$", "."),
    )
)


def _tidy(sentence: str) -> str:
    """Repair the seams an edit leaves: doubled spaces, orphaned commas, a lower-case start."""
    sentence = _CONTROL.sub("", sentence)
    for seam, repair in _SEAMS:
        sentence = seam.sub(repair, sentence)
    sentence = sentence.strip()
    if sentence and sentence[-1] not in ".!?:)`>":
        sentence += "."
    return _capitalize(sentence)


@lru_cache(maxsize=1024)
def _prose(sentence: str) -> str:
    return fold(mask(sentence))


def _capitalize(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:] if sentence[:1].islower() else sentence
