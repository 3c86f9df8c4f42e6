"""Taking a timeline away: the archive of everything in it, streamed as it is written."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get
from litestar.params import FromPath
from litestar.response import Stream

from server.files.archive import archive_response
from server.http.auth import signed_in
from server.http.compression import ALREADY_COMPRESSED
from server.http.dependencies import Member, Now, StorageDep


class ExportController(Controller):
    path = "/api/v1"
    tags = ["timelines"]
    guards = [signed_in]

    @get(
        "/timelines/{timeline_id:uuid}/export",
        operation_id="exportTimeline",
        opt={ALREADY_COMPRESSED: True},
    )
    async def export(
        self, member: Member, storage: StorageDep, timeline_id: FromPath[UUID], now: Now
    ) -> Stream:
        """A zip: `timeline.json` (every memory, rating, reply, milestone, quiet rule and
        answered suggestion, with a format version) and every original photo."""
        return await archive_response(member, timeline_id, storage, now)
