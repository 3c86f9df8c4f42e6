"""A timeline's revision, which what is kept of a whole timeline (its years, its year index)
is checked against: every change a couple can see moves it, whoever makes it and however,
because the database counts it, not the code that writes."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import UTC, date, datetime

import pytest

from tests import images
from tests.support import rate_memory, run_blocking, upload_photo, write_memory
from timeline.core.calendar import DAY, YEAR, date_fields
from timeline.models import Memory, Timeline, User
from timeline.recaps.recap import our_years
from timeline.timelines.years import year_of


def revision(database_url: str, timeline_id: str) -> int:
    """The timeline's revision, read with a connection of our own."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
            sql = "SELECT revision FROM timeline WHERE id = ?"
            return conn.execute(sql, [timeline_id]).fetchone()[0]
    import asyncpg

    async def read() -> int:
        conn = await asyncpg.connect(database_url)
        try:
            sql = "SELECT revision FROM timeline WHERE id::text = $1"
            return await conn.fetchval(sql, timeline_id)
        finally:
            await conn.close()

    return run_blocking(read())


async def test_every_change_a_couple_sees_moves_the_timeline_revision(client, couple, database_url):
    ana, sam, timeline_id = await couple()
    seen = [revision(database_url, timeline_id)]

    def moved(what: str) -> None:
        now = revision(database_url, timeline_id)
        assert now > seen[-1], f"{what} left the revision at {now}"
        seen.append(now)

    memory = await write_memory(client, ana, timeline_id, "Picnic", "2021-05-01", tags=["lake"])
    moved("a new memory")
    edited = await client.patch(
        f"/api/v1/memories/{memory['id']}", json={"title": "Picnic"}, headers=sam.auth
    )
    assert edited.status_code == 200
    moved("an edit")
    retagged = await client.patch(
        f"/api/v1/memories/{memory['id']}", json={"tags": ["river"]}, headers=sam.auth
    )
    assert retagged.status_code == 200
    moved("new tags")
    await rate_memory(client, sam, memory, 4, "the light")
    moved("a rating")
    replied = await client.post(
        f"/api/v1/memories/{memory['id']}/replies", json={"text": "Again!"}, headers=ana.auth
    )
    assert replied.status_code == 201
    moved("a reply")
    photo = await upload_photo(client, ana, memory["id"], images.rotated_jpeg_with_gps())
    assert photo.status_code == 201
    moved("a photo")
    removed = await client.delete(f"/api/v1/photos/{photo.json()['id']}", headers=ana.auth)
    assert removed.status_code == 204
    moved("a photo taken away")
    milestone = await client.post(
        f"/api/v1/timelines/{timeline_id}/milestones",
        json={"kind": "wedding", "occurred_on": "2022-08-20"},
        headers=ana.auth,
    )
    assert milestone.status_code == 201, milestone.text
    moved("a milestone")
    quiet = await client.post(
        f"/api/v1/timelines/{timeline_id}/quiet-rules", json={"tag": "river"}, headers=ana.auth
    )
    assert quiet.status_code == 201, quiet.text
    moved("a quiet rule")
    trashed = await client.delete(f"/api/v1/memories/{memory['id']}", headers=sam.auth)
    assert trashed.status_code == 204
    moved("the trash")
    restored = await client.post(f"/api/v1/memories/{memory['id']}/restore", headers=ana.auth)
    assert restored.status_code == 200
    moved("a restore")
    left = await client.delete(f"/api/v1/timelines/{timeline_id}/membership", headers=sam.auth)
    assert left.status_code == 204
    moved("a partner leaving")


@pytest.mark.parametrize("since", [date(2019, 6, 12), date(2020, 2, 29)])
async def test_the_years_of_us_count_each_memory_in_its_relationship_year(db, since):
    made = datetime(2019, 1, 1, tzinfo=UTC)
    ana = await User.create(
        email="ana@example.org", password_hash="-", display_name="Ana", created_at=made
    )
    timeline = await Timeline.create(name="Us", together_since=since, created_at=made)
    # Either side of each anniversary, and 28 February, which a couple together since 29
    # February celebrates in common years only; a memory known only to its year.
    days = [date(2018, 1, 1), date(2019, 6, 11), date(2019, 6, 12), date(2020, 2, 28)]
    days += [date(2020, 2, 29), date(2021, 2, 28), date(2021, 6, 11), date(2021, 6, 12)]
    days += [date(2024, 2, 28), date(2024, 2, 29), date(2025, 1, 1)]
    for n, day in enumerate(days):
        await Memory.create(
            timeline=timeline,
            author=ana,
            title=f"Memory {n}",
            created_at=made,
            updated_at=made,
            **date_fields(day, YEAR if day.month == 1 else DAY),
        )
    await timeline.refresh_from_db()
    today = date(2026, 6, 1)

    years = await our_years(timeline, today)

    expected = Counter(year_of(since, day) for day in days)
    # Year 1 is listed, since memories came before it, but counts its own.
    assert [(y.year.number, y.memories) for y in years] == [
        (n, expected[n]) for n in range(year_of(since, today), 0, -1)
    ]
