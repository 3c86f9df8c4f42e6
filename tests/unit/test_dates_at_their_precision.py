"""A date known only to its month or its year is never given a day (or a month) it does not
have: the one rule pages, e-mails, the API's month tiles and the export's file names use."""

from __future__ import annotations

from datetime import date

import pytest

from server.common.templating import at_precision
from timeline.core.calendar import in_words, iso_at

STORED = date(2022, 3, 1)  # how a month-precise date is kept: day 1


@pytest.mark.parametrize(
    ("precision", "words", "iso"),
    [
        ("day", "1 March 2022", "2022-03-01"),
        ("month", "March 2022", "2022-03"),
        ("year", "2022", "2022"),
    ],
)
def test_a_date_is_said_and_written_only_as_precisely_as_it_is_known(precision, words, iso):
    assert in_words(STORED, precision) == words
    assert iso_at(STORED, precision) == iso
    assert at_precision(STORED, precision) == words
