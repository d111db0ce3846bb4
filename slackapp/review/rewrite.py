"""The suggested rewrite: the draft's own sentences, mended, plus placeholders for what is missing.

It never invents a fact: what only the agent knows goes in [square brackets].
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from slackapp.review.model import Finding, Parts
from slackapp.review.parts import OWNERSHIP as OWNERSHIP_CUES
from slackapp.review.rules import RuleSet
from slackapp.review.text import fold, mask, sentence_spans

# Sentences added when the draft lacks a part (placeholders are the agent's to fill).
OPENER_NAMED = "I'm sorry."
OPENER_UNNAMED = "I'm sorry about [what went wrong, in the customer's words]."
OWNERSHIP = "That was our mistake."
FIX = "To put it right, I will [what you are doing to fix it] by [when]."
TIMELINE = "You can expect this to be done by [when]."
GESTURE = (
    "To make up for it, I'd like to offer [a concrete gesture: a refund, credit or waived fee]."
)

# Codes whose phrase is simply taken out of its sentence.
_REMOVED = frozenset(
    {
        "inconvenience-boilerplate",
        "sorry-you-feel",
        "conditional-apology",
        "lawyerly-distance",
        "tone-mismatch",
    }
)
# Hedges and what each becomes when said plainly.
_UNHEDGE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), replacement)
    for pattern, replacement in (
        (r"\b(?:may|might|could|must) have been\b", "was"),
        (r"\b(?:may|might|could) (?:possibly |perhaps )?have (\w+)", r"\1"),
        (r"\b(?:may|might|could) be\b", "is"),
        (
            r"\bit (?:appears|seems|looks|would appear|would seem)(?: like| as if| as though| that)? ",
            "",
        ),
        (r"\bit(?:'s| is| was) (?:possible|likely|conceivable) (?:that )?", ""),
        (r"\b(?:i|we) (?:think|believe|suspect) ", ""),
        (
            r"\b(?:possibly|perhaps|maybe|probably|potentially|arguably|likely|seemingly"
            r"|apparently|somewhat|partly|partially|slightly|a little) ",
            "",
        ),
    )
)
_GREETING = re.compile(
    r"^\s*(?:(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[^,.!\n]{0,40}[,!]|<@\w+>)",
    re.I,
)
_LEAD_IN = re.compile(
    r"^(?:(?:i'?m|we'?re|i am|we are) )?(?:(?:so|very|really|truly|terribly|deeply) )?"
    r"(?:sorry|apologies|my apologies|our apologies)(?: again)?(?: that)?[,!:]? ",
    re.I,
)
_WORDS = re.compile(r"[^\W_]+")
_PLACEHOLDER = re.compile(r"\[[^\]]*\]")


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
    sentences = [_mend(text, span, findings) for span in sentence_spans(masked)]
    sentences = _one_apology([s for s in sentences if s], rules)
    sentences = _add_missing(sentences, parts, rules, gesture=gesture)
    draft = " ".join(sentences)
    for _ in range(3):  # whatever the mending could not fix is taken out
        leftover = residual(draft)
        if not leftover:
            break
        draft = _tidy(_remove_spans(draft, [(f.start, f.end, "") for f in leftover]))
    return draft


def _mend(text: str, span: tuple[int, int], findings: Sequence[Finding]) -> str:
    start, end = span
    edits: list[tuple[int, int, str]] = []
    for finding in findings:
        if not (start <= finding.start and finding.end <= end):
            continue
        if finding.code == "deflects-blame" and finding.suggestion is None:
            return ""  # the sentence names someone else as the culprit; ownership is added later
        if finding.code == "over-apology":
            continue  # later apologies are thinned out sentence by sentence
        cut_end = _clause_end(text, finding, end) if finding.code == "conditional-apology" else None
        replacement = _replacement(finding)
        if _repeats_placeholder(replacement, edits):
            replacement = ""  # one placeholder per sentence is enough
        edits.append((finding.start - start, (cut_end or finding.end) - start, replacement))
    sentence = _tidy(_remove_spans(text[start:end], edits))
    return sentence if len(_WORDS.findall(sentence)) >= 2 or _GREETING.match(sentence) else ""


def _repeats_placeholder(replacement: str, edits: Sequence[tuple[int, int, str]]) -> bool:
    placeholders = _PLACEHOLDER.findall(replacement)
    return any(p in earlier for p in placeholders for _, _, earlier in edits)


def _clause_end(text: str, finding: Finding, sentence_end: int) -> int | None:
    """An "if we made a mistake with X," clause goes whole, up to its comma."""
    if not finding.text.lower().startswith(("if", "to the extent", "in case")):
        return None
    comma = text.find(",", finding.end, sentence_end)
    return comma + 1 if comma != -1 else None


def _replacement(finding: Finding) -> str:
    if finding.code in _REMOVED:
        return ""
    if finding.code == "hedging":
        plain = finding.text
        for pattern, replacement in _UNHEDGE:
            plain = pattern.sub(replacement, plain)
        return plain
    return finding.suggestion or ""


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


def _add_missing(sentences: list[str], parts: Parts, rules: RuleSet, *, gesture: bool) -> list[str]:
    body = list(sentences)
    greeting = _split_greeting(body)
    if not any(rules.apology.search(_prose(s)) for s in body):
        body.insert(0, OPENER_NAMED if parts.names_problem else OPENER_UNNAMED)
    if not (parts.owns_it and OWNERSHIP_CUES.search(_prose(" ".join(body)))):
        body.insert(1, OWNERSHIP)  # also when the only ownership was a breezy "my bad"
    if not parts.states_fix:
        body.append(FIX)
    elif not parts.gives_timeline:
        body.append(TIMELINE)
    if gesture and not parts.offers_remedy:
        body.append(GESTURE)
    return greeting + body


def _split_greeting(body: list[str]) -> list[str]:
    """Take "Hi Dana," off the front so added sentences go after it."""
    match = _GREETING.match(body[0]) if body else None
    if not match:
        return []
    rest = body[0][match.end() :].strip()
    if rest:
        body[0] = _capitalize(rest)
    else:
        body.pop(0)
    return [match.group(0).strip()]


def _remove_spans(text: str, edits: Sequence[tuple[int, int, str]]) -> str:
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _tidy(sentence: str) -> str:
    """Repair the seams an edit leaves: doubled spaces, orphaned commas, a lower-case start."""
    sentence = re.sub(r"[ \t]{2,}", " ", sentence)
    sentence = re.sub(r"\s+([,.!?;:])", r"\1", sentence)
    sentence = re.sub(r"([,;:])(?=[.!?])", "", sentence)
    sentence = re.sub(r"([,;:])\1+", r"\1", sentence)
    sentence = re.sub(r"^[\s,;:.!?-]+", "", sentence)
    sentence = re.sub(r"\s*,\s*$", ".", sentence).strip()
    if sentence and sentence[-1] not in ".!?:)`>":
        sentence += "."
    return _capitalize(sentence)


def _prose(sentence: str) -> str:
    return fold(mask(sentence))


def _capitalize(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:] if sentence[:1].islower() else sentence
