"""The one place that scopes queries to a member's timelines, and that reads or changes who
the members of a timeline are.

Every read or write of a couple's data starts from `scoped` or `require` (or a shortcut named
after them), so an id from someone else's timeline is indistinguishable from an id that does
not exist. A test (tests/unit/test_access_boundary.py) fails when another module filters on
memberships or queries `Membership` itself."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from tortoise.models import Model
from tortoise.queryset import QuerySet

from timeline.core.errors import Conflict, NotFound
from timeline.models import (
    Membership,
    Memory,
    Milestone,
    Photo,
    RecapShare,
    Suggestion,
    Timeline,
    User,
)

M = TypeVar("M", bound=Model)

# What `require` answers for an id of each kind it is asked for that is not in the member's
# timelines.
_MISSING: dict[type[Model], str] = {
    Timeline: "No such timeline.",
    Memory: "No such memory.",
    Photo: "No such photo.",
    Milestone: "No such milestone.",
    RecapShare: "No such link.",
    Suggestion: "No such suggestion.",
}


def scoped(model: type[M], user: User) -> QuerySet[M]:
    """The rows of `model` (a timeline, or anything with a `timeline`: memories, photos,
    milestones, quiet rules, invites, links, suggestions) in `user`'s timelines."""
    if model is Timeline:
        return model.filter(memberships__user_id=user.id)
    return model.filter(timeline__memberships__user_id=user.id)


async def require(model: type[M], user: User, row_id: UUID) -> M:
    """The row of `model` with this id if it is in one of `user`'s timelines, else `NotFound`."""
    row = await scoped(model, user).get_or_none(id=row_id)
    if row is None:
        raise NotFound(_MISSING[model])
    return row


def member_timelines(user: User) -> QuerySet[Timeline]:
    """The timelines `user` belongs to."""
    return scoped(Timeline, user)


async def timeline_for(user: User, timeline_id: UUID) -> Timeline:
    """The timeline with this id if `user` is a member of it, else `NotFound`."""
    return await require(Timeline, user, timeline_id)


async def memory_for(user: User, memory_id: UUID) -> Memory:
    """A memory of one of `user`'s timelines (trashed or not), else `NotFound`."""
    return await require(Memory, user, memory_id)


async def live_memory(user: User, memory_id: UUID) -> Memory:
    """A memory of `user`'s timelines that is not in the trash; one in the trash must be
    restored before it changes (`Conflict`)."""
    memory = await memory_for(user, memory_id)
    if memory.deleted_at is not None:
        raise Conflict("This memory is in the trash. Restore it first.")
    return memory


async def photo_for(user: User, photo_id: UUID) -> Photo:
    """A photo of one of `user`'s timelines, else `NotFound`."""
    return await require(Photo, user, photo_id)


async def memberships_of_timeline(user: User, timeline_id: UUID) -> list[Membership]:
    """Every membership of one of `user`'s timelines, each with its member and the timeline,
    in one query; `NotFound` when `user` is not a member."""
    memberships = await Membership.filter(timeline_id=timeline_id).select_related(
        "user", "timeline"
    )
    if not any(m.user_id == user.id for m in memberships):
        raise NotFound(_MISSING[Timeline])
    return memberships


async def is_member(timeline: Timeline, user: User) -> bool:
    """Whether `user` belongs to `timeline`."""
    return await Membership.filter(timeline=timeline, user=user).exists()


async def partner_ids(user: User, timeline_id: UUID) -> list[UUID]:
    """The other members of one of `user`'s timelines (none when `user` is not a member)."""
    if not await Membership.filter(timeline_id=timeline_id, user_id=user.id).exists():
        return []
    return await (
        Membership.filter(timeline_id=timeline_id)
        .exclude(user_id=user.id)
        .values_list("user_id", flat=True)
    )


async def member_count(timeline: Timeline) -> int:
    """How many members `timeline` has."""
    return await Membership.filter(timeline=timeline).count()


async def add_member(timeline: Timeline, user: User, *, joined_at: datetime) -> None:
    """Make `user` a member of `timeline`."""
    await Membership.create(timeline=timeline, user=user, joined_at=joined_at)


async def remove_member(timeline: Timeline, user: User) -> bool:
    """End `user`'s membership of `timeline`; whether anyone is still a member after."""
    await Membership.filter(timeline=timeline, user=user).delete()
    return await Membership.filter(timeline=timeline).exists()


async def timelines_of_many(users: list[User]) -> dict[UUID, list[Timeline]]:
    """The timelines of each of `users` (oldest first), in one query, for the letters sent to
    everyone at once."""
    memberships = (
        await Membership.filter(user_id__in=[u.id for u in users])
        .select_related("timeline")
        .order_by("timeline__created_at")
    )
    timelines: dict[UUID, list[Timeline]] = defaultdict(list)
    for membership in memberships:
        timelines[membership.user_id].append(membership.timeline)
    return {user.id: timelines[user.id] for user in users}


async def members_of_many(timeline_ids: list[UUID]) -> dict[UUID, User]:
    """Every member of these timelines, by id: the partners a letter names."""
    memberships = await Membership.filter(timeline_id__in=timeline_ids).select_related("user")
    return {membership.user_id: membership.user for membership in memberships}
