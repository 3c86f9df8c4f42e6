"""Shared timelines: creating one, listing members, leaving."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType
from tortoise.transactions import in_transaction

from timeline.core.calendar import EARLIEST
from timeline.core.errors import InvalidInput
from timeline.core.text import check_one_line
from timeline.models import Timeline, User
from timeline.timelines.access import (
    add_member,
    member_timelines,
    memberships_of_timeline,
    timeline_for,
)

MAX_NAME = 80
# A couple's first timeline is named for the one who made it until the partner joins:
# "Maya & …" becomes "Maya & Leo" then, unless the couple renamed it meanwhile.
AWAITING_PARTNER = " & …"


def check_name(name: str) -> str:
    """A trimmed, non-empty timeline name that fits."""
    name = name.strip()
    if not name:
        raise InvalidInput("Give your timeline a name, such as “Ana & Sam”.")
    if len(name) > MAX_NAME:
        raise InvalidInput(f"Keep the timeline name under {MAX_NAME} characters.", field="name")
    return check_one_line(name, field="name", label="The timeline name")


def check_together_since(value: date | None, *, today: date) -> date | None:
    """An anniversary that is neither in the future nor before 1900."""
    if value is not None and not EARLIEST <= value <= today:
        raise InvalidInput("The date you got together must be between 1900 and today.")
    return value


async def create_timeline(
    owner: User, name: str, together_since: date | None, *, now: datetime
) -> Timeline:
    """A new timeline with `owner` as its first member."""
    name = check_name(name)
    together_since = check_together_since(together_since, today=now.date())
    async with in_transaction():
        timeline = await Timeline.create(
            name=name, together_since=together_since, timezone=owner.timezone, created_at=now
        )
        await add_member(timeline, owner, joined_at=now)
    return timeline


async def start_timeline(owner: User, *, now: datetime) -> Timeline:
    """The timeline a new member starts with, named "Maya & …" until the partner joins."""
    name = owner.display_name[: MAX_NAME - len(AWAITING_PARTNER)] + AWAITING_PARTNER
    return await create_timeline(owner, name, None, now=now)


def name_with_partner(name: str, partner: User) -> str | None:
    """ "Maya & Leo" for a timeline still named "Maya & …", None for one the couple named."""
    if not name.endswith(AWAITING_PARTNER):
        return None
    both = f"{name.removesuffix(AWAITING_PARTNER)} & {partner.display_name}"
    return both[:MAX_NAME]


class TimelineChanges(msgspec.Struct):
    """A change of a timeline: only the fields sent change (the others stay `UNSET`);
    `together_since: null` clears the anniversary."""

    name: str | UnsetType = UNSET
    together_since: date | UnsetType | None = UNSET


async def update_timeline(
    user: User, timeline_id: UUID, changes: TimelineChanges, *, now: datetime
) -> Timeline:
    """Rename one of `user`'s timelines or change the day the couple got together."""
    timeline = await timeline_for(user, timeline_id)
    if changes.name is not UNSET:
        timeline.name = check_name(changes.name)
    if changes.together_since is not UNSET:
        timeline.together_since = check_together_since(changes.together_since, today=now.date())
    await timeline.save(update_fields=["name", "together_since"])
    return timeline


async def timelines_of(user: User) -> list[Timeline]:
    """The user's timelines with their members loaded, oldest first."""
    return await member_timelines(user).order_by("created_at").prefetch_related("memberships__user")


async def timeline_with_members(user: User, timeline_id: UUID) -> Timeline:
    """One of the user's timelines with its members loaded, in one query (pages ask for
    it first, every time)."""
    memberships = await memberships_of_timeline(user, timeline_id)
    timeline = memberships[0].timeline
    # As Tortoise's own prefetch fills the relation: `members_of` reads it.
    timeline.memberships._set_result_for_query(memberships)
    return timeline


def members_of(timeline: Timeline) -> list[User]:
    """The members of a timeline whose memberships were prefetched, in joining order."""
    return [m.user for m in sorted(timeline.memberships, key=lambda m: m.joined_at)]
