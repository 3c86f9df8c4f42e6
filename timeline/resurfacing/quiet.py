"""Quiet rules: tags, spans of dates and yearly periods that resurfacing must leave alone.

- a tag: memories with it never come back;
- a span (a hard year): memories dated within it never come back;
- a yearly period (say 3 to 10 March): while today is within it, give or take three days,
  memories dated within it in any year stay quiet. Periods may run over New Year."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from timeline.core.calendar import in_year
from timeline.core.errors import InvalidInput, NotFound
from timeline.core.tags import MAX_TAG, tag_name
from timeline.core.text import check_one_line
from timeline.models import QuietRule, Timeline, User
from timeline.timelines.access import scoped, timeline_for

AROUND = timedelta(days=3)


@dataclass(frozen=True)
class Quiet:
    """The rules of one timeline, ready to ask "may this memory come back today?"."""

    tags: frozenset[str]
    spans: tuple[tuple[date, date], ...]
    periods: tuple[tuple[date, date], ...]

    def silences(self, occurred_on: date, tags: Iterable[str], today: date) -> bool:
        if self.tags.intersection(tags):
            return True
        if any(start <= occurred_on <= end for start, end in self.spans):
            return True
        return any(
            _within_yearly(today, start, end, AROUND)
            and _within_yearly(occurred_on, start, end, AROUND)
            for start, end in self.periods
        )


def _within_yearly(day: date, start: date, end: date, slack: timedelta) -> bool:
    """Whether `day`'s month and day fall in the yearly period start..end (widened by
    `slack`), the period possibly running over New Year."""
    for year in (day.year - 1, day.year, day.year + 1):
        first = in_year(start, year) - slack
        last = in_year(end, year if (end.month, end.day) >= (start.month, start.day) else year + 1)
        if first <= day <= last + slack:
            return True
    return False


async def quiet_for(timeline: Timeline) -> Quiet:
    """The timeline's rules, loaded once per pick or on-this-day."""
    return (await quiet_of_many([timeline.id]))[timeline.id]


async def quiet_of_many(timeline_ids: list[UUID]) -> dict[UUID, Quiet]:
    """The rules of each of these timelines, in one query."""
    rules: dict[UUID, list[QuietRule]] = {t: [] for t in timeline_ids}
    for rule in await QuietRule.filter(timeline_id__in=timeline_ids):
        rules[rule.timeline_id].append(rule)
    return {timeline_id: _quiet(kept) for timeline_id, kept in rules.items()}


def _quiet(rules: list[QuietRule]) -> Quiet:
    return Quiet(
        tags=frozenset(r.tag for r in rules if r.tag),
        spans=tuple((r.starts_on, r.ends_on) for r in rules if r.starts_on and not r.yearly),
        periods=tuple((r.starts_on, r.ends_on) for r in rules if r.starts_on and r.yearly),
    )


async def add_rule(
    user: User,
    timeline_id: UUID,
    *,
    now: datetime,
    tag: str | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    yearly: bool = False,
) -> QuietRule:
    """A tag, or a span of dates (yearly or not), never to be brought back."""
    timeline = await timeline_for(user, timeline_id)
    tag = tag_name(tag or "") or None
    if tag and len(tag) > MAX_TAG:
        raise InvalidInput(f"Keep the tag under {MAX_TAG} characters.", field="tag")
    if tag:
        check_one_line(tag, field="tag", label="The tag")
    if tag and (starts_on or ends_on):
        raise InvalidInput("A rule is either a tag or a span of dates, not both.", field="tag")
    if not tag:
        if starts_on is None or ends_on is None:
            raise InvalidInput("Give a tag, or both ends of a span of dates.", field="starts_on")
        if not yearly and ends_on < starts_on:
            raise InvalidInput("The span must end after it starts.", field="ends_on")
    return await QuietRule.create(
        timeline=timeline,
        tag=tag,
        starts_on=starts_on,
        ends_on=ends_on,
        yearly=yearly,
        created_at=now,
    )


async def rules_of(user: User, timeline_id: UUID) -> list[QuietRule]:
    timeline = await timeline_for(user, timeline_id)
    return await QuietRule.filter(timeline=timeline).order_by("created_at")


async def remove_rule(user: User, rule_id: UUID) -> None:
    deleted = await scoped(QuietRule, user).filter(id=rule_id).delete()
    if not deleted:
        raise NotFound("No such rule.")
