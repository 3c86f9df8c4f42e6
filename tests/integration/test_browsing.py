"""Browsing a timeline: keyset pages, filters, the year index and full-text search, through
the API and the page, on both databases."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import images
from tests.support import (
    page_soup,
    rate_memory,
    upload_photo,
    visible_text,
    web_log_in,
    write_memory,
)
from timeline.memories.search import query_terms


async def all_pages(client, member, timeline_id, limit=3, between=None, **params):
    """Every page of the API list, calling `between` after each page."""
    seen, cursor = [], None
    while True:
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        page = (
            await client.get(
                f"/api/v1/timelines/{timeline_id}/memories", params=query, headers=member.auth
            )
        ).json()
        seen += [m["title"] for m in page["items"]]
        cursor = page["next_cursor"]
        if between:
            await between()
        if not cursor:
            return seen


async def test_keyset_pages_have_no_gaps_and_no_duplicates_while_memories_are_added(client, couple):
    ana, sam, timeline_id = await couple()
    start = date(2020, 1, 1)
    for n in range(10):
        # Two memories on the same day each time, so the id breaks ties.
        day = (start + timedelta(days=n // 2)).isoformat()
        await write_memory(client, ana, timeline_id, f"m{n:02}", day)
    added = iter(range(100))

    async def partner_adds_a_newer_and_an_older_memory():
        n = next(added)
        await write_memory(client, sam, timeline_id, f"new{n}", "2024-01-01")
        await write_memory(client, sam, timeline_id, f"old{n}", "2000-01-01")

    seen = await all_pages(
        client, ana, timeline_id, between=partner_adds_a_newer_and_an_older_memory
    )

    originals = [t for t in seen if t.startswith("m")]
    assert sorted(originals) == [f"m{n:02}" for n in range(10)]
    assert len(seen) == len(set(seen))
    assert not any(t.startswith("new") for t in seen), "newer memories belong before page one"
    assert any(t.startswith("old") for t in seen), "older ones appear once we reach them"


async def test_filters_combine_and_survive_paging(client, couple):
    ana, sam, timeline_id = await couple()
    for n in range(5):
        memory = await write_memory(
            client, ana, timeline_id, f"trip {n}", f"201{n}-05-01", kind="trip"
        )
        if n % 2 == 0:
            for member in (ana, sam):
                await rate_memory(client, member, memory, 5)
    await write_memory(client, sam, timeline_id, "sam's trip", "2016-05-01", kind="trip")
    await write_memory(client, ana, timeline_id, "a date", "2016-06-01", kind="date")

    connected = await all_pages(client, ana, timeline_id, limit=1, kind="trip", connected="true")
    by_sam = await all_pages(client, ana, timeline_id, limit=1, author=sam.id)

    assert connected == ["trip 4", "trip 2", "trip 0"]
    assert by_sam == ["sam's trip"]


async def test_with_photos_keeps_memories_that_have_one(client, couple):
    ana, _, timeline_id = await couple()
    pictured = await write_memory(client, ana, timeline_id, "pictured", "2019-01-01")
    await write_memory(client, ana, timeline_id, "words only", "2019-02-01")
    await upload_photo(client, ana, pictured["id"], images.cmyk_jpeg())

    assert await all_pages(client, ana, timeline_id, has_photos="true") == ["pictured"]


async def test_search_ranks_title_matches_first_and_follows_edits(client, couple):
    ana, _, timeline_id = await couple()
    in_body = await write_memory(
        client, ana, timeline_id, "Saturday", "2021-01-01", body="a picnic"
    )
    await write_memory(client, ana, timeline_id, "Picnic at the lake", "2019-07-14", place="Annecy")
    await write_memory(client, ana, timeline_id, "Tagged", "2018-01-01", tags=["picnics"])
    await write_memory(client, ana, timeline_id, "Unrelated", "2020-01-01", body="snow")

    found = await all_pages(client, ana, timeline_id, q="picn")
    assert found[0] == "Picnic at the lake"
    assert sorted(found) == ["Picnic at the lake", "Saturday", "Tagged"]
    assert await all_pages(client, ana, timeline_id, q="picnic annecy") == ["Picnic at the lake"]

    await client.patch(
        f"/api/v1/memories/{in_body['id']}", json={"body": "a walk"}, headers=ana.auth
    )
    await client.delete(f"/api/v1/memories/{in_body['id']}", headers=ana.auth)
    memories = await all_pages(client, ana, timeline_id, q="picnic")
    assert "Saturday" not in memories
    assert await all_pages(client, ana, timeline_id, q="walk") == []


async def test_search_never_crosses_timelines_and_ignores_query_syntax(client, couple, sign_up):
    ana, _, timeline_id = await couple()
    kim = await sign_up("Kim")
    other = (await client.post("/api/v1/timelines", json={"name": "K"}, headers=kim.auth)).json()
    await write_memory(client, kim, other["id"], "Picnic of strangers", "2019-01-01")
    await write_memory(client, ana, timeline_id, "Our picnic", "2019-01-01")

    assert await all_pages(client, ana, timeline_id, q="picnic") == ["Our picnic"]
    for hostile in ['"', "picnic OR *", "NEAR(", "scope:x", "' ; --", "title:"]:
        response = await client.get(
            f"/api/v1/timelines/{timeline_id}/memories", params={"q": hostile}, headers=ana.auth
        )
        assert response.status_code == 200, hostile


async def test_a_search_reads_six_words_and_a_single_letter_as_a_whole_word(client, couple):
    ana, _, timeline_id = await couple()
    await write_memory(
        client, ana, timeline_id, "A walk to the lake with soup and bread", "2019-01-01"
    )
    await write_memory(client, ana, timeline_id, "Sunday", "2019-02-01", body="s is for sunday")

    # The seventh word onwards is not read: "nothing" would otherwise match no memory.
    words = "walk lake soup bread with the nothing"
    assert await all_pages(client, ana, timeline_id, q=words) == [
        "A walk to the lake with soup and bread"
    ]
    assert await all_pages(client, ana, timeline_id, q="s") == ["Sunday"]
    # The index splits on underscores: "x_s" is the words x and s, never the prefix s.
    assert query_terms("x_s") == ["x", "s"]
    assert await all_pages(client, ana, timeline_id, q="su") == ["Sunday"]
    long_query = await client.get(
        f"/api/v1/timelines/{timeline_id}/memories",
        params={"q": "walk " * 1_000},
        headers=ana.auth,
    )
    assert long_query.status_code == 200


async def test_the_page_groups_pages_and_keeps_filters_in_the_older_link(client, couple):
    ana, _, timeline_id = await couple()
    for n in range(35):
        await write_memory(
            client,
            ana,
            timeline_id,
            f"walk {n}",
            f"20{10 + n // 12}-{n % 12 + 1:02}-01",
            kind="ritual",
        )
    await web_log_in(client, ana.email)

    first = await client.get(f"/t/{timeline_id}", params={"kind": "ritual"})
    soup = page_soup(first.text)
    assert soup.select_one(".month-heading").text == "November 2012"
    assert len(soup.select(".tile")) == 30
    older = soup.select_one("a[rel=next]")["href"]
    assert parse_qs(urlsplit(older).query)["kind"] == ["ritual"]
    second = page_soup((await client.get(older)).text)
    assert [h.text for h in second.select(".tile-title")] == [f"walk {n}" for n in range(4, -1, -1)]
    assert second.select_one("a[rel=next]") is None
    years = [visible_text(a) for a in soup.select("nav[aria-labelledby=calendar-years] a")]
    assert years == ["2012 · 11 memories", "2011 · 12 memories", "2010 · 12 memories"]


async def test_the_filter_form_as_a_browser_sends_it_with_every_field(client, couple):
    ana, _, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Picnic at the lake", "2019-07-14", kind="date")
    await write_memory(client, ana, timeline_id, "Ski trip", "2020-02-01", kind="trip")
    await web_log_in(client, ana.email)
    form = {"q": "", "year": "", "kind": "trip", "author": "", "tag": ""}

    page = await client.get(f"/t/{timeline_id}", params=form)

    assert page.status_code == 200
    titles = [h.text for h in page_soup(page.text).select(".tile-title")]
    assert titles == ["Ski trip"]


async def test_a_search_on_the_page_highlights_what_matched(client, couple):
    ana, _, timeline_id = await couple()
    await write_memory(
        client, ana, timeline_id, "Picnic at the lake", "2019-07-14", body="Bread & <cheese>"
    )
    await web_log_in(client, ana.email)

    page = await client.get(f"/t/{timeline_id}", params={"q": "picnic cheese"})

    soup = page_soup(page.text)
    assert [m.text for m in soup.select(".tile mark")] == ["Picnic", "cheese"]
    assert soup.select_one(".tile-excerpt").text == "Bread & <cheese>"
    assert soup.select_one("#q")["value"] == "picnic cheese"


async def test_a_tile_prompts_me_to_rate_and_shows_my_partners_hearts(client, couple):
    ana, sam, timeline_id = await couple()
    memory = await write_memory(client, ana, timeline_id, "Picnic", "2019-07-14")
    await rate_memory(client, sam, memory, 4)
    await client.post(
        f"/api/v1/memories/{memory['id']}/replies", json={"text": "Yes!"}, headers=sam.auth
    )
    await web_log_in(client, ana.email)

    foot = page_soup((await client.get(f"/t/{timeline_id}")).text).select_one(".tile-foot")

    assert foot.select_one(".prompt").text == "How close did you feel?"
    heart = foot.select_one(".tile-heart")
    assert visible_text(heart) == "Sam ♥♥♥♥ 4 of 5"
    # Screen readers hear the number, not four "black heart suit"s.
    assert heart.select_one(".hearts")["aria-hidden"] == "true"
    assert foot.select_one(".replies").text == "1 reply"


async def test_a_tile_never_shames_the_partner_who_has_not_rated(client, couple):
    ana, _, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Picnic", "2019-07-14")
    await web_log_in(client, ana.email)

    page = await client.get(f"/t/{timeline_id}")

    assert "Waiting for" not in page.text
    assert visible_text(page_soup(page.text).select_one(".tile-foot")) == "How close did you feel?"


@pytest.mark.parametrize("memories", [3, 25])
async def test_a_timeline_page_costs_the_same_queries_whatever_its_size(
    client, couple, caplog, memories
):
    ana, sam, timeline_id = await couple()
    for n in range(memories):
        memory = await write_memory(
            client, ana, timeline_id, f"m{n}", "2019-01-01", tags=["a", "b"]
        )
        await rate_memory(client, sam, memory, 3)
        await client.post(
            f"/api/v1/memories/{memory['id']}/replies", json={"text": "x"}, headers=ana.auth
        )
    await web_log_in(client, ana.email)
    caplog.set_level(logging.DEBUG, logger="tortoise.db_client")
    caplog.clear()

    response = await client.get(f"/t/{timeline_id}")

    assert response.status_code == 200
    queries = [r for r in caplog.records if r.name == "tortoise.db_client"]
    assert len(queries) == QUERIES_PER_TIMELINE_PAGE, [r.getMessage()[:80] for r in queries]


# Session, the timeline with its members, the page's ids, their memories with their tags,
# photos, ratings and replies counted, calendar years, years together (the last two kept
# until the timeline changes).
QUERIES_PER_TIMELINE_PAGE = 6


async def test_thumbnails_cost_no_database_query_even_with_a_session(client, couple, caplog):
    ana, _, timeline_id = await couple()
    memory = await write_memory(client, ana, timeline_id, "Pictured", "2019-01-01")
    photo = await upload_photo(client, ana, memory["id"], images.cmyk_jpeg())
    thumb = photo.json()["urls"]["thumb"].removeprefix("http://testserver.local")
    await web_log_in(client, ana.email)
    caplog.set_level(logging.DEBUG, logger="tortoise.db_client")
    caplog.clear()

    response = await client.get(thumb)

    assert response.status_code == 200
    assert [r for r in caplog.records if r.name == "tortoise.db_client"] == []


async def test_filters_no_memory_could_match_are_refused_plainly(client, couple):
    ana, _, timeline_id = await couple()
    path = f"/api/v1/timelines/{timeline_id}/memories"

    kind = await client.get(path, params={"kind": "a kind far too long to exist"}, headers=ana.auth)
    tag = await client.get(path, params={"tag": "t" * 41}, headers=ana.auth)
    year = await client.get(path, params={"year": "48993190627203121706"}, headers=ana.auth)

    assert (kind.status_code, tag.status_code, year.status_code) == (422, 422, 400)
    assert kind.json()["detail"].startswith("Filter by one of the kinds date, trip")
    assert tag.json()["detail"] == "Tags are at most 40 characters."
