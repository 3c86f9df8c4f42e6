"""`remember-when demo` gives a newcomer a living timeline, made through the real pipeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from media.signing import UrlSigner
from media.storage import FileStorage
from server.commands.demo import ANA, create_demo
from timeline.models import Connection, Memory, Photo, Reply, Timeline, User

NOW = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)


async def test_the_demo_couple_has_a_year_and_a_half_of_varied_memories(db, tmp_path):
    storage = FileStorage(tmp_path / "media", signer=UrlSigner(b"k"))

    first = await create_demo(storage, now=NOW)
    again = await create_demo(storage, now=NOW)

    assert (first.created, again.created) == (True, False)
    assert await User.filter(email=ANA).count() == 1
    timeline = await Timeline.get(memberships__user__email=ANA)
    memories = await Memory.filter(timeline=timeline).order_by("occurred_on")
    assert 60 <= len(memories) <= 130
    assert memories[0].occurred_on >= (NOW - timedelta(days=545)).date()
    assert memories[-1].occurred_on <= NOW.date()
    assert {m.kind for m in memories} >= {"trip", "ritual", "date", "everyday"}
    assert {m.date_precision for m in memories} >= {"day", "month"}
    assert await Connection.filter(memory__timeline=timeline).count() > len(memories)
    assert await Reply.filter(memory__timeline=timeline).count() > 5
    photos = await Photo.filter(timeline=timeline).count()
    assert photos > 20
    assert len(await storage.keys("photos")) == photos * 4
