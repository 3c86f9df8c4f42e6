"""API: memories, the trash, connection and replies; and the shape of a memory."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.params import Body, FromPath, FromQuery, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from server.api.photos import PhotoOut, photo_out
from server.http.auth import signed_in
from server.http.cursors import decode_cursor, encode_cursor
from server.http.dependencies import Member, Now
from server.http.kept import kept_list
from timeline.core.calendar import member_today
from timeline.memories.browsing import Filters, browse
from timeline.memories.trash import trash_of
from timeline.memories.writing import (
    MemoryChanges,
    MemoryDraft,
    add_reply,
    create_memory,
    memory_details,
    restore_memory,
    set_connection,
    trash_memory,
    update_memory,
)
from timeline.models import Memory, Reply
from timeline.resurfacing.on_this_day import on_this_day
from timeline.timelines.access import timeline_for

Limit = Annotated[int, Parameter(ge=1, le=100)]
# A calendar year a memory can have: beyond it no memory exists, and the database's small
# integer column would overflow.
Year = Annotated[int | None, Parameter(ge=1, le=9999)]


class ConnectionIn(msgspec.Struct):
    score: int
    appreciation: str = ""


class ReplyIn(msgspec.Struct):
    text: str


class ConnectionOut(msgspec.Struct):
    user_id: UUID
    score: int
    appreciation: str


class ReplyOut(msgspec.Struct):
    id: UUID
    memory_id: UUID
    author_id: UUID | None
    text: str
    created_at: datetime


class MemoryOut(msgspec.Struct):
    id: UUID
    timeline_id: UUID
    author_id: UUID | None
    title: str
    body: str
    occurred_on: date
    date_precision: str
    place: str
    kind: str
    tags: list[str]
    photos: list[PhotoOut]
    connections: list[ConnectionOut]
    replies_count: int
    recreates: UUID | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


class MemoryPage(msgspec.Struct):
    items: list[MemoryOut]
    next_cursor: str | None


class TrashedMemoryOut(MemoryOut):
    """A memory in the trash, and when it goes for good: `purge_at` the instant, `purge_on`
    the day in the caller's time zone."""

    purge_at: datetime
    purge_on: date


class TrashOut(msgspec.Struct):
    items: list[TrashedMemoryOut]


class YearsAgoOut(msgspec.Struct):
    years_ago: int
    memories: list[MemoryOut]


class OnThisDayOut(msgspec.Struct):
    date: date
    items: list[YearsAgoOut]


def memory_out(state: State, memory: Memory, now: datetime) -> MemoryOut:
    """A memory loaded by `memory_details` or `list_memories` (relations prefetched)."""
    return MemoryOut(
        id=memory.id,
        timeline_id=memory.timeline_id,
        author_id=memory.author_id,
        title=memory.title,
        body=memory.body,
        occurred_on=memory.occurred_on,
        date_precision=memory.date_precision,
        place=memory.place,
        kind=memory.kind,
        tags=sorted(t.name for t in memory.tags),
        photos=[photo_out(state, p, now) for p in sorted(memory.photos, key=lambda p: p.position)],
        connections=[
            ConnectionOut(user_id=c.user_id, score=c.score, appreciation=c.appreciation)
            for c in memory.connections
        ],
        replies_count=memory.replies_count,
        recreates=memory.recreates_id,
        created_at=memory.created_at,
        updated_at=memory.updated_at,
        deleted_at=memory.deleted_at,
    )


def reply_out(reply: Reply) -> ReplyOut:
    return ReplyOut(
        id=reply.id,
        memory_id=reply.memory_id,
        author_id=reply.author_id,
        text=reply.text,
        created_at=reply.created_at,
    )


class MemoriesController(Controller):
    path = "/api/v1"
    tags = ["memories"]
    guards = [signed_in]

    @get("/timelines/{timeline_id:uuid}/memories", operation_id="listMemories")
    async def list(
        self,
        request: Request,
        member: Member,
        state: State,
        timeline_id: FromPath[UUID],
        now: Now,
        limit: FromQuery[Limit] = 20,
        cursor: FromQuery[str | None] = None,
        year: FromQuery[Year] = None,
        tag: FromQuery[str | None] = None,
        kind: FromQuery[str | None] = None,
        author: FromQuery[UUID | None] = None,
        q: FromQuery[str | None] = None,
        connected: FromQuery[bool] = False,
        has_photos: FromQuery[bool] = False,
    ) -> Response[MemoryPage]:
        """Memories newest first, `limit` at a time; `next_cursor` fetches the next page.
        `connected` keeps those both partners rated 4 or 5; `q` searches title, story, place
        and tags and answers the best matches, ranked, in one page."""
        filters = Filters(
            year=year,
            tag=tag,
            kind=kind,
            author=author,
            connected=connected,
            with_photos=has_photos,
            q=q,
        )
        timeline = await timeline_for(member, timeline_id)
        kept = kept_list(request, state, member, timeline, now)
        if kept.answer:
            return kept.answer
        page = await browse(timeline, filters, limit=limit, after=decode_cursor(cursor))
        listed = MemoryPage(
            items=[memory_out(state, m, now) for m in page.memories],
            next_cursor=encode_cursor(page.next_key),
        )
        return kept.keep_json(msgspec.json.encode(listed))

    @get("/timelines/{timeline_id:uuid}/on-this-day", operation_id="onThisDay")
    async def on_this_day(
        self,
        member: Member,
        state: State,
        timeline_id: FromPath[UUID],
        now: Now,
        date: FromQuery[date | None] = None,
    ) -> OnThisDayOut:
        """Memories from this calendar day in earlier years, grouped by years ago; `date`
        defaults to today in the caller's time zone."""
        timeline = await timeline_for(member, timeline_id)
        day = date or member_today(member, now)
        groups = await on_this_day(timeline, day)
        return OnThisDayOut(
            date=day,
            items=[
                YearsAgoOut(
                    years_ago=group.years,
                    memories=[memory_out(state, m, now) for m in group.memories],
                )
                for group in groups
            ],
        )

    @post("/timelines/{timeline_id:uuid}/memories", operation_id="createMemory")
    async def create(
        self,
        member: Member,
        state: State,
        timeline_id: FromPath[UUID],
        data: Annotated[MemoryDraft, Body(schema_component_key="MemoryIn")],
        now: Now,
    ) -> MemoryOut:
        """Write down a memory (201)."""
        memory = await create_memory(member, timeline_id, data, now=now)
        return memory_out(state, await memory_details(member, memory.id), now)

    @get("/memories/{memory_id:uuid}", operation_id="getMemory")
    async def read(
        self, member: Member, state: State, memory_id: FromPath[UUID], now: Now
    ) -> MemoryOut:
        """One memory, also while it is in the trash (then `deleted_at` is set)."""
        return memory_out(state, await memory_details(member, memory_id), now)

    @patch("/memories/{memory_id:uuid}", operation_id="updateMemory")
    async def update(
        self,
        member: Member,
        state: State,
        memory_id: FromPath[UUID],
        data: Annotated[MemoryChanges, Body(schema_component_key="MemoryPatch")],
        now: Now,
    ) -> MemoryOut:
        """Change the fields sent; 409 while the memory is in the trash."""
        await update_memory(member, memory_id, data, now=now)
        return memory_out(state, await memory_details(member, memory_id), now)

    @delete(
        "/memories/{memory_id:uuid}", status_code=HTTP_204_NO_CONTENT, operation_id="trashMemory"
    )
    async def trash(self, member: Member, memory_id: FromPath[UUID], now: Now) -> None:
        """Move a memory to the trash; it can be restored for 30 days."""
        await trash_memory(member, memory_id, now=now)

    @post(
        "/memories/{memory_id:uuid}/restore",
        status_code=HTTP_200_OK,
        operation_id="restoreMemory",
    )
    async def restore(
        self, member: Member, state: State, memory_id: FromPath[UUID], now: Now
    ) -> MemoryOut:
        """Take a memory out of the trash."""
        await restore_memory(member, memory_id)
        return memory_out(state, await memory_details(member, memory_id), now)

    @get("/timelines/{timeline_id:uuid}/trash", operation_id="listTrash")
    async def trash_list(
        self, member: Member, state: State, timeline_id: FromPath[UUID], now: Now
    ) -> TrashOut:
        """The timeline's memories in the trash, the most recently trashed first, each with
        when it is deleted for good (30 days after it was trashed) unless restored."""
        items = []
        for trashed in await trash_of(member, timeline_id):
            out = memory_out(state, trashed.memory, now)
            items.append(
                TrashedMemoryOut(
                    **msgspec.structs.asdict(out),
                    purge_at=trashed.purge_at,
                    purge_on=trashed.purge_on(member.timezone),
                )
            )
        return TrashOut(items=items)

    @put("/memories/{memory_id:uuid}/connection", operation_id="setConnection")
    async def connection(
        self,
        member: Member,
        memory_id: FromPath[UUID],
        data: JSONBody[ConnectionIn],
        now: Now,
    ) -> ConnectionOut:
        """Set how connected you felt (1–5) and what you appreciated; replaces yours."""
        saved = await set_connection(member, memory_id, data.score, data.appreciation, now=now)
        return ConnectionOut(
            user_id=saved.user_id, score=saved.score, appreciation=saved.appreciation
        )

    @post("/memories/{memory_id:uuid}/replies", operation_id="addReply")
    async def reply(
        self, member: Member, memory_id: FromPath[UUID], data: JSONBody[ReplyIn], now: Now
    ) -> ReplyOut:
        """Answer a memory (201)."""
        return reply_out(await add_reply(member, memory_id, data.text, now=now))
