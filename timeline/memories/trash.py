"""A timeline's trash: the memories in it, the day each goes for good, taking one back out,
and emptying it before the 30 days are up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from media.storage import Storage
from timeline.core.calendar import local_time
from timeline.core.errors import NotFound
from timeline.memories.cleanup import delete_with_photos
from timeline.memories.details import with_details
from timeline.memories.writing import TRASH_KEPT
from timeline.models import Memory, Photo, User
from timeline.timelines.access import memory_for, timeline_for


@dataclass(frozen=True)
class Trashed:
    """A memory in the trash (tags, photos, connections and reply count loaded), and when
    the daily purge deletes it for good."""

    memory: Memory
    purge_at: datetime

    def purge_on(self, timezone: str) -> date:
        """The day, in `timezone`, on which it goes for good."""
        return local_time(timezone, self.purge_at).date()


def purge_at(memory: Memory) -> datetime:
    """The instant after which the purge deletes a trashed memory (`purge_trash`)."""
    assert memory.deleted_at is not None
    return memory.deleted_at + TRASH_KEPT


async def trash_of(user: User, timeline_id: UUID) -> list[Trashed]:
    """The memories of `user`'s timeline that are in the trash, the most recently trashed
    first; `NotFound` for a timeline that is not theirs."""
    timeline = await timeline_for(user, timeline_id)
    memories = await with_details(
        Memory.filter(timeline=timeline, deleted_at__not_isnull=True).order_by("-deleted_at", "id")
    )
    return [Trashed(memory, purge_at(memory)) for memory in memories]


async def restore_from_trash(user: User, timeline_id: UUID, memory_id: UUID) -> Memory:
    """Take a memory of this timeline out of the trash (nothing to do if it is not in it).
    A memory of another of `user`'s timelines is `NotFound` here, like one of a stranger's."""
    timeline = await timeline_for(user, timeline_id)
    memory = await memory_for(user, memory_id)
    if memory.timeline_id != timeline.id:
        raise NotFound("No such memory.")
    if memory.deleted_at is not None:
        await Memory.filter(id=memory.id).update(deleted_at=None)
    return await memory_for(user, memory_id)


async def empty_trash(
    user: User, timeline_id: UUID, storage: Storage, *, trashed_until: datetime | None = None
) -> int:
    """Delete for good, with their photos, the memories in this timeline's trash: all, or
    those trashed no later than `trashed_until` (what the couple saw when they confirmed; one
    trashed since stays). Returns how many."""
    timeline = await timeline_for(user, timeline_id)
    query = Memory.filter(timeline=timeline, deleted_at__not_isnull=True)
    if trashed_until is not None:
        query = query.filter(deleted_at__lte=trashed_until)
    doomed = await query.values_list("id", flat=True)
    if not doomed:
        return 0
    await delete_with_photos(
        Memory.filter(id__in=doomed), Photo.filter(memory_id__in=doomed), storage
    )
    return len(doomed)
