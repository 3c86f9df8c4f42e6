"""Pages: photos shared from the phone's gallery (the manifest's share target).

The share sheet posts the photos (field `photos`, with an optional title, text and url) to
`/share`, with no CSRF token (it cannot hold one): the photos only become a draft, which the
member then opens, changes and saves like any new memory. Signed in with one timeline, the
draft opens in that timeline's new-memory form; with more, `/share/{id}` asks which. Not
signed in, the draft waits a day for whoever holds its secret (a cookie for that draft's
path alone), and log-in leads back to `/share/{id}`, which claims it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State, UploadFile
from litestar.params import FromPath

from media.errors import MediaError
from media.images import THUMB_EDGE, fitted_size
from server.files.links import draft_thumb_url
from server.http.auth import client_address, signed_in
from server.http.body_limits import UPLOADS
from server.http.dependencies import Member, Now, SettingsDep, StorageDep
from server.http.errors import headers_of, status_of
from server.pages.forms import FORM, MULTIPART
from server.pages.rendering import page, redirect
from timeline.core.errors import DomainError
from timeline.core.throttle import count_anonymous_share
from timeline.memories.drafts import (
    DRAFT_LIFETIME,
    MAX_SHARED_PHOTOS,
    check_shared_count,
    claim_draft,
    draft_of,
    drop_draft_photo,
    start_draft,
)
from timeline.models import ShareDraft, ShareDraftPhoto, Timeline, User
from timeline.timelines.membership import members_of, timelines_of

# The secret that claims a draft shared before logging in; one cookie per draft, sent only
# to that draft's page.
SHARE_COOKIE = "rw_share"


class ShareForm(msgspec.Struct):
    """What a share sheet sends: files, and the title, text and url the manifest names."""

    photos: list[Any] = []
    title: str = ""
    text: str = ""
    url: str = ""


class DropForm(msgspec.Struct):
    # The timeline whose new-memory form the draft is open in, to go back to.
    timeline: str = ""


@dataclass(frozen=True)
class SharedPhoto:
    """A photo waiting in a draft, as pages show it: its thumb, sized before it arrives."""

    photo: ShareDraftPhoto
    thumb: str
    width: int
    height: int


def shared_photos(state: State, draft: ShareDraft, now: datetime) -> list[SharedPhoto]:
    photos = []
    for photo in draft.shared:
        width, height = fitted_size(photo.width, photo.height, THUMB_EDGE)
        photos.append(SharedPhoto(photo, draft_thumb_url(state, photo, now), width, height))
    return photos


def new_memory_path(timeline_id: object, draft_id: object) -> str:
    return f"/t/{timeline_id}/new?draft={draft_id}"


class SharePages(Controller):
    include_in_schema = False

    @post("/share", opt={UPLOADS: True})
    async def receive(
        self,
        request: Request,
        storage: StorageDep,
        settings: SettingsDep,
        data: Annotated[ShareForm, MULTIPART],
        now: Now,
    ) -> Response:
        """The share sheet's photos become a draft; then the way to the memory form."""
        uploads = [p for p in data.photos if isinstance(p, UploadFile) and p.filename]
        user: User | None = request.user
        try:
            # Said before any photo is read, and before a throttle slot is taken.
            check_shared_count(len(uploads))
            if user is None:
                await count_anonymous_share(client_address(request), now)
            started = await start_draft(
                user,
                [up.file for up in uploads],
                storage,
                now=now,
                title=data.title,
                text=_words(data.text, data.url),
            )
        except (DomainError, MediaError) as error:
            response = page(
                request,
                "share_refused.html",
                {"detail": str(error), "count": len(uploads), "most": MAX_SHARED_PHOTOS},
                status_code=status_of(error),
            )
            response.headers.update(headers_of(error))
            return response
        finally:
            for upload in uploads:
                await upload.close()
        draft = started.draft
        if user is None:
            response = redirect(f"/login?next=/share/{draft.id}", flash="share_waiting")
            response.set_cookie(
                SHARE_COOKIE,
                started.secret,
                path=f"/share/{draft.id}",
                max_age=int(DRAFT_LIFETIME.total_seconds()),
                httponly=True,
                samesite="lax",
                secure=settings.https,
            )
            return response
        return redirect(await _next_step(user, draft.id))

    @get("/share/{draft_id:uuid}", guards=[signed_in])
    async def choose(
        self,
        request: Request,
        state: State,
        member: Member,
        draft_id: FromPath[UUID],
        now: Now,
    ) -> Response:
        """The draft, claimed for the member (shared before logging in, with its secret);
        with one timeline, straight to its form, else the choice of timeline."""
        await claim_draft(member, draft_id, request.cookies.get(SHARE_COOKIE), now=now)
        timelines = await timelines_of(member)
        if len(timelines) == 1:
            response: Response = redirect(new_memory_path(timelines[0].id, draft_id))
        else:
            draft = await draft_of(member, draft_id, now=now)
            response = page(
                request,
                "share_choose.html",
                {
                    "draft": draft,
                    "photos": shared_photos(state, draft, now),
                    "timelines": [_choice(t, member) for t in timelines],
                },
            )
        if SHARE_COOKIE in request.cookies:
            response.delete_cookie(SHARE_COOKIE, path=f"/share/{draft_id}")
        return response

    @post("/share/{draft_id:uuid}/photos/{photo_id:uuid}/delete", guards=[signed_in])
    async def drop(
        self,
        member: Member,
        storage: StorageDep,
        draft_id: FromPath[UUID],
        photo_id: FromPath[UUID],
        data: Annotated[DropForm, FORM],
        now: Now,
    ) -> Response:
        """Leave a shared photo out; back to the form the draft is open in."""
        await drop_draft_photo(member, draft_id, photo_id, storage, now=now)
        try:
            back = new_memory_path(UUID(data.timeline), draft_id)
        except ValueError:
            back = f"/share/{draft_id}"
        return redirect(back)


async def _next_step(user: User, draft_id: UUID) -> str:
    timelines = await timelines_of(user)
    if len(timelines) == 1:
        return new_memory_path(timelines[0].id, draft_id)
    return f"/share/{draft_id}"


def _words(text: str, url: str) -> str:
    """The text shared with the photos, and the link when the text does not already hold it."""
    text, url = text.strip(), url.strip()
    if url and url not in text:
        return f"{text}\n{url}".strip()
    return text


@dataclass(frozen=True)
class TimelineChoice:
    timeline: Timeline
    partners: list[str]


def _choice(timeline: Timeline, member: User) -> TimelineChoice:
    partners = [m.display_name for m in members_of(timeline) if m.id != member.id]
    return TimelineChoice(timeline, partners)
