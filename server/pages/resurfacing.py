"""Pages: answering a "Remember when..." pick, from the home page or from a letter's link
(one page per answer the letter offers, which confirms it with one press), taking an answer
back, and the planned recreation as a calendar file."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Template

from server.api.resurfacing import plan_calendar
from server.http.auth import signed_in
from server.http.dependencies import Member, Now, SettingsDep
from server.pages.forms import FORM, optional_date
from server.pages.rendering import page, redirect
from server.pages.today import pick_shown
from timeline.models import Suggestion, User
from timeline.resurfacing.daily_pick import answer, pick_of, take_back
from timeline.timelines.membership import members_of, timeline_with_members

FLASH_FOR = {"recreate": "pick_planned", "snooze": "pick_snoozed", "never": "pick_vetoed"}
# The pages a letter links to, by the last part of their path: the answer each one confirms.
LETTER_ANSWERS = {"recreate": Suggestion.RECREATE, "not-now": Suggestion.SNOOZE}


class AnswerForm(msgspec.Struct):
    action: str = ""
    planned_on: str = ""
    # "change" when a plan gets a new day: said differently, recorded the same.
    change: str = ""
    # The letter's page the answer was given on ("recreate", "not-now"), to come back to.
    back: str = ""


class UndoForm(msgspec.Struct):
    back: str = ""


class ResurfacingPages(Controller):
    include_in_schema = False
    guards = [signed_in]

    @get("/s/{suggestion_id:uuid}/recreate")
    async def recreate_page(
        self,
        request: Request,
        member: Member,
        state: State,
        suggestion_id: FromPath[UUID],
        now: Now,
    ) -> Template:
        """A letter's "Let's recreate it": the pick, and a day to plan it for, to confirm."""
        return await _answer_page(request, member, state, suggestion_id, "recreate", now)

    @get("/s/{suggestion_id:uuid}/not-now")
    async def not_now_page(
        self,
        request: Request,
        member: Member,
        state: State,
        suggestion_id: FromPath[UUID],
        now: Now,
    ) -> Template:
        """A letter's "Not now": the pick, and resting it for a month, to confirm."""
        return await _answer_page(request, member, state, suggestion_id, "not-now", now)

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
        return redirect(_back_to(made, data.back), flash=flash)

    @post("/s/{suggestion_id:uuid}/undo")
    async def undo(
        self, member: Member, suggestion_id: FromPath[UUID], data: Annotated[UndoForm, FORM]
    ) -> Response:
        """Cancel a plan, or lift a "not now" or a "never": the pick is offered again."""
        suggestion: Suggestion = await take_back(member, suggestion_id)
        return redirect(_back_to(suggestion, data.back), flash="pick_taken_back")

    @get("/s/{suggestion_id:uuid}/calendar.ics")
    async def calendar(
        self, member: Member, settings: SettingsDep, suggestion_id: FromPath[UUID], now: Now
    ) -> Response[bytes]:
        return await plan_calendar(member, settings, suggestion_id, now)


def _back_to(suggestion: Suggestion, back: str) -> str:
    """The letter's page an answer was given on, else the pick on the home page."""
    if back in LETTER_ANSWERS:
        return f"/s/{suggestion.id}/{back}"
    return f"/#pick-{suggestion.timeline_id}"


async def _answer_page(
    request: Request, user: User, state: State, suggestion_id: UUID, asked: str, now: datetime
) -> Template:
    """The pick as the home page shows it, with the one answer the letter's link asked for;
    once answered (by either partner), what was answered and by whom instead."""
    suggestion = await pick_of(user, suggestion_id)
    timeline = await timeline_with_members(user, suggestion.timeline_id)
    pick = await pick_shown(state, user, members_of(timeline), suggestion, now)
    return page(
        request,
        "pick_answer.html",
        {"pick": pick, "timeline": timeline, "asked": asked, "answer": LETTER_ANSWERS[asked]},
    )
