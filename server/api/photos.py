"""API: adding photos to a memory and removing them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, delete, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.status_codes import HTTP_204_NO_CONTENT

from server.api.schemas import PhotoOut, photo_out
from server.common.clock import Now
from server.http.auth import current_user, signed_in
from server.http.body_limits import UPLOADS
from timeline.memories.photos import add_photo, delete_photo


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
        request: Request,
        memory_id: FromPath[UUID],
        data: Annotated[PhotoUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        now: Now,
    ) -> Response[PhotoOut]:
        """Add a photo (multipart field `file`): 201, or 200 with `duplicate` when the
        timeline already holds these exact bytes; 413 too big, 415 not an image."""
        try:
            added = await add_photo(
                current_user(request), memory_id, data.file.file, request.app.state.storage, now=now
            )
        finally:
            await data.file.close()
        body = photo_out(request.app.state, added.photo, now, duplicate=added.duplicate)
        return Response(body, status_code=200 if added.duplicate else 201)

    @delete("/photos/{photo_id:uuid}", status_code=HTTP_204_NO_CONTENT, operation_id="deletePhoto")
    async def remove(self, request: Request, photo_id: FromPath[UUID]) -> None:
        """Remove a photo and its stored objects."""
        await delete_photo(current_user(request), photo_id, request.app.state.storage)
