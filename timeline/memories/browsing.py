"""Browsing a timeline: pages of memories by keyset, filters, the year index, and search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from timeline.core.errors import InvalidInput
from timeline.core.tags import MAX_TAG, tag_name
from timeline.core.versioned import Versioned
from timeline.memories.details import MemoryRow, with_details
from timeline.memories.search import query_terms, ranked_ids
from timeline.models import Connection, Memory, Photo, Timeline, User
from timeline.timelines.access import scoped

# Search answers the best matches rather than pages of them.
SEARCH_RESULTS = 50


@dataclass(frozen=True)
class Filters:
    """What a timeline is narrowed to; every field combines with the others."""

    year: int | None = None
    tag: str | None = None
    kind: str | None = None
    author: UUID | None = None
    connected: bool = False
    with_photos: bool = False
    q: str | None = None


@dataclass(frozen=True)
class Page:
    memories: list[MemoryRow]
    # The (date, id) of the last memory when more follow: where the next page starts.
    next_key: tuple[date, UUID] | None


async def browse(
    timeline: Timeline,
    filters: Filters,
    *,
    limit: int,
    after: tuple[date, UUID] | None = None,
) -> Page:
    """A page of memories, newest first, continuing after the key of the last one seen: a
    keyset, so page 400 costs what page 1 does. With a query, the best matches instead.
    `timeline` comes from `timeline_for`, which checked the caller belongs to it."""
    query = await _filtered(timeline, filters)
    terms = query_terms(filters.q or "")
    if terms:
        order = await ranked_ids(timeline.id, terms, SEARCH_RESULTS)
        found = await with_details(query.filter(id__in=order))
        rank = {memory_id: n for n, memory_id in enumerate(order)}
        return Page(sorted(found, key=lambda m: rank[m.id])[:limit], next_key=None)
    if after is not None:
        query = query.filter(Q(occurred_on__lt=after[0]) | Q(occurred_on=after[0], id__lt=after[1]))
    memories = await with_details(query.order_by("-occurred_on", "-id").limit(limit + 1))
    more = len(memories) > limit
    memories = memories[:limit]
    return Page(memories, (memories[-1].occurred_on, memories[-1].id) if more else None)


async def year_index(timeline: Timeline) -> list[tuple[int, int]]:
    """(year, number of memories) for every year that has some, newest first; counted once
    per revision of the timeline."""
    years = _year_indexes.get(timeline.id, timeline.revision)
    if years is None:
        rows = (
            await Memory.filter(timeline=timeline, deleted_at=None)
            .group_by("year")
            # Counting the year column (never null) keeps the query inside its covering index.
            .annotate(count=Count("year"))
            .order_by("-year")
            .values_list("year", "count")
        )
        years = [(year, count) for year, count in rows]
        _year_indexes.put(timeline.id, timeline.revision, years)
    return years


_year_indexes: Versioned[list[tuple[int, int]]] = Versioned(kept=1024)


async def _filtered(timeline: Timeline, filters: Filters) -> QuerySet[Memory]:
    query = Memory.filter(timeline=timeline, deleted_at=None)
    if filters.year is not None:
        query = query.filter(year=filters.year)
    if filters.tag:
        tag = tag_name(filters.tag)
        if len(tag) > MAX_TAG:
            raise InvalidInput(f"Tags are at most {MAX_TAG} characters.", field="tag")
        query = query.filter(tags__name=tag)
    if filters.kind:
        if filters.kind not in Memory.KINDS:
            kinds = ", ".join(Memory.KINDS)
            raise InvalidInput(f"Filter by one of the kinds {kinds}.", field="kind")
        query = query.filter(kind=filters.kind)
    if filters.author:
        query = query.filter(author_id=filters.author)
    if filters.with_photos:
        with_photos = Photo.filter(timeline=timeline).values("memory_id")
        query = query.filter(id__in=Subquery(with_photos))
    if filters.connected:
        # Two queries: Tortoise 1.1.9 loses the parameters of a grouped Subquery.
        close = (
            await Connection.filter(score__gte=4, memory__timeline=timeline)
            .group_by("memory_id")
            .annotate(partners=Count("id"))
            .filter(partners__gte=2)
            .values_list("memory_id", flat=True)
        )
        query = query.filter(id__in=close)
    return query


async def recreations_of(user: User, memory_id: UUID) -> list[Memory]:
    """The memories of `user`'s timelines, not in the trash, that recreate this one."""
    return await scoped(Memory, user).filter(recreates_id=memory_id, deleted_at=None)
