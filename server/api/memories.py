"""API: memories, the trash, connection and replies."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Request, delete, get, patch, post, put
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from server.api.schemas import (
    ConnectionIn,
    ConnectionOut,
    MemoryIn,
    MemoryOut,
    MemoryPage,
    MemoryPatch,
    OnThisDayOut,
    ReplyIn,
    ReplyOut,
    YearsAgoOut,
    memory_out,
    reply_out,
)
from server.common.clock import Now
from server.http.auth import current_user, signed_in
from server.http.cursors import decode_cursor, encode_cursor
from timeline.core.calendar import member_today
from timeline.memories.browsing import Filters, browse
from timeline.memories.writing import (
    add_reply,
    create_memory,
    memory_details,
    restore_memory,
    set_connection,
    trash_memory,
    update_memory,
)
from timeline.resurfacing.on_this_day import on_this_day
from timeline.timelines.access import timeline_for

Limit = Annotated[int, Parameter(ge=1, le=100)]
# A calendar year a memory can have: beyond it no memory exists, and the database's small
# integer column would overflow.
Year = Annotated[int | None, Parameter(ge=1, le=9999)]


class MemoriesController(Controller):
    path = "/api/v1"
    tags = ["memories"]
    guards = [signed_in]

    @get("/timelines/{timeline_id:uuid}/memories", operation_id="listMemories")
    async def list(
        self,
        request: Request,
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
    ) -> MemoryPage:
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
        timeline = await timeline_for(current_user(request), timeline_id)
        page = await browse(timeline, filters, limit=limit, after=decode_cursor(cursor))
        return MemoryPage(
            items=[memory_out(request.app.state, m, now) for m in page.memories],
            next_cursor=encode_cursor(page.next_key),
        )

    @get("/timelines/{timeline_id:uuid}/on-this-day", operation_id="onThisDay")
    async def on_this_day(
        self,
        request: Request,
        timeline_id: FromPath[UUID],
        now: Now,
        date: FromQuery[date | None] = None,
    ) -> OnThisDayOut:
        """Memories from this calendar day in earlier years, grouped by years ago; `date`
        defaults to today in the caller's time zone."""
        user = current_user(request)
        timeline = await timeline_for(user, timeline_id)
        day = date or member_today(user, now)
        groups = await on_this_day(timeline, day)
        return OnThisDayOut(
            date=day,
            items=[
                YearsAgoOut(
                    years_ago=group.years,
                    memories=[memory_out(request.app.state, m, now) for m in group.memories],
                )
                for group in groups
            ],
        )

    @post("/timelines/{timeline_id:uuid}/memories", operation_id="createMemory")
    async def create(
        self, request: Request, timeline_id: FromPath[UUID], data: JSONBody[MemoryIn], now: Now
    ) -> MemoryOut:
        """Write down a memory (201)."""
        user = current_user(request)
        memory = await create_memory(user, timeline_id, msgspec.structs.asdict(data), now=now)
        return memory_out(request.app.state, await memory_details(user, memory.id), now)

    @get("/memories/{memory_id:uuid}", operation_id="getMemory")
    async def read(self, request: Request, memory_id: FromPath[UUID], now: Now) -> MemoryOut:
        """One memory, also while it is in the trash (then `deleted_at` is set)."""
        memory = await memory_details(current_user(request), memory_id)
        return memory_out(request.app.state, memory, now)

    @patch("/memories/{memory_id:uuid}", operation_id="updateMemory")
    async def update(
        self,
        request: Request,
        memory_id: FromPath[UUID],
        data: JSONBody[MemoryPatch],
        now: Now,
    ) -> MemoryOut:
        """Change the fields sent; 409 while the memory is in the trash."""
        user = current_user(request)
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        await update_memory(user, memory_id, changes, now=now)
        return memory_out(request.app.state, await memory_details(user, memory_id), now)

    @delete(
        "/memories/{memory_id:uuid}", status_code=HTTP_204_NO_CONTENT, operation_id="trashMemory"
    )
    async def trash(self, request: Request, memory_id: FromPath[UUID], now: Now) -> None:
        """Move a memory to the trash; it can be restored for 30 days."""
        await trash_memory(current_user(request), memory_id, now=now)

    @post(
        "/memories/{memory_id:uuid}/restore",
        status_code=HTTP_200_OK,
        operation_id="restoreMemory",
    )
    async def restore(self, request: Request, memory_id: FromPath[UUID], now: Now) -> MemoryOut:
        """Take a memory out of the trash."""
        user = current_user(request)
        await restore_memory(user, memory_id)
        return memory_out(request.app.state, await memory_details(user, memory_id), now)

    @put("/memories/{memory_id:uuid}/connection", operation_id="setConnection")
    async def connection(
        self,
        request: Request,
        memory_id: FromPath[UUID],
        data: JSONBody[ConnectionIn],
        now: Now,
    ) -> ConnectionOut:
        """Set how connected you felt (1–5) and what you appreciated; replaces yours."""
        saved = await set_connection(
            current_user(request), memory_id, data.score, data.appreciation, now=now
        )
        return ConnectionOut(
            user_id=saved.user_id, score=saved.score, appreciation=saved.appreciation
        )

    @post("/memories/{memory_id:uuid}/replies", operation_id="addReply")
    async def reply(
        self, request: Request, memory_id: FromPath[UUID], data: JSONBody[ReplyIn], now: Now
    ) -> ReplyOut:
        """Answer a memory (201)."""
        return reply_out(await add_reply(current_user(request), memory_id, data.text, now=now))
