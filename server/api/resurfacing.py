"""API: today's "Remember when..." pick, the couple's answer to it, and their quiet rules."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import msgspec
from litestar import Controller, Response, delete, get, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from server.api.memories import MemoryOut, memory_out
from server.common.ics import plan_event
from server.common.settings import Settings
from server.http.auth import signed_in
from server.http.dependencies import Member, Now, SettingsDep
from timeline.memories.writing import memory_details
from timeline.models import QuietRule, Suggestion, User
from timeline.resurfacing.daily_pick import answer, plan_of, todays_pick
from timeline.resurfacing.quiet import add_rule, remove_rule, rules_of


class SuggestionOut(msgspec.Struct):
    suggestion_id: UUID
    local_date: date
    memory: MemoryOut
    reasons: list[str]
    score: float
    prompt: str
    action: str | None
    snoozed_until: date | None
    planned_on: date | None


class FeedbackIn(msgspec.Struct):
    action: str
    memory_id: UUID | None = None
    planned_on: date | None = None


class QuietRuleIn(msgspec.Struct):
    tag: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    yearly: bool = False


class QuietRuleOut(msgspec.Struct):
    id: UUID
    tag: str | None
    starts_on: date | None
    ends_on: date | None
    yearly: bool


class ResurfacingController(Controller):
    path = "/api/v1"
    tags = ["resurfacing"]
    guards = [signed_in]

    @get("/timelines/{timeline_id:uuid}/resurfacing/today", operation_id="todaysPick")
    async def today(
        self, member: Member, state: State, timeline_id: FromPath[UUID], now: Now
    ) -> Response[SuggestionOut | None]:
        """Today's pick with its reasons and a reflection prompt, the same for both partners;
        204 when no memory is worth bringing back yet."""
        suggestion = await todays_pick(member, timeline_id, now=now)
        if suggestion is None:
            return Response(None, status_code=HTTP_204_NO_CONTENT)
        return Response(await _out(member, state, suggestion, now))

    @post(
        "/suggestions/{suggestion_id:uuid}/feedback",
        status_code=HTTP_200_OK,
        operation_id="answerPick",
    )
    async def feedback(
        self,
        member: Member,
        state: State,
        suggestion_id: FromPath[UUID],
        data: JSONBody[FeedbackIn],
        now: Now,
    ) -> SuggestionOut:
        """recreate (optional `planned_on`), snooze (30 days), never, or done (`memory_id` of
        the new memory that recreates it)."""
        suggestion = await answer(
            member,
            suggestion_id,
            data.action,
            now=now,
            memory_id=data.memory_id,
            planned_on=data.planned_on,
        )
        return await _out(member, state, suggestion, now)

    @get(
        "/suggestions/{suggestion_id:uuid}/calendar.ics",
        operation_id="plannedRecreationCalendar",
        media_type="text/calendar",
    )
    async def calendar(
        self, member: Member, settings: SettingsDep, suggestion_id: FromPath[UUID], now: Now
    ) -> Response[bytes]:
        """The planned recreation as an all-day VEVENT for a calendar; 409 until a day is
        planned."""
        return await plan_calendar(member, settings, suggestion_id, now)

    @get("/timelines/{timeline_id:uuid}/quiet-rules", operation_id="listQuietRules")
    async def quiet_rules(self, member: Member, timeline_id: FromPath[UUID]) -> list[QuietRuleOut]:
        """Tags, spans of dates and yearly periods never to be brought back."""
        return [_rule_out(r) for r in await rules_of(member, timeline_id)]

    @post("/timelines/{timeline_id:uuid}/quiet-rules", operation_id="addQuietRule")
    async def add_quiet_rule(
        self, member: Member, timeline_id: FromPath[UUID], data: JSONBody[QuietRuleIn], now: Now
    ) -> QuietRuleOut:
        """A tag, or a span `starts_on`..`ends_on` (with `yearly`, a period every year) (201)."""
        rule = await add_rule(
            member,
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
    async def remove_quiet_rule(self, member: Member, rule_id: FromPath[UUID]) -> None:
        """Let those memories come back."""
        await remove_rule(member, rule_id)


async def plan_calendar(
    member: User, settings: Settings, suggestion_id: UUID, now: datetime
) -> Response[bytes]:
    """The `.ics` of a planned recreation, named after the memory, for the API and pages."""
    suggestion, memory = await plan_of(member, suggestion_id)
    body = plan_event(
        uid=suggestion.id,
        day=suggestion.planned_on,
        title=memory.title,
        description=suggestion.prompt,
        link=f"{settings.base_url}/m/{memory.id}",
        now=now,
    )
    return Response(
        body,
        media_type="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="recreate.ics"'},
    )


def _rule_out(rule: QuietRule) -> QuietRuleOut:
    return QuietRuleOut(
        id=rule.id, tag=rule.tag, starts_on=rule.starts_on, ends_on=rule.ends_on, yearly=rule.yearly
    )


async def _out(member: User, state: State, suggestion: Suggestion, now: datetime) -> SuggestionOut:
    memory = await memory_details(member, suggestion.memory_id)
    return SuggestionOut(
        suggestion_id=suggestion.id,
        local_date=suggestion.local_date,
        memory=memory_out(state, memory, now),
        reasons=suggestion.reasons,
        score=suggestion.score,
        prompt=suggestion.prompt,
        action=suggestion.action,
        snoozed_until=suggestion.snoozed_until,
        planned_on=suggestion.planned_on,
    )
