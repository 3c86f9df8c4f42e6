"""The recap of a relationship year through the API: which memories belong to which year,
what the year's highlights are, and that nothing of another year or timeline leaks in."""

from __future__ import annotations

import pytest

from tests.support import write

# The couple fixture got together on 12 June 2019 and the clock reads 15 June 2026: year 8
# began three days ago, year 7 ran from 12 June 2025 to 11 June 2026.


async def recap(client, member, timeline_id, year):
    response = await client.get(f"/api/v1/timelines/{timeline_id}/recaps/{year}", headers=member.auth)
    assert response.status_code == 200, response.text
    return response.json()


async def rate(client, member, memory, score, appreciation=""):
    response = await client.put(
        f"/api/v1/memories/{memory['id']}/connection",
        json={"score": score, "appreciation": appreciation},
        headers=member.auth,
    )
    assert response.status_code == 200, response.text


async def test_a_year_runs_from_one_anniversary_to_the_day_before_the_next(client, couple):
    ana, _, timeline_id = await couple()
    await write(client, ana, timeline_id, "Eve of the anniversary", "2025-06-11")
    await write(client, ana, timeline_id, "Anniversary dinner", "2025-06-12")
    await write(client, ana, timeline_id, "Last day of year seven", "2026-06-11")
    await write(client, ana, timeline_id, "Anniversary again", "2026-06-12")

    seven = await recap(client, ana, timeline_id, 7)
    eight = await recap(client, ana, timeline_id, 8)

    assert (seven["starts_on"], seven["ends_on"], seven["so_far"]) == (
        "2025-06-12",
        "2026-06-11",
        False,
    )
    assert seven["title"] == "Year 7 · 2025–2026"
    assert seven["memories"] == 2
    assert (eight["starts_on"], eight["so_far"], eight["memories"]) == ("2026-06-12", True, 1)
    assert [m["month"] for m in eight["months"]] == ["2026-06"]
    assert len(seven["months"]) == 13


@pytest.mark.parametrize("year", [0, 9])
async def test_a_year_that_has_not_begun_is_not_found(client, couple, year):
    ana, _, timeline_id = await couple()

    response = await client.get(f"/api/v1/timelines/{timeline_id}/recaps/{year}", headers=ana.auth)

    assert response.status_code == 404
    assert "has not begun" in response.json()["detail"]


async def test_an_empty_year_is_a_recap_with_nothing_in_it(client, couple):
    ana, _, timeline_id = await couple()

    empty = await recap(client, ana, timeline_id, 3)

    assert (empty["memories"], empty["photos"], empty["place_count"]) == (0, 0, 0)
    assert empty["moments"] == empty["quotes"] == empty["firsts"] == []
    assert empty["collage"] is None
    assert [m["count"] for m in empty["months"]] == [0] * 13


async def test_the_five_moments_are_those_both_partners_felt_closest_in(client, couple):
    ana, sam, timeline_id = await couple()
    scores = {
        "Both fives": (5, 5),
        "Five and four": (5, 4),
        "Both fours": (4, 4),
        "Five and three": (5, 3),
        "Both threes": (3, 3),
        "Only Ana's four": (4, None),
        "Not rated": (None, None),
    }
    for n, (title, (mine, theirs)) in enumerate(scores.items()):
        memory = await write(client, ana, timeline_id, title, f"2025-08-{n + 1:02d}")
        if mine:
            await rate(client, ana, memory, mine)
        if theirs:
            await rate(client, sam, memory, theirs)
    quiet = await write(client, ana, timeline_id, "Quiet fives", "2025-09-01", tags=["hospital"])
    trashed = await write(client, ana, timeline_id, "Trashed fives", "2025-09-02")
    other_year = await write(client, ana, timeline_id, "Fives of year six", "2024-09-01")
    for memory in (quiet, trashed, other_year):
        await rate(client, ana, memory, 5)
        await rate(client, sam, memory, 5)
    await client.delete(f"/api/v1/memories/{trashed['id']}", headers=ana.auth)
    await client.post(
        f"/api/v1/timelines/{timeline_id}/quiet-rules", json={"tag": "hospital"}, headers=ana.auth
    )

    seven = await recap(client, ana, timeline_id, 7)

    assert [m["title"] for m in seven["moments"]] == [
        "Both fives",
        "Five and four",
        "Both fours",
        "Five and three",
        "Only Ana's four",
    ]
    assert seven["memories"] == 8  # the quiet one counts; the trashed one does not
