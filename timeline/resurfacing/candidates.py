"""The daily pick's candidates, found without reading the whole timeline.

Every memory stores a ceiling (`scoring.ceiling`): the most its closeness, what was said
about it and a date outside today's week can add to its score. The pick walks two indexed
lists from the highest ceiling down: the memories of today's week in earlier years (whose
date may add more, so their ceilings count higher) and all memories. It scores what it
walked exactly, and walks further only while a memory not yet seen could still beat its
shortlist.

The ceiling is worked out when a memory is written, rated, or replied to. A memory whose
ceiling was never worked out keeps the highest possible one: never wrong, only slower."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from uuid import UUID

from tortoise.expressions import Subquery
from tortoise.functions import Count

from timeline.core.calendar import month_days_around
from timeline.models import Connection, Memory, Reply, Suggestion, Timeline
from timeline.resurfacing.scoring import (
    BEYOND_WEEK,
    MIN_AGE,
    RESUGGEST_AFTER,
    WEEK_WINDOW,
    WEIGHTS,
    Habits,
    ceiling,
)


def _eligible(timeline: Timeline, today: date):
    """What SQL can rule out: the trash, vetoes, memories too recent, and those suggested
    in the last 90 days (the best ceilings, walked first every day otherwise)."""
    return Memory.filter(
        timeline=timeline,
        deleted_at=None,
        never_resurface=False,
        occurred_on__lte=today - MIN_AGE,
    ).exclude(
        id__in=Subquery(
            Suggestion.filter(timeline=timeline, local_date__gt=today - RESUGGEST_AFTER).values(
                "memory_id"
            )
        )
    )


async def highest_ceilings(
    timeline: Timeline, today: date, limit: int, after: int, *, this_week: bool
) -> list[tuple[UUID, float]]:
    """(id, ceiling) of the memories ranked `after` to `after + limit` by ceiling: those of
    today's week in earlier years (`this_week`), or all of them."""
    eligible = _eligible(timeline, today)
    if this_week:
        eligible = eligible.filter(
            month_day__in=month_days_around(today, WEEK_WINDOW), year__lt=today.year
        )
    return await (
        # Both descending, as the index (timeline, ceiling, id) reads backwards.
        eligible.order_by("-resurface_ceiling", "-id")
        .offset(after)
        .limit(limit)
        .values_list("id", "resurface_ceiling")
    )


def this_week_ceiling(stored: float) -> float:
    """A stored ceiling raised for a memory of today's week, whose date may resonate fully
    (1.0 instead of BEYOND_WEEK): scaling the whole ceiling up covers it."""
    full = WEIGHTS["mutual_connection"] + WEIGHTS["calendar_resonance"]
    return (
        stored * full / (WEIGHTS["mutual_connection"] + WEIGHTS["calendar_resonance"] * BEYOND_WEEK)
    )


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
    ratings: dict[UUID, list[tuple[int, str]]] = defaultdict(list)
    for memory_id, score, note in await Connection.filter(memory__timeline=timeline).values_list(
        "memory_id", "score", "appreciation"
    ):
        ratings[memory_id].append((score, note))
    replies: Counter[UUID] = Counter(
        dict(
            await Reply.filter(memory__timeline=timeline)
            .group_by("memory_id")
            .annotate(count=Count("id"))
            .values_list("memory_id", "count")
        )
    )
    memories = await Memory.filter(timeline=timeline).only("id", "resurface_ceiling")
    for memory in memories:
        memory.resurface_ceiling = _ceiling_of(ratings.get(memory.id, []), replies[memory.id])
    await Memory.bulk_update(memories, fields=["resurface_ceiling"], batch_size=1000)


def _ceiling_of(rows: list[tuple[int, str]], replies: int) -> float:
    return ceiling([score for score, _ in rows], sum(bool(note) for _, note in rows), replies)
