"""A timeline as the couple can take it with them: `timeline.json` (every memory, rating,
reply, milestone, quiet rule and answered suggestion, with a format version) and every
original photo under a readable name, as the entries of an archive."""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from media.storage import Storage
from timeline.core.calendar import iso_at
from timeline.memories.photos import EXTENSIONS, original_key
from timeline.models import (
    Memory,
    Milestone,
    Photo,
    QuietRule,
    Suggestion,
    Timeline,
    User,
)
from timeline.portability.archive_format import (
    DOCUMENT,
    FORMAT,
    FORMER_PARTNER,
    Archive,
    ConnectionEntry,
    MemberEntry,
    MemoryEntry,
    MilestoneEntry,
    PhotoEntry,
    QuietRuleEntry,
    ReplyEntry,
    SuggestionEntry,
    TimelineEntry,
    encode,
)
from timeline.timelines.access import timeline_for
from timeline.timelines.membership import members_of

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """One file of the archive: its name and its bytes, read piece by piece."""

    name: str
    chunks: AsyncIterator[bytes]


async def export_of(user: User, timeline_id: UUID, storage: Storage, *, now: datetime) -> Export:
    """What `user` may take of one of their timelines."""
    timeline = await timeline_for(user, timeline_id)
    return Export(timeline, storage, now)


async def operator_export(timeline_id: UUID, storage: Storage, *, now: datetime) -> Export | None:
    """Any timeline, for the operator at the command line (no member to scope by); None when
    there is no such timeline."""
    timeline = await Timeline.get_or_none(id=timeline_id)
    return None if timeline is None else Export(timeline, storage, now)


class Export:
    """The document and the photos of one timeline, gathered when iterated."""

    def __init__(self, timeline: Timeline, storage: Storage, now: datetime) -> None:
        self.timeline = timeline
        self.storage = storage
        self.now = now

    @property
    def filename(self) -> str:
        return f"{_slug(self.timeline.name) or 'timeline'}-{self.now:%Y-%m-%d}.zip"

    async def entries(self) -> AsyncIterator[Entry]:
        """`timeline.json` first, then each original photo."""
        archive, photos = await self._document()
        # A large timeline's document takes a while to write: off the event loop, and handed
        # on in pieces, so compressing it does not hold the loop either.
        encoded = await asyncio.to_thread(encode, archive)
        yield Entry(DOCUMENT, _pieces(encoded))
        for name, photo in photos:
            yield Entry(name, self._photo_chunks(photo))

    async def _photo_chunks(self, photo: Photo) -> AsyncIterator[bytes]:
        source = await self.storage.open(original_key(photo))
        try:
            while chunk := await asyncio.to_thread(source.read, CHUNK):
                yield chunk
        finally:
            source.close()

    async def _document(self) -> tuple[Archive, list[tuple[str, Photo]]]:
        timeline = self.timeline
        await timeline.fetch_related("memberships__user")
        members = members_of(timeline)
        memories = (
            await Memory.filter(timeline=timeline)
            .order_by("occurred_on", "created_at")
            .prefetch_related("tags", "photos", "connections", "replies")
        )
        people = {m.id for m in members}
        named: list[tuple[str, Photo]] = []
        taken: set[str] = set()
        exported = []
        for memory in memories:
            photos = []
            for number, photo in enumerate(sorted(memory.photos, key=lambda p: p.position), 1):
                name = _photo_name(memory, number, photo, taken)
                named.append((name, photo))
                photos.append(
                    PhotoEntry(
                        file=name,
                        caption=photo.caption,
                        position=photo.position,
                        taken_at=photo.taken_at,
                        width=photo.width,
                        height=photo.height,
                        sha256=photo.sha256,
                    )
                )
            exported.append(_memory_entry(memory, photos, people))
        archive = Archive(
            format=FORMAT,
            exported_at=self.now,
            timeline=TimelineEntry(
                name=timeline.name,
                together_since=timeline.together_since,
                timezone=timeline.timezone,
            ),
            members=[MemberEntry(id=m.id, display_name=m.display_name) for m in members],
            milestones=[
                MilestoneEntry(
                    kind=m.kind,
                    label=m.label,
                    occurred_on=m.occurred_on,
                    date_precision=m.date_precision,
                )
                for m in await Milestone.filter(timeline=timeline).order_by("occurred_on")
            ],
            quiet_rules=[
                QuietRuleEntry(tag=r.tag, starts_on=r.starts_on, ends_on=r.ends_on, yearly=r.yearly)
                for r in await QuietRule.filter(timeline=timeline).order_by("created_at")
            ],
            suggestions=[
                SuggestionEntry(
                    local_date=s.local_date,
                    memory=s.memory_id,
                    score=s.score,
                    reasons=s.reasons,
                    prompt=s.prompt,
                    action=s.action,
                    snoozed_until=s.snoozed_until,
                    planned_on=s.planned_on,
                    answered_by=_who(s.answered_by_id, people),
                )
                for s in await Suggestion.filter(timeline=timeline).order_by("local_date")
            ],
            memories=exported,
        )
        return archive, named


def _memory_entry(memory: Memory, photos: list[PhotoEntry], people: set[UUID]) -> MemoryEntry:
    return MemoryEntry(
        id=memory.id,
        title=memory.title,
        body=memory.body,
        occurred_on=memory.occurred_on,
        date_precision=memory.date_precision,
        place=memory.place,
        kind=memory.kind,
        tags=sorted(t.name for t in memory.tags),
        author=_who(memory.author_id, people),
        recreates=memory.recreates_id,
        never_resurface=memory.never_resurface,
        created_at=memory.created_at,
        updated_at=memory.updated_at,
        deleted_at=memory.deleted_at,
        photos=photos,
        connections=[
            ConnectionEntry(
                member=_who(c.user_id, people),
                score=c.score,
                appreciation=c.appreciation,
                updated_at=c.updated_at,
            )
            for c in sorted(memory.connections, key=lambda c: c.updated_at)
        ],
        replies=[
            ReplyEntry(member=_who(r.author_id, people), text=r.text, at=r.created_at)
            for r in sorted(memory.replies, key=lambda r: r.created_at)
        ],
    )


def _who(user_id: UUID | None, people: set[UUID]) -> str | None:
    """A member's id as text; someone no longer a member stays "former partner"."""
    if user_id is None:
        return None
    return str(user_id) if user_id in people else FORMER_PARTNER


def _photo_name(memory: Memory, number: int, photo: Photo, taken: set[str]) -> str:
    """`photos/2019-07-14 Camping by the lake 1.jpg`, unique within the archive; dated as
    precisely as the memory is known (`2019-07 …`, `2019 …`)."""
    when = iso_at(memory.occurred_on, memory.date_precision)
    stem = f"{when} {_slug(memory.title, keep_spaces=True)}".strip()
    extension = EXTENSIONS[photo.original_type]
    name = f"photos/{stem} {number}.{extension}"
    while name in taken:
        number += 1
        name = f"photos/{stem} {number}.{extension}"
    taken.add(name)
    return name


def _slug(text: str, *, keep_spaces: bool = False) -> str:
    """Letters, digits, spaces or dashes only: safe in every file system and zip tool."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9 -]+", "", ascii_text).strip()[:60]
    return cleaned if keep_spaces else re.sub(r"\s+", "-", cleaned).lower()


async def _pieces(data: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(data), CHUNK):
        yield data[start : start + CHUNK]
