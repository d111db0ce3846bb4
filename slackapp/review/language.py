"""Honest answers for text the engine should not pretend to review."""

from __future__ import annotations

import re
from collections.abc import Sequence

EMPTY = "There is no draft to review: paste the reply you plan to send."
NOT_ENGLISH = "Only English is reviewed for now, so this draft gets no findings."
NOT_AN_APOLOGY = (
    "This doesn't read as an apology: there is no apology or admission of a problem in it."
)

_WORD = re.compile(r"[^\W\d_]+")
_NOT_LETTER_ASCII = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalpha()})
_SAMPLE = 300  # words enough to tell English from another language
# The commonest English function words: frequent in any English prose, rare elsewhere.
_ENGLISH = frozenset(
    """a an the and or but if of to in on at by for with from about as into than then so
    i we you he she it they me us him her them my our your his its their this that these those
    is are was were be been being am do does did have has had will would can could should may
    might must not no yes all any some there here what when where which who how why just also
    very sorry please thanks thank hi hello""".split()
)
_PROBLEM_OR_OWNERSHIP = re.compile(
    r"\b(?:our|my) (?:mistake|error|fault|bad)|\bon us\b|\bwe (?:made|messed|got|missed|forgot)"
    r"|\b(?:late|wrong|broken|damaged|missing|failed|error|mistake|charged|lost|delay(?:ed)?)\b",
)


def unreviewable_reason(masked: str) -> str | None:
    """Why the draft cannot be reviewed at all (empty, or not English), else None."""
    ascii_only = masked.isascii()
    words = masked.translate(_NOT_LETTER_ASCII).split() if ascii_only else _WORD.findall(masked)
    if not words:
        return EMPTY
    letters = sum(map(len, words))
    if not ascii_only and _non_latin(words) > letters / 2:
        return NOT_ENGLISH
    if len(words) >= 4 and _english_share(words) < 0.12:
        return NOT_ENGLISH
    return None


def not_an_apology(masked: str, apologies: Sequence[tuple[int, int]], has_findings: bool) -> bool:
    """No apology, no admitted problem and nothing to flag: say so rather than grade it."""
    return not apologies and not has_findings and not _PROBLEM_OR_OWNERSHIP.search(masked)


def _non_latin(words: list[str]) -> int:
    """Letters outside the Latin alphabets (CJK, Cyrillic, Arabic...)."""
    return sum(1 for word in words for char in word if ord(char) > 0x24F)


def _english_share(words: list[str]) -> float:
    sample = words[:_SAMPLE]
    return sum(map(_ENGLISH.__contains__, map(str.lower, sample))) / len(sample)
