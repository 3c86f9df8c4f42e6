"""API: today's "Remember when..." pick and the couple's answer to it."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from server.api.schemas import FeedbackIn, SuggestionOut, memory_out
from server.auth import current_user, signed_in
from server.clock import Now
from timeline.daily_pick import answer, todays_pick
from timeline.memories import memory_details
from timeline.models import Suggestion


class ResurfacingController(Controller):
    path = "/api/v1"
    tags = ["resurfacing"]
    guards = [signed_in]

    @get("/timelines/{timeline_id:uuid}/resurfacing/today", operation_id="todaysPick")
    async def today(
        self, request: Request, timeline_id: FromPath[UUID], now: Now
    ) -> Response[SuggestionOut | None]:
        """Today's pick with its reasons and a reflection prompt, the same for both partners;
        204 when no memory is worth bringing back yet."""
        suggestion = await todays_pick(current_user(request), timeline_id, now=now)
        if suggestion is None:
            return Response(None, status_code=HTTP_204_NO_CONTENT)
        return Response(await _out(request, suggestion, now))

    @post(
        "/suggestions/{suggestion_id:uuid}/feedback",
        status_code=HTTP_200_OK,
        operation_id="answerPick",
    )
    async def feedback(
        self,
        request: Request,
        suggestion_id: FromPath[UUID],
        data: JSONBody[FeedbackIn],
        now: Now,
    ) -> SuggestionOut:
        """recreate (optional `planned_on`), snooze (30 days), never, or done (`memory_id` of
        the new memory that recreates it)."""
        suggestion = await answer(
            current_user(request),
            suggestion_id,
            data.action,
            now=now,
            memory_id=data.memory_id,
            planned_on=data.planned_on,
        )
        return await _out(request, suggestion, now)


async def _out(request: Request, suggestion: Suggestion, now) -> SuggestionOut:
    memory = await memory_details(current_user(request), suggestion.memory_id)
    return SuggestionOut(
        suggestion_id=suggestion.id,
        local_date=suggestion.local_date,
        memory=memory_out(request.app.state, memory, now),
        reasons=suggestion.reasons,
        score=suggestion.score,
        prompt=suggestion.prompt,
        action=suggestion.action,
        snoozed_until=suggestion.snoozed_until,
        planned_on=suggestion.planned_on,
    )
