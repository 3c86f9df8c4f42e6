"""Pages: a timeline's trash (what is in it, restoring, emptying it after a confirmation),
and the question asked before a memory goes to the trash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Template

from server.http.auth import signed_in
from server.http.dependencies import Member, Now, StorageDep
from server.pages.forms import FORM
from server.pages.rendering import page, redirect
from server.pages.timeline_view import Shown, shown_photo
from timeline.core.errors import InvalidInput
from timeline.memories.trash import empty_trash, restore_from_trash, trash_of
from timeline.models import Memory, Photo, User
from timeline.timelines.access import memory_for
from timeline.timelines.membership import timeline_with_members


@dataclass(frozen=True)
class TrashItem:
    memory: Memory
    thumb: Shown | None
    purge_on: date
    photos: int


def thumb_of(state: State, memory: Memory, now: datetime) -> Shown | None:
    """The first photo of a memory whose photos were loaded, or None without photos."""
    photos: list[Photo] = sorted(memory.photos, key=lambda p: p.position)
    return shown_photo(state, photos[0], now) if photos else None


class EmptyForm(msgspec.Struct):
    # The instant the newest memory listed on the confirmation was trashed: one trashed
    # after the couple looked is not deleted with the rest.
    trashed_until: str = ""


class TrashPages(Controller):
    include_in_schema = False
    guards = [signed_in]

    @get("/t/{timeline_id:uuid}/trash")
    async def show(
        self, request: Request, member: Member, state: State, timeline_id: FromPath[UUID], now: Now
    ) -> Template:
        items = await _items(state, member, timeline_id, now)
        timeline = await timeline_with_members(member, timeline_id)
        return page(request, "trash.html", {"timeline": timeline, "items": items})

    @post("/t/{timeline_id:uuid}/trash/{memory_id:uuid}/restore")
    async def restore(
        self, member: Member, timeline_id: FromPath[UUID], memory_id: FromPath[UUID]
    ) -> Response:
        await restore_from_trash(member, timeline_id, memory_id)
        return redirect(f"/t/{timeline_id}/trash", flash="trash_restored")

    @get("/t/{timeline_id:uuid}/trash/empty")
    async def confirm_empty(
        self, request: Request, member: Member, state: State, timeline_id: FromPath[UUID], now: Now
    ) -> Template:
        items = await _items(state, member, timeline_id, now)
        timeline = await timeline_with_members(member, timeline_id)
        trashed = [item.memory.deleted_at for item in items if item.memory.deleted_at]
        return page(
            request,
            "trash_empty.html",
            {
                "timeline": timeline,
                "items": items,
                "photos": sum(item.photos for item in items),
                "trashed_until": max(trashed).isoformat() if trashed else "",
            },
        )

    @post("/t/{timeline_id:uuid}/trash/empty")
    async def empty(
        self,
        member: Member,
        storage: StorageDep,
        timeline_id: FromPath[UUID],
        data: Annotated[EmptyForm, FORM],
    ) -> Response:
        await empty_trash(member, timeline_id, storage, trashed_until=_instant(data.trashed_until))
        return redirect(f"/t/{timeline_id}/trash", flash="trash_emptied")

    @get("/m/{memory_id:uuid}/trash")
    async def confirm_trash(
        self, request: Request, member: Member, state: State, memory_id: FromPath[UUID], now: Now
    ) -> Response:
        """The question before a memory goes to the trash; the answer posts to
        /m/{id}/delete (server/pages/memories.py), which moves it and leads to the timeline."""
        memory = await memory_for(member, memory_id)
        if memory.deleted_at is not None:
            return redirect(f"/m/{memory_id}")
        await memory.fetch_related("photos")
        timeline = await timeline_with_members(member, memory.timeline_id)
        return page(
            request,
            "trash_confirm.html",
            {"timeline": timeline, "memory": memory, "thumb": thumb_of(state, memory, now)},
        )


async def _items(state: State, member: User, timeline_id: UUID, now: datetime) -> list[TrashItem]:
    return [
        TrashItem(
            memory=trashed.memory,
            thumb=thumb_of(state, trashed.memory, now),
            purge_on=trashed.purge_on(member.timezone),
            photos=len(trashed.memory.photos),
        )
        for trashed in await trash_of(member, timeline_id)
    ]


def _instant(raw: str) -> datetime | None:
    """The instant the confirmation page carried; without one (a form sent by hand), the
    whole trash."""
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("Open the trash and try again.", field="trashed_until") from None
