"""Pages: answering today's "Remember when..." pick from the home page."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from litestar import Controller, Request, Response, post
from litestar.params import FromPath

from server.common.clock import Now
from server.http.auth import current_user, signed_in
from server.pages.forms import Form
from server.pages.rendering import redirect
from timeline.core.errors import InvalidInput
from timeline.resurfacing.daily_pick import answer

FLASH_FOR = {"recreate": "pick_planned", "snooze": "pick_snoozed", "never": "pick_vetoed"}


class ResurfacingPages(Controller):
    include_in_schema = False
    guards = [signed_in]

    @post("/s/{suggestion_id:uuid}/answer")
    async def answer(
        self, request: Request, suggestion_id: FromPath[UUID], data: Form, now: Now
    ) -> Response:
        planned = data.get("planned_on", "").strip()
        try:
            planned_on = date.fromisoformat(planned) if planned else None
        except ValueError:
            raise InvalidInput("Enter the date as YYYY-MM-DD.", field="planned_on") from None
        action = data.get("action", "")
        await answer(current_user(request), suggestion_id, action, now=now, planned_on=planned_on)
        return redirect("/", flash=FLASH_FOR.get(action))
