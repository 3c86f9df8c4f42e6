"""Pages: answering today's "Remember when..." pick from the home page."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response, post
from litestar.params import FromPath

from server.http.auth import signed_in
from server.http.dependencies import Member, Now
from server.pages.forms import FORM, optional_date
from server.pages.rendering import redirect
from timeline.resurfacing.daily_pick import answer

FLASH_FOR = {"recreate": "pick_planned", "snooze": "pick_snoozed", "never": "pick_vetoed"}


class AnswerForm(msgspec.Struct):
    action: str = ""
    planned_on: str = ""


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
        await answer(member, suggestion_id, data.action, now=now, planned_on=planned_on)
        return redirect("/", flash=FLASH_FOR.get(data.action))
