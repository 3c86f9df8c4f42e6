"""Memories: writing them down, editing, the trash, and how each partner felt about them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType
from tortoise.transactions import in_transaction

from media.storage import Storage
from timeline.core.calendar import DAY, check_date, check_precision, date_fields
from timeline.core.errors import InvalidInput
from timeline.core.tags import clean_tags
from timeline.core.text import check_one_line
from timeline.memories.cleanup import delete_with_photos
from timeline.memories.notices import announce_feeling, announce_memory, announce_reply
from timeline.models import Connection, Memory, MemoryTag, Photo, Reply, User
from timeline.resurfacing.candidates import refresh_ceiling
from timeline.resurfacing.scoring import ceiling
from timeline.timelines.access import live_memory, memory_for, timeline_for

MAX_TITLE = 120
MAX_BODY = 5000
MAX_PLACE = 200
MAX_APPRECIATION = 2000
MAX_REPLY = 2000
TRASH_KEPT = timedelta(days=30)


class MemoryDraft(msgspec.Struct):
    """A new memory as written: a title and a date, the rest optional."""

    title: str
    occurred_on: date
    body: str = ""
    date_precision: str = DAY
    place: str = ""
    kind: str = "everyday"
    tags: list[str] = []


class MemoryChanges(msgspec.Struct):
    """An edit of a memory: only the fields sent change (the others stay `UNSET`)."""

    title: str | UnsetType = UNSET
    occurred_on: date | UnsetType = UNSET
    body: str | UnsetType = UNSET
    date_precision: str | UnsetType = UNSET
    place: str | UnsetType = UNSET
    kind: str | UnsetType = UNSET
    tags: list[str] | UnsetType = UNSET


class ConnectionDraft(msgspec.Struct):
    """How close the author felt (1 to 5) and what they appreciated, given with a new memory."""

    score: int
    appreciation: str = ""


def check_connection(score: int, appreciation: str) -> tuple[int, str]:
    """The score and the appreciation, cleaned; `InvalidInput` naming `score` or
    `appreciation` when either breaks a rule."""
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise InvalidInput("The score goes from 1 (distant) to 5 (very close).", field="score")
    return score, _text(appreciation, "appreciation", MAX_APPRECIATION, "What you appreciated")


def check_fields(memory: MemoryDraft | MemoryChanges, *, today: date) -> dict[str, Any]:
    """The given fields, cleaned, by name. Every message names its field; the checks run in
    a fixed order, so a memory wrong in several ways is always refused for the same one."""
    given = {
        name: value
        for name in memory.__struct_fields__
        if (value := getattr(memory, name)) is not UNSET
    }
    clean: dict[str, Any] = {}
    if "title" in given:
        clean["title"] = _title(given["title"])
    if "body" in given:
        clean["body"] = _text(given["body"], "body", MAX_BODY, "The story")
    if "place" in given:
        place = _text(given["place"], "place", MAX_PLACE, "The place")
        clean["place"] = check_one_line(place, field="place", label="The place")
    if "kind" in given:
        clean["kind"] = check_kind(given["kind"])
    if "tags" in given:
        clean["tags"] = clean_tags(given["tags"])
    if "date_precision" in given:
        clean["date_precision"] = check_precision(given["date_precision"])
    if "occurred_on" in given:
        clean["occurred_on"] = check_date(given["occurred_on"], today)
    return clean


def _title(value: str) -> str:
    title = value.strip()
    if not title:
        raise InvalidInput("Give the memory a title.", field="title")
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"Keep the title under {MAX_TITLE} characters.", field="title")
    return check_one_line(title, field="title", label="The title")


def _text(value: str, field: str, limit: int, label: str) -> str:
    # Keep the writer's line breaks, but one kind of them.
    text = value.strip().replace("\r\n", "\n")
    if len(text) > limit:
        raise InvalidInput(f"{label} can hold up to {limit:,} characters.", field=field)
    return text


def check_kind(value: str) -> str:
    """One of the kinds of memory (`Memory.KINDS`)."""
    if value not in Memory.KINDS:
        kinds = ", ".join(Memory.KINDS)
        raise InvalidInput(f"Unknown kind {value!r}; choose one of {kinds}.", field="kind")
    return value


async def create_memory(
    user: User, timeline_id: UUID, draft: MemoryDraft, *, now: datetime, announce: bool = True
) -> Memory:
    """Write down a new memory in one of `user`'s timelines; `announce` tells the partner's
    browsers (not when importing, nor when photos still have to follow)."""
    timeline = await timeline_for(user, timeline_id)
    fields = check_fields(draft, today=now.date())
    tags = fields.pop("tags")
    fields.update(date_fields(fields["occurred_on"], fields["date_precision"]))
    async with in_transaction():
        memory = await Memory.create(
            timeline=timeline,
            author=user,
            created_at=now,
            updated_at=now,
            resurface_ceiling=ceiling((), 0, 0),
            **fields,
        )
        await _replace_tags(memory, tags)
    if announce:
        await announce_memory(user, memory, now=now)
    return memory


async def update_memory(
    user: User, memory_id: UUID, changes: MemoryChanges, *, now: datetime
) -> Memory:
    """Change the fields given in `changes`; either partner may edit."""
    memory = await live_memory(user, memory_id)
    fields = check_fields(changes, today=now.date())
    tags = fields.pop("tags", None)
    if "occurred_on" in fields or "date_precision" in fields:
        precision = fields.get("date_precision", memory.date_precision)
        occurred_on = fields.get("occurred_on", memory.occurred_on)
        fields.update(date_fields(occurred_on, precision))
    async with in_transaction():
        await Memory.filter(id=memory.id).update(updated_at=now, **fields)
        if tags is not None:
            await _replace_tags(memory, tags)
    return await memory_for(user, memory_id)


async def _replace_tags(memory: Memory, tags: list[str]) -> None:
    await MemoryTag.filter(memory=memory).delete()
    await MemoryTag.bulk_create([MemoryTag(memory=memory, name=name) for name in tags])


async def trash_memory(user: User, memory_id: UUID, *, now: datetime) -> None:
    """Move a memory to the trash; it is purged after 30 days unless restored."""
    memory = await memory_for(user, memory_id)
    if memory.deleted_at is None:
        await Memory.filter(id=memory.id).update(deleted_at=now)


async def restore_memory(user: User, memory_id: UUID) -> Memory:
    """Take a memory out of the trash."""
    memory = await memory_for(user, memory_id)
    await Memory.filter(id=memory.id).update(deleted_at=None)
    return await memory_for(user, memory_id)


async def purge_trash(storage: Storage, *, now: datetime) -> int:
    """Delete memories trashed more than 30 days ago, with their photos' objects.
    Returns how many memories were purged."""
    expired = await Memory.filter(deleted_at__lte=now - TRASH_KEPT).values_list("id", flat=True)
    if not expired:
        return 0
    await delete_with_photos(
        Memory.filter(id__in=expired), Photo.filter(memory_id__in=expired), storage
    )
    return len(expired)


async def set_connection(
    user: User,
    memory_id: UUID,
    score: int,
    appreciation: str,
    *,
    now: datetime,
    announce: bool = True,
) -> Connection:
    """Record how connected `user` felt (1–5) and what they appreciated; replaces theirs.
    `announce` tells the partner's browsers."""
    memory = await live_memory(user, memory_id)
    score, appreciation = check_connection(score, appreciation)
    connection, _ = await Connection.update_or_create(
        memory=memory,
        user=user,
        defaults={"score": score, "appreciation": appreciation, "updated_at": now},
    )
    await refresh_ceiling(memory.id)
    if announce:
        await announce_feeling(user, memory, appreciation, now=now)
    return connection


async def add_reply(
    user: User, memory_id: UUID, text: str, *, now: datetime, announce: bool = True
) -> Reply:
    """Answer a memory; `announce` tells the partner's browsers."""
    memory = await live_memory(user, memory_id)
    text = _text(text, "text", MAX_REPLY, "A reply")
    if not text:
        raise InvalidInput("Write something to reply.", field="text")
    reply = await Reply.create(memory=memory, author=user, text=text, created_at=now)
    await refresh_ceiling(memory.id)
    if announce:
        await announce_reply(user, memory, now=now)
    return reply


async def memory_details(user: User, memory_id: UUID) -> Memory:
    """A memory with its tags, photos, connections and reply count loaded."""
    return await with_own_details(await memory_for(user, memory_id))


async def with_own_details(memory: Memory) -> Memory:
    """`memory` (from `memory_for`) with its tags, photos, connections and reply count."""
    await memory.fetch_related("tags", "photos", "connections")
    memory.replies_count = await Reply.filter(memory=memory).count()
    return memory


async def replies_of(user: User, memory_id: UUID) -> list[Reply]:
    """The replies to a memory, oldest first, with their authors."""
    memory = await memory_for(user, memory_id)
    return await Reply.filter(memory=memory).order_by("created_at").select_related("author")
