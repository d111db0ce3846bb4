"""Deadlines in promise clauses: a small grammar for the shapes support agents write.

`find_deadline(clause, now, config)` resolves the time expression in one promise
clause against an aware `now` in the agent's zone. Conventions (docs/decisions.md):
a date without a time is `config.workday_end` that day; parts of the day mean
their end; "within N hours" is elapsed time; "N business days" skips weekends and
the configured country's holidays; "soon", "next week" and the like are vague.
Run it on promise clauses only: it is cheap on a clause and never guesses on prose.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from slackapp.review.config import EngineConfig
from slackapp.review.text import fold  # lower case at the same offsets: no re.IGNORECASE

# --- phrase tables -----------------------------------------------------------

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Short weekday names only after a preposition: "sat", "sun" and "wed" are words too.
WEEKDAY_ABBREVIATIONS = {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
}  # fmt: skip
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
# "a couple of days" is two days; "a few"/"several" stay vague (see VAGUE).
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "couple of": 2, "a couple of": 2, "a couple": 2,
    "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty-eight": 48, "seventy-two": 72,
}  # fmt: skip
# Abbreviations map to the region's IANA zone so summer time is right ("EST" in July
# means New York time). GMT is how the UK names its own clock; IST is taken as India.
ZONE_ABBREVIATIONS = {
    "ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
    "CT": "America/Chicago", "CST": "America/Chicago", "CDT": "America/Chicago",
    "MT": "America/Denver", "MST": "America/Denver", "MDT": "America/Denver",
    "PT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage", "HST": "Pacific/Honolulu",
    "GMT": "Europe/London", "BST": "Europe/London", "UK": "Europe/London", "UTC": "UTC",
    "CET": "Europe/Paris", "CEST": "Europe/Paris", "IST": "Asia/Kolkata",
    "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney", "JST": "Asia/Tokyo",
    "SGT": "Asia/Singapore",
}  # fmt: skip
# "5pm Tokyo time": places agents name for a clock.
ZONE_PLACES = {
    "eastern": "America/New_York", "new york": "America/New_York", "central": "America/Chicago",
    "chicago": "America/Chicago", "mountain": "America/Denver", "denver": "America/Denver",
    "pacific": "America/Los_Angeles", "los angeles": "America/Los_Angeles",
    "la": "America/Los_Angeles", "london": "Europe/London", "uk": "Europe/London",
    "paris": "Europe/Paris", "berlin": "Europe/Berlin", "tokyo": "Asia/Tokyo",
    "sydney": "Australia/Sydney", "singapore": "Asia/Singapore", "india": "Asia/Kolkata",
    "perth": "Australia/Perth", "melbourne": "Australia/Melbourne",
    "brisbane": "Australia/Brisbane", "adelaide": "Australia/Adelaide",
    "auckland": "Pacific/Auckland", "nz": "Pacific/Auckland", "new zealand": "Pacific/Auckland",
    "dublin": "Europe/Dublin", "madrid": "Europe/Madrid",
    "amsterdam": "Europe/Amsterdam", "toronto": "America/Toronto",
    "vancouver": "America/Vancouver", "hong kong": "Asia/Hong_Kong", "dubai": "Asia/Dubai",
}  # fmt: skip
# The end of each part of the day; "tonight"/"night" is the last minute of the day.
PART_OF_DAY_END = {
    "first thing": time(9, 0),
    "morning": time(12, 0),
    "afternoon": time(17, 0),
    "arvo": time(17, 0),  # Australian English: "this arvo"
    "evening": time(21, 0),
    "lunchtime": time(12, 0),
    "lunch": time(12, 0),
    "night": time(23, 59),
    "tonight": time(23, 59),
}
# "At 3" with no am/pm: hours from 8 up are the morning's (and 12 is noon), below are pm.
BARE_HOUR_PM_BEFORE = 8
# ... unless the evening is named: "by 9 tonight" is 21:00.
_EVENING = PART_OF_DAY_END["evening"]
# A year-less date further back than this is next year's; a closer one is past news.
ROLL_FORWARD_AFTER = timedelta(days=90)

_NUM = r"(?:\d{1,3}|" + "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True)) + ")"
_RANGE = rf"(?:{_NUM}\s*(?:-|–|—|to|or)\s*)?{_NUM}"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_WEEKDAY_SHORT = "(?:" + "|".join(WEEKDAY_ABBREVIATIONS) + r")\.?"
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_ORDINAL = r"(?:st|nd|rd|th)"
_ZONE = (
    r"(?:\s*\(?(?P<zone>"
    + "|".join(map(str.lower, ZONE_ABBREVIATIONS))
    + r")\b\)?|\s+(?P<place>"
    + "|".join(ZONE_PLACES)
    + r")\s+time\b"
    # "10am Eastern", "5pm your time (Pacific)": a US region needs no "time"
    + r"|(?:\s+your\s+time)?\s+\(?(?P<region>eastern|central|mountain|pacific)\b\)?)"
)

# Shapes, tried in this order; an earlier or longer match wins an overlap.
# Each name is resolved by its function in _RESOLVERS at the end of the module.
PATTERNS: dict[str, str] = {
    # Things that look like dates or durations but are not deadlines.
    "not_a_date": r"\b24\s*/\s*7\b|\b\d+\s+(?:days?|hours?|weeks?)\s+(?:late|ago|overdue|behind)\b",
    "past_reference": rf"\b(?:yesterday|last\s+(?:night|week|month|{_WEEKDAY})|"
    rf"(?:since|this past|earlier)\s+(?:(?:on\s+)?{_WEEKDAY}|today|this week|this month)|"
    rf"{_NUM}\s+(?:minutes?|hours?|days?|weeks?)\s+ago)\b",
    "vague": r"\b(?:(?<!as )soon(?!\s+as\b)|shortly|asap|a\.s\.a\.p\.?|"
    r"as soon as (?:possible|we can|i can|we're able|i'm able|we are able|i am able)|"
    r"as quickly as (?:possible|we can|i can)|in due course|at some point|eventually|"
    r"(?:(?:early|later|sometime|some time|by|during)\s+)?next (?:week|month)|"
    r"(?:over|in|within|during) the (?:next|coming) (?:few|several)\s+(?:days|weeks)|"
    r"(?:in|within|over) (?:a|the next|the coming) few (?:days|weeks)|"
    r"(?:over|in) the coming (?:days|weeks)|in the (?:near )?future|"
    r"at (?:the|our|your) earliest (?:convenience|opportunity)|promptly|"
    r"in a (?:bit|while)|before long)\b",
    "within_the_hour": r"\b(?:within|in)\s+(?:the\s+(?:next\s+)?|an?\s+)hour\b",
    "elapsed": rf"\b(?:within|in|in the next|within the next|under|less than)\s+"
    rf"(?P<n>{_RANGE})\s*(?P<unit>minutes?|mins?|hours?|hrs?)\b",
    "business_days": rf"\b(?P<n>{_RANGE})\s+(?:business|working|work)\s+days?\b",
    "calendar_span": r"\b(?P<day_or_two>(?:within|in)\s+a\s+day\s+or\s+two)\b|"
    rf"\b(?:within|in|in the next|within the next)\s+(?P<n>{_RANGE})\s+(?P<unit>days?|weeks?)\b",
    "end_of_week": r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?P<next>next\s+)?"
    r"(?:work\s*)?week|later\s+this\s+week|this\s+week)\b(?!')",
    "end_of_month": r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?P<next>next\s+)?month|"
    r"month[-\s]end|this\s+month)\b(?!')",
    "weekend": r"\b(?:(?P<by>by|before)\s+the\s+weekend|(?P<next>next\s+)?weekend|"
    r"(?:this|the|over\s+the|on\s+the)\s+weekend)\b",
    "first_thing": r"\bfirst\s+thing(?:\s+in\s+the\s+morning)?\b",
    "this_part": r"\b(?:this|later\s+this)\s+(?P<part>morning|afternoon|evening|arvo)\b",
    # "the same afternoon": the day an earlier promise named (the caller passes it as `now`).
    "same_day": r"\b(?:(?:the\s+)?same|that|later\s+that)\s+(?P<part>day|date|morning|afternoon|"
    r"evening|night)\b(?!')",
    "tonight": r"\btonight\b",
    "end_of_day": r"\b(?:eod|cob|eob|close\s+of\s+(?:business|play)|end\s+of\s+(?:the\s+)?"
    r"(?:business\s+|work(?:ing)?\s+)?day|end\s+of\s+(?:business|play))\b",
    "part_of_day": r"(?<!good )(?<!any )(?<!every )(?<!one )(?<!a )(?<!per )(?<!first )"
    r"(?<!second )(?<!extra )"
    r"\b(?P<part>morning|afternoon|evening|night|"
    r"lunchtime|(?<=by\s)lunch)\b"
    r"(?!\s+(?:manager|"
    r"shift|staff|team|desk|porter|nurse|audit|flight|train|bus|run|class|session)\b)",
    "day_after_tomorrow": r"\bthe\s+day\s+after\s+tomorrow\b",
    "tomorrow": r"\btomorrow(?:'s)?\b",
    "today": r"\b(?:later\s+)?today(?:'s)?\b|\bend\s+of\s+today\b",
    # "Black Friday" and "Good Friday" are names, not the coming Friday; "from Friday's
    # backup" is where something comes from.
    "weekday": r"(?<!black\s)(?<!cyber\s)(?<!good\s)(?<!easter\s)(?<!\bfrom\s)"
    rf"\b(?:(?P<qual>next|this|coming)\s+)?(?P<day>{_WEEKDAY})(?:'s)?\b"
    rf"(?:,?\s+(?:the\s+)?(?P<date>\d{{1,2}}){_ORDINAL}\b(?!\s+(?:of\s+)?{_MONTH}))?|"
    rf"\b(?:by|on|until|till|before|this|next)\s+(?P<short>{_WEEKDAY_SHORT})(?!\w)",
    "month_day": rf"\b(?P<month>{_MONTH})\s+(?:the\s+)?(?P<day>\d{{1,2}}){_ORDINAL}?"
    rf"(?:,?\s+(?P<year>\d{{4}}))?(?![\d:/])",
    "day_month": rf"\b(?:the\s+)?(?P<day>\d{{1,2}}){_ORDINAL}?\s+(?:of\s+)?(?P<month>{_MONTH})"
    rf"(?![a-z])(?:,?\s+(?P<year>\d{{4}}))?",
    "iso_date": r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b",
    "numeric_date": r"(?:\b(?:by|on|before|until|till|due|for)\s+)(?!24/7\b)"
    r"(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<year>\d{4}|\d{2}))?(?![\d/])|(?<![\d/])(?P<a2>\d{1,2})/(?P<b2>\d{1,2})/"
    r"(?P<year2>\d{4})(?![\d/])",
    "day_of_month": rf"\b(?:by|on|before|until|for)\s+the\s+(?P<day>\d{{1,2}}){_ORDINAL}\b"
    rf"(?!\s+(?:of\s+)?{_MONTH})"
    rf"(?:\s+of\s+(?:the|this)\s+month)?|\bthe\s+(?P<day2>\d{{1,2}}){_ORDINAL}\s+of\s+"
    r"(?:the|this)\s+month\b",
    "past_the_hour": rf"\b(?P<quarter>half|quarter)\s+(?P<side>past|to)\s+"
    rf"(?P<h>\d{{1,2}}|{_NUM})\b",
    "clock": rf"(?:(?<![\d:/.$£€])(?P<hour>\d{{1,2}})(?::(?P<minute>[0-5]\d))?\s*"
    rf"(?P<meridiem>[ap])\.?\s?m\b\.?|(?<![\d:/.$£€])(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)"
    rf"(?![\d:])|\b(?P<named>noon|midday|midnight)\b|(?:(?<=\b(?:at|by))|(?<=\bbefore)|(?<=\buntil)|(?<=\bbetween\s[1-9]\sand)|"
    r"(?<=\bbetween\s1[0-2]\sand))\s+(?P<bare>1[0-2]|[1-9])\b"
    r"(?!\s*(?:%|[/.,:]\d|[ap]\.?m\b|(?:st|nd|rd|th|days?|hours?|hrs?|minutes?|mins?|weeks?|"
    rf"months?|years?|business|working|items?|people|percent|of|or|to\s+\d+|-|{_MONTH})\b))){_ZONE}?",
}

_WEEKDAY_CUES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MONTH_CUES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Lower-case substrings a shape cannot match without: a clause skips the shapes whose
# cues it lacks, which keeps the grammar to a few regex runs per clause.
CUES: dict[str, tuple[str, ...]] = {
    "not_a_date": ("24", "late", "ago", "overdue", "behind"),
    "past_reference": ("yesterday", "last", "since", "past", "earlier", "ago"),
    "vague": (
        "soon", "shortly", "asap", "a.s.a.p", "quickly", "due course", "some point",
        "eventually", "next", "few", "coming", "future", "earliest", "promptly", "a bit",
        "a while", "before long",
    ),
    "within_the_hour": ("hour",),
    "elapsed": ("min", "hour", "hr"),
    "business_days": ("business", "working", "work day"),
    "calendar_span": ("days", "weeks", " day", " week"),
    "end_of_week": ("week",),
    "end_of_month": ("month",),
    "weekend": ("weekend",),
    "first_thing": ("first thing",),
    "this_part": ("morning", "afternoon", "evening", "arvo"),
    "same_day": ("same ", "that day", "that date", "that morning", "that afternoon",
                 "that evening", "that night"),
    "tonight": ("tonight",),
    "end_of_day": ("eod", "cob", "eob", "close of", "end of"),
    "part_of_day": ("morning", "afternoon", "evening", "night", "lunch"),
    "day_after_tomorrow": ("day after",),
    "tomorrow": ("tomorrow",),
    "today": ("today",),
    "weekday": _WEEKDAY_CUES,
    "month_day": _MONTH_CUES,
    "day_month": _MONTH_CUES,
    "iso_date": ("-0", "-1"),
    "numeric_date": ("/",),
    "day_of_month": tuple(f"the {digit}" for digit in "123456789"),
    "past_the_hour": ("half past", "quarter past", "quarter to"),
    "clock": ("am", "pm", "a.m", "p.m", ":", "noon", "midday", "midnight",
              *(f"{word} {digit}" for word in ("at", "by", "before", "until")
                for digit in "123456789"), "between"),
}  # fmt: skip


class CueIndex:
    """Which entries of a pattern table a text may match, from plain substring checks.

    Running every pattern on every clause costs more than the patterns' work;
    `in` checks for each entry's lower-case cues narrow them to a few.
    """

    def __init__(self, cues_by_name: dict[str, tuple[str, ...]]) -> None:
        names_by_cue: dict[str, set[str]] = {}
        for name, cues in cues_by_name.items():
            for cue in cues:
                names_by_cue.setdefault(cue, set()).add(name)
        self._names_by_cue = tuple(names_by_cue.items())

    def names(self, lowered: str) -> set[str]:
        found: set[str] = set()
        for cue, names in self._names_by_cue:
            if cue in lowered:
                found |= names
        return found


_CUE_INDEX = CueIndex(CUES)
_COMPILED: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern)) for name, pattern in PATTERNS.items()
)
_VAGUE = re.compile(PATTERNS["vague"])


# --- results -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Deadline:
    """The time expression found in a clause; `due` is None when it is vague."""

    due: datetime | None
    vague: bool
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Piece:
    """What one matched phrase contributes: a whole instant, a date, a time of day."""

    start: int
    end: int
    instant: datetime | None = None
    day: date | None = None
    clock: time | None = None
    zone: ZoneInfo | None = None
    part: time | None = None  # a part of the day or EOD: weaker than a clock time
    vague: bool = False
    ignore: bool = False  # a past reference or a look-alike, not a deadline
    period: bool = False  # a week, a weekend, a month: a named day inside it is more exact
    guessed: bool = False  # a clock hour said without am/pm, read in working hours


@dataclass(frozen=True, slots=True)
class _Context:
    now: datetime
    config: EngineConfig

    @property
    def today(self) -> date:
        return self.now.date()


# --- public API -------------------------------------------------------------------


def find_deadline(clause: str, now: datetime, config: EngineConfig) -> Deadline | None:
    """The deadline a promise clause states, or None when it states no time at all."""
    clause = fold(clause)
    context = _Context(now, config)
    pieces = [piece for piece in _pieces(clause, context) if piece is not None]
    concrete = [piece for piece in pieces if not piece.vague and not piece.ignore]
    if concrete:
        due = _combine(concrete, context)
        if due is not None:
            return Deadline(due, False, concrete[0].start, concrete[-1].end)
    vague = [piece for piece in pieces if piece.vague]
    if vague:
        return Deadline(None, True, vague[0].start, vague[0].end)
    return None


def vague_spans(masked: str) -> list[tuple[int, int]]:
    """(start, end) of each vague time phrase ("as soon as possible", "next week")."""
    return [(m.start(), m.end()) for m in _VAGUE.finditer(fold(masked)) if m.group().strip()]


def is_business_day(day: date, country: str | None) -> bool:
    return day.weekday() < 5 and day not in _holidays(country, day.year)


def add_business_days(start: date, count: int, country: str | None) -> date:
    day = start
    while count > 0:
        day += timedelta(days=1)
        count -= is_business_day(day, country)
    return day


# --- matching -------------------------------------------------------------------------


def _pieces(clause: str, context: _Context) -> Iterator[_Piece | None]:
    """Resolved phrases in reading order; an earlier-listed or longer shape wins overlaps."""
    candidates = _CUE_INDEX.names(clause)  # folded: already lower-case
    matches: list[tuple[int, int, int, re.Match[str], str]] = []
    for rank, (name, pattern) in enumerate(_COMPILED):
        if name not in candidates:
            continue
        for match in pattern.finditer(clause):
            if match.end() > match.start():
                matches.append((match.start(), -(match.end() - match.start()), rank, match, name))
    taken_until = -1
    for start, _, _, match, name in sorted(matches, key=lambda item: item[:3]):
        if start < taken_until:
            continue
        taken_until = match.end()
        yield _RESOLVERS[name](match, context)


def _combine(pieces: list[_Piece], context: _Context) -> datetime | None:
    """Join a date, a part of the day and a clock time into one aware instant."""
    instant = next((piece.instant for piece in pieces if piece.instant), None)
    if instant is not None:
        return instant
    # The latest date: "collected this morning and will arrive tomorrow" is due tomorrow.
    # A named day beats the period around it: "on Wednesday ..., this week" is Wednesday.
    days = [piece.day for piece in pieces if piece.day and not piece.period]
    day = max(days or (piece.day for piece in pieces if piece.day), default=None)
    # The last clock time: "between 8am and 10am" is due at 10am.
    clock = next((piece for piece in reversed(pieces) if piece.clock), None)
    # A part of the day counts on its own day: not "this morning" for "tomorrow".
    part = next((p.part for p in pieces if p.part and p.day in (None, day)), None)
    if clock is not None:
        at = clock.clock
        if clock.guessed and part is not None and part >= _EVENING and at and at.hour < 12:
            clock = replace(clock, clock=at.replace(hour=at.hour + 12))
        return _at_clock(day, clock, context)
    if day is None and part is None:
        return None
    if day is None:  # "first thing", "in the morning": the next one to come
        assert part is not None
        day = context.today
        if _local(day, part, context) <= context.now:
            day += timedelta(days=1)
    return _local(day, part or context.config.workday_end, context)


def _at_clock(day: date | None, clock: _Piece, context: _Context) -> datetime:
    """A clock time on `day`; with no day, its next occurrence. Named zones convert."""
    zone = clock.zone or context.now.tzinfo
    assert clock.clock is not None
    moment = datetime.combine(day or context.today, clock.clock, tzinfo=zone)
    if day is None and moment < context.now:
        moment = datetime.combine(context.today + timedelta(days=1), clock.clock, tzinfo=zone)
    return moment.astimezone(context.now.tzinfo)


def _local(day: date, at: time, context: _Context) -> datetime:
    return datetime.combine(day, at, tzinfo=context.now.tzinfo)


@lru_cache(maxsize=64)
def _holidays(country: str | None, year: int) -> frozenset[date]:
    if country is None:
        return frozenset()
    return frozenset(holidays.country_holidays(country, years=year))


def _number(text: str) -> int | None:
    """The later bound of "5-7", "two", "a couple of"; None for an unknown word."""
    last = re.split(r"\s*(?:-|–|—|\bto\b|\bor\b)\s*", text.strip().lower())[-1]
    return int(last) if last.isdigit() else NUMBER_WORDS.get(last)


# --- resolvers: one per shape in PATTERNS ----------------------------------------------


def ignored(match: re.Match[str], context: _Context) -> _Piece:
    return _Piece(match.start(), match.end(), ignore=True)


def vague(match: re.Match[str], context: _Context) -> _Piece:
    return _Piece(match.start(), match.end(), vague=True)


def within_the_hour(match: re.Match[str], context: _Context) -> _Piece:
    return _Piece(match.start(), match.end(), instant=_elapsed(context.now, timedelta(hours=1)))


def elapsed(match: re.Match[str], context: _Context) -> _Piece | None:
    amount = _number(match["n"])
    if amount is None:
        return None
    unit = "minutes" if match["unit"].lower().startswith("min") else "hours"
    delta = timedelta(**{unit: amount})
    return _Piece(match.start(), match.end(), instant=_elapsed(context.now, delta))


def _elapsed(now: datetime, delta: timedelta) -> datetime:
    """Wall-clock arithmetic would be an hour off across a DST change; UTC is not."""
    return (now.astimezone(ZoneInfo("UTC")) + delta).astimezone(now.tzinfo)


def business_days(match: re.Match[str], context: _Context) -> _Piece | None:
    count = _number(match["n"])
    if count is None:
        return None
    day = add_business_days(context.today, count, context.config.holiday_country)
    return _Piece(match.start(), match.end(), day=day)


def calendar_span(match: re.Match[str], context: _Context) -> _Piece | None:
    if match["day_or_two"]:
        return _Piece(match.start(), match.end(), day=context.today + timedelta(days=2))
    count = _number(match["n"])
    if count is None:
        return None
    days = count * 7 if match["unit"].lower().startswith("week") else count
    return _Piece(match.start(), match.end(), day=context.today + timedelta(days=days))


def end_of_week(match: re.Match[str], context: _Context) -> _Piece:
    friday = _this_or_next_weekday(context.today, 4)
    if match["next"]:
        friday = _start_of_next_week(context.today) + timedelta(days=4)
    return _Piece(match.start(), match.end(), day=friday, period=True)


def end_of_month(match: re.Match[str], context: _Context) -> _Piece:
    year, month = context.today.year, context.today.month
    if match["next"]:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    last = _last_business_day(year, month, context.config.holiday_country)
    return _Piece(match.start(), match.end(), day=max(last, context.today), period=True)


def _last_business_day(year: int, month: int, country: str | None) -> date:
    day = date(year, month, monthrange(year, month)[1])
    while not is_business_day(day, country):
        day -= timedelta(days=1)
    return day


def weekend(match: re.Match[str], context: _Context) -> _Piece:
    """By the weekend: Friday. This/over the weekend: its Sunday."""
    if match["by"]:
        friday = _this_or_next_weekday(context.today, 4)
        return _Piece(match.start(), match.end(), day=friday, period=True)
    sunday = _this_or_next_weekday(context.today, 6)
    if match["next"]:
        sunday = _start_of_next_week(context.today) + timedelta(days=6)
    return _Piece(match.start(), match.end(), day=sunday, period=True)


def first_thing(match: re.Match[str], context: _Context) -> _Piece:
    return _Piece(match.start(), match.end(), part=PART_OF_DAY_END["first thing"])


def this_part(match: re.Match[str], context: _Context) -> _Piece:
    part = PART_OF_DAY_END[match["part"].lower()]
    return _Piece(match.start(), match.end(), day=context.today, part=part)


def same_day(match: re.Match[str], context: _Context) -> _Piece:
    part = PART_OF_DAY_END.get(match["part"].lower(), context.config.workday_end)
    return _Piece(match.start(), match.end(), day=context.today, part=part)


def tonight(match: re.Match[str], context: _Context) -> _Piece:
    return _Piece(match.start(), match.end(), day=context.today, part=PART_OF_DAY_END["tonight"])


def end_of_day(match: re.Match[str], context: _Context) -> _Piece:
    return _Piece(match.start(), match.end(), part=context.config.workday_end)


def part_of_day(match: re.Match[str], context: _Context) -> _Piece:
    return _Piece(match.start(), match.end(), part=PART_OF_DAY_END[match["part"].lower()])


def day_after_tomorrow(match: re.Match[str], context: _Context) -> _Piece:
    return _Piece(match.start(), match.end(), day=context.today + timedelta(days=2))


def tomorrow(match: re.Match[str], context: _Context) -> _Piece:
    return _Piece(match.start(), match.end(), day=context.today + timedelta(days=1))


def today(match: re.Match[str], context: _Context) -> _Piece:
    return _Piece(match.start(), match.end(), day=context.today)


def weekday(match: re.Match[str], context: _Context) -> _Piece:
    """A bare weekday is the coming one (today if it is today); "next" means next week's.

    "Wednesday 23rd" names its date: the day of the month decides.
    """
    if match["date"]:
        return _coming_day_of_month(match, int(match["date"]), context)
    if match["day"]:
        target = WEEKDAYS.index(match["day"].lower())
    else:
        target = WEEKDAY_ABBREVIATIONS[match["short"].lower().rstrip(".")]
    qualifier = (match["qual"] or match.group().split()[0]).lower()
    if qualifier == "next":
        day = _start_of_next_week(context.today) + timedelta(days=target)
    else:
        day = _this_or_next_weekday(context.today, target)
    return _Piece(match.start(), match.end(), day=day)


def _this_or_next_weekday(start: date, target: int) -> date:
    return start + timedelta(days=(target - start.weekday()) % 7)


def _start_of_next_week(start: date) -> date:
    return start + timedelta(days=7 - start.weekday())


def month_day(match: re.Match[str], context: _Context) -> _Piece | None:
    month = MONTHS[match["month"].lower().rstrip(".")]
    return _dated(match, int(match["day"]), month, match["year"], context)


def iso_date(match: re.Match[str], context: _Context) -> _Piece | None:
    return _dated(match, int(match["day"]), int(match["month"]), match["year"], context)


def numeric_date(match: re.Match[str], context: _Context) -> _Piece | None:
    first, second = int(match["a"] or match["a2"]), int(match["b"] or match["b2"])
    month, day = (second, first) if context.config.date_order == "DMY" else (first, second)
    return _dated(match, day, month, match["year"] or match["year2"], context)


def day_of_month(match: re.Match[str], context: _Context) -> _Piece | None:
    """By the 15th: this month's, or next month's once this month's has passed."""
    return _coming_day_of_month(match, int(match["day"] or match["day2"]), context)


def _coming_day_of_month(match: re.Match[str], day_number: int, context: _Context) -> _Piece | None:
    year, month = context.today.year, context.today.month
    if day_number < context.today.day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return _dated(match, day_number, month, str(year), context)


def _dated(
    match: re.Match[str], day: int, month: int, year_text: str | None, context: _Context
) -> _Piece | None:
    """A calendar date; a past year-less one is next year's only when it is long past."""
    year = int(year_text) if year_text else context.today.year
    if year < 100:
        year += 2000
    try:
        result = date(year, month, day)
    except ValueError:
        return None
    if result < context.today:
        if year_text or context.today - result <= ROLL_FORWARD_AFTER:
            return _Piece(match.start(), match.end(), ignore=True)
        result = result.replace(year=year + 1)
    return _Piece(match.start(), match.end(), day=result)


def clock(match: re.Match[str], context: _Context) -> _Piece | None:
    zone = None
    if match["zone"]:
        zone = ZoneInfo(ZONE_ABBREVIATIONS[match["zone"].upper()])
    elif match["place"] or match["region"]:
        zone = ZoneInfo(ZONE_PLACES[(match["place"] or match["region"]).lower()])
    if match["named"]:
        named = match["named"].lower()
        at = time(23, 59) if named == "midnight" else time(12, 0)
        return _Piece(match.start(), match.end(), clock=at, zone=zone)
    if match["bare"]:  # "at 11"
        at = time(_working_hour(int(match["bare"])), 0)
        return _Piece(match.start("bare"), match.end(), clock=at, zone=zone, guessed=True)
    if match["h24"]:  # "by 4:30" as "at 4"; "04:30" and "16:30" say which they mean
        hour = int(match["h24"])
        guessed = not match["h24"].startswith("0") and hour <= 12
        at = time(_working_hour(hour) if guessed else hour, int(match["m24"]))
        return _Piece(match.start(), match.end(), clock=at, zone=zone, guessed=guessed)
    hour = int(match["hour"])
    if not 1 <= hour <= 12:
        return None
    hour = hour % 12 + (12 if match["meridiem"].lower() == "p" else 0)
    at = time(hour, int(match["minute"] or 0))
    return _Piece(match.start(), match.end(), clock=at, zone=zone)


def past_the_hour(match: re.Match[str], context: _Context) -> _Piece | None:
    """ "half past three" is 15:30, "quarter to nine" 08:45: read in working hours."""
    hour = _number(match["h"])
    if hour is None or not 1 <= hour <= 12:
        return None
    minutes = 30 if match["quarter"] == "half" else 15
    if match["side"] == "to":
        hour, minutes = hour - 1 or 12, 60 - minutes
    at = time(_working_hour(hour), minutes)
    return _Piece(match.start(), match.end(), clock=at, guessed=True)


def _working_hour(hour: int) -> int:
    """An hour said without am/pm, read in working hours: 8-12 morning, 1-7 afternoon."""
    return hour + 12 if 1 <= hour < BARE_HOUR_PM_BEFORE else hour


_Resolver = Callable[[re.Match[str], _Context], "_Piece | None"]
_RESOLVERS: dict[str, _Resolver] = {
    "not_a_date": ignored,
    "past_reference": ignored,
    "vague": vague,
    "within_the_hour": within_the_hour,
    "elapsed": elapsed,
    "business_days": business_days,
    "calendar_span": calendar_span,
    "end_of_week": end_of_week,
    "end_of_month": end_of_month,
    "weekend": weekend,
    "first_thing": first_thing,
    "this_part": this_part,
    "tonight": tonight,
    "end_of_day": end_of_day,
    "part_of_day": part_of_day,
    "same_day": same_day,
    "day_after_tomorrow": day_after_tomorrow,
    "tomorrow": tomorrow,
    "today": today,
    "weekday": weekday,
    "month_day": month_day,
    "day_month": month_day,
    "iso_date": iso_date,
    "numeric_date": numeric_date,
    "day_of_month": day_of_month,
    "past_the_hour": past_the_hour,
    "clock": clock,
}
