"""The calendar rules, written once: the earliest date, how precisely a date is known, 29
February in common years, and what day it is where a member or a timeline lives."""

from __future__ import annotations

from datetime import date
from typing import Any

from timeline.core.errors import InvalidInput

EARLIEST = date(1900, 1, 1)
# How precisely a date is known: a month keeps day 1, a year 1 January.
DAY, MONTH, YEAR = "day", "month", "year"
PRECISIONS = (DAY, MONTH, YEAR)


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
        occurred_on, month_day = occurred_on.replace(month=1, day=1), None
    elif precision == MONTH:
        occurred_on, month_day = occurred_on.replace(day=1), None
    else:
        month_day = occurred_on.month * 100 + occurred_on.day
    return {"occurred_on": occurred_on, "year": occurred_on.year, "month_day": month_day}
