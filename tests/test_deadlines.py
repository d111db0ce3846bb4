"""The deadline grammar: each shape agents write, resolved against a fixed `now`.

Every case passes `now` explicitly; nothing reads the real clock or zone (one test
freezes the clock far away to prove it).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from slackapp.review.config import EngineConfig
from slackapp.review.deadlines import add_business_days, find_deadline, vague_spans

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
DEFAULT = EngineConfig()
US = EngineConfig(holiday_country="US")
DMY = EngineConfig(date_order="DMY")
LATE_DAY = EngineConfig(workday_end=datetime(2000, 1, 1, 18, 30).time())
VAGUE = "vague"

# Wed 25 Nov 2026, 10:00 in New York: Thanksgiving is tomorrow.
WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=NEW_YORK)
FRIDAY = datetime(2026, 11, 27, 15, 0, tzinfo=NEW_YORK)  # across a weekend
MONTH_END = datetime(2027, 1, 29, 11, 0, tzinfo=NEW_YORK)  # Friday, last business day of Jan
YEAR_END = datetime(2026, 12, 30, 16, 0, tzinfo=NEW_YORK)  # Wednesday
NY_FALL_BACK = datetime(2026, 11, 1, 0, 30, tzinfo=NEW_YORK)  # 02:00 EDT -> 01:00 EST
NY_SPRING_FORWARD = datetime(2026, 3, 7, 22, 0, tzinfo=NEW_YORK)  # Saturday before
LONDON_SPRING_FORWARD = datetime(2026, 3, 29, 0, 30, tzinfo=LONDON)  # 01:00 GMT -> 02:00 BST
LONDON_FALL_BACK = datetime(2026, 10, 24, 12, 0, tzinfo=LONDON)  # the day before


def ny(*args: int) -> str:
    return datetime(*args, tzinfo=NEW_YORK).isoformat()


def uk(*args: int) -> str:
    return datetime(*args, tzinfo=LONDON).isoformat()


CASES = [
    # (phrase, now, config, expected local ISO, VAGUE, or None for no deadline)
    ("I'll send it today", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 17, 0)),
    ("I'll send it today", WEDNESDAY, LATE_DAY, ny(2026, 11, 25, 18, 30)),
    ("I'll call you tonight", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 23, 59)),
    ("I'll call you this afternoon", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 17, 0)),
    ("I'll call you this morning", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 12, 0)),
    ("I'll call you this evening", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 21, 0)),
    ("I'll fix it by EOD", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 17, 0)),
    ("by end of the day", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 17, 0)),
    ("by close of business", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 17, 0)),
    ("by COB tomorrow", WEDNESDAY, DEFAULT, ny(2026, 11, 26, 17, 0)),
    ("tomorrow", WEDNESDAY, DEFAULT, ny(2026, 11, 26, 17, 0)),
    ("tomorrow morning", WEDNESDAY, DEFAULT, ny(2026, 11, 26, 12, 0)),
    ("tomorrow afternoon", WEDNESDAY, DEFAULT, ny(2026, 11, 26, 17, 0)),
    ("first thing tomorrow", WEDNESDAY, DEFAULT, ny(2026, 11, 26, 9, 0)),
    ("first thing Monday", WEDNESDAY, DEFAULT, ny(2026, 11, 30, 9, 0)),
    ("first thing in the morning", WEDNESDAY, DEFAULT, ny(2026, 11, 26, 9, 0)),
    ("by Friday", WEDNESDAY, DEFAULT, ny(2026, 11, 27, 17, 0)),
    ("on Monday", WEDNESDAY, DEFAULT, ny(2026, 11, 30, 17, 0)),
    ("this Friday", WEDNESDAY, DEFAULT, ny(2026, 11, 27, 17, 0)),
    ("by Wednesday", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 17, 0)),  # today is Wednesday
    ("next Tuesday", WEDNESDAY, DEFAULT, ny(2026, 12, 1, 17, 0)),
    ("next Friday", WEDNESDAY, DEFAULT, ny(2026, 12, 4, 17, 0)),  # Friday of next week
    ("by Thu.", WEDNESDAY, DEFAULT, ny(2026, 11, 26, 17, 0)),
    ("this weekend", WEDNESDAY, DEFAULT, ny(2026, 11, 29, 17, 0)),
    ("over the weekend", WEDNESDAY, DEFAULT, ny(2026, 11, 29, 17, 0)),
    ("by the weekend", WEDNESDAY, DEFAULT, ny(2026, 11, 27, 17, 0)),
    ("within 30 minutes", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 10, 30)),
    ("within 2 hours", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 12, 0)),
    ("within 24-48 hours", WEDNESDAY, DEFAULT, ny(2026, 11, 27, 10, 0)),
    ("within the hour", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 11, 0)),
    ("in an hour", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 11, 0)),
    ("within 3 days", WEDNESDAY, DEFAULT, ny(2026, 11, 28, 17, 0)),
    ("in 2 weeks", WEDNESDAY, DEFAULT, ny(2026, 12, 9, 17, 0)),
    ("in a couple of days", WEDNESDAY, DEFAULT, ny(2026, 11, 27, 17, 0)),
    ("within a day or two", WEDNESDAY, DEFAULT, ny(2026, 11, 27, 17, 0)),
    ("2 business days", WEDNESDAY, DEFAULT, ny(2026, 11, 27, 17, 0)),
    ("two business days", WEDNESDAY, US, ny(2026, 11, 30, 17, 0)),  # skips Thanksgiving
    ("1 working day", WEDNESDAY, US, ny(2026, 11, 27, 17, 0)),
    ("5-7 business days", WEDNESDAY, DEFAULT, ny(2026, 12, 4, 17, 0)),  # the later bound
    ("3 to 5 business days", WEDNESDAY, US, ny(2026, 12, 3, 17, 0)),
    ("by the 15th", WEDNESDAY, DEFAULT, ny(2026, 12, 15, 17, 0)),  # this month's has passed
    ("by the 28th", WEDNESDAY, DEFAULT, ny(2026, 11, 28, 17, 0)),
    ("the 3rd of the month", WEDNESDAY, DEFAULT, ny(2026, 12, 3, 17, 0)),
    ("on Dec 3", WEDNESDAY, DEFAULT, ny(2026, 12, 3, 17, 0)),
    ("on December 3rd", WEDNESDAY, DEFAULT, ny(2026, 12, 3, 17, 0)),
    ("by 3 December", WEDNESDAY, DEFAULT, ny(2026, 12, 3, 17, 0)),
    ("on the 3rd of December", WEDNESDAY, DEFAULT, ny(2026, 12, 3, 17, 0)),
    ("by 12/3", WEDNESDAY, DEFAULT, ny(2026, 12, 3, 17, 0)),
    ("by 3/12", WEDNESDAY, DMY, ny(2026, 12, 3, 17, 0)),
    ("on 2026-12-03", WEDNESDAY, DEFAULT, ny(2026, 12, 3, 17, 0)),
    ("at 3pm", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 15, 0)),
    ("by 3:30 pm", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 15, 30)),
    ("by 9am", WEDNESDAY, DEFAULT, ny(2026, 11, 26, 9, 0)),  # 9am today has passed
    ("by noon tomorrow", WEDNESDAY, DEFAULT, ny(2026, 11, 26, 12, 0)),
    ("by 3pm today", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 15, 0)),
    ("tomorrow at 3pm", WEDNESDAY, DEFAULT, ny(2026, 11, 26, 15, 0)),
    ("tomorrow between 8am and 10am", WEDNESDAY, DEFAULT, ny(2026, 11, 26, 10, 0)),
    ("on today's 4pm truck", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 16, 0)),
    ("ring you back at 11", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 11, 0)),
    ("call you at 3", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 15, 0)),
    ("by 5pm Tokyo time", WEDNESDAY, DEFAULT, ny(2026, 11, 26, 3, 0)),
    (
        "collected this morning and will arrive tomorrow",
        WEDNESDAY,
        DEFAULT,
        ny(2026, 11, 26, 17, 0),
    ),
    ("by the 15th of December", WEDNESDAY, DEFAULT, ny(2026, 12, 15, 17, 0)),
    ("by 11am PT", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 14, 0)),
    ("by 5pm GMT", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 12, 0)),
    ("by 5pm GMT tomorrow", WEDNESDAY, DEFAULT, ny(2026, 11, 26, 12, 0)),
    ("by the end of the week", WEDNESDAY, DEFAULT, ny(2026, 11, 27, 17, 0)),
    ("end of next week", WEDNESDAY, DEFAULT, ny(2026, 12, 4, 17, 0)),
    ("by the end of the month", WEDNESDAY, DEFAULT, ny(2026, 11, 30, 17, 0)),
    ("by end of next month", WEDNESDAY, US, ny(2026, 12, 31, 17, 0)),
    # Vague: a real promise with no real time.
    ("next week", WEDNESDAY, DEFAULT, VAGUE),
    ("soon", WEDNESDAY, DEFAULT, VAGUE),
    ("shortly", WEDNESDAY, DEFAULT, VAGUE),
    ("ASAP", WEDNESDAY, DEFAULT, VAGUE),
    ("as soon as possible", WEDNESDAY, DEFAULT, VAGUE),
    ("in due course", WEDNESDAY, DEFAULT, VAGUE),
    ("over the next few days", WEDNESDAY, DEFAULT, VAGUE),
    ("at some point", WEDNESDAY, DEFAULT, VAGUE),
    ("in the coming days", WEDNESDAY, DEFAULT, VAGUE),
    # No deadline at all: look-alikes and past events.
    ("We will look into it", WEDNESDAY, DEFAULT, None),
    ("our 24/7 support line", WEDNESDAY, DMY, None),
    ("it arrived 2 days late", WEDNESDAY, DEFAULT, None),
    ("I'm sending a second replacement", WEDNESDAY, DEFAULT, None),
    ("May I apologise", WEDNESDAY, DEFAULT, None),
    ("I sat down with the team", WEDNESDAY, DEFAULT, None),
    ("as soon as the part arrives", WEDNESDAY, DEFAULT, None),
    ("the charge from Nov 20", WEDNESDAY, DEFAULT, None),  # recent past: an event
    ("since Monday", WEDNESDAY, DEFAULT, None),
    ("last Friday", WEDNESDAY, DEFAULT, None),
    ("with the night manager", WEDNESDAY, DEFAULT, None),
    ("on any evening you choose", WEDNESDAY, DEFAULT, None),
    ("by 5 business days", WEDNESDAY, DEFAULT, ny(2026, 12, 2, 17, 0)),  # not 5 o'clock
    ("we'll send it right away", WEDNESDAY, DEFAULT, None),
    # Across a weekend (now: Friday 15:00).
    ("tomorrow", FRIDAY, DEFAULT, ny(2026, 11, 28, 17, 0)),
    ("2 business days", FRIDAY, DEFAULT, ny(2026, 12, 1, 17, 0)),
    ("by Monday", FRIDAY, DEFAULT, ny(2026, 11, 30, 17, 0)),
    ("next Monday", FRIDAY, DEFAULT, ny(2026, 11, 30, 17, 0)),
    ("by the end of the week", FRIDAY, DEFAULT, ny(2026, 11, 27, 17, 0)),
    ("this weekend", FRIDAY, DEFAULT, ny(2026, 11, 29, 17, 0)),
    # Across a month end (now: Friday 29 Jan 2027).
    ("in 3 days", MONTH_END, DEFAULT, ny(2027, 2, 1, 17, 0)),
    ("1 business day", MONTH_END, DEFAULT, ny(2027, 2, 1, 17, 0)),
    ("by the end of the month", MONTH_END, DEFAULT, ny(2027, 1, 29, 17, 0)),
    ("by the end of next month", MONTH_END, DEFAULT, ny(2027, 2, 26, 17, 0)),
    ("by the 2nd", MONTH_END, DEFAULT, ny(2027, 2, 2, 17, 0)),
    # Across a year end (now: Wednesday 30 Dec 2026).
    ("on Jan 5", YEAR_END, DEFAULT, ny(2027, 1, 5, 17, 0)),
    ("by 1/4", YEAR_END, DEFAULT, ny(2027, 1, 4, 17, 0)),
    ("in 5 days", YEAR_END, DEFAULT, ny(2027, 1, 4, 17, 0)),
    ("3 business days", YEAR_END, US, ny(2027, 1, 5, 17, 0)),  # skips New Year's Day
    ("next Tuesday", YEAR_END, DEFAULT, ny(2027, 1, 5, 17, 0)),
    ("by the end of the month", YEAR_END, US, ny(2026, 12, 31, 17, 0)),
    ("by the 2nd", YEAR_END, DEFAULT, ny(2027, 1, 2, 17, 0)),
    # Daylight saving time.
    ("within 2 hours", NY_FALL_BACK, DEFAULT, "2026-11-01T01:30:00-05:00"),
    ("tomorrow at 3pm", NY_FALL_BACK, DEFAULT, ny(2026, 11, 2, 15, 0)),
    ("within 24 hours", NY_SPRING_FORWARD, DEFAULT, "2026-03-08T23:00:00-04:00"),
    ("in 1 day", NY_SPRING_FORWARD, DEFAULT, ny(2026, 3, 8, 17, 0)),
    ("within 2 hours", LONDON_SPRING_FORWARD, DEFAULT, "2026-03-29T03:30:00+01:00"),
    ("within 24 hours", LONDON_FALL_BACK, DEFAULT, "2026-10-25T11:00:00+00:00"),
    ("tomorrow at 3pm", LONDON_FALL_BACK, DEFAULT, uk(2026, 10, 25, 15, 0)),
    ("by 10am ET", LONDON_FALL_BACK, DEFAULT, uk(2026, 10, 24, 15, 0)),
    ("by 5pm GMT", LONDON_FALL_BACK, DEFAULT, uk(2026, 10, 24, 17, 0)),  # the UK's clock
    # A US region needs no "time"; more places agents name.
    ("at 10am Eastern", LONDON_FALL_BACK, DEFAULT, uk(2026, 10, 24, 15, 0)),
    ("before 5pm your time (Pacific)", WEDNESDAY, DEFAULT, ny(2026, 11, 25, 20, 0)),
    ("on Friday at 9am Perth time", WEDNESDAY, DEFAULT, ny(2026, 11, 26, 20, 0)),
    # Named days are not the coming weekday.
    ("at the Black Friday price", WEDNESDAY, DEFAULT, None),
    ("over Good Friday weekend", WEDNESDAY, DEFAULT, ny(2026, 11, 29, 17, 0)),
    # A named day is more exact than the week or weekend around it.
    ("the weekend batch results by 09:00 Saturday", WEDNESDAY, DEFAULT, ny(2026, 11, 28, 9, 0)),
    ("on Friday at 5pm, since you're away this week", WEDNESDAY, DEFAULT, ny(2026, 11, 27, 17, 0)),
    ("by 6pm NZ time", WEDNESDAY, DEFAULT, ny(2026, 11, 26, 0, 0)),
]


@pytest.mark.parametrize(("phrase", "now", "config", "expected"), CASES)
def test_each_shape_resolves_to_the_documented_deadline(phrase, now, config, expected):
    deadline = find_deadline(phrase, now, config)
    if expected is None:
        assert deadline is None
    elif expected == VAGUE:
        assert deadline is not None and deadline.vague and deadline.due is None
    else:
        assert deadline is not None and not deadline.vague
        assert deadline.due.isoformat() == expected
        assert deadline.due.tzinfo is now.tzinfo


def test_within_hours_is_elapsed_time_across_the_fall_back():
    due = find_deadline("within 2 hours", NY_FALL_BACK, DEFAULT).due
    # Same-zone subtraction in Python is wall-clock; compare in UTC for real time.
    assert due.astimezone(UTC) - NY_FALL_BACK.astimezone(UTC) == timedelta(hours=2)
    assert due.utcoffset() == timedelta(hours=-5)


def test_span_points_at_the_time_words_in_the_clause():
    clause = "I'll email you the confirmation by 3pm today."
    deadline = find_deadline(clause, WEDNESDAY, DEFAULT)
    assert clause[deadline.start : deadline.end] == "3pm today"


def test_a_long_past_year_less_date_means_next_year():
    deadline = find_deadline("on March 3", WEDNESDAY, DEFAULT)
    assert deadline.due.isoformat() == ny(2027, 3, 3, 17, 0)


def test_an_explicit_past_date_is_not_a_deadline():
    assert find_deadline("on 3 March 2026", WEDNESDAY, DEFAULT) is None


def test_the_real_clock_is_never_consulted():
    with freeze_time("2031-06-15 12:00:00"):
        deadline = find_deadline("tomorrow", WEDNESDAY, DEFAULT)
    assert deadline.due.isoformat() == ny(2026, 11, 26, 17, 0)


def test_business_days_skip_the_configured_holidays_only():
    assert add_business_days(WEDNESDAY.date(), 1, None).isoformat() == "2026-11-26"
    assert add_business_days(WEDNESDAY.date(), 1, "US").isoformat() == "2026-11-27"
    # The UK does not stop for Thanksgiving.
    assert add_business_days(WEDNESDAY.date(), 1, "GB").isoformat() == "2026-11-26"


def test_vague_spans_find_each_vague_phrase_in_a_draft():
    draft = "We'll fix it as soon as possible and update you shortly, not by Friday."
    spans = vague_spans(draft)
    assert [draft[start:end] for start, end in spans] == ["as soon as possible", "shortly"]
