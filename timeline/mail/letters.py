"""The one letter of a member's day, gathered from everything due that day: an anniversary
or a milestone with its memories, on this day across their timelines, and on the weekly
day the pick; each memory once, with who wrote it and what the partners said about it.
None when there is nothing worth sending: an empty letter is never sent."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from timeline.core.calendar import DAY
from timeline.memories.details import with_details
from timeline.models import (
    EmailPreference,
    Memory,
    Milestone,
    Reply,
    Suggestion,
    Timeline,
    User,
)
from timeline.recaps.recap import recap_for
from timeline.resurfacing.daily_pick import todays_pick
from timeline.resurfacing.on_this_day import YearsAgo, on_this_day_of_many, told_lately
from timeline.resurfacing.quiet import Quiet, quiet_of_many
from timeline.timelines.access import members_of_many, timelines_of_many
from timeline.timelines.milestones import YearsSince, years_since
from timeline.timelines.years import anniversary

# The year's moments an anniversary letter recalls, and a milestone's memories it shows.
ANNIVERSARY_MOMENTS = 3
MILESTONE_MEMORIES = 3
# The latest replies a letter quotes under a memory.
REPLIES_QUOTED = 2


@dataclass(frozen=True)
class Said:
    """Someone's words about a memory: `who` is their first name, or "You" for the reader."""

    who: str
    text: str


@dataclass(frozen=True)
class Voices:
    """Who wrote a memory, what each partner appreciated in it (the other partner first),
    and its latest replies (oldest first)."""

    author: str
    notes: list[Said]
    replies: list[Said]


@dataclass(frozen=True)
class TimelineDay:
    timeline: Timeline
    groups: list[YearsAgo]


@dataclass(frozen=True)
class Pick:
    timeline: Timeline
    suggestion: Suggestion
    memory: Memory


@dataclass(frozen=True)
class Anniversary:
    """A timeline's day to celebrate: `years` together (0 when today is only a milestone's
    anniversary), the completed year's closest moments, the milestones that come round and
    the memories of the headline milestone's day (a wedding letter shows the wedding)."""

    timeline: Timeline
    years: int
    moments: list[Memory] = field(default_factory=list)
    milestones: list[YearsSince] = field(default_factory=list)

    @property
    def headline(self) -> str:
        """What the day is: "7 years together today", or on a milestone's day alone, "4 years
        since your wedding today"."""
        if self.years:
            return f"{self.years} year{'s' if self.years > 1 else ''} together today"
        return f"{self.milestones[0].words} today"

    @property
    def also(self) -> list[YearsSince]:
        """The milestones that come round today besides the one the headline names."""
        return self.milestones if self.years else self.milestones[1:]


@dataclass
class Letter:
    user: User
    local_date: date
    anniversaries: list[Anniversary] = field(default_factory=list)
    days: list[TimelineDay] = field(default_factory=list)
    picks: list[Pick] = field(default_factory=list)
    voices: dict[UUID, Voices] = field(default_factory=dict)

    @property
    def memories(self) -> list[Memory]:
        """Every memory the letter shows, once each, in the order it shows them."""
        shown = [m for a in self.anniversaries for m in a.moments]
        shown += [m for day in self.days for group in day.groups for m in group.memories]
        return shown + [pick.memory for pick in self.picks]

    @property
    def answered_on(self) -> Memory | None:
        """The memory a reply to the letter lands on: the pick, which asks for an answer,
        else the first memory shown."""
        if self.picks:
            return self.picks[0].memory
        return self.memories[0] if self.memories else None

    @property
    def empty(self) -> bool:
        return not (self.anniversaries or self.days or self.picks)


async def letters_for(
    users: list[User], local_date: date, *, now: datetime
) -> dict[UUID, Letter | None]:
    """The letter of each of `users` for their `local_date`, None where it would be empty.
    On this day, asked of everyone every morning, takes a fixed number of queries for them
    all; anniversaries and the weekly pick are gathered for those they concern."""
    wants = await _wants(users)
    timelines = await timelines_of_many(users)
    ids = list({timeline.id for theirs in timelines.values() for timeline in theirs})
    days = await on_this_day_of_many(ids, local_date)
    told = await told_lately([user.id for user in users], local_date)
    celebrating = [
        t for user in users if _want(wants, user).anniversary for t in timelines[user.id]
    ]
    celebrations = await _anniversaries(celebrating, local_date)
    picks: dict[UUID, Pick | None] = {}
    letters: dict[UUID, Letter | None] = {}
    for user in users:
        letter = Letter(user, local_date)
        want = _want(wants, user)
        for timeline in timelines[user.id]:
            # Each memory once in a letter, and not again within a week of the last.
            shown: set[UUID] = set(told[user.id])
            if want.anniversary and celebrations.get(timeline.id):
                _add_anniversary(letter, celebrations[timeline.id], shown)
            if want.weekly and local_date.weekday() == want.weekly_day:
                _add_pick(letter, await _todays(picks, user, timeline, now), shown)
            if want.on_this_day and timeline.id in days:
                _add_day(letter, timeline, days[timeline.id], shown)
        letters[user.id] = None if letter.empty else letter
    sent = [letter for letter in letters.values() if letter is not None]
    await _hear_voices(sent, await members_of_many(ids))
    return letters


def _want(wants: dict[UUID, EmailPreference], user: User) -> EmailPreference:
    return wants.get(user.id) or EmailPreference()


async def _wants(users: list[User]) -> dict[UUID, EmailPreference]:
    """Each member's choices (no row: the defaults)."""
    rows = await EmailPreference.filter(user_id__in=[u.id for u in users])
    return {row.user_id: row for row in rows}


async def _anniversaries(timelines: list[Timeline], today: date) -> dict[UUID, Anniversary]:
    """What each of these timelines celebrates today, worked out once for both partners:
    the years together with the year's closest moments, or a milestone's day with that
    day's memories. Timelines with nothing to celebrate are left out."""
    unique = {timeline.id: timeline for timeline in timelines}
    if not unique:
        return {}
    milestones: dict[UUID, list[Milestone]] = defaultdict(list)
    for milestone in await Milestone.filter(timeline_id__in=list(unique)).order_by(
        "occurred_on", "created_at"
    ):
        milestones[milestone.timeline_id].append(milestone)
    quiet = await quiet_of_many(list(unique))
    found: dict[UUID, Anniversary] = {}
    for timeline in unique.values():
        years = anniversary_years(timeline.together_since, today)
        marked = years_since(milestones[timeline.id], today)
        if years:
            closest = [m.id for m in (await recap_for(timeline, years, today)).moments]
            live = {m.id: m for m in await with_details(Memory.filter(id__in=closest))}
            moments = [live[i] for i in closest[:ANNIVERSARY_MOMENTS] if i in live]
        elif marked:
            day = marked[0].milestone.occurred_on
            moments = await _of_the_day(timeline, day, quiet[timeline.id], today)
        else:
            continue
        found[timeline.id] = Anniversary(timeline, years, moments, marked)
    return found


def _add_anniversary(letter: Letter, celebration: Anniversary, shown: set[UUID]) -> None:
    moments = [m for m in celebration.moments if m.id not in shown]
    shown.update(m.id for m in moments)
    letter.anniversaries.append(
        Anniversary(celebration.timeline, celebration.years, moments, celebration.milestones)
    )


async def _of_the_day(timeline: Timeline, day: date, quiet: Quiet, today: date) -> list[Memory]:
    """The memories of a milestone's day that may come back (known to the day, not in the
    trash, vetoed or silenced by a quiet rule), those with photos first."""
    memories = await with_details(
        Memory.filter(
            timeline=timeline,
            occurred_on=day,
            date_precision=DAY,
            deleted_at=None,
            never_resurface=False,
        ).order_by("created_at")
    )
    memories = [
        m for m in memories if not quiet.silences(m.occurred_on, [t.name for t in m.tags], today)
    ]
    memories.sort(key=lambda m: not m.photos)
    return memories[:MILESTONE_MEMORIES]


async def _todays(
    picks: dict[UUID, Pick | None], user: User, timeline: Timeline, now: datetime
) -> Pick | None:
    """The timeline's pick a letter may ask about today, looked up once for both partners:
    None when there is none, it was answered already (on the home page) or its memory went
    to the trash since."""
    if timeline.id not in picks:
        suggestion = await todays_pick(user, timeline.id, now=now)
        pick = None
        if suggestion is not None and suggestion.action is None:
            (memory,) = await with_details(Memory.filter(id=suggestion.memory_id))
            if memory.deleted_at is None and not memory.never_resurface:
                pick = Pick(timeline, suggestion, memory)
        picks[timeline.id] = pick
    return picks[timeline.id]


def _add_pick(letter: Letter, pick: Pick | None, shown: set[UUID]) -> None:
    # The pick is the couple's for the day: a letter that showed it lately does not show it
    # again, and no other memory stands in for it.
    if pick is None or pick.memory.id in shown:
        return
    shown.add(pick.memory.id)
    letter.picks.append(pick)


def _add_day(letter: Letter, timeline: Timeline, groups: list[YearsAgo], left_out: set) -> None:
    kept = [YearsAgo(g.years, [m for m in g.memories if m.id not in left_out]) for g in groups]
    kept = [group for group in kept if group.memories]
    if kept:
        letter.days.append(TimelineDay(timeline, kept))


async def _hear_voices(letters: list[Letter], people: dict[UUID, User]) -> None:
    """Fill each letter's voices: who wrote each memory, the partners' notes and the latest
    replies, named for the reader. Two queries for all the letters."""
    memories = {m.id: m for letter in letters for m in letter.memories}
    replies: dict[UUID, list[Reply]] = defaultdict(list)
    for reply in await Reply.filter(memory_id__in=list(memories)).order_by("created_at"):
        replies[reply.memory_id].append(reply)
    for letter in letters:
        reader = letter.user.id

        def name(user_id: UUID | None, reader: UUID = reader) -> str:
            if user_id == reader:
                return "You"
            person = people.get(user_id) if user_id else None
            return first_name(person.display_name) if person else "Your partner"

        for memory in letter.memories:
            notes = sorted(
                (c for c in memory.connections if c.appreciation.strip()),
                key=lambda c: c.user_id == reader,
            )
            letter.voices[memory.id] = Voices(
                author=name(memory.author_id),
                notes=[Said(name(c.user_id), c.appreciation.strip()) for c in notes],
                replies=[
                    Said(name(r.author_id), r.text.strip())
                    for r in replies[memory.id][-REPLIES_QUOTED:]
                ],
            )


def first_name(display_name: str) -> str:
    """How a letter calls someone: the first word of their name ("Zoë" of "Zoë Ångström")."""
    words = display_name.split()
    return words[0] if words else display_name


def anniversary_years(since: date | None, today: date) -> int:
    """How many years together `today` completes, or 0 when it is no anniversary (see
    `timeline.years`: a 29 February couple celebrates on 28 February in common years)."""
    if since is None or today.year <= since.year:
        return 0
    years = today.year - since.year
    return years if anniversary(since, years) == today else 0
