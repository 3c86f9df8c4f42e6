"""How memories are presented: dates at their precision, grouping, excerpts, highlights."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from server.common.templating import at_precision, excerpt, highlight
from server.pages.timeline_view import Card, Shown, group_by_month
from timeline.models import Memory


def card(day: str, precision: str = "day", title: str = "") -> Card:
    memory = Memory(
        title=title or day, occurred_on=date.fromisoformat(day), date_precision=precision
    )
    return Card(memory=memory, photos=[], ratings=[])


def with_photos(*sizes: tuple[int, int]) -> Card:
    photos = [
        Shown(
            photo=None,
            thumb="",
            display="",
            original="",
            width=w,
            height=h,
            display_width=w,
            display_height=h,
        )
        for w, h in sizes
    ]
    return Card(memory=Memory(title="t"), photos=photos, ratings=[])


def test_dates_show_at_their_precision():
    day = date(2019, 6, 12)
    assert at_precision(day, "day") == "12 June 2019"
    assert at_precision(date(2019, 6, 1), "month") == "June 2019"
    assert at_precision(date(2019, 1, 1), "year") == "2019"


def test_cards_are_grouped_under_their_month_in_the_order_given():
    cards = [
        card("2020-01-05"),
        card("2019-12-24"),
        card("2019-12-01", "month"),
        card("2019-07-14"),
        card("2019-01-01", "year"),
        card("2018-03-03"),
    ]

    months = group_by_month(cards)

    assert [(m.heading, [c.memory.title for c in m.cards]) for m in months] == [
        ("January 2020", ["2020-01-05"]),
        ("December 2019", ["2019-12-24", "2019-12-01"]),
        ("July 2019", ["2019-07-14"]),
        ("Sometime in 2019", ["2019-01-01"]),
        ("March 2018", ["2018-03-03"]),
    ]


def test_no_cards_no_groups():
    assert group_by_month([]) == []


def test_an_excerpt_is_one_line_cut_at_a_word():
    story = "We walked\nall the way " + "down to the lake " * 20

    cut = excerpt(story, 40)

    assert cut == "We walked all the way down to the lake…"
    assert excerpt("Short.\nTwo lines.") == "Short. Two lines."


def test_highlight_marks_words_by_prefix_and_escapes_the_rest():
    marked = highlight("<b>Picnic</b> at the lake, picnics galore", ["pic", "lak"])

    assert isinstance(marked, Markup)
    assert marked == (
        "&lt;b&gt;<mark>Picnic</mark>&lt;/b&gt; at the <mark>lake</mark>, "
        "<mark>picnics</mark> galore"
    )
    assert highlight("<i>x</i>", []) == "&lt;i&gt;x&lt;/i&gt;"


def test_a_tile_is_as_wide_as_its_photos_need_at_one_height():
    # One photo: its own shape. Two side by side: their widths at one height add up.
    assert with_photos((400, 300)).shape == round(4 / 3, 4)
    assert with_photos((400, 300), (300, 400)).shape == round(4 / 3 + 3 / 4, 4)
    # Three or more: the first as wide as the tile, a strip of up to three under it.
    six = with_photos((400, 200), (200, 200), (400, 200), (200, 400), (400, 400), (400, 400))
    assert [p.shape for p in six.strip] == [1, 2, 0.5]
    assert six.shape == round(1 / (1 / 2 + 1 / 3.5), 4)
    assert six.more == 2
    assert card("2020-01-05").shape == 1.1, "a text-only memory's card"
