"""A timeline's archive as a download, for the API and the timeline page alike."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from litestar import Request
from litestar.response import Stream

from server.files.zip_stream import zip_stream
from server.http.auth import current_user
from timeline.portability.export import export_of


async def archive_response(request: Request, timeline_id: UUID, now: datetime) -> Stream:
    """The zip of one of the caller's timelines, as a download."""
    export = await export_of(current_user(request), timeline_id, request.app.state.storage, now=now)
    return Stream(
        zip_stream(export.entries(), now),
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{export.filename}"',
            "Cache-Control": "private, no-store",
        },
    )
