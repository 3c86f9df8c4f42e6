"""The recap of one relationship year: what the couple kept of it, its most connected
moments, month by month, firsts, places, what each partner wrote, and what they relived.

Counts take every live memory of the year. The highlights (moments, photos, quotes) leave
out what the couple asked never to bring back: a vetoed memory, or one a quiet rule covers
(a yearly quiet period covers the memories inside it).

A couple's years are counted from the day they got together, but their recaps begin with
their first memory: the years before it are neither listed nor shown. A year with fewer
than THIN memories is "still being written": shown to the couple, not yet shared. A memory
known only to its month or year is placed in that month or year, never on a day."""

from __future__ import annotations

from calendar import isleap
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar
from uuid import UUID

from timeline.core.calendar import MONTH, YEAR, in_year
from timeline.core.errors import NotFound
from timeline.core.sql import Query, as_date
from timeline.core.versioned import Versioned
from timeline.memories.details import with_details
from timeline.models import Memory, Photo, Timeline, User
from timeline.recaps.cache import version_of
from timeline.resurfacing.daily_pick import usual_score
from timeline.resurfacing.quiet import Quiet, quiet_for
from timeline.resurfacing.scoring import Habits, stated_closeness
from timeline.timelines.access import timeline_for
from timeline.timelines.membership import members_of
from timeline.timelines.milestones import YearsSince, milestones_for, reached_within
from timeline.timelines.years import RelationshipYear, relationship_year, year_of

T = TypeVar("T")

MOMENTS = 5
COLLAGE_PHOTOS = 12
QUOTES = 6
PLACES = 8
# Fewer memories than this and the year is still being written: the page invites the
# couple to add some, and it cannot be shared yet.
THIN = 3
# Replies a memory needs before it is "the memory you talked about most".
TALKED_ABOUT = 3


@dataclass(frozen=True)
class Month:
    """A month of the year that holds memories, or (precision YEAR) the memories known only
    to their calendar year, "sometime in 2025"."""

    first_day: date
    count: int
    photo: Photo | None
    precision: str = MONTH


@dataclass(frozen=True)
class YearOfUs:
    """A relationship year as the couple's list of years shows it: how many memories it
    holds, and whether it is still being written (too few to share)."""

    year: RelationshipYear
    memories: int

    @property
    def thin(self) -> bool:
        return self.memories < THIN

    def in_progress(self, today: date) -> bool:
        return self.year.in_progress(today)


class BeforeTheStory:
    """Why a year that has begun has no recap: it comes before the couple's first memory.
    Raised as the `NotFound` that `before_the_story` makes (the web layer maps exact error
    types to status codes), carried on it as `.story`."""

    def __init__(self, number: int, first: int | None) -> None:
        self.number = number
        # The year the couple's story begins with; None while they have no memory at all.
        self.first = first

    @property
    def words(self) -> str:
        if self.first is None:
            return "Your years fill in as you add memories: add a first one."
        return (
            f"Year {self.number} came before your first memory: "
            f"your story begins in year {self.first}."
        )


def before_the_story(number: int, first: int | None) -> NotFound:
    """The `NotFound` for year `number`, which comes before the year `first` of the couple's
    first memory; its `.story` says so."""
    story = BeforeTheStory(number, first)
    error = NotFound(story.words)
    error.story = story  # type: ignore[attr-defined]
    return error


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
    # Every word the partners appreciated this year, each said once, closest moments first.
    said: list[Quote]
    most_answered: Memory | None
    recreated: list[ThenAndNow]
    milestones: list[YearsSince]
    collage: list[Photo]

    @property
    def thin(self) -> bool:
        return self.memories < THIN

    @property
    def story(self) -> list[Memory]:
        """The closest moments told in the order they happened (`moments` is closest first)."""
        return sorted(self.moments, key=lambda m: m.occurred_on)

    def words_about(self, memory: Memory) -> list[Quote]:
        """What the partners appreciated in `memory`, each in their own name."""
        return [quote for quote in self.said if quote.memory.id == memory.id]

    @property
    def other_quotes(self) -> list[Quote]:
        """The partners' words about memories other than the closest moments (which the
        story shows with their words), in turns."""
        story = {memory.id for memory in self.moments}
        return _in_turns([q for q in self.said if q.memory.id not in story], self.members)

    @property
    def shareable(self) -> bool:
        """Enough of a story to show family: at least THIN memories."""
        return not self.thin

    @property
    def title(self) -> str:
        """ "Year 3 · 2025–2026", the year the collage and the page are named for."""
        first, last = self.year.starts_on.year, self.year.ends_on.year
        return f"Year {self.year.number} · {first}–{last}" if first != last else f"Year {first}"


_recaps: Versioned[Recap] = Versioned()


def years_of(timeline: Timeline, today: date) -> list[RelationshipYear]:
    """Every relationship year begun, up to the one in progress, newest first; none until
    they set the day they got together. Lists of years a couple sees take `our_years`,
    which begins with their first memory."""
    if timeline.together_since is None:
        return []
    current = year_of(timeline.together_since, today)
    return [relationship_year(timeline.together_since, n) for n in range(current, 0, -1)]


async def our_years(timeline: Timeline, today: date) -> list[YearOfUs]:
    """The years the couple has a recap for, newest first: from the year of their first
    memory (year 1 if it came before they got together) to the one in progress, each with
    how many memories it holds. None without a memory, or without the day they got
    together. Counted once per revision of the timeline."""
    since = timeline.together_since
    if since is None:
        return []
    counted = _years_counted.get(timeline.id, (timeline.revision, since))
    if counted is None:
        counted = await _memories_per_year(timeline, since)
        _years_counted.put(timeline.id, (timeline.revision, since), counted)
    counts, first_day = counted
    if first_day is None:
        return []
    current = year_of(since, today)
    first = max(1, year_of(since, first_day))
    return [YearOfUs(relationship_year(since, n), counts[n]) for n in range(current, first - 1, -1)]


# Per timeline: memories per relationship year, and the day of the first memory.
_years_counted: Versioned[tuple[Counter[int], date | None]] = Versioned(kept=1024)


async def _memories_per_year(timeline: Timeline, since: date) -> tuple[Counter[int], date | None]:
    """One row per calendar year and side of the anniversary (two for a couple together
    since 29 February, whose anniversary moves in leap years), not one per memory."""
    query = Query()
    month_day = "substr(occurred_on, 6, 5)" if query.sqlite else "to_char(occurred_on, 'MM-DD')"
    common, leap = (f"{in_year(since, year):%m-%d}" for year in (2023, 2024))
    rows = await query.rows(
        f"SELECT year, {month_day} >= {query.param(common)} AS after_common, "
        f"{month_day} >= {query.param(leap)} AS after_leap, "
        "COUNT(*) AS memories, MIN(occurred_on) AS first_day FROM memory "
        f"WHERE timeline_id = {query.param(timeline.id)} AND deleted_at IS NULL "
        "GROUP BY 1, 2, 3"
    )
    counts: Counter[int] = Counter()
    for row in rows:
        after = row["after_leap"] if isleap(row["year"]) else row["after_common"]
        counts[max(0, row["year"] - since.year + (1 if after else 0))] += row["memories"]
    days = [as_date(row["first_day"]) for row in rows]
    return counts, min(days, default=None)


async def first_year(timeline: Timeline) -> int | None:
    """The year the couple's story begins with: that of their first memory (year 1 if it
    came before they got together); None without a memory or an anniversary."""
    since = timeline.together_since
    first = (
        await Memory.filter(timeline=timeline, deleted_at=None)
        .order_by("occurred_on")
        .first()
        .values_list("occurred_on", flat=True)
    )
    if since is None or first is None:
        return None
    return max(1, year_of(since, first))


def year_for(timeline: Timeline, number: int, today: date) -> RelationshipYear:
    """Year `number` of the timeline if it has begun, else `NotFound`."""
    since = timeline.together_since
    if since is None:
        raise NotFound("Set the day you got together first: your years count from it.")
    if not 1 <= number <= year_of(since, today):
        raise NotFound(f"Year {number} of your story has not begun.")
    return relationship_year(since, number)


async def recap_of(user: User, timeline_id: UUID, number: int, today: date) -> Recap:
    """The recap of year `number` of one of `user`'s timelines, as of `today`; `NotFound`
    before the year begins, `BeforeTheStory` before their first memory."""
    timeline = await timeline_for(user, timeline_id)
    await require_story(timeline, number, today)
    return await recap_for(timeline, number, today)


async def require_story(timeline: Timeline, number: int, today: date) -> None:
    """Nothing when year `number` has begun and does not come before the couple's first
    memory; else `NotFound` (not begun) or `BeforeTheStory`."""
    year_for(timeline, number, today)
    first = await first_year(timeline)
    if first is None or number < first:
        raise before_the_story(number, first)


async def recap_for(timeline: Timeline, number: int, today: date) -> Recap:
    """The recap of a timeline already scoped to its caller (a member, a share link or a
    letter): built again only when what it is made of changed (see
    `timeline.recaps.cache`). Pages ask `require_story` first."""
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
    said = _said(shown, members)
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
        months=_months(memories, shown),
        firsts=_firsts(m for m in memories if m.kind == "first" and not _silenced(m, quiet)),
        quotes=_in_turns(said, members),
        said=said,
        most_answered=max(
            (m for m in shown if m.replies_count >= TALKED_ABOUT),
            key=lambda m: m.replies_count,
            default=None,
        ),
        recreated=await _recreated(timeline, shown),
        milestones=reached_within(
            await milestones_for(timeline), year.starts_on, min(year.ends_on, today)
        ),
        collage=_best_photos(shown),
    )


def _closeness(memory: Memory, members: list[User], usual: float) -> float:
    """Both partners' scores as a product, an unrated side estimated and counted less."""
    scores = {c.user_id: c.score for c in memory.connections}
    pair = [scores.get(member.id) for member in members[:2]] + [None, None]
    return stated_closeness((pair[0], pair[1]), usual) if memory.connections else 0.0


def _silenced(memory: Memory, quiet: Quiet) -> bool:
    # Judged as if on the memory's own day, so a yearly quiet period covers what is inside it.
    tags = [t.name for t in memory.tags]
    return memory.never_resurface or quiet.silences(memory.occurred_on, tags, memory.occurred_on)


def _months(memories: list[Memory], shown: list[Memory]) -> list[Month]:
    """The months that hold memories, in order, each with its count and its best photo;
    then the memories known only to their year, as "sometime in" that year."""

    def when(memory: Memory) -> tuple[date, str]:
        day, precision = memory.occurred_on, memory.date_precision
        if precision == YEAR:
            return date(day.year, 1, 1), YEAR
        return date(day.year, day.month, 1), MONTH

    counts = Counter(when(m) for m in memories)
    best: dict[tuple[date, str], Photo] = {}
    for memory in shown:
        if memory.photos and when(memory) not in best:
            best[when(memory)] = _ordered(memory.photos)[0]
    # Months first, in order; a year known only as a year after them ("sometime in 2025").
    keys = sorted(counts, key=lambda key: (key[1] == YEAR, key[0]))
    return [
        Month(day, counts[day, precision], best.get((day, precision)), precision)
        for day, precision in keys
    ]


def _same(text: str) -> str:
    """Text as compared for duplicates: case and spacing aside."""
    return " ".join(text.split()).casefold()


def _firsts(memories: Iterable[Memory]) -> list[Memory]:
    """The year's firsts in date order, each told once: a first kept twice (or seven times)
    under the same title is the earliest of them."""
    seen: set[str] = set()
    firsts = []
    for memory in memories:
        if _same(memory.title) not in seen:
            seen.add(_same(memory.title))
            firsts.append(memory)
    return firsts


def _said(shown: list[Memory], members: list[User]) -> list[Quote]:
    """What the partners appreciated in the year's memories, the closest moments first, each
    memory's words in the members' order; words said before (case and spacing aside) are
    not repeated."""
    names = {member.id: member for member in members}
    order = {member.id: n for n, member in enumerate(members)}
    said: list[Quote] = []
    seen: set[str] = set()
    for memory in shown:
        for connection in sorted(memory.connections, key=lambda c: order.get(c.user_id, 99)):
            text = connection.appreciation.strip()
            if text and connection.user_id in names and _same(text) not in seen:
                seen.add(_same(text))
                said.append(Quote(text, names[connection.user_id], memory))
    return said


def _in_turns(quotes: list[Quote], members: list[User]) -> list[Quote]:
    """At most QUOTES of `quotes`, each partner in turn so that both are heard."""
    by_member = [[q for q in quotes if q.author.id == member.id] for member in members]
    return [quote for round_ in _interleave(by_member) for quote in round_][:QUOTES]


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
