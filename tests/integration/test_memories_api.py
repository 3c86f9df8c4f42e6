"""Memories through the JSON API: writing, editing, the trash, connection and replies."""

from __future__ import annotations

import functools
from datetime import timedelta

import pytest

from timeline.memories.writing import purge_trash

PICNIC = {
    "title": "Picnic at the lake",
    "body": "You forgot the bread.\nWe laughed anyway.",
    "occurred_on": "2019-07-14",
    "place": "Lac d'Annecy",
    "kind": "date",
    "tags": ["#Summer", "lake", "summer"],
}


async def post_picnic(client, member, timeline_id, **overrides):
    """POST the picnic, with `overrides`, as `member`; the response, whatever it is."""
    return await client.post(
        f"/api/v1/timelines/{timeline_id}/memories",
        json={**PICNIC, **overrides},
        headers=member.auth,
    )


async def test_a_new_memory_comes_back_as_written(client, couple):
    ana, _, timeline_id = await couple()

    response = await post_picnic(client, ana, timeline_id)

    assert response.status_code == 201
    memory = response.json()
    assert memory == {
        **memory,
        "timeline_id": timeline_id,
        "author_id": ana.id,
        "title": "Picnic at the lake",
        "body": "You forgot the bread.\nWe laughed anyway.",
        "occurred_on": "2019-07-14",
        "date_precision": "day",
        "place": "Lac d'Annecy",
        "kind": "date",
        "tags": ["lake", "summer"],
        "photos": [],
        "connections": [],
        "replies_count": 0,
        "recreates": None,
        "deleted_at": None,
    }


@pytest.mark.parametrize(
    ("precision", "stored"),
    [("month", "2019-07-01"), ("year", "2019-01-01"), ("day", "2019-07-14")],
)
async def test_a_fuzzy_date_is_kept_at_its_precision(client, couple, precision, stored):
    ana, _, timeline_id = await couple()

    response = await post_picnic(client, ana, timeline_id, date_precision=precision)

    assert (response.json()["occurred_on"], response.json()["date_precision"]) == (
        stored,
        precision,
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "Give the memory a title."),
        ({"title": "x" * 121}, "title", "Keep the title under 120 characters."),
        ({"body": "x" * 5001}, "body", "The story can hold up to 5,000 characters."),
        ({"occurred_on": "2026-06-16"}, "occurred_on", "A memory cannot be in the future."),
        ({"occurred_on": "1899-12-31"}, "occurred_on", "Dates before 1900 are not supported."),
        ({"kind": "party"}, "kind", "Unknown kind 'party'; choose one of date, trip, ritual"),
        ({"date_precision": "week"}, "date_precision", "The date precision is day, month or year."),
    ],
)
async def test_bad_memories_are_refused_with_a_message_naming_the_field(
    client, couple, overrides, field, message
):
    ana, _, timeline_id = await couple()

    response = await post_picnic(client, ana, timeline_id, **overrides)

    assert response.status_code == 422
    assert response.json()["detail"].startswith(message)
    assert response.json()["extra"] == [{"key": field}]
    listing = await client.get(f"/api/v1/timelines/{timeline_id}/memories", headers=ana.auth)
    assert listing.json()["items"] == []


async def test_the_partner_edits_only_what_they_send(client, couple, clock):
    ana, sam, timeline_id = await couple()
    memory = (await post_picnic(client, ana, timeline_id)).json()
    clock.advance(timedelta(hours=2))

    response = await client.patch(
        f"/api/v1/memories/{memory['id']}",
        json={"title": "Picnic by the lake", "tags": ["Lake"], "date_precision": "month"},
        headers=sam.auth,
    )

    assert response.status_code == 200
    edited = response.json()
    assert edited["title"] == "Picnic by the lake"
    assert edited["tags"] == ["lake"]
    assert edited["occurred_on"] == "2019-07-01"
    assert edited["body"] == PICNIC["body"]
    assert edited["updated_at"] == "2026-06-15T11:35:00Z"


async def test_trash_hides_a_memory_until_it_is_restored(client, couple):
    ana, sam, timeline_id = await couple()
    memory = (await post_picnic(client, ana, timeline_id)).json()
    listing = f"/api/v1/timelines/{timeline_id}/memories"

    assert (
        await client.delete(f"/api/v1/memories/{memory['id']}", headers=sam.auth)
    ).status_code == 204
    assert (await client.get(listing, headers=ana.auth)).json()["items"] == []
    trashed = await client.get(f"/api/v1/memories/{memory['id']}", headers=ana.auth)
    assert trashed.json()["deleted_at"] == "2026-06-15T09:35:00Z"
    edit = await client.patch(
        f"/api/v1/memories/{memory['id']}", json={"title": "x"}, headers=ana.auth
    )
    assert edit.status_code == 409
    assert edit.json()["detail"] == "This memory is in the trash. Restore it first."

    restored = await client.post(f"/api/v1/memories/{memory['id']}/restore", headers=ana.auth)

    assert restored.status_code == 200
    assert restored.json()["deleted_at"] is None
    assert [m["id"] for m in (await client.get(listing, headers=ana.auth)).json()["items"]] == [
        memory["id"]
    ]


async def test_the_trash_is_purged_after_thirty_days(client, couple, clock, count_rows):
    ana, _, timeline_id = await couple()
    kept = (await post_picnic(client, ana, timeline_id, title="Kept")).json()
    gone = (await post_picnic(client, ana, timeline_id, title="Gone")).json()
    await client.put(
        f"/api/v1/memories/{gone['id']}/connection", json={"score": 4}, headers=ana.auth
    )
    await client.delete(f"/api/v1/memories/{gone['id']}", headers=ana.auth)

    clock.advance(timedelta(days=29))
    assert purge(client, clock) == 0
    clock.advance(timedelta(days=1))
    purged = purge(client, clock)

    assert purged == 1
    assert count_rows("memory", id=gone["id"]) == 0
    assert count_rows("connection", memory_id=gone["id"]) == 0
    assert count_rows("memory", id=kept["id"]) == 1
    assert (await client.get(f"/api/v1/memories/{gone['id']}", headers=ana.auth)).status_code == 404


def purge(client, clock) -> int:
    """Run the purge job on the app's own event loop, as the scheduler will."""
    job = functools.partial(purge_trash, client.app.state.storage, now=clock())
    return client.blocking_portal.call(job)


async def test_each_partner_has_one_connection_per_memory(client, couple):
    ana, sam, timeline_id = await couple()
    memory = (await post_picnic(client, ana, timeline_id)).json()
    url = f"/api/v1/memories/{memory['id']}/connection"

    await client.put(url, json={"score": 3, "appreciation": "The light"}, headers=ana.auth)
    replaced = await client.put(
        url, json={"score": 5, "appreciation": "Your laugh"}, headers=ana.auth
    )
    await client.put(url, json={"score": 4}, headers=sam.auth)

    assert replaced.status_code == 200
    assert replaced.json() == {"user_id": ana.id, "score": 5, "appreciation": "Your laugh"}
    connections = (await client.get(f"/api/v1/memories/{memory['id']}", headers=sam.auth)).json()[
        "connections"
    ]
    assert sorted(connections, key=lambda c: c["score"]) == [
        {"user_id": sam.id, "score": 4, "appreciation": ""},
        {"user_id": ana.id, "score": 5, "appreciation": "Your laugh"},
    ]


@pytest.mark.parametrize("score", [0, 6, -1])
async def test_a_score_outside_one_to_five_is_refused(client, couple, score):
    ana, _, timeline_id = await couple()
    memory = (await post_picnic(client, ana, timeline_id)).json()

    response = await client.put(
        f"/api/v1/memories/{memory['id']}/connection", json={"score": score}, headers=ana.auth
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "The score goes from 1 (distant) to 5 (very close)."


async def test_either_partner_replies_and_the_count_follows(client, couple):
    ana, sam, timeline_id = await couple()
    memory = (await post_picnic(client, ana, timeline_id)).json()

    reply = await client.post(
        f"/api/v1/memories/{memory['id']}/replies",
        json={"text": "I still think about that bread."},
        headers=sam.auth,
    )
    empty = await client.post(
        f"/api/v1/memories/{memory['id']}/replies", json={"text": "  "}, headers=ana.auth
    )

    assert reply.status_code == 201
    assert reply.json()["author_id"] == sam.id
    assert empty.status_code == 422
    assert (await client.get(f"/api/v1/memories/{memory['id']}", headers=ana.auth)).json()[
        "replies_count"
    ] == 1


async def test_the_list_pages_newest_first_with_a_cursor(client, couple):
    ana, _, timeline_id = await couple()
    for year in range(2015, 2020):
        await post_picnic(
            client, ana, timeline_id, title=f"Summer {year}", occurred_on=f"{year}-07-01"
        )
    url = f"/api/v1/timelines/{timeline_id}/memories"

    first = (await client.get(url, params={"limit": 2}, headers=ana.auth)).json()
    second = (
        await client.get(url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=ana.auth)
    ).json()
    last = (
        await client.get(
            url, params={"limit": 2, "cursor": second["next_cursor"]}, headers=ana.auth
        )
    ).json()

    titles = [m["title"] for page in (first, second, last) for m in page["items"]]
    assert titles == [f"Summer {y}" for y in range(2019, 2014, -1)]
    assert last["next_cursor"] is None


async def test_the_list_filters_combine(client, couple):
    ana, sam, timeline_id = await couple()
    picnic = (await post_picnic(client, ana, timeline_id)).json()
    await post_picnic(
        client, ana, timeline_id, title="Ski trip", body="Snow", kind="trip", tags=["winter"]
    )
    for member in (ana, sam):
        await client.put(
            f"/api/v1/memories/{picnic['id']}/connection", json={"score": 5}, headers=member.auth
        )
    url = f"/api/v1/timelines/{timeline_id}/memories"

    async def titles(**params):
        page = (await client.get(url, params=params, headers=ana.auth)).json()
        return [m["title"] for m in page["items"]]

    assert await titles(tag="summer") == ["Picnic at the lake"]
    assert await titles(kind="trip") == ["Ski trip"]
    assert await titles(q="BREAD") == ["Picnic at the lake"]
    assert await titles(connected="true") == ["Picnic at the lake"]
    assert await titles(year=2019, kind="date", tag="lake") == ["Picnic at the lake"]
    assert await titles(year=2018) == []


async def test_a_limit_over_one_hundred_and_a_forged_cursor_are_refused(client, couple):
    ana, _, timeline_id = await couple()
    url = f"/api/v1/timelines/{timeline_id}/memories"

    assert (await client.get(url, params={"limit": 101}, headers=ana.auth)).status_code == 400
    forged = await client.get(url, params={"cursor": "bm90IGEgY3Vyc29y"}, headers=ana.auth)
    assert forged.status_code == 422
