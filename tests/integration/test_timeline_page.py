"""The timeline page (/t/{id}) as a couple reads it: memories under their month, each with its
photos and both partners' hearts; "Our years" with units; the first step for a new couple;
older memories a keyset page at a time."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from bs4 import Tag

from tests import images
from tests.support import (
    page_soup,
    rate_memory,
    submit,
    upload_photo,
    visible_text,
    web_log_in,
    web_sign_up,
    write_memory,
)


def spoken(node: Tag) -> str:
    """What a screen reader reads of `node`: its text without what is aria-hidden."""
    copy = page_soup(str(node))
    for hidden in copy.select("[aria-hidden=true]"):
        hidden.decompose()
    return visible_text(copy)


def tile(soup, title: str) -> Tag:
    found = [t for t in soup.select(".tile") if t.select_one(".tile-title").text == title]
    assert len(found) == 1, f"one tile titled {title}"
    return found[0]


async def test_memories_sit_under_their_month_and_say_both_partners_hearts(client, couple):
    ana, sam, timeline_id = await couple()
    picnic = await write_memory(client, ana, timeline_id, "Picnic", "2025-11-08")
    await write_memory(client, ana, timeline_id, "Ski week", "2025-11-01", date_precision="month")
    await write_memory(
        client, sam, timeline_id, "Our first flat", "2021-01-01", date_precision="year"
    )
    await rate_memory(client, ana, picnic, 4)
    await web_log_in(client, sam.email)

    soup = page_soup((await client.get(f"/t/{timeline_id}")).text)

    assert [h.text for h in soup.select(".month-heading")] == ["November 2025", "Sometime in 2021"]
    assert [t.text for t in soup.select(".tile-title")] == ["Picnic", "Ski week", "Our first flat"]
    assert visible_text(tile(soup, "Picnic").select_one(".tile-meta")) == "8 November 2025"
    assert visible_text(tile(soup, "Ski week").select_one(".tile-meta")) == "November 2025"
    foot = tile(soup, "Picnic").select_one(".tile-foot")
    assert spoken(foot) == "Ana 4 of 5 How close did you feel?"
    assert foot.select_one(".prompt")["href"] == f"/m/{picnic['id']}#connection"
    assert visible_text(foot.select_one(".hearts")) == "♥♥♥♥"

    await web_log_in(client, ana.email)
    as_ana = page_soup((await client.get(f"/t/{timeline_id}")).text)
    assert spoken(tile(as_ana, "Picnic").select_one(".tile-foot")) == "Ana 4 of 5"
    assert "Waiting" not in visible_text(as_ana)


async def test_a_memory_shows_its_first_four_photos_and_counts_the_rest(client, couple):
    ana, _, timeline_id = await couple()
    memory = await write_memory(client, ana, timeline_id, "Lisbon", "2025-05-02")
    shapes = [(300, 200), (150, 200), (200, 200), (400, 200), (200, 300), (200, 150)]
    for width, height in shapes:
        uploaded = await upload_photo(client, ana, memory["id"], images.black_png(width, height))
        assert uploaded.status_code == 201, uploaded.text
    await write_memory(client, ana, timeline_id, "Letters", "2025-04-01", body="You wrote first.")
    await web_log_in(client, ana.email)

    soup = page_soup((await client.get(f"/t/{timeline_id}")).text)

    lisbon = tile(soup, "Lisbon")
    gallery = lisbon.select_one("[data-gallery]")
    links = gallery.select("a[data-pswp-width][data-pswp-height]")
    assert len(links) == 6, "every photo is in the viewer"
    assert {a["href"] for a in links} == {f"/m/{memory['id']}"}, "without JavaScript: the memory"
    shown = gallery.select("img")
    assert [(int(i["width"]), int(i["height"])) for i in shown] == shapes[:4]
    assert all(len(i["srcset"].split(",")) == 2 and i["sizes"] for i in shown)
    assert all(a.get("data-pswp-src") for a in links)
    assert visible_text(gallery.select_one(".more-photos")) == "+2"
    assert "6 photos" in visible_text(lisbon.select_one(".tile-meta"))
    letters = tile(soup, "Letters")
    assert "tile-text" in letters["class"]
    assert letters.select("img") == []
    assert visible_text(letters.select_one(".tile-excerpt")) == "You wrote first."


async def test_our_years_tell_years_together_from_calendar_years(client, couple):
    ana, _, timeline_id = await couple()
    for title, day in [
        ("Picnic", "2025-11-08"),
        ("Ski week", "2025-02-01"),
        ("Flat", "2021-03-03"),
    ]:
        await write_memory(client, ana, timeline_id, title, day)
    await web_log_in(client, ana.email)

    soup = page_soup((await client.get(f"/t/{timeline_id}")).text)

    years = soup.select_one("details.years-control")
    assert visible_text(years.select_one("summary")) == "Our years"
    together = years.select_one("nav[aria-labelledby=years-together]")
    listed = [visible_text(a) for a in together.select("a")]
    assert listed[:2] == [
        "Year 8 so far · 2026–27 · still being written",
        "Year 7 · 2025–26 · still being written",
    ]
    # From the year of the first memory ("Flat", March 2021): none before it.
    assert listed[-1] == "Year 2 · 2020–21 · still being written"
    assert together.select_one("a")["href"] == f"/t/{timeline_id}/recap/8"
    calendar = years.select_one("nav[aria-labelledby=calendar-years]")
    assert [visible_text(a) for a in calendar.select("a")] == [
        "2025 · 2 memories",
        "2021 · 1 memory",
    ]
    assert calendar.select_one("a")["href"] == f"/t/{timeline_id}?year=2025"


async def test_a_new_couple_sees_one_first_step_and_the_invitation(client):
    await web_sign_up(client, "Ana", "ana@example.org")
    created = await submit(client, "/t/new", "/t", {"name": "Ana & Sam", "together_since": ""})
    page = await client.get(created.headers["location"])

    soup = page_soup(page.text)

    main = soup.select_one("main")
    assert [visible_text(a) for a in main.select("a.button")] == ["+ Add your first memory"]
    assert soup.select_one(".sample") is not None, "a glimpse of what a memory looks like"
    assert soup.select_one("#invites form button").text == "Create an invitation link"
    for absent in [
        "[role=search]",
        "select",
        "details.years-control",
        "a[href$='/export']",
        "form[action$='/leave']",
    ]:
        assert main.select_one(absent) is None, absent


async def test_older_memories_are_the_next_keyset_page_whatever_is_added_meanwhile(client, couple):
    ana, sam, timeline_id = await couple()
    for n in range(32):
        await write_memory(
            client, ana, timeline_id, f"walk {n}", f"2024-{n % 12 + 1:02}-05", kind="ritual"
        )
    await web_log_in(client, ana.email)

    first = page_soup((await client.get(f"/t/{timeline_id}", params={"kind": "ritual"})).text)
    await write_memory(client, sam, timeline_id, "walk by the sea", "2024-12-30", kind="ritual")
    older = first.select_one("a[rel=next][data-more]")["href"]
    second = page_soup((await client.get(older)).text)

    assert len(first.select("#memories .tile")) == 30
    assert parse_qs(urlsplit(older).query)["kind"] == ["ritual"], "the filter carries on"
    seen = [t.text for t in first.select(".tile-title") + second.select(".tile-title")]
    assert sorted(seen) == sorted(f"walk {n}" for n in range(32)), "each once, none skipped"
    last_month = first.select(".month-group")[-1]["data-month"]
    assert second.select_one(".month-group")["data-month"] == last_month == "2024-01"
    assert second.select_one("a[rel=next]") is None
