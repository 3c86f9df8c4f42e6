"""The calendar rules, written once: the earliest date, how precisely a date is known, 29
February in common years, and what day it is where a member or a timeline lives."""

from __future__ import annotations

from calendar import isleap
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from timeline.core.errors import InvalidInput

EARLIEST = date(1900, 1, 1)
# How precisely a date is known: a month keeps day 1, a year 1 January.
DAY, MONTH, YEAR = "day", "month", "year"
PRECISIONS = (DAY, MONTH, YEAR)


class Zoned(Protocol):
    """A member or a timeline: anything that lives in a time zone."""

    timezone: str


def check_precision(value: Any, field: str = "date_precision") -> str:
    """Day, month or year: how precisely a date is known."""
    if value not in PRECISIONS:
        raise InvalidInput("The date precision is day, month or year.", field=field)
    return value


def check_date(value: Any, today: date, field: str = "occurred_on") -> date:
    """A date (or its ISO text) between 1900 and `today`."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(
                "Enter the date as YYYY-MM-DD, for example 2019-06-12.", field=field
            ) from None
    if not isinstance(value, date):
        raise InvalidInput("When did it happen? Enter a date.", field=field)
    if value > today:
        raise InvalidInput("A memory cannot be in the future.", field=field)
    if value < EARLIEST:
        raise InvalidInput("Dates before 1900 are not supported.", field=field)
    return value


def date_fields(occurred_on: date, precision: str) -> dict[str, Any]:
    """The stored date for a precision (a month keeps day 1, a year 1 January), its year,
    and the month_day that "on this day" looks up, which only a day-precise date has."""
    if precision == YEAR:
        occurred_on, known_day = occurred_on.replace(month=1, day=1), None
    elif precision == MONTH:
        occurred_on, known_day = occurred_on.replace(day=1), None
    else:
        known_day = month_day(occurred_on)
    return {"occurred_on": occurred_on, "year": occurred_on.year, "month_day": known_day}


def in_words(day: date, precision: str) -> str:
    """A date as precisely as it is known, in words: `12 June 2019`, `June 2019` or `2019`.
    A memory known only to its month or year is never given a day (or a month) it lacks."""
    if precision == YEAR:
        return str(day.year)
    if precision == MONTH:
        return f"{day:%B %Y}"
    return f"{day.day} {day:%B %Y}"


def iso_at(day: date, precision: str) -> str:
    """A date as precisely as it is known, as ISO 8601 text (valid in HTML `<time>` and
    sortable in file names): `2019-06-12`, `2019-06` or `2019`."""
    if precision == YEAR:
        return f"{day.year:04d}"
    if precision == MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def in_year(day: date, year: int) -> date:
    """`day`'s anniversary in `year`: 29 February falls on 28 February in common years."""
    if (day.month, day.day) == (2, 29) and not isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def month_day(day: date) -> int:
    """The month and day of `day` as one number (month * 100 + day), as memories store it."""
    return day.month * 100 + day.day


def month_days_for(day: date) -> list[int]:
    """The month_day values whose anniversary is `day`: 28 February also takes the 29th's
    when this year has no 29 February."""
    days = [month_day(day)]
    if (day.month, day.day) == (2, 28) and not isleap(day.year):
        days.append(229)
    return days


def month_days_around(today: date, window: int) -> list[int]:
    """The month_day values within `window` days of `today`, 29 February with the 28th in
    any year: a window errs towards too wide, never too narrow."""
    days = {month_day(today + timedelta(days=n)) for n in range(-window, window + 1)}
    if 228 in days:
        days.add(229)
    return sorted(days)


def local_time(timezone: str, at: datetime) -> datetime:
    """The wall-clock time in `timezone` at the instant `at`."""
    return at.astimezone(ZoneInfo(timezone))


def local_today(timezone: str, now: datetime) -> date:
    """The calendar day it is in `timezone` at the instant `now`."""
    return local_time(timezone, now).date()


def member_today(member: Zoned, now: datetime) -> date:
    """The day it is for a member where they live: what they see and do is dated by it,
    their recaps and the links they share included."""
    return local_today(member.timezone, now)


def timeline_today(timeline: Zoned, now: datetime) -> date:
    """The day it is for a timeline, when no one member is looking: the daily pick, and a
    recap shown through a share link."""
    return local_today(timeline.timezone, now)
