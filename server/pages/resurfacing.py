"""Pages: answering today's "Remember when..." pick from the home page, taking an answer
back, and the planned recreation as a calendar file."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response, get, post
from litestar.params import FromPath

from server.api.resurfacing import plan_calendar
from server.http.auth import signed_in
from server.http.dependencies import Member, Now, SettingsDep
from server.pages.forms import FORM, optional_date
from server.pages.rendering import redirect
from timeline.models import Suggestion
from timeline.resurfacing.daily_pick import answer, take_back

FLASH_FOR = {"recreate": "pick_planned", "snooze": "pick_snoozed", "never": "pick_vetoed"}


class AnswerForm(msgspec.Struct):
    action: str = ""
    planned_on: str = ""
    # "change" when a plan gets a new day: said differently, recorded the same.
    change: str = ""


class ResurfacingPages(Controller):
    include_in_schema = False
    guards = [signed_in]

    @post("/s/{suggestion_id:uuid}/answer")
    async def answer(
        self,
        member: Member,
        suggestion_id: FromPath[UUID],
        data: Annotated[AnswerForm, FORM],
        now: Now,
    ) -> Response:
        planned_on = optional_date(
            data.planned_on, message="Enter the date as YYYY-MM-DD.", field="planned_on"
        )
        made = await answer(member, suggestion_id, data.action, now=now, planned_on=planned_on)
        flash = "plan_changed" if data.change else FLASH_FOR.get(data.action)
        return redirect(f"/#pick-{made.timeline_id}", flash=flash)

    @post("/s/{suggestion_id:uuid}/undo")
    async def undo(self, member: Member, suggestion_id: FromPath[UUID]) -> Response:
        """Cancel a plan, or lift a "not now" or a "never": the pick is offered again."""
        suggestion: Suggestion = await take_back(member, suggestion_id)
        return redirect(f"/#pick-{suggestion.timeline_id}", flash="pick_taken_back")

    @get("/s/{suggestion_id:uuid}/calendar.ics")
    async def calendar(
        self, member: Member, settings: SettingsDep, suggestion_id: FromPath[UUID], now: Now
    ) -> Response[bytes]:
        return await plan_calendar(member, settings, suggestion_id, now)
