"""Pages: writing a memory with photos, reading it, editing, connection, replies, trash."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Template

from media.errors import MediaError
from server.common.clock import Now
from server.files.links import photo_urls
from server.http.auth import current_user, signed_in
from server.http.body_limits import UPLOADS
from server.http.errors import status_of
from server.http.input_guard import NUL_MESSAGE
from server.pages.forms import Form
from server.pages.rendering import page, redirect
from timeline.core.errors import DomainError, InvalidInput
from timeline.memories.photos import (
    create_memory_with_photos,
    delete_photo,
    update_memory_with_photos,
)
from timeline.memories.writing import (
    MEMORY_FIELDS,
    add_reply,
    memory_details,
    replies_of,
    restore_memory,
    set_connection,
    trash_memory,
)
from timeline.models import Memory
from timeline.resurfacing.daily_pick import answer
from timeline.timelines.access import timeline_for
from timeline.timelines.membership import members_of, timeline_with_members

MultipartForm = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]


class MemoryPages(Controller):
    include_in_schema = False
    guards = [signed_in]

    @get("/t/{timeline_id:uuid}/new")
    async def new_form(
        self,
        request: Request,
        timeline_id: FromPath[UUID],
        suggestion: FromQuery[UUID | None] = None,
    ) -> Template:
        """A blank memory; from a pick's "We did it", one that will recreate the pick."""
        timeline = await timeline_for(current_user(request), timeline_id)
        form = {"date_precision": "day", "suggestion": str(suggestion) if suggestion else ""}
        return _form_page(request, timeline_id=timeline.id, form=form)

    @post("/t/{timeline_id:uuid}/memories", opt={UPLOADS: True})
    async def create(
        self, request: Request, timeline_id: FromPath[UUID], data: MultipartForm, now: Now
    ) -> Response:
        fields, uploads = _split(data)
        try:
            recreating = _suggestion_id(data.get("suggestion"))
            memory = await create_memory_with_photos(
                current_user(request),
                timeline_id,
                fields,
                [u.file for u in uploads],
                request.app.state.storage,
                now=now,
            )
        except (DomainError, MediaError) as error:
            form = {**fields, "suggestion": data.get("suggestion", "")}
            return _form_page(request, timeline_id=timeline_id, form=form, error=error)
        finally:
            for upload in uploads:
                await upload.close()
        if recreating:
            await answer(current_user(request), recreating, "done", now=now, memory_id=memory.id)
            return redirect(f"/m/{memory.id}", flash="pick_recreated")
        return redirect(f"/m/{memory.id}", flash="memory_saved")

    @get("/m/{memory_id:uuid}")
    async def show(self, request: Request, memory_id: FromPath[UUID], now: Now) -> Template:
        return await _memory_page(request, memory_id, now)

    @get("/m/{memory_id:uuid}/edit")
    async def edit_form(self, request: Request, memory_id: FromPath[UUID]) -> Template:
        memory = await memory_details(current_user(request), memory_id)
        form = {name: getattr(memory, name) for name in MEMORY_FIELDS if name != "tags"}
        form["tags"] = ", ".join(sorted(t.name for t in memory.tags))
        return _form_page(request, memory=memory, form=form)

    @post("/m/{memory_id:uuid}/edit", opt={UPLOADS: True})
    async def edit(
        self, request: Request, memory_id: FromPath[UUID], data: MultipartForm, now: Now
    ) -> Response:
        user = current_user(request)
        fields, uploads = _split(data)
        try:
            sources = [upload.file for upload in uploads]
            storage = request.app.state.storage
            await update_memory_with_photos(user, memory_id, fields, sources, storage, now=now)
        except (DomainError, MediaError) as error:
            memory = await memory_details(user, memory_id)
            return _form_page(request, memory=memory, form=fields, error=error)
        finally:
            for upload in uploads:
                await upload.close()
        return redirect(f"/m/{memory_id}", flash="memory_saved")

    @post("/m/{memory_id:uuid}/connection")
    async def connection(
        self, request: Request, memory_id: FromPath[UUID], data: Form, now: Now
    ) -> Response:
        try:
            score = int(data.get("score", ""))
        except ValueError:
            score = 0
        try:
            await set_connection(
                current_user(request), memory_id, score, data.get("appreciation", ""), now=now
            )
        except InvalidInput as error:
            return await _memory_page(request, memory_id, now, error=error)
        return redirect(f"/m/{memory_id}#connection")

    @post("/m/{memory_id:uuid}/replies")
    async def reply(
        self, request: Request, memory_id: FromPath[UUID], data: Form, now: Now
    ) -> Response:
        try:
            await add_reply(current_user(request), memory_id, data.get("text", ""), now=now)
        except InvalidInput as error:
            return await _memory_page(request, memory_id, now, error=error)
        return redirect(f"/m/{memory_id}#replies")

    @post("/m/{memory_id:uuid}/delete")
    async def trash(self, request: Request, memory_id: FromPath[UUID], now: Now) -> Response:
        await trash_memory(current_user(request), memory_id, now=now)
        return redirect(f"/m/{memory_id}", flash="memory_trashed")

    @post("/m/{memory_id:uuid}/restore")
    async def restore(self, request: Request, memory_id: FromPath[UUID]) -> Response:
        await restore_memory(current_user(request), memory_id)
        return redirect(f"/m/{memory_id}", flash="memory_restored")

    @post("/photos/{photo_id:uuid}/delete")
    async def remove_photo(self, request: Request, photo_id: FromPath[UUID]) -> Response:
        photo = await delete_photo(current_user(request), photo_id, request.app.state.storage)
        return redirect(f"/m/{photo.memory_id}/edit", flash="photo_removed")


def _suggestion_id(raw: Any) -> UUID | None:
    """The pick a new memory recreates, from the form's hidden field."""
    if not raw:
        return None
    try:
        return UUID(str(raw))
    except ValueError:
        raise InvalidInput("This form came from a pick we do not know.", field="title") from None


def _split(data: dict[str, Any]) -> tuple[dict[str, str], list[UploadFile]]:
    """Text fields, and the photos actually chosen (an empty file input still sends a part)."""
    photos = data.get("photos") or []
    if not isinstance(photos, list):
        photos = [photos]
    uploads = [p for p in photos if isinstance(p, UploadFile) and p.filename]
    fields = {k: v for k, v in data.items() if k in MEMORY_FIELDS and isinstance(v, str)}
    # Multipart bodies pass the NUL guard (they carry binary photos): check the text here.
    if any("\x00" in value for value in fields.values()):
        raise InvalidInput(NUL_MESSAGE, field="title")
    return fields, uploads


def _form_page(
    request: Request,
    *,
    form: dict[str, Any],
    timeline_id: UUID | None = None,
    memory: Memory | None = None,
    error: Exception | None = None,
) -> Template:
    errors: dict[str, str] = {}
    status = 200
    if error is not None:
        field = getattr(error, "field", None) or "photos"
        errors[field] = str(error)
        status = status_of(error)
    return page(
        request,
        "memory_form.html",
        {
            "form": form,
            "errors": errors,
            "memory": memory,
            "action": f"/m/{memory.id}/edit" if memory else f"/t/{timeline_id}/memories",
            "kinds": Memory.KINDS,
        },
        status_code=status,
    )


async def _memory_page(
    request: Request, memory_id: UUID, now: datetime, error: InvalidInput | None = None
) -> Template:
    user = current_user(request)
    memory = await memory_details(user, memory_id)
    timeline = await timeline_with_members(user, memory.timeline_id)
    members = {m.id: m for m in members_of(timeline)}
    connections = {c.user_id: c for c in memory.connections}
    photos = sorted(memory.photos, key=lambda p: p.position)
    then = await memory_details(user, memory.recreates_id) if memory.recreates_id else None
    then_photos = sorted(then.photos, key=lambda p: p.position) if then else []
    return page(
        request,
        "memory.html",
        {
            "memory": memory,
            "timeline": timeline,
            "tags": sorted(t.name for t in memory.tags),
            "photos": [(p, photo_urls(request.app.state, p, now, absolute=False)) for p in photos],
            "mine": connections.get(user.id),
            "partners": [(m, connections.get(m.id)) for m in members.values() if m.id != user.id],
            "author": members.get(memory.author_id),
            "replies": [(r, members.get(r.author_id)) for r in await replies_of(user, memory_id)],
            "then": then,
            "then_photo": photo_urls(request.app.state, then_photos[0], now, absolute=False)
            if then_photos
            else None,
            "recreations": await Memory.filter(recreates_id=memory.id, deleted_at=None),
            "error": error,
        },
        status_code=status_of(error) if error else 200,
    )
