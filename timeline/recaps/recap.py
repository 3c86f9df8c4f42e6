"""The recap of one relationship year: what the couple kept of it, its most connected
moments, month by month, firsts, places, what each partner wrote, and what they relived.

Counts take every live memory of the year. The highlights (moments, photos, quotes) leave
out what the couple asked never to bring back: a vetoed memory, or one a quiet rule covers
(a yearly quiet period covers the memories inside it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TypeVar
from uuid import UUID

from timeline.core.errors import NotFound
from timeline.memories.browsing import with_details
from timeline.models import Memory, Photo, Timeline, User
from timeline.recaps.cache import Versioned, version_of
from timeline.resurfacing.daily_pick import usual_score
from timeline.resurfacing.quiet import Quiet, quiet_for
from timeline.resurfacing.scoring import Habits, mutual_connection
from timeline.timelines.access import timeline_for
from timeline.timelines.membership import members_of
from timeline.timelines.milestones import YearsSince, milestones_for, reached_within
from timeline.timelines.years import RelationshipYear, relationship_year, year_of

T = TypeVar("T")

MOMENTS = 5
COLLAGE_PHOTOS = 12
QUOTES = 6
PLACES = 8
# Fewer memories than this and the page invites the couple to add some.
THIN = 3


@dataclass(frozen=True)
class Month:
    first_day: date
    count: int
    photo: Photo | None


@dataclass(frozen=True)
class Quote:
    text: str
    author: User
    memory: Memory


@dataclass(frozen=True)
class ThenAndNow:
    then: Memory
    now: Memory


@dataclass(frozen=True)
class Recap:
    timeline: Timeline
    members: list[User]
    year: RelationshipYear
    so_far: bool
    memories: int
    photos: int
    places: list[tuple[str, int]]
    place_count: int
    moments: list[Memory]
    months: list[Month]
    firsts: list[Memory]
    quotes: list[Quote]
    most_answered: Memory | None
    recreated: list[ThenAndNow]
    milestones: list[YearsSince]
    collage: list[Photo]

    @property
    def thin(self) -> bool:
        return self.memories < THIN

    @property
    def title(self) -> str:
        """ "Year 3 · 2025–2026", the year the collage and the page are named for."""
        first, last = self.year.starts_on.year, self.year.ends_on.year
        return f"Year {self.year.number} · {first}–{last}" if first != last else f"Year {first}"


_recaps: Versioned[Recap] = Versioned()


def years_of(timeline: Timeline, today: date) -> list[RelationshipYear]:
    """The couple's relationship years up to the one in progress, newest first; none until
    they set the day they got together."""
    if timeline.together_since is None:
        return []
    current = year_of(timeline.together_since, today)
    return [relationship_year(timeline.together_since, n) for n in range(current, 0, -1)]


def year_for(timeline: Timeline, number: int, today: date) -> RelationshipYear:
    """Year `number` of the timeline if it has begun, else `NotFound`."""
    since = timeline.together_since
    if since is None:
        raise NotFound("Set the day you got together first: your years count from it.")
    if not 1 <= number <= year_of(since, today):
        raise NotFound(f"Year {number} of your story has not begun.")
    return relationship_year(since, number)


async def recap_of(user: User, timeline_id: UUID, number: int, today: date) -> Recap:
    """The recap of year `number` of one of `user`'s timelines, as of `today`."""
    return await recap_for(await timeline_for(user, timeline_id), number, today)


async def recap_for(timeline: Timeline, number: int, today: date) -> Recap:
    """The recap of a timeline already scoped to its caller (a member or a share link):
    built again only when what it is made of changed (see `timeline.recaps.cache`)."""
    year = year_for(timeline, number, today)
    await timeline.fetch_related("memberships__user")
    members = members_of(timeline)
    version = await version_of(timeline, year, members, today)
    recap = _recaps.get((timeline.id, number), version)
    if recap is None:
        recap = await _build(timeline, year, members, today)
        _recaps.put((timeline.id, number), version, recap)
    return recap


async def _build(
    timeline: Timeline, year: RelationshipYear, members: list[User], today: date
) -> Recap:
    memories = await with_details(
        Memory.filter(
            timeline=timeline,
            deleted_at=None,
            occurred_on__gte=year.starts_on,
            occurred_on__lte=year.ends_on,
        ).order_by("occurred_on", "id")
    )
    quiet = await quiet_for(timeline)
    usual = await usual_score([m.id for m in members]) or Habits().usual_score
    closeness = {m.id: _closeness(m, members, usual) for m in memories}
    shown = sorted(
        (m for m in memories if not _silenced(m, quiet)),
        key=lambda m: (-closeness[m.id], -len(m.photos), m.occurred_on),
    )
    places = Counter(m.place.strip() for m in memories if m.place.strip())
    return Recap(
        timeline=timeline,
        members=members,
        year=year,
        so_far=year.in_progress(today),
        memories=len(memories),
        photos=sum(len(m.photos) for m in memories),
        places=places.most_common(PLACES),
        place_count=len(places),
        moments=[m for m in shown if m.connections][:MOMENTS],
        months=_months(year, memories, shown, today),
        firsts=[m for m in memories if m.kind == "first" and not _silenced(m, quiet)],
        quotes=_quotes(shown, members),
        most_answered=max(
            (m for m in shown if m.replies_count), key=lambda m: m.replies_count, default=None
        ),
        recreated=await _recreated(timeline, shown),
        milestones=reached_within(
            await milestones_for(timeline), year.starts_on, min(year.ends_on, today)
        ),
        collage=_best_photos(shown),
    )


def _closeness(memory: Memory, members: list[User], usual: float) -> float:
    """The mutual-connection term of resurfacing: both partners' scores as a product, an
    unrated side estimated."""
    scores = {c.user_id: c.score for c in memory.connections}
    pair = [scores.get(member.id) for member in members[:2]] + [None, None]
    return mutual_connection((pair[0], pair[1]), usual) if memory.connections else 0.0


def _silenced(memory: Memory, quiet: Quiet) -> bool:
    # Judged as if on the memory's own day, so a yearly quiet period covers what is inside it.
    tags = [t.name for t in memory.tags]
    return memory.never_resurface or quiet.silences(memory.occurred_on, tags, memory.occurred_on)


def _months(
    year: RelationshipYear, memories: list[Memory], shown: list[Memory], today: date
) -> list[Month]:
    """Every calendar month the year touches (up to today), its count and its best photo."""
    counts = Counter((m.occurred_on.year, m.occurred_on.month) for m in memories)
    best: dict[tuple[int, int], Photo] = {}
    for memory in shown:
        month = (memory.occurred_on.year, memory.occurred_on.month)
        if memory.photos and month not in best:
            best[month] = _ordered(memory.photos)[0]
    months, day = [], year.starts_on.replace(day=1)
    while day <= min(year.ends_on, today):
        key = (day.year, day.month)
        months.append(Month(day, counts[key], best.get(key)))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def _quotes(shown: list[Memory], members: list[User]) -> list[Quote]:
    """What each partner appreciated in the year's memories, the closest moments first,
    taking turns so that both are heard."""
    by_member: dict[UUID, list[Quote]] = {member.id: [] for member in members}
    names = {member.id: member for member in members}
    for memory in shown:
        for connection in memory.connections:
            if connection.appreciation.strip() and connection.user_id in by_member:
                quote = Quote(connection.appreciation.strip(), names[connection.user_id], memory)
                by_member[connection.user_id].append(quote)
    turns = [quote for round_ in _interleave(list(by_member.values())) for quote in round_]
    return turns[:QUOTES]


def _interleave(lists: list[list[T]]) -> list[list[T]]:
    """Rounds of the lists' first items, then their second items, and so on."""
    longest = max((len(items) for items in lists), default=0)
    return [[items[n] for items in lists if n < len(items)] for n in range(longest)]


async def _recreated(timeline: Timeline, shown: list[Memory]) -> list[ThenAndNow]:
    """The year's memories that recreated an earlier one, beside the original."""
    now = [m for m in shown if m.recreates_id]
    originals = {
        m.id: m
        for m in await with_details(
            Memory.filter(timeline=timeline, id__in=[m.recreates_id for m in now], deleted_at=None)
        )
    }
    pairs = [ThenAndNow(originals[m.recreates_id], m) for m in now if m.recreates_id in originals]
    return sorted(pairs, key=lambda pair: pair.now.occurred_on)


def _best_photos(shown: list[Memory]) -> list[Photo]:
    """Up to COLLAGE_PHOTOS photos of the closest moments: the first photo of each memory in
    turn, then the second ones, so one trip with forty photos does not fill the collage."""
    rounds = _interleave([_ordered(m.photos) for m in shown])
    return [photo for round_ in rounds for photo in round_][:COLLAGE_PHOTOS]


def _ordered(photos: list[Photo]) -> list[Photo]:
    return sorted(photos, key=lambda p: (p.position, p.created_at))
