"""Relationship years: boundaries, 29 February, the year in progress."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from timeline.timelines.years import anniversary, relationship_year, year_of

SINCE = date(2019, 6, 12)


def test_year_three_runs_from_the_second_anniversary_to_the_day_before_the_third():
    third = relationship_year(SINCE, 3)

    assert (third.starts_on, third.ends_on) == (date(2021, 6, 12), date(2022, 6, 11))


def test_a_29_february_couple_meets_its_years_on_28_february_in_common_years():
    since = date(2020, 2, 29)

    assert relationship_year(since, 1).ends_on == date(2021, 2, 27)
    assert relationship_year(since, 2).starts_on == date(2021, 2, 28)
    assert relationship_year(since, 4).ends_on == date(2024, 2, 28)
    assert relationship_year(since, 5).starts_on == date(2024, 2, 29)
    assert anniversary(since, 1) == date(2021, 2, 28)


def test_the_year_in_progress_knows_it_is():
    today = date(2026, 6, 15)
    current = relationship_year(SINCE, year_of(SINCE, today))

    assert current.number == 8
    assert current.in_progress(today)
    assert not relationship_year(SINCE, 7).in_progress(today)


def test_before_the_couple_got_together_there_is_no_year():
    assert year_of(SINCE, SINCE - timedelta(days=1)) == 0
    assert year_of(SINCE, SINCE) == 1


@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=20_000),
)
def test_every_day_falls_in_exactly_the_year_whose_bounds_hold_it(since, days_later):
    day = since + timedelta(days=days_later)
    number = year_of(since, day)
    year = relationship_year(since, number)

    assert year.starts_on <= day <= year.ends_on
    assert relationship_year(since, number + 1).starts_on == year.ends_on + timedelta(days=1)
