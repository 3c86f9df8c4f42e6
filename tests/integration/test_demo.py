"""`remember-when demo` tells Ana and Sam's story since 2019, made through the real pipeline."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

from PIL import Image

from media.signing import UrlSigner
from media.storage import FileStorage
from server.commands.demo import ANA, STORY, TOGETHER_SINCE, create_demo, day_of
from server.commands.demo_scenes import SETTINGS, Scene, paint
from timeline.models import (
    Connection,
    Memory,
    MemoryTag,
    Milestone,
    Photo,
    Reply,
    Suggestion,
    Timeline,
    User,
)
from timeline.timelines.years import year_of

NOW = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)


async def test_the_demo_couple_has_a_story_from_their_first_date_to_this_week(db, tmp_path):
    storage = FileStorage(tmp_path / "media", signer=UrlSigner(b"k"))

    first = await create_demo(storage, now=NOW)
    again = await create_demo(storage, now=NOW)

    assert (first.created, again.created) == (True, False)
    assert await User.filter(email=ANA).count() == 1
    timeline = await Timeline.get(memberships__user__email=ANA)
    assert timeline.together_since == TOGETHER_SINCE
    memories = await Memory.filter(timeline=timeline).order_by("occurred_on")
    assert 45 <= len(memories) <= 70
    assert memories[0].occurred_on == date(2019, 6, 12)
    assert memories[-1].occurred_on <= NOW.date()
    assert any(NOW.date() - m.occurred_on <= timedelta(days=7) for m in memories)

    # Every relationship year has a story; the one just begun has begun.
    per_year = Counter(year_of(TOGETHER_SINCE, m.occurred_on) for m in memories)
    current = year_of(TOGETHER_SINCE, NOW.date())
    assert all(per_year[year] >= 5 for year in range(1, current)), per_year
    assert per_year[current] >= 1

    # Nothing repeats: each memory, and each first, is told once.
    titles = [m.title for m in memories]
    assert len(set(titles)) == len(titles)
    firsts = [m.title for m in memories if m.kind == "first"]
    assert len(firsts) >= 5
    assert len({m.place for m in memories}) >= 25
    assert set(Memory.KINDS) - {m.kind for m in memories} == set()
    assert {m.date_precision for m in memories} == {"day", "month", "year"}

    # Both voices: each partner's own words for most memories, written for that memory.
    by_memory: dict = defaultdict(dict)
    for connection in await Connection.filter(memory__timeline=timeline).prefetch_related("user"):
        by_memory[connection.memory_id][connection.user.email] = connection.appreciation
    both = [felt for felt in by_memory.values() if len(felt) == 2 and all(felt.values())]
    assert len(both) >= 0.8 * len(memories)
    words = [text for felt in by_memory.values() for text in felt.values()]
    assert len(set(words)) == len(words)

    # Replies that converse: both of them answer within one memory.
    replies = await Reply.filter(memory__timeline=timeline)
    assert len(replies) >= 15
    voices: dict = defaultdict(set)
    for reply in replies:
        voices[reply.memory_id].add(reply.author_id)
    assert sum(len(authors) == 2 for authors in voices.values()) >= 5

    # A hard memory carries a tag a quiet rule can silence.
    assert await MemoryTag.filter(memory__timeline=timeline, name="hard days").exists()

    milestones = {m.kind: m for m in await Milestone.filter(timeline=timeline)}
    assert milestones["first_date"].occurred_on == date(2019, 6, 12)
    assert milestones["wedding"].occurred_on == date(2023, 9, 16)
    assert milestones["custom"].label == "Moved to Porto"

    # Recreations, linked as the daily pick links them, each with photos then and now.
    recreations = [m for m in memories if m.recreates_id]
    assert len(recreations) >= 2
    assert await Suggestion.filter(timeline=timeline, action="done").count() == len(recreations)
    for recreation in recreations:
        assert await Photo.filter(memory_id=recreation.id).exists()
        assert await Photo.filter(memory_id=recreation.recreates_id).exists()

    # "On this day" has something to show, two and four years back.
    for years in (2, 4):
        day = NOW.date().replace(year=NOW.year - years)
        on_the_day = [m for m in memories if m.occurred_on == day and m.date_precision == "day"]
        assert on_the_day, years
        assert await Photo.filter(memory_id=on_the_day[0].id).exists()

    photos = await Photo.filter(timeline=timeline).count()
    assert photos >= 40
    assert len(await storage.keys("photos")) == photos * 4
    shapes = {(p.width > p.height, p.width * 9 == p.height * 16) for p in await Photo.all()}
    assert len(shapes) == 3


def test_the_story_never_runs_past_the_day_it_is_told():
    for now in (datetime(2025, 3, 1, tzinfo=UTC), NOW, datetime(2026, 11, 28, tzinfo=UTC)):
        days = [day for moment in STORY if (day := day_of(moment, now))]
        assert max(days) < now.date()
        assert min(days) == TOGETHER_SINCE


def test_every_setting_paints_the_same_scene_from_the_same_seed():
    for n, setting in enumerate(SETTINGS):
        scene = Scene(setting, light=("dawn", "day", "dusk", "night")[n % 4], shape="portrait")
        picture = paint(scene, n)
        assert picture == paint(scene, n)
        assert Image.open(io.BytesIO(picture)).size == (960, 1280)
