"""Milestones counted in years: which come round on a day, and within a relationship year."""

from __future__ import annotations

from datetime import UTC, date, datetime

from timeline.models import Milestone
from timeline.timelines.milestones import reached_within, years_since


def milestone(kind: str, on: date, precision: str = "day", label: str = "") -> Milestone:
    return Milestone(
        kind=kind,
        label=label,
        occurred_on=on,
        date_precision=precision,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_a_wedding_comes_round_before_a_first_date_on_the_same_day():
    first = milestone("first_date", date(2018, 9, 17))
    wedding = milestone("wedding", date(2022, 9, 17))

    marked = years_since([first, wedding], date(2026, 9, 17))

    assert [m.words for m in marked] == [
        "4 years since your wedding",
        "8 years since your first date",
    ]


def test_only_day_precise_milestones_claim_a_day_and_never_their_own():
    month = milestone("custom", date(2020, 3, 1), "month", "Moved in together")
    today = milestone("wedding", date(2026, 3, 1))

    assert years_since([month, today], date(2026, 3, 1)) == []


def test_a_29_february_milestone_comes_round_on_28_february_in_common_years():
    leap = milestone("first_date", date(2020, 2, 29))

    assert [m.years for m in years_since([leap], date(2027, 2, 28))] == [7]
    assert years_since([leap], date(2028, 2, 28)) == []
    assert [m.years for m in years_since([leap], date(2028, 2, 29))] == [8]


def test_a_year_marks_each_milestone_that_comes_round_within_it_in_order():
    moved = milestone("custom", date(2020, 3, 1), "month", "Moved in together")
    wedding = milestone("wedding", date(2022, 9, 17))

    marked = reached_within([moved, wedding], date(2025, 6, 12), date(2026, 6, 11))

    assert [m.words for m in marked] == [
        "3 years since your wedding",
        "6 years since Moved in together",
    ]
    # The wedding day itself is no anniversary; the first comes a year later.
    assert reached_within([wedding], date(2022, 6, 12), date(2023, 6, 11)) == []
    assert reached_within([wedding], date(2023, 6, 12), date(2024, 6, 11))[0].years == 1
