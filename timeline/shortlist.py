"""The daily pick's candidates, found without reading the whole timeline.

Every memory stores a ceiling (`resurfacing.ceiling`): the most its closeness, what was said
about it and a date outside today's week can add to its score. Two indexed lookups give the
candidates: the memories of today's week in earlier years (their date may add more than the
ceiling allows), and memories from the highest ceiling down. The pick scores them exactly
and walks further down only while a memory not yet seen could still beat its shortlist.

The ceiling is worked out when a memory is written, rated, or replied to. A memory whose
ceiling was never worked out keeps the highest possible one: never wrong, only slower."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from uuid import UUID

from tortoise.functions import Count

from timeline.models import Connection, Memory, Reply, Timeline
from timeline.resurfacing import MIN_AGE, WEEK_WINDOW, WEIGHTS, Habits, ceiling


def _eligible(timeline: Timeline, today: date):
    """What SQL can rule out for good: the trash, vetoes, memories too recent."""
    return Memory.filter(
        timeline=timeline,
        deleted_at=None,
        never_resurface=False,
        occurred_on__lte=today - MIN_AGE,
    )


async def this_week_in_earlier_years(timeline: Timeline, today: date) -> list[UUID]:
    """Memories dated within WEEK_WINDOW days of today's month and day in an earlier year."""
    return await (
        _eligible(timeline, today)
        .filter(month_day__in=week_month_days(today), year__lt=today.year)
        .values_list("id", flat=True)
    )


def week_month_days(today: date) -> list[int]:
    """The month_day values within WEEK_WINDOW days of `today` (29 February with the 28th)."""
    days = {
        (d.month, d.day)
        for n in range(-WEEK_WINDOW, WEEK_WINDOW + 1)
        for d in [today + timedelta(days=n)]
    }
    if (2, 28) in days:
        days.add((2, 29))
    return sorted(month * 100 + day for month, day in days)


async def highest_ceilings(
    timeline: Timeline, today: date, limit: int, after: int
) -> list[tuple[UUID, float]]:
    """(id, ceiling) of the memories ranked `after` to `after + limit` by ceiling."""
    rows = (
        await _eligible(timeline, today)
        .order_by("-resurface_ceiling", "id")
        .offset(after)
        .limit(limit)
        .values_list("id", "resurface_ceiling")
    )
    return [(UUID(str(memory_id)), bound) for memory_id, bound in rows]


def beyond_ceiling(taught: Habits) -> float:
    """What the terms a ceiling leaves out may add at most: nostalgia and freshness at their
    full weight, and the couple's habits at their warmest."""
    warmest = max([0.0, *taught.kinds.values()]) + max([0.0, *taught.tags.values()])
    return WEIGHTS["nostalgia"] + WEIGHTS["freshness"] + WEIGHTS["habits"] * min(1.0, warmest)


async def refresh_ceiling(memory_id: UUID) -> None:
    """Work the memory's ceiling out again after a rating, a note or a reply."""
    rows = await Connection.filter(memory_id=memory_id).values_list("score", "appreciation")
    replies = await Reply.filter(memory_id=memory_id).count()
    await Memory.filter(id=memory_id).update(resurface_ceiling=_ceiling_of(rows, replies))


async def refresh_ceilings(timeline: Timeline) -> None:
    """Work out the ceiling of every memory of `timeline` (after a bulk import)."""
    ratings: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for memory_id, score, note in await Connection.filter(memory__timeline=timeline).values_list(
        "memory_id", "score", "appreciation"
    ):
        ratings[str(memory_id)].append((score, note))
    replies: Counter[str] = Counter(
        {
            str(memory_id): count
            for memory_id, count in await Reply.filter(memory__timeline=timeline)
            .group_by("memory_id")
            .annotate(count=Count("id"))
            .values_list("memory_id", "count")
        }
    )
    memories = await Memory.filter(timeline=timeline).only("id", "resurface_ceiling")
    for memory in memories:
        key = str(memory.id)
        memory.resurface_ceiling = _ceiling_of(ratings.get(key, []), replies[key])
    await Memory.bulk_update(memories, fields=["resurface_ceiling"], batch_size=1000)


def _ceiling_of(rows: list[tuple[int, str]], replies: int) -> float:
    return ceiling([score for score, _ in rows], sum(bool(note) for _, note in rows), replies)
