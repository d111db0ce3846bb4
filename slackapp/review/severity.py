"""How bad the problem looks, and what weight the apology should carry."""

from __future__ import annotations

import re

from slackapp.review.model import Severity


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns).replace(" ", r"\s+"))


# Harm that makes a failure serious: data, safety, big money, the customer's own business,
# life events that cannot be redone.
SERIOUS = _any(
    r"\b(?:patient|medical|health) (?:records?|data|information|files?)\b",
    r"\b(?:personal|private|confidential|sensitive|customer|card|bank) (?:data|information|details)"
    r" (?:\w+ ){0,3}?(?:exposed|leaked|visible|shared|sent|compromised|breached)\b",
    r"\b(?:data breach|breach|leaked|exposed to|visible to (?:another|other|the wrong)|identity theft"
    r"|privacy)\b",
    r"\b(?:deleted|lost|wiped|erased|corrupted) (?:\w+ ){0,4}?(?:data|files|photos|history|account"
    r"|records|work|backups?|database|emails|messages|documents|projects?)\b",
    r"\b(?:wheelchair|mobility aid|stuck overnight|overnight in|slept at the airport)\b",
    r"\b(?:injur(?:y|ies|ed)|hurt (?:yourself|himself|herself|themselves)|hospital|allerg(?:y|ic|en)"
    r"|anaphyla\w*|unsafe|caught fire|fire hazard|burn(?:ed|t)|choking|ambulance|food poisoning"
    r"|contaminat\w+|carbon monoxide|gas leak|electric shock|surgery)\b",
    r"\b(?:wrong|missed|missing|late|delayed) (?:\w+ )?(?:medication|prescription|dose)\b",
    r"\b(?:overdraft|overdrawn|rent|mortgage|paycheck|payroll|savings|fraud\w*|thousands of)\b",
    r"[$£€] ?\d{1,3}(?:,\d{3})+|[$£€] ?\d{4,}",
    r"\b(?:production|your (?:site|store|shop|website|service|app)) (?:was |went |is )?(?:down|offline)\b",
    r"\blost (?:\w+ )?(?:sales|revenue|customers|business|orders|income|a client|clients)\b",
    r"\b(?:your|their) (?:customers|clients|patients|students|employees|staff) (?:\w+ ){0,3}?"
    r"(?:couldn't|could not|were unable|lost|missed|saw|received)\b",
    r"\b(?:wedding|funeral|honeymoon|stranded|missed (?:your|the|their|his|her) (?:flight|connection"
    r"|exam|interview|appointment|surgery))\b",
    r"\b(?:downtime|outage) (?:of|for|lasting) (?:\w+ )?(?:hours|days)\b",
)

# Repetition: a failure that happened before weighs more, and calls for a gesture.
REPEATED = _any(
    r"\b(?:happened|happening|happens|occurred|failed|broke|broken|late|wrong|missing|down"
    r"|charged|billed|delayed|cancell?ed|lost|crashed|stopped|missed|let you down|forgot) again\b",
    r"\b(?:yet again|again and again|repeatedly|keeps? happening|kept happening|multiple times"
    r"|several times|many times|every time|each time|still (?:hasn't|has not|haven't|not))\b",
    r"\b(?:second|third|fourth|fifth|2nd|3rd|4th|5th|nth) time\b",
    r"\b(?:two|three|four|five|\d+) times\b",
)

# Ordinary harm: money, time, goods, service.
MODERATE = _any(
    r"\b(?:charged|billed|overcharged|invoice|billing|bills?|tariff|payment was taken|deducted"
    r"|twice|instead of|claim|suspend(?:ed)?|dropped|bug|delay)\b",
    r"\b(?:took|waited|wait of) \d+ (?:days|weeks|months)\b"
    r"|\b(?:\d+|a few|several|two|three|four|five|six|seven|ten) (?:days|hours|weeks) late\b",
    r"[$£€] ?\d",
    r"\b(?:delayed|overdue|lost|damaged|broken|cracked|defective"
    r"|missing|wrong (?:item|order|size|colou?r|address|product|dish|meal|part|model|account)"
    r"|cancell?ed|outage|went down|was down|locked out|double-booked|overbooked|no-show|missed"
    r"|never (?:arrived|came|showed)|hasn't (?:arrived|shown up)|spoiled|stuck)\b",
    r"\b(?:waited|waiting|on hold) (?:for )?(?:\w+ )?(?:hours?|days?|weeks?)\b",
    r"\b(?:error|mistake|problem|issue) (?:\w+ ){0,5}?(?:with|on|in) your (?:\w+ )?(?:delivery|order"
    r"|booking|reservation|account|invoice|bill|shipment|subscription|address|payment)\b",
    r"\b(?:not working|stopped working|crash(?:ed|es|ing)|failed to (?:load|save|sync|send|export))\b",
    r"\b(?:failed|broke|broken|down) for (?:your|the whole|all of your) (?:team|company|business|staff)\b",
)

_LEVELS: tuple[Severity, ...] = ("minor", "moderate", "serious")

_ADVICE: dict[Severity, tuple[str, ...]] = {
    "minor": (
        "Keep it light and short: one sorry, the fix, done.",
        'Skip big words like "mortified" or "inexcusable": they make a small slip look big.',
    ),
    "moderate": (
        "Name the problem in the customer's words and own it plainly.",
        "Give a concrete time for the fix or the next update.",
    ),
    "serious": (
        "Lead with ownership and say exactly what went wrong; no jokes, no emoji.",
        "Say what you are changing so it is less likely to happen again, with a firm timeline.",
        "Offer a concrete gesture (refund, credit, waived fee) and follow up personally.",
    ),
}


def estimate_severity(masked: str) -> Severity:
    """minor / moderate / serious, from what the draft says went wrong."""
    if SERIOUS.search(masked):
        level = 2
    elif MODERATE.search(masked):
        level = 1
    else:
        level = 0
    if REPEATED.search(masked):
        level = min(level + 1, 2)
    return _LEVELS[level]


def needs_gesture(masked: str, used: Severity) -> bool:
    """Compensation helps most when the failure is serious or has happened before."""
    return used == "serious" or bool(REPEATED.search(masked))


def tone_advice(used: Severity) -> tuple[str, ...]:
    return _ADVICE[used]
