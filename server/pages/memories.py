"""Pages: writing a memory with photos, reading it, editing, connection, replies, trash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State, UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from msgspec import UNSET, UnsetType

from media.errors import MediaError
from media.images import DISPLAY_EDGE, THUMB_EDGE, fitted_size
from server.files.links import photo_urls
from server.http.auth import signed_in
from server.http.body_limits import UPLOADS
from server.http.dependencies import Member, Now, StorageDep
from server.http.errors import status_of
from server.http.input_guard import NUL_MESSAGE
from server.http.kept import kept_page
from server.pages.forms import FORM, MULTIPART, read_form, typed
from server.pages.rendering import page, redirect
from server.pages.share import SharedPhoto, shared_photos
from timeline.core.calendar import check_date, member_today
from timeline.core.errors import DomainError, InvalidInput, NotFound
from timeline.core.tags import split_tags
from timeline.memories.browsing import recreations_of
from timeline.memories.drafts import create_memory_from_draft, draft_of, proposed_day
from timeline.memories.photos import (
    NewPhoto,
    check_caption,
    create_memory_with_photos,
    delete_photo,
    move_photo,
    reorder_photos,
    update_memory_with_photos,
)
from timeline.memories.writing import (
    MAX_TITLE,
    ConnectionDraft,
    MemoryChanges,
    MemoryDraft,
    add_reply,
    check_connection,
    check_fields,
    memory_details,
    replies_of,
    restore_memory,
    set_connection,
    trash_memory,
    with_own_details,
)
from timeline.models import Memory, Photo, ShareDraft, Timeline, User
from timeline.resurfacing.daily_pick import answer, pick_of
from timeline.timelines.access import live_memory, memory_for, timeline_for
from timeline.timelines.membership import members_of, timeline_with_members

# The memory's own fields, as the form names them.
MEMORY_FIELDS = MemoryChanges.__struct_fields__


class MemoryForm(msgspec.Struct):
    """The memory form as sent. A field not sent stays unset (an edit changes only those
    sent); the date and the comma-separated tags are text, read by the page."""

    title: str | UnsetType = UNSET
    occurred_on: str | UnsetType = UNSET
    body: str | UnsetType = UNSET
    date_precision: str | UnsetType = UNSET
    place: str | UnsetType = UNSET
    kind: str | UnsetType = UNSET
    tags: str | UnsetType = UNSET
    # The pick a new memory recreates (a hidden field).
    suggestion: str = ""
    # UploadFiles, and an empty text part for a file input left empty (as browsers send it).
    photos: list[Any] = []
    # What each photo shows, in words (its alt text): one a photo, in the order of `photos`
    # (the page's script sends them; without it none come).
    captions: list[str] = []
    # The author's own answer, optional on a new memory: the score as typed, 1 to 5.
    score: str = ""
    appreciation: str = ""
    # The edit page: the memory's photos (ids) and their captions, in the same order.
    photo_ids: list[str] = []
    photo_captions: list[str] = []
    # Photos shared from the gallery (a draft, by id; a hidden field), and their captions.
    draft: str = ""
    draft_photo_ids: list[str] = []
    draft_captions: list[str] = []


class MoveForm(msgspec.Struct):
    direction: str = ""


class OrderForm(msgspec.Struct):
    photo_ids: list[str] = []


class ConnectionForm(msgspec.Struct):
    score: str = ""
    appreciation: str = ""


class ReplyForm(msgspec.Struct):
    text: str = ""


class MemoryPages(Controller):
    include_in_schema = False
    guards = [signed_in]

    @get("/t/{timeline_id:uuid}/new")
    async def new_form(
        self,
        request: Request,
        member: Member,
        state: State,
        timeline_id: FromPath[UUID],
        now: Now,
        suggestion: FromQuery[UUID | None] = None,
        draft: FromQuery[UUID | None] = None,
    ) -> Template:
        """A blank memory; from a pick's "We did it", one that recreates the pick: its
        title, place, tags and kind filled in, dated today, the original's photo in view.
        With photos shared from the gallery (`draft`), those photos, and the day the
        earliest of them was taken."""
        timeline = await timeline_for(member, timeline_id)
        form: dict[str, Any] = {"date_precision": "day", "suggestion": ""}
        shared = await _shared(state, member, draft, now) if draft else None
        if shared:
            form |= {"draft": str(draft), "title": shared.draft.title, "body": shared.draft.body}
            form["occurred_on"] = shared.day.isoformat() if shared.day else ""
        original = (
            await _original(state, member, timeline_id, suggestion, now) if suggestion else None
        )
        if original:
            then = original.memory
            form |= {
                "suggestion": str(suggestion),
                "title": f"{then.title} again"[:MAX_TITLE],
                "place": then.place,
                "kind": then.kind,
                "tags": ", ".join(sorted(t.name for t in then.tags)),
                "occurred_on": member_today(member, now).isoformat(),
            }
        return _form_page(request, timeline=timeline, form=form, original=original, shared=shared)

    @post("/t/{timeline_id:uuid}/memories", opt={UPLOADS: True})
    async def create(
        self,
        request: Request,
        member: Member,
        state: State,
        storage: StorageDep,
        timeline_id: FromPath[UUID],
        data: Annotated[MemoryForm, MULTIPART],
        now: Now,
    ) -> Response:
        fields, uploads = _sent(data), _chosen(data.photos)
        recreating = draft_id = None
        try:
            recreating = _suggestion_id(data.suggestion)
            draft_id = _draft_id(data.draft)
            if recreating and (await pick_of(member, recreating)).timeline_id != timeline_id:
                recreating = None
                raise InvalidInput("This form came from another timeline's pick.", field="title")
            # Title and date are required: unsent, they are refused as empty and missing.
            required = {"title": "", "occurred_on": None}
            # Everything is read (and refused) before anything is made: no memory, no file.
            draft, photos, connection, shared_captions = await read_form(
                lambda: (
                    _read(MemoryDraft, {**required, **fields}, now.date()),
                    _new_photos(uploads, data.captions),
                    _connection(data),
                    _shared_captions(data),
                ),
                lambda: timeline_for(member, timeline_id),
            )
            if draft_id:
                memory = await create_memory_from_draft(
                    member,
                    timeline_id,
                    draft_id,
                    draft,
                    shared_captions,
                    photos,
                    storage,
                    now=now,
                    connection=connection,
                )
            else:
                memory = await create_memory_with_photos(
                    member, timeline_id, draft, photos, storage, now=now, connection=connection
                )
        except (DomainError, MediaError) as error:
            timeline = await timeline_for(member, timeline_id)
            original = (
                await _original(state, member, timeline_id, recreating, now) if recreating else None
            )
            form = _typed(data)
            # The draft stays for the form shown again; one gone meanwhile (a day passed)
            # is said beside the photos, and what was typed is kept.
            shared = await _still_shared(state, member, draft_id, now) if draft_id else None
            if shared is None:
                form["draft"] = ""
            return _form_page(
                request,
                timeline=timeline,
                form=form,
                error=error,
                original=original,
                shared=shared,
            )
        finally:
            for upload in uploads:
                await upload.close()
        if recreating:
            await answer(member, recreating, "done", now=now, memory_id=memory.id)
            return redirect(f"/m/{memory.id}", flash="pick_recreated")
        return redirect(f"/m/{memory.id}", flash="memory_saved")

    @get("/m/{memory_id:uuid}")
    async def show(
        self, request: Request, member: Member, state: State, memory_id: FromPath[UUID], now: Now
    ) -> Template | Response:
        return await _memory_page(request, member, state, memory_id, now, keep=True)

    @get("/m/{memory_id:uuid}/write-back")
    async def write_back(self, member: Member, memory_id: FromPath[UUID]) -> Response:
        """A letter's "Write back": a path, so it survives logging in first (a #fragment
        would not), then the memory's reply form."""
        memory = await memory_details(member, memory_id)
        return redirect(f"/m/{memory.id}#write-back")

    @get("/m/{memory_id:uuid}/edit")
    async def edit_form(
        self, request: Request, member: Member, state: State, memory_id: FromPath[UUID], now: Now
    ) -> Template:
        memory = await memory_details(member, memory_id)
        form = {name: getattr(memory, name) for name in MEMORY_FIELDS if name != "tags"}
        form["tags"] = ", ".join(sorted(t.name for t in memory.tags))
        photos = _edit_photos(state, memory, now)
        timeline = await timeline_for(member, memory.timeline_id)
        return _form_page(request, timeline=timeline, memory=memory, form=form, photos=photos)

    @post("/m/{memory_id:uuid}/edit", opt={UPLOADS: True})
    async def edit(
        self,
        request: Request,
        member: Member,
        state: State,
        storage: StorageDep,
        memory_id: FromPath[UUID],
        data: Annotated[MemoryForm, MULTIPART],
        now: Now,
    ) -> Response:
        uploads = _chosen(data.photos)
        try:
            changes, photos, captions = await read_form(
                lambda: (
                    _read(MemoryChanges, _sent(data), now.date()),
                    _new_photos(uploads, data.captions),
                    _captions_of(data),
                ),
                lambda: live_memory(member, memory_id),
            )
            await update_memory_with_photos(
                member, memory_id, changes, photos, storage, now=now, captions=captions
            )
        except (DomainError, MediaError) as error:
            memory = await memory_details(member, memory_id)
            form = _typed(data)
            return _form_page(
                request,
                timeline=await timeline_for(member, memory.timeline_id),
                memory=memory,
                form=form,
                error=error,
                photos=_edit_photos(state, memory, now, typed=form),
            )
        finally:
            for upload in uploads:
                await upload.close()
        return redirect(f"/m/{memory_id}", flash="memory_saved")

    @post("/photos/{photo_id:uuid}/move")
    async def move(
        self, member: Member, photo_id: FromPath[UUID], data: Annotated[MoveForm, FORM]
    ) -> Response:
        """Move earlier / Move later on the edit page, which then shows that photo."""
        step = {"earlier": -1, "later": 1}.get(data.direction, 0)
        photo = await move_photo(member, photo_id, step)
        return redirect(f"/m/{photo.memory_id}/edit#photo-{photo.id}")

    @post("/m/{memory_id:uuid}/photos/order")
    async def order(
        self, member: Member, memory_id: FromPath[UUID], data: Annotated[OrderForm, FORM]
    ) -> Response:
        """The photos in a new order (ids, first first): the edit page's script sends it when
        a photo is dragged or moved."""
        order = await read_form(
            lambda: [_photo_id(raw) for raw in data.photo_ids],
            lambda: live_memory(member, memory_id),
        )
        await reorder_photos(member, memory_id, order)
        return redirect(f"/m/{memory_id}/edit")

    @post("/m/{memory_id:uuid}/connection")
    async def connection(
        self,
        request: Request,
        member: Member,
        state: State,
        memory_id: FromPath[UUID],
        data: Annotated[ConnectionForm, FORM],
        now: Now,
    ) -> Response:
        try:
            score = int(data.score)
        except ValueError:
            score = 0  # out of range, and said so like any other score out of range
        try:
            await set_connection(member, memory_id, score, data.appreciation, now=now)
        except InvalidInput as error:
            return await _memory_page(
                request, member, state, memory_id, now, error=error, sent=typed(data)
            )
        return redirect(f"/m/{memory_id}#connection")

    @post("/m/{memory_id:uuid}/replies")
    async def reply(
        self,
        request: Request,
        member: Member,
        state: State,
        memory_id: FromPath[UUID],
        data: Annotated[ReplyForm, FORM],
        now: Now,
    ) -> Response:
        try:
            await add_reply(member, memory_id, data.text, now=now)
        except InvalidInput as error:
            return await _memory_page(
                request, member, state, memory_id, now, error=error, sent=typed(data)
            )
        return redirect(f"/m/{memory_id}#replies")

    @post("/m/{memory_id:uuid}/delete")
    async def trash(self, member: Member, memory_id: FromPath[UUID], now: Now) -> Response:
        await trash_memory(member, memory_id, now=now)
        memory = await memory_for(member, memory_id)
        return redirect(f"/t/{memory.timeline_id}", flash="memory_trashed")

    @post("/m/{memory_id:uuid}/restore")
    async def restore(self, member: Member, memory_id: FromPath[UUID]) -> Response:
        await restore_memory(member, memory_id)
        return redirect(f"/m/{memory_id}", flash="memory_restored")

    @post("/photos/{photo_id:uuid}/delete")
    async def remove_photo(
        self, member: Member, storage: StorageDep, photo_id: FromPath[UUID]
    ) -> Response:
        photo = await delete_photo(member, photo_id, storage)
        return redirect(f"/m/{photo.memory_id}/edit", flash="photo_removed")


def _suggestion_id(raw: str) -> UUID | None:
    """The pick a new memory recreates, from the form's hidden field."""
    if not raw:
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise InvalidInput("This form came from a pick we do not know.", field="title") from None


def _draft_id(raw: str) -> UUID | None:
    """The draft of shared photos a new memory is made from, from the form's hidden field."""
    if not raw:
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise InvalidInput("This form names shared photos we do not know.", "photos") from None


def _shared_captions(form: MemoryForm) -> dict[UUID, str]:
    """The captions of the draft's photos, by shared photo id."""
    return _captions_by_id(form.draft_photo_ids, form.draft_captions, "shared photo")


@dataclass(frozen=True)
class Shared:
    """Photos shared from the gallery, waiting in a draft above the new-memory form."""

    draft: ShareDraft
    photos: list[SharedPhoto]
    # The earliest day they were taken on (EXIF), proposed as the memory's.
    day: date | None


async def _shared(state: State, member: User, draft_id: UUID, now: datetime) -> Shared:
    draft = await draft_of(member, draft_id, now=now)
    day = proposed_day(draft, today=member_today(member, now))
    return Shared(draft, shared_photos(state, draft, now), day)


async def _still_shared(state: State, member: User, draft_id: UUID, now: datetime) -> Shared | None:
    try:
        return await _shared(state, member, draft_id, now)
    except NotFound:
        return None


def _chosen(photos: list[Any]) -> list[UploadFile]:
    """The photos actually chosen (an empty file input still sends a part)."""
    return [p for p in photos if isinstance(p, UploadFile) and p.filename]


def _new_photos(uploads: list[UploadFile], captions: list[str]) -> list[NewPhoto]:
    """The chosen photos, each with its caption (sent in the same order; without the page's
    script none are sent, and a photo without one has none)."""
    if len(captions) > len(uploads):
        raise InvalidInput("Each caption goes with a photo: choose the photos again.", "captions")
    checked = [
        check_caption(text, field="captions", label=f"The caption of photo {n}")
        for n, text in enumerate(captions, 1)
    ]
    checked += [""] * (len(uploads) - len(checked))
    return [NewPhoto(up.file, caption) for up, caption in zip(uploads, checked, strict=True)]


def _captions_of(form: MemoryForm) -> dict[UUID, str]:
    """The edit page's captions of the memory's photos, by photo id."""
    return _captions_by_id(form.photo_ids, form.photo_captions, "photo")


def _captions_by_id(ids: list[str], texts: list[str], what: str) -> dict[UUID, str]:
    """Captions sent beside the photos' ids, by id; each refusal names that photo's own
    caption field (`caption-<id>`)."""
    if len(ids) != len(texts):
        raise InvalidInput("Each caption goes with a photo: reload the page.", "captions")
    captions = {}
    for n, (raw, text) in enumerate(zip(ids, texts, strict=True), 1):
        photo_id = _photo_id(raw)
        field, label = f"caption-{photo_id}", f"The caption of {what} {n}"
        captions[photo_id] = check_caption(text, field=field, label=label)
    return captions


def _photo_id(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise InvalidInput("This form names a photo we do not know.", "captions") from None


def _connection(form: MemoryForm) -> ConnectionDraft | None:
    """How close the author felt and what they appreciated, when they said; words without a
    score are refused beside the hearts, so they are not lost."""
    # Multipart bodies pass the NUL guard (they carry binary photos): check the text here.
    if "\x00" in form.appreciation:
        raise InvalidInput(NUL_MESSAGE, field="appreciation")
    if not form.score.strip():
        if form.appreciation.strip():
            raise InvalidInput("Choose how close you felt to keep what you wrote.", "score")
        return None
    try:
        score = int(form.score)
    except ValueError:
        score = 0  # out of range, and said so like any other score out of range
    return ConnectionDraft(*check_connection(score, form.appreciation))


@dataclass(frozen=True)
class EditPhoto:
    """A photo on the edit page: as the memory page shows it (sized before it arrives, the
    thumb or the display variant as the width needs), and its caption (as typed when a
    refused form comes back)."""

    shown: PagePhoto
    caption: str


def _edit_photos(
    state: State, memory: Memory, now: datetime, typed: dict[str, Any] | None = None
) -> list[EditPhoto]:
    typed = typed or {}
    ids, captions = typed.get("photo_ids", []), typed.get("photo_captions", [])
    sent = dict(zip(ids, captions, strict=False))
    photos = sorted(memory.photos, key=lambda p: (p.position, p.created_at))
    shown = []
    for photo in photos:
        caption = sent.get(str(photo.id), photo.caption)
        shown.append(EditPhoto(_page_photo(state, photo, now), caption))
    return shown


def _typed(form: MemoryForm) -> dict[str, Any]:
    """What was typed, for the form shown again (photos cannot be shown again)."""
    return {name: value for name, value in typed(form).items() if name != "photos"}


def _sent(form: MemoryForm) -> dict[str, str]:
    """The memory's fields that were sent, as text."""
    fields = {name: value for name, value in typed(form).items() if name in MEMORY_FIELDS}
    # Multipart bodies pass the NUL guard (they carry binary photos): check the text here.
    if any("\x00" in value for value in fields.values()):
        raise InvalidInput(NUL_MESSAGE, field="title")
    return fields


def _read(kind: type[MemoryDraft | MemoryChanges], fields: dict[str, Any], today: date) -> Any:
    """The draft the domain takes: the tags split as typed ("a, b"), the date read. When the
    tags or the date cannot be read, the domain's checks still run first (on a stand-in), so
    a form wrong in several ways is refused for the field the domain names first, as the API
    is."""
    unread: list[InvalidInput] = []
    if "tags" in fields:
        try:
            fields["tags"] = split_tags(fields["tags"])
        except InvalidInput as error:
            unread.append(error)
            fields["tags"] = []
    if "occurred_on" in fields:
        try:
            fields["occurred_on"] = check_date(fields["occurred_on"], today)
        except InvalidInput as error:
            unread.append(error)
            fields["occurred_on"] = today
    draft = kind(**fields)
    if unread:
        check_fields(draft, today=today)
        raise unread[0]
    return draft


def _form_page(
    request: Request,
    *,
    form: dict[str, Any],
    timeline: Timeline,
    memory: Memory | None = None,
    error: Exception | None = None,
    photos: list[EditPhoto] | None = None,
    original: Original | None = None,
    shared: Shared | None = None,
) -> Template:
    """The memory form; recreating a pick, the `original` beside it with its first photo."""
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
            "action": f"/m/{memory.id}/edit" if memory else f"/t/{timeline.id}/memories",
            "timeline": timeline,
            "kinds": Memory.KINDS,
            "photos": photos or [],
            "original": original,
            "shared": shared,
            "shared_captions": dict(
                zip(form.get("draft_photo_ids", []), form.get("draft_captions", []), strict=False)
            ),
        },
        status_code=status,
    )


@dataclass(frozen=True)
class Original:
    """The memory being recreated, shown beside the form, with its first photo."""

    memory: Memory
    photo: PagePhoto | None


async def _original(
    state: State, member: User, timeline_id: UUID, suggestion_id: UUID, now: datetime
) -> Original | None:
    """The pick's memory and first photo; None for a pick of another of their timelines."""
    pick = await pick_of(member, suggestion_id)
    if pick.timeline_id != timeline_id:
        return None
    memory = await memory_details(member, pick.memory_id)
    photos = sorted(memory.photos, key=lambda p: p.position)
    return Original(memory, _page_photo(state, photos[0], now) if photos else None)


@dataclass(frozen=True)
class PagePhoto:
    """A photo as the memory page shows it: sized before it arrives (no layout shift), the
    thumb or display variant as the width needs (`srcset`), the display variant in the
    viewer and the original on demand."""

    photo: Photo
    thumb: str
    display: str
    original: str
    # The display variant's size, which the viewer needs; the thumb's width, for `srcset`.
    width: int
    height: int
    thumb_width: int

    @property
    def shape(self) -> float:
        """Width over height, which the page keeps."""
        return round(self.width / self.height, 4)

    @property
    def srcset(self) -> str:
        if self.thumb_width >= self.width:
            return f"{self.display} {self.width}w"
        return f"{self.thumb} {self.thumb_width}w, {self.display} {self.width}w"


def _page_photo(state: State, photo: Photo, now: datetime) -> PagePhoto:
    urls = photo_urls(state, photo, now, absolute=False)
    width, height = fitted_size(photo.width, photo.height, DISPLAY_EDGE)
    return PagePhoto(
        photo=photo,
        thumb=urls["thumb"],
        display=urls["display"],
        original=urls["original"],
        width=width,
        height=height,
        thumb_width=fitted_size(photo.width, photo.height, THUMB_EDGE)[0],
    )


async def _memory_page(
    request: Request,
    user: User,
    state: State,
    memory_id: UUID,
    now: datetime,
    error: InvalidInput | None = None,
    sent: dict[str, str] | None = None,
    *,
    keep: bool = False,
) -> Template | Response:
    """The memory: its photos first (a then-and-now pair when it recreates another), both
    partners' words, my own answer, the replies. `sent` is what a refused form held, shown
    again. With `keep`, the page is kept while its timeline does not change (see
    `server.http.kept`), unless it links memories of another timeline, whose changes its
    timeline's revision does not count."""
    memory = await memory_for(user, memory_id)
    timeline = await timeline_with_members(user, memory.timeline_id)
    then = await memory_for(user, memory.recreates_id) if memory.recreates_id else None
    recreations = await recreations_of(user, memory.id)
    linked = {m.timeline_id for m in [*recreations, *([then] if then else [])]}
    kept = (
        kept_page(request, state, user, timeline, now) if keep and linked <= {timeline.id} else None
    )
    if kept and kept.answer:
        return kept.answer
    # Read again after the revision: a change committed between the two reads must not be
    # rendered from the older row and kept under the newer revision.
    memory = await with_own_details(await memory_for(user, memory_id))
    if then:
        await with_own_details(then)
    members = {m.id: m for m in members_of(timeline)}
    connections = {c.user_id: c for c in memory.connections}
    photos = [_page_photo(state, p, now) for p in sorted(memory.photos, key=lambda p: p.position)]
    then_photos = sorted(then.photos, key=lambda p: p.position) if then else []
    # Partners' notes first, in their own voice; mine last (its form follows it).
    partners = [m for m in members.values() if m.id != user.id]
    notes = [(m, connections[m.id]) for m in [*partners, user] if m.id in connections]
    shown = page(
        request,
        "memory.html",
        {
            "memory": memory,
            "timeline": timeline,
            "tags": sorted(t.name for t in memory.tags),
            "photos": photos,
            "notes": notes,
            "mine": connections.get(user.id),
            "author": members.get(memory.author_id),
            "replies": [(r, members.get(r.author_id)) for r in await replies_of(user, memory_id)],
            "then": then,
            "then_photo": _page_photo(state, then_photos[0], now) if then_photos else None,
            "recreations": recreations,
            "error": error,
            "sent": sent or {},
        },
        status_code=status_of(error) if error else 200,
    )
    return kept.keep(shown) if kept else shown
