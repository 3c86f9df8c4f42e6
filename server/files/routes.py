"""Serving photos to holders of signed links: stored objects, and the full-size photo."""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
from collections.abc import AsyncIterator
from datetime import datetime
from uuid import UUID

from litestar import Request, Response, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Stream

from media.errors import MissingObject
from media.signing import UrlSigner
from server.files.links import original_path
from server.http.auth import ANONYMOUS
from server.http.compression import ALREADY_COMPRESSED
from server.http.dependencies import Now, StorageDep
from timeline.memories.photos import ensure_full_size, photo_by_signed_link

CHUNK = 256 * 1024


def _check_signature(signer: UrlSigner, path: str, exp: int, sig: str, now: datetime) -> None:
    if not signer.verify(path, exp, sig, now):
        raise PermissionDeniedException("This link has expired or is not valid.")


@get("/media/{key:path}", include_in_schema=False, opt={ANONYMOUS: True, ALREADY_COMPRESSED: True})
async def stored_object(
    request: Request,
    state: State,
    storage: StorageDep,
    key: FromPath[str],
    exp: FromQuery[int],
    sig: FromQuery[str],
    now: Now,
) -> Response:
    """An object of the local folder, for as long as its link is valid."""
    _check_signature(state.signer, f"/media{key}", exp, sig, now)
    key = key.lstrip("/")
    # Objects never change once written, so the key names the content.
    etag = f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'
    remaining = max(0, exp - int(now.timestamp()))
    headers = {"Cache-Control": f"private, max-age={remaining}, immutable", "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(b"", status_code=304, headers=headers)
    try:
        source = await storage.open(key)
    except MissingObject:
        raise NotFoundException("This photo is no longer here.") from None

    async def chunks() -> AsyncIterator[bytes]:
        # File reads block; each chunk is read in a worker thread, off the event loop.
        try:
            while chunk := await asyncio.to_thread(source.read, CHUNK):
                yield chunk
        finally:
            source.close()

    content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
    return Stream(chunks(), media_type=content_type, headers=headers)


@get(
    "/photos/{photo_id:uuid}/original",
    include_in_schema=False,
    opt={ANONYMOUS: True, ALREADY_COMPRESSED: True},
)
async def full_size_photo(
    state: State,
    storage: StorageDep,
    photo_id: FromPath[UUID],
    exp: FromQuery[int],
    sig: FromQuery[str],
    now: Now,
) -> Response:
    """The full-size photo (16 MP at most) without metadata: built on the first request,
    once however many ask at the same time, then linked to."""
    _check_signature(state.signer, original_path(photo_id), exp, sig, now)
    photo = await photo_by_signed_link(photo_id)
    try:
        key = await ensure_full_size(photo, storage)
    except MissingObject:
        raise NotFoundException("This photo is no longer here.") from None
    return Redirect(storage.signed_url(key, now), status_code=302)
