"""API: today's "Remember when..." pick and the couple's answer to it."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from server.api.schemas import (
    FeedbackIn,
    QuietRuleIn,
    QuietRuleOut,
    SuggestionOut,
    memory_out,
)
from server.common.clock import Now
from server.http.auth import current_user, signed_in
from timeline.memories.writing import memory_details
from timeline.models import QuietRule, Suggestion
from timeline.resurfacing.daily_pick import answer, todays_pick
from timeline.resurfacing.quiet import add_rule, remove_rule, rules_of


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

    @get("/timelines/{timeline_id:uuid}/quiet-rules", operation_id="listQuietRules")
    async def quiet_rules(
        self, request: Request, timeline_id: FromPath[UUID]
    ) -> list[QuietRuleOut]:
        """Tags, spans of dates and yearly periods never to be brought back."""
        return [_rule_out(r) for r in await rules_of(current_user(request), timeline_id)]

    @post("/timelines/{timeline_id:uuid}/quiet-rules", operation_id="addQuietRule")
    async def add_quiet_rule(
        self, request: Request, timeline_id: FromPath[UUID], data: JSONBody[QuietRuleIn], now: Now
    ) -> QuietRuleOut:
        """A tag, or a span `starts_on`..`ends_on` (with `yearly`, a period every year) (201)."""
        rule = await add_rule(
            current_user(request),
            timeline_id,
            now=now,
            tag=data.tag,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            yearly=data.yearly,
        )
        return _rule_out(rule)

    @delete(
        "/quiet-rules/{rule_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        operation_id="removeQuietRule",
    )
    async def remove_quiet_rule(self, request: Request, rule_id: FromPath[UUID]) -> None:
        """Let those memories come back."""
        await remove_rule(current_user(request), rule_id)


def _rule_out(rule: QuietRule) -> QuietRuleOut:
    return QuietRuleOut(
        id=rule.id, tag=rule.tag, starts_on=rule.starts_on, ends_on=rule.ends_on, yearly=rule.yearly
    )


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
