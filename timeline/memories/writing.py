"""Memories: writing them down, editing, the trash, and how each partner felt about them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from tortoise.transactions import in_transaction

from media.storage import Storage, delete_folder
from timeline.core.calendar import check_date, check_precision, date_fields
from timeline.core.errors import InvalidInput
from timeline.core.text import check_one_line
from timeline.models import Connection, Memory, MemoryTag, Photo, Reply, User
from timeline.resurfacing.candidates import refresh_ceiling
from timeline.resurfacing.scoring import ceiling
from timeline.timelines.access import live_memory, memory_for, timeline_for

MAX_TITLE = 120
MAX_BODY = 5000
MAX_PLACE = 200
MAX_TAGS = 20
MAX_TAG = 40
# What may arrive before cleaning: repeated or blank entries and padding are forgiven, within
# bounds checked before any work is done on them.
MAX_TAG_ITEMS = 4 * MAX_TAGS
MAX_TAG_INPUT = 4 * MAX_TAG
MAX_APPRECIATION = 2000
MAX_REPLY = 2000
TRASH_KEPT = timedelta(days=30)
MEMORY_FIELDS = ("title", "body", "occurred_on", "date_precision", "place", "kind", "tags")


def check_fields(raw: Mapping[str, Any], *, today: date, partial: bool) -> dict[str, Any]:
    """Validate memory fields. Every message names its field; with `partial`, only the
    fields present are checked (an edit), else title and date are required (a new memory)."""
    clean: dict[str, Any] = {}
    if "title" in raw or not partial:
        clean["title"] = _title(raw.get("title"))
    if "body" in raw:
        clean["body"] = _text(raw["body"], "body", MAX_BODY, "The story")
    if "place" in raw:
        place = _text(raw["place"], "place", MAX_PLACE, "The place")
        clean["place"] = check_one_line(place, field="place", label="The place")
    if "kind" in raw:
        clean["kind"] = _kind(raw["kind"])
    if "tags" in raw:
        clean["tags"] = _tags(raw["tags"])
    if "date_precision" in raw:
        clean["date_precision"] = check_precision(raw["date_precision"])
    if "occurred_on" in raw or not partial:
        clean["occurred_on"] = check_date(raw.get("occurred_on"), today)
    return clean


def _title(value: Any) -> str:
    title = value.strip() if isinstance(value, str) else ""
    if not title:
        raise InvalidInput("Give the memory a title.", field="title")
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"Keep the title under {MAX_TITLE} characters.", field="title")
    return check_one_line(title, field="title", label="The title")


def _text(value: Any, field: str, limit: int, label: str) -> str:
    text = (value or "").strip() if isinstance(value, str | None) else None
    if text is None:
        raise InvalidInput(f"{label} must be text.", field=field)
    # Keep the writer's line breaks, but one kind of them.
    text = text.replace("\r\n", "\n")
    if len(text) > limit:
        raise InvalidInput(f"{label} can hold up to {limit:,} characters.", field=field)
    return text


def _kind(value: Any) -> str:
    if value not in Memory.KINDS:
        kinds = ", ".join(Memory.KINDS)
        raise InvalidInput(f"Unknown kind {value!r}; choose one of {kinds}.", field="kind")
    return value


def _tags(value: Any) -> list[str]:
    if isinstance(value, str):
        # Count the commas before splitting: a huge field is refused without building a list.
        if value.count(",") >= MAX_TAG_ITEMS:
            raise InvalidInput(f"Use at most {MAX_TAGS} tags.", field="tags")
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise InvalidInput("Tags are a list of words.", field="tags")
    if len(value) > MAX_TAG_ITEMS:
        raise InvalidInput(f"Use at most {MAX_TAGS} tags.", field="tags")
    tags: dict[str, None] = {}  # insertion-ordered set: de-duplicating stays linear
    for tag in value:
        if len(tag) > MAX_TAG_INPUT:
            raise InvalidInput(f"Keep each tag under {MAX_TAG} characters.", field="tags")
        name = " ".join(tag.strip().lstrip("#").lower().split())
        if len(name) > MAX_TAG:
            raise InvalidInput(f"Keep each tag under {MAX_TAG} characters.", field="tags")
        check_one_line(name, field="tags", label="A tag")
        if name:
            tags[name] = None
    if len(tags) > MAX_TAGS:
        raise InvalidInput(f"Use at most {MAX_TAGS} tags.", field="tags")
    return list(tags)


async def create_memory(
    user: User, timeline_id: UUID, raw: Mapping[str, Any], *, now: datetime
) -> Memory:
    """Write down a new memory in one of `user`'s timelines."""
    timeline = await timeline_for(user, timeline_id)
    fields = check_fields(raw, today=now.date(), partial=False)
    tags = fields.pop("tags", [])
    precision = fields.setdefault("date_precision", Memory.DAY)
    fields.update(date_fields(fields["occurred_on"], precision))
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
    return memory


async def update_memory(
    user: User, memory_id: UUID, raw: Mapping[str, Any], *, now: datetime
) -> Memory:
    """Change the fields present in `raw`; either partner may edit."""
    memory = await live_memory(user, memory_id)
    fields = check_fields(raw, today=now.date(), partial=True)
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
    """Delete memories trashed more than 30 days ago, their photos' objects first.
    Returns how many memories were purged."""
    expired = await Memory.filter(deleted_at__lte=now - TRASH_KEPT).values_list("id", flat=True)
    if not expired:
        return 0
    folders = await Photo.filter(memory_id__in=expired).values_list("storage_key", flat=True)
    # Rows first, then objects: a crash in between leaves orphans for the sweep, never a
    # row pointing at nothing.
    await Memory.filter(id__in=expired).delete()
    for folder in folders:
        await delete_folder(storage, folder)
    return len(expired)


async def set_connection(
    user: User, memory_id: UUID, score: int, appreciation: str, *, now: datetime
) -> Connection:
    """Record how connected `user` felt (1–5) and what they appreciated; replaces theirs."""
    memory = await live_memory(user, memory_id)
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise InvalidInput("The score goes from 1 (distant) to 5 (very close).", field="score")
    appreciation = _text(appreciation, "appreciation", MAX_APPRECIATION, "What you appreciated")
    connection, _ = await Connection.update_or_create(
        memory=memory,
        user=user,
        defaults={"score": score, "appreciation": appreciation, "updated_at": now},
    )
    await refresh_ceiling(memory.id)
    return connection


async def add_reply(user: User, memory_id: UUID, text: str, *, now: datetime) -> Reply:
    """Answer a memory."""
    memory = await live_memory(user, memory_id)
    text = _text(text, "text", MAX_REPLY, "A reply")
    if not text:
        raise InvalidInput("Write something to reply.", field="text")
    reply = await Reply.create(memory=memory, author=user, text=text, created_at=now)
    await refresh_ceiling(memory.id)
    return reply


async def memory_details(user: User, memory_id: UUID) -> Memory:
    """A memory with its tags, photos, connections and reply count loaded."""
    memory = await memory_for(user, memory_id)
    await memory.fetch_related("tags", "photos", "connections")
    memory.replies_count = await Reply.filter(memory=memory).count()
    return memory


async def replies_of(user: User, memory_id: UUID) -> list[Reply]:
    """The replies to a memory, oldest first, with their authors."""
    memory = await memory_for(user, memory_id)
    return await Reply.filter(memory=memory).order_by("created_at").select_related("author")
