"""The one place that scopes queries to a member's timelines.

Every read or write of timeline data starts from `member_timelines` or `timeline_for`, so an id
from someone else's timeline is indistinguishable from an id that does not exist."""

from __future__ import annotations

from uuid import UUID

from tortoise.queryset import QuerySet

from timeline.core.errors import Conflict, NotFound
from timeline.models import Memory, Photo, Timeline, User


def member_timelines(user: User) -> QuerySet[Timeline]:
    """The timelines `user` belongs to."""
    return Timeline.filter(memberships__user_id=user.id)


async def timeline_for(user: User, timeline_id: UUID) -> Timeline:
    """The timeline with this id if `user` is a member of it, else `NotFound`."""
    timeline = await member_timelines(user).get_or_none(id=timeline_id)
    if timeline is None:
        raise NotFound("No such timeline.")
    return timeline


def member_memories(user: User) -> QuerySet[Memory]:
    """The memories of `user`'s timelines, the trash included."""
    return Memory.filter(timeline__memberships__user_id=user.id)


async def memory_for(user: User, memory_id: UUID) -> Memory:
    """A memory of one of `user`'s timelines (trashed or not), else `NotFound`."""
    memory = await member_memories(user).get_or_none(id=memory_id)
    if memory is None:
        raise NotFound("No such memory.")
    return memory


async def live_memory(user: User, memory_id: UUID) -> Memory:
    """A memory of `user`'s timelines that is not in the trash; one in the trash must be
    restored before it changes (`Conflict`)."""
    memory = await memory_for(user, memory_id)
    if memory.deleted_at is not None:
        raise Conflict("This memory is in the trash. Restore it first.")
    return memory


async def photo_for(user: User, photo_id: UUID) -> Photo:
    """A photo of one of `user`'s timelines, else `NotFound`."""
    photo = await Photo.filter(timeline__memberships__user_id=user.id, id=photo_id).first()
    if photo is None:
        raise NotFound("No such photo.")
    return photo
