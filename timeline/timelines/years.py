"""Relationship years: year N runs from the (N-1)th anniversary of the day a couple got
together to the day before the Nth.

A couple together since 29 February celebrates on 28 February in common years, so their
years meet on 28 February then, and on 29 February in leap years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from timeline.core.calendar import in_year


@dataclass(frozen=True)
class RelationshipYear:
    number: int
    starts_on: date
    # The last day of the year (the day before the next anniversary).
    ends_on: date

    def in_progress(self, today: date) -> bool:
        return self.starts_on <= today <= self.ends_on


def anniversary(since: date, years: int) -> date:
    """The day `years` years after `since` is celebrated."""
    return in_year(since, since.year + years)


def relationship_year(since: date, number: int) -> RelationshipYear:
    """Year `number` (from 1) of a couple together since `since`."""
    if number < 1:
        raise ValueError("relationship years count from 1")
    return RelationshipYear(
        number,
        anniversary(since, number - 1),
        anniversary(since, number) - timedelta(days=1),
    )


def year_of(since: date, day: date) -> int:
    """Which relationship year `day` falls in; 0 before the couple got together."""
    if day < since:
        return 0
    number = day.year - since.year
    return number + 1 if anniversary(since, number) <= day else number
