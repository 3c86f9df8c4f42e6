"""Leaving a timeline and deleting an account, and what happens to what was shared.

Shared memories stay with the partner who remains, shown as a former partner's, unless the
one leaving takes their own memories out: then those memories go, with their photos. A
timeline left without members is deleted with everything in it, rows and stored objects
alike. Deleting an account leaves every timeline that way, then removes the account with
its sessions, tokens, ratings, e-mail settings and deliveries."""

from __future__ import annotations

from uuid import UUID

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from media.storage import Storage
from timeline.accounts.passwords import verify_password
from timeline.core.errors import InvalidInput
from timeline.core.throttle import account_key
from timeline.memories.cleanup import delete_with_photos
from timeline.models import LoginFailure, Memory, Photo, Timeline, User
from timeline.recaps.collage import RECAPS
from timeline.timelines.access import member_timelines, remove_member, timeline_for


async def leave_timeline(
    user: User, timeline_id: UUID, storage: Storage, *, take_my_memories: bool = False
) -> None:
    """End `user`'s membership of one of their timelines (see the module's rules)."""
    timeline = await timeline_for(user, timeline_id)
    if take_my_memories:
        await _delete_memories(Memory.filter(timeline=timeline, author=user), storage)
    async with in_transaction():
        remaining = await remove_member(timeline, user)
    if not remaining:
        await discard_timeline(timeline, storage)


async def delete_account(
    user: User, password: str, storage: Storage, *, take_my_memories: bool = False
) -> None:
    """Delete `user`'s account once their password confirms it is them."""
    if not await verify_password(user.password_hash, password):
        raise InvalidInput("That is not your password.", field="password")
    for timeline in await member_timelines(user):
        await leave_timeline(user, timeline.id, storage, take_my_memories=take_my_memories)
    await LoginFailure.filter(key=account_key(user.email)).delete()
    await user.delete()


async def discard_timeline(timeline: Timeline, storage: Storage) -> None:
    """Delete a timeline with every row and every stored object of it."""
    await delete_with_photos(
        timeline, Photo.filter(timeline=timeline), storage, also=[f"{RECAPS}/{timeline.id}"]
    )


async def _delete_memories(memories: QuerySet[Memory], storage: Storage) -> None:
    ids = await memories.values_list("id", flat=True)
    await delete_with_photos(Memory.filter(id__in=ids), Photo.filter(memory_id__in=ids), storage)
