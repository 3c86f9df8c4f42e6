"""API: adding photos to a memory and removing them, and the shape of a photo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response, delete, post
from litestar.datastructures import State, UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.status_codes import HTTP_204_NO_CONTENT

from server.files.links import photo_urls
from server.http.auth import signed_in
from server.http.body_limits import UPLOADS
from server.http.dependencies import Member, Now, StorageDep
from timeline.memories.photos import add_photo, delete_photo
from timeline.models import Photo


class PhotoUrls(msgspec.Struct):
    thumb: str
    display: str
    original: str


class PhotoOut(msgspec.Struct):
    id: UUID
    memory_id: UUID
    width: int
    height: int
    taken_at: datetime | None
    placeholder: str
    caption: str
    position: int
    urls: PhotoUrls
    duplicate: bool = False


def photo_out(state: State, photo: Photo, now: datetime, *, duplicate: bool = False) -> PhotoOut:
    return PhotoOut(
        id=photo.id,
        memory_id=photo.memory_id,
        width=photo.width,
        height=photo.height,
        taken_at=photo.taken_at,
        placeholder=photo.placeholder,
        caption=photo.caption,
        position=photo.position,
        urls=PhotoUrls(**photo_urls(state, photo, now, absolute=True)),
        duplicate=duplicate,
    )


@dataclass
class PhotoUpload:
    file: UploadFile


class PhotosController(Controller):
    path = "/api/v1"
    tags = ["photos"]
    guards = [signed_in]

    @post("/memories/{memory_id:uuid}/photos", operation_id="addPhoto", opt={UPLOADS: True})
    async def add(
        self,
        member: Member,
        state: State,
        storage: StorageDep,
        memory_id: FromPath[UUID],
        data: Annotated[PhotoUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        now: Now,
    ) -> Response[PhotoOut]:
        """Add a photo (multipart field `file`): 201, or 200 with `duplicate` when the
        timeline already holds these exact bytes; 413 too big, 415 not an image."""
        try:
            added = await add_photo(member, memory_id, data.file.file, storage, now=now)
        finally:
            await data.file.close()
        body = photo_out(state, added.photo, now, duplicate=added.duplicate)
        return Response(body, status_code=200 if added.duplicate else 201)

    @delete("/photos/{photo_id:uuid}", status_code=HTTP_204_NO_CONTENT, operation_id="deletePhoto")
    async def remove(self, member: Member, storage: StorageDep, photo_id: FromPath[UUID]) -> None:
        """Remove a photo and its stored objects."""
        await delete_photo(member, photo_id, storage)
