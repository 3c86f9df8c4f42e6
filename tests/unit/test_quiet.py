"""Quiet rules: which memories stay away, and when."""

from __future__ import annotations

from datetime import date

from timeline.resurfacing.quiet import Quiet

MARCH = Quiet(tags=frozenset(), spans=(), periods=((date(2000, 3, 3), date(2000, 3, 10)),))
NEW_YEAR = Quiet(tags=frozenset(), spans=(), periods=((date(2000, 12, 28), date(2000, 1, 4)),))


def test_a_tag_or_a_hard_year_silences_for_good():
    quiet = Quiet(
        tags=frozenset({"hospital"}), spans=((date(2020, 1, 1), date(2020, 12, 31)),), periods=()
    )
    assert quiet.silences(date(2018, 5, 1), ["hospital"], date(2026, 1, 1))
    assert quiet.silences(date(2020, 7, 1), [], date(2026, 1, 1))
    assert not quiet.silences(date(2021, 1, 1), ["beach"], date(2026, 1, 1))


def test_a_yearly_period_silences_its_dates_while_it_lasts():
    assert MARCH.silences(date(2019, 3, 5), [], date(2026, 3, 4))
    assert MARCH.silences(date(2019, 3, 12), [], date(2026, 3, 1)), "three days around"
    assert not MARCH.silences(date(2019, 3, 5), [], date(2026, 6, 1)), "out of the period"
    assert not MARCH.silences(date(2019, 6, 5), [], date(2026, 3, 5)), "not from around then"


def test_a_period_may_run_over_new_year():
    assert NEW_YEAR.silences(date(2019, 1, 2), [], date(2025, 12, 30))
    assert NEW_YEAR.silences(date(2018, 12, 29), [], date(2026, 1, 3))
    assert not NEW_YEAR.silences(date(2019, 1, 2), [], date(2026, 2, 1))
