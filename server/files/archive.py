"""A timeline's archive as a download, for the API and the timeline page alike."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from litestar.response import Stream

from media.storage import Storage
from server.files.zip_stream import zip_stream
from timeline.models import User
from timeline.portability.export import export_of


async def archive_response(
    member: User, timeline_id: UUID, storage: Storage, now: datetime
) -> Stream:
    """The zip of one of `member`'s timelines, as a download."""
    export = await export_of(member, timeline_id, storage, now=now)
    return Stream(
        zip_stream(export.entries(), now),
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{export.filename}"',
            "Cache-Control": "private, no-store",
        },
    )
