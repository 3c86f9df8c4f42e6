"""What each e-mail says, gathered for one member and one local day: on this day across
their timelines, the weekly pick, the anniversary with the year's most connected moments.
None when there is nothing worth sending (no memory of the day left after quiet rules and
vetoes, no pick): an empty e-mail is never sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from timeline.mail.deliveries import ANNIVERSARY, ON_THIS_DAY, WEEKLY
from timeline.memories.browsing import with_details
from timeline.models import Memory, Suggestion, Timeline, User
from timeline.recaps.recap import recap_for
from timeline.resurfacing.daily_pick import todays_pick
from timeline.resurfacing.on_this_day import YearsAgo, on_this_day_of_many
from timeline.timelines.access import member_timelines, timelines_of_many
from timeline.timelines.milestones import YearsSince, milestones_for, years_since
from timeline.timelines.years import anniversary

# The year's moments an anniversary e-mail recalls.
ANNIVERSARY_MOMENTS = 3


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
    anniversary), the completed year's closest moments, the milestones that come round."""

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


@dataclass(frozen=True)
class Letter:
    user: User
    kind: str
    local_date: date
    days: list[TimelineDay] = field(default_factory=list)
    picks: list[Pick] = field(default_factory=list)
    anniversaries: list[Anniversary] = field(default_factory=list)

    @property
    def memories(self) -> list[Memory]:
        """Every memory the letter shows, in the order it shows them."""
        shown = [m for day in self.days for group in day.groups for m in group.memories]
        shown += [pick.memory for pick in self.picks]
        return shown + [m for a in self.anniversaries for m in a.moments]


async def letters_for(
    users: list[User], kind: str, local_date: date, *, now: datetime
) -> dict[UUID, Letter | None]:
    """The letter of `kind` for each of `users` on their `local_date`, None where it would
    be empty. On this day, sent to everyone every morning, takes a fixed number of queries
    for them all; the weekly and anniversary letters are gathered member by member."""
    if kind != ON_THIS_DAY:
        return {user.id: await _letter(user, kind, local_date, now) for user in users}
    timelines = await timelines_of_many(users)
    ids = list({timeline.id for theirs in timelines.values() for timeline in theirs})
    groups = await on_this_day_of_many(ids, local_date)
    days = {
        user_id: [TimelineDay(t, groups[t.id]) for t in theirs if t.id in groups]
        for user_id, theirs in timelines.items()
    }
    return {
        user.id: Letter(user, kind, local_date, days=days[user.id]) if days[user.id] else None
        for user in users
    }


async def _letter(user: User, kind: str, local_date: date, now: datetime) -> Letter | None:
    timelines = await member_timelines(user).order_by("created_at")
    letter = Letter(user, kind, local_date)
    for timeline in timelines:
        if kind == WEEKLY:
            suggestion = await todays_pick(user, timeline.id, now=now)
            if suggestion is not None:
                (memory,) = await with_details(Memory.filter(id=suggestion.memory_id))
                letter.picks.append(Pick(timeline, suggestion, memory))
        elif kind == ANNIVERSARY:
            years = anniversary_years(timeline.together_since, local_date)
            marked = years_since(await milestones_for(timeline), local_date)
            if years or marked:
                moments = (
                    (await recap_for(timeline, years, local_date)).moments[:ANNIVERSARY_MOMENTS]
                    if years
                    else []
                )
                letter.anniversaries.append(Anniversary(timeline, years, moments, marked))
    return letter if letter.picks or letter.anniversaries else None


def anniversary_years(since: date | None, today: date) -> int:
    """How many years together `today` completes, or 0 when it is no anniversary (see
    `timeline.years`: a 29 February couple celebrates on 28 February in common years)."""
    if since is None or today.year <= since.year:
        return 0
    years = today.year - since.year
    return years if anniversary(since, years) == today else 0
