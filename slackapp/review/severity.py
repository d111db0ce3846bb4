"""How bad the problem looks, and what weight the apology should carry."""

from __future__ import annotations

import re
from collections.abc import Sequence

from slackapp.review.model import Promise, Severity
from slackapp.review.rules import compile_pattern


def _any(*patterns: str) -> re.Pattern[str]:
    return compile_pattern("|".join(f"(?:{p})" for p in patterns), {})


# Harm that makes a failure serious: health and safety, privacy, essential services, data,
# large sums, the customer's own business, and events that cannot be redone.
SERIOUS = _any(
    r"\b(?:patient|medical|health) (?:records?|data|information|files?)\b",
    r"\b(?:medication|prescription (?:medicine|medication|drugs?|refill)|dosage|chemotherapy|chemo"
    r"|surgery|surgeon|doctor|nurse|clinic|dispensed|\d+ ?mg|hospital|ambulance|lab results|test results"
    r"|allerg(?:y|ic|en|ens)|anaphyla\w*|epipen|insulin|oxygen)\b",
    r"\b(?:injur(?:y|ies|ed)|unsafe|safety|caught fire|fire hazard|burn(?:ed|t)|choking"
    r"|food poisoning|contaminat\w+|carbon monoxide|gas leak|electric shock|loose wire|live wire"
    r"|airbag|child seat|break-in|burglar\w*|security failure|without authori[sz]ation|locked (?:you )?out"
    r"|overnight|diverted|running water|inverter|wiring|wired)\b",
    r"\bbrakes? (?:\w+ )?(?:failed|uninstalled|not (?:fitted|installed|connected)|loose|missing)\b",
    r"\b(?:home address|account details|personal details|pin|password|card details|bank details)"
    r" (?:[\w']+ ){0,6}?(?:published|released|shared|sent|disclosed|given|posted|printed|same envelope)\b",
    r"\b(?:published|released|shared|disclosed|leaked) (?:[\w']+ ){0,3}?(?:home address|account details"
    r"|personal details|details|address|records)\b|\btax (?:filing|return|payment)\b",
    r"\b(?:left (?:\w+ ){0,3}?(?:door|gate|window|house|home|flat) (?:\w+ )?unlocked|(?:door|gate) "
    r"(?:was |were )?(?:left )?unlocked)\b",
    r"\b(?:visa|passport|birth certificate|driving licen[cs]e|green card)\b",
    r"\b(?:website|site|email|emails|api|shop|store|checkout|servers?) (?:and \w+ )?(?:was|were|went|"
    r"has been|have been) (?:down|offline|unavailable)\b|\b\d+[- ]hour (?:\w+ )?outage\b",
    r"\b(?:flight|train|ferry)(?: \w+)? (?:was|got) cancell?ed\b|\blost (?:your|the) (?:bag|luggage"
    r"|suitcase)\b|\b(?:catalogue|catalog|inventory|listings)\b",
    r"\b(?:data breach|breach(?:ed)?|leak(?:ed)?|exposed|disclosed|visible to|identity theft"
    r"|privacy|passport|tax return|social security|national insurance|id documents|ex-partner)\b",
    r"\b(?:electricity|power|gas|water|heating|heat|internet|phone line) (?:was |were |got )?"
    r"(?:cut off|disconnected|shut off|switched off|turned off|off)\b",
    r"\bcut (?:your|the) (?:electricity|power|gas|water|heating|supply) off\b",
    r"\b(?:deleted|lost|wiped|erased|corrupted|overwrote|overwritten) (?:[\w']+ ){0,4}?(?:data"
    r"|files|photos|history|account|records|work|backups?|database|emails|messages|documents"
    r"|projects?)\b|\b(?:files|data|photos|records|backups?) (?:were|was|got) (?:lost|deleted|wiped)\b",
    r"\b(?:overdraft|overdrawn|rent|paycheck|everyone's (?:salary|pay)|pension|savings|fraud\w*"
    r"|tuition|school fees)\b",
    r"[$£€] ?\d{1,3}(?:,\d{3})+|[$£€] ?\d{4,}",  # four-figure sums
    r"\b(?:production|your (?:site|store|shop|website|service|app)) (?:was |went |is )?(?:down|offline)\b",
    r"\blost (?:\w+ )?(?:sales|revenue|customers|business|orders|income|a client|clients)\b",
    r"\b(?:your|their) (?:customers|clients|patients|students|employees|staff|users)\b",
    r"\b(?:wedding|funeral|honeymoon|stranded|stuck overnight|overnight in|slept at the airport"
    r"|wheelchair|mobility aid|missed (?:\w+ ){0,2}?(?:flight|connection|exam|interview|surgery"
    r"|funeral|wedding))\b",
    r"\b(?:failed|down|offline|broken) for (?:\d+|two|three|four|five|several) (?:nights|days|weeks)\b",
    r"\b(?:downtime|outage) (?:of|for|lasting) (?:\w+ )?(?:hours|days)\b",
)

# Repetition: a failure that happened before weighs more, and calls for a gesture.
REPEATED = _any(
    r"\b(?:happened|happening|happens|occurred|failed|broke|broken|late|wrong|missing|down"
    r"|charged|billed|delayed|cancell?ed|lost|crashed|stopped|missed|let you down|forgot) again\b",
    r"\b(?:yet again|again and again|repeatedly|keeps? happening|kept happening|multiple times"
    r"|several times|many times|every time|each time|still (?:hasn't|has not|haven't|not))\b",
    r"\b(?:second|third|fourth|fifth|2nd|3rd|4th|5th|nth) time\b",
    r"\b(?:two|three|four|five|\d+) times\b(?! (?:your|the|as|more|less|higher|lower|faster|slower|a))",
    r"\b(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth) (?:time|attempt)\b",
)

# Ordinary harm: money, time lost, goods, bookings and visits, accounts.
MODERATE = _any(
    r"\b(?:charged|billed|overcharged|invoice|billing|bills?|tariff|premium|deposit|balance"
    r"|payment was taken|deducted|twice|claim|suspend(?:ed)?|refund|fee|fees)\b",
    r"[$£€¥] ?\d{2,}",
    r"\b(?:error|mistake|problem|issue|mix-?up) (?:[\w']+ ){0,6}?(?:with|on|in|for) your \w+",
    r"\b(?:took|waited|wait of) (?:\d+|two|three|four|five|six|several) (?:days|weeks|months)\b",
    r"\b(?:\d+|a few|several|two|three|four|five|six|seven|ten) (?:days|hours|weeks) late\b",
    r"\b(?:delayed|overdue|lost|damaged|broken|cracked|defective|missing|cancell?ed|outage"
    r"|went down|was down|locked out|double[- ]?book(?:ed|ing)|overbooked|no-show|didn't show"
    r"|did not show|never (?:arrived|came|showed)|hasn't (?:arrived|shown up)|wasted (?:trip|day)"
    r"|held|frozen|rejected|declined|bug|crash(?:ed|es|ing)?|not working|stopped working)\b",
    r"\b(?:appointment|booking|reservation|technician|engineer|installation|install|visit"
    r"|subscription|membership|contract|invoice)s?\b",
    r"\b(?:instead of|wrong (?:\w+ ){0,2}?(?:item|size|address|rate|price|date|time|product|card"
    r"|model|account|number|invoice)|kept charging|short by|expired|waited (?:\w+ ){0,2}?hours"
    r"|(?:two|three|four|five|\d+) hours)\b",
)

# Small things: taste, looks, a short wait, a slow reply.
MINOR = _any(
    r"\b(?:coffee|latte|tea|milk|fries|side (?:of|dish|order)|sauce|dessert|drink|parsley|garnish|napkin|straw"
    r"|candles?|sprinkles|topping|colou?r|shade|font|typo|spelling|misspel\w*|lowercase"
    r"|uppercase|nickname|badge|footer|link|emoji|logo|formatting|wording|signature|sticker"
    r"|wrapping|ribbon|receipt)\b",
    r"\b(?:\d+|few|couple of|several)[- ]?(?:minutes?|mins?)\b",
    r"\b(?:slow|late|delayed) (?:reply|response|answer)\b|\b(?:reply|response|answer) (?:took|was slow"
    r"|was late)\b|\bgetting back to you\b",
    r"\b(?:yoga|class|table|seat|bin|collection|newsletter|survey|points)\b",
    r"[$£€¥] ?\d(?:\.\d\d)?\b",
)

# Repairs that only make sense when money or goods were lost.
_COSTLY = frozenset({"refund", "replacement"})

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


def estimate_severity(lowered: str, promises: Sequence[Promise] = ()) -> Severity:
    """minor / moderate / serious, from what the draft says went wrong.

    Any serious harm decides it. Otherwise ordinary harm (money, bookings, goods) is
    moderate unless the small things it mentions outnumber it; so is a draft whose repair
    (a refund, a replacement) shows goods or money were at stake. Repetition adds a level.
    """
    if SERIOUS.search(lowered):
        level = 2
    else:
        ordinary = len(MODERATE.findall(lowered)) + sum(p.kind in _COSTLY for p in promises)
        level = 1 if ordinary and ordinary > len(MINOR.findall(lowered)) else 0
    if REPEATED.search(lowered):
        level = min(level + 1, 2)
    return _LEVELS[level]


def needs_gesture(lowered: str, used: Severity) -> bool:
    """Compensation helps most when the failure is serious or has happened before."""
    return used == "serious" or bool(REPEATED.search(lowered))


def tone_advice(used: Severity) -> tuple[str, ...]:
    return _ADVICE[used]
