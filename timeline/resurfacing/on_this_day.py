"""On this day: memories from this calendar day in earlier years, grouped by years ago.

Only memories whose day is known count: one dated "June 2019" or "2019" never claims a day.
A memory of 29 February comes back on 28 February in years that have no 29th. What the
couple vetoed or silenced with a quiet rule stays away here too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from timeline.core.calendar import month_days_for
from timeline.core.versioned import Versioned
from timeline.memories.details import with_details
from timeline.models import Delivery, Memory, Timeline
from timeline.resurfacing.quiet import quiet_of_many

# A memory a letter told is not the pick, nor in another letter, within this many days.
TOLD_LATELY_DAYS = 7


@dataclass(frozen=True)
class YearsAgo:
    years: int
    memories: list[Memory]


async def on_this_day(timeline: Timeline, day: date) -> list[YearsAgo]:
    """Live memories of `timeline` from `day`'s month and day in earlier years, the most
    recent year first. `timeline` comes from `timeline_for`. Found once per day and
    revision of the timeline (the home page asks on every view); what is kept is shared,
    never changed."""
    found = _kept.get((timeline.id, day), timeline.revision)
    if found is None:
        found = (await on_this_day_of_many([timeline.id], day)).get(timeline.id, [])
        _kept.put((timeline.id, day), timeline.revision, found)
    return found


_kept: Versioned[list[YearsAgo]] = Versioned(kept=1024)


async def on_this_day_of_many(timeline_ids: list[UUID], day: date) -> dict[UUID, list[YearsAgo]]:
    """`on_this_day` for many timelines in a fixed number of queries (for the e-mails of a
    whole time zone); timelines with nothing to show are left out."""
    memories = await with_details(
        Memory.filter(
            timeline_id__in=timeline_ids,
            deleted_at=None,
            month_day__in=month_days_for(day),
            year__lt=day.year,
            never_resurface=False,
        ).order_by("-occurred_on", "-id")
    )
    quiet = await quiet_of_many(timeline_ids)
    groups: dict[UUID, list[YearsAgo]] = {}
    for memory in memories:
        timeline_id = memory.timeline_id
        if quiet[timeline_id].silences(memory.occurred_on, [t.name for t in memory.tags], day):
            continue
        years = day.year - memory.year
        timeline_groups = groups.setdefault(timeline_id, [])
        if not timeline_groups or timeline_groups[-1].years != years:
            timeline_groups.append(YearsAgo(years, []))
        timeline_groups[-1].memories.append(memory)
    return groups


async def told_lately(member_ids: list[UUID], today: date) -> dict[UUID, set[UUID]]:
    """The memories each of `member_ids` was sent in a letter in the last TOLD_LATELY_DAYS
    days (on this day, an anniversary, the weekly pick), by member."""
    rows = await Delivery.filter(
        user_id__in=member_ids,
        status=Delivery.SENT,
        local_date__gte=today - timedelta(days=TOLD_LATELY_DAYS),
        local_date__lt=today,
    ).values_list("user_id", "shown")
    told: dict[UUID, set[UUID]] = {member_id: set() for member_id in member_ids}
    for user_id, shown in rows:
        told[user_id].update(UUID(memory_id) for memory_id in shown.split())
    return told
