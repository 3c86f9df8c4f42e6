"""The pick's first cut, made in SQL: a ceiling on every memory's score, so only the few
memories that could win are gathered and scored exactly in Python.

Each term of `timeline.resurfacing.score` enters the ceiling at its exact value where SQL
computes it cheaply (mutual connection, calendar resonance, what was said), and at a bound
where it cannot (nostalgia rounded up to the next twentieth, habits at the kind's answer
plus the best-liked tag, freshness at 1). What SQL can rule out for good (trash, vetoes, too
recent, a partner's 1 or 2) never leaves the database. The daily pick widens the cut until
no memory left out could beat its shortlist, so the pick is the one a full scan would make."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from timeline.resurfacing import (
    LOWEST_WELCOME_SCORE,
    MIN_AGE,
    NO_RATING_CONFIDENCE,
    ONE_RATING_CONFIDENCE,
    WEIGHTS,
    Habits,
)
from timeline.sql import Query

# Nostalgia's bound is its value rounded up to the next of these steps.
NOSTALGIA_STEPS = 20
REPLIES = "(SELECT COUNT(*) FROM reply r WHERE r.memory_id = m.id)"


@dataclass(frozen=True)
class Ceiling:
    memory_id: UUID
    bound: float


async def ceilings(
    timeline_id: UUID,
    member_ids: list[UUID],
    today: date,
    taught: Habits,
    limit: int,
    *,
    after: int = 0,
) -> list[Ceiling]:
    """The `limit` memories with the highest ceilings after the first `after`, highest first
    (ties by id)."""
    query = Query()
    first, second = [*member_ids, None, None][:2]
    # Only numbers computed here are written into the SQL; values travel as parameters.
    sql = (
        f"SELECT m.id AS id, {_bound(query, today, taught)} AS bound "
        "FROM memory m "
        f"LEFT JOIN connection a ON a.memory_id = m.id AND a.user_id = {query.uuid(first)} "
        f"LEFT JOIN connection b ON b.memory_id = m.id AND b.user_id = {query.uuid(second)} "
        f"WHERE m.timeline_id = {query.uuid(timeline_id)} AND m.deleted_at IS NULL "
        f"AND m.never_resurface = {query.false} "
        f"AND m.occurred_on <= {query.param(today - MIN_AGE)} "
        f"AND (a.score IS NULL OR a.score >= {LOWEST_WELCOME_SCORE}) "
        f"AND (b.score IS NULL OR b.score >= {LOWEST_WELCOME_SCORE}) "
        f"ORDER BY bound DESC, id LIMIT {int(limit)} OFFSET {int(after)}"
    )
    rows = await query.rows(sql)
    return [Ceiling(UUID(str(row["id"])), float(row["bound"])) for row in rows]


def _bound(query: Query, today: date, taught: Habits) -> str:
    terms = {
        "mutual_connection": _mutual(taught.usual_score),
        "calendar_resonance": f"({_mutual(taught.usual_score)}) * ({_calendar(query, today)})",
        "nostalgia": _nostalgia(query, today),
        "said_about_it": _said(query),
        "habits": _habits(query, taught),
        "freshness": "1.0",
    }
    return " + ".join(f"{WEIGHTS[name]!r} * ({sql})" for name, sql in terms.items())


def _mutual(usual: float) -> str:
    """Exactly `resurfacing.mutual_connection`."""
    one = ONE_RATING_CONFIDENCE / 100
    return (
        "CASE WHEN a.score IS NOT NULL AND b.score IS NOT NULL THEN a.score * b.score / 25.0 "
        f"WHEN a.score IS NOT NULL THEN {one!r} * a.score * (3 * a.score + {usual!r}) "
        f"WHEN b.score IS NOT NULL THEN {one!r} * b.score * (3 * b.score + {usual!r}) "
        f"ELSE {NO_RATING_CONFIDENCE * usual * usual / 25!r} END"
    )


def _calendar(query: Query, today: date) -> str:
    """`resurfacing.calendar_resonance` (before closeness scales it), a day wider each way
    (leap years shift a day) and at 0.4 for any memory known only to its month."""
    near = _month_days(today, 4)
    week = _month_days(today, 8)
    month = today.month * 100
    return (
        f"CASE WHEN m.year >= {today.year} OR m.date_precision = 'year' THEN 0.0 "
        "WHEN m.date_precision = 'month' THEN 0.4 "
        f"WHEN m.month_day IN ({near}) THEN 1.0 "
        f"WHEN m.month_day IN ({week}) THEN 0.7 "
        f"WHEN m.month_day BETWEEN {month + 1} AND {month + 31} THEN 0.3 ELSE 0.0 END"
    )


def _month_days(today: date, days: int) -> str:
    around = {(d.month, d.day) for n in range(-days, days + 1) for d in [today + timedelta(n)]}
    if (2, 28) in around:
        around.add((2, 29))
    return ", ".join(str(m * 100 + d) for m, d in sorted(around))


def _nostalgia(query: Query, today: date) -> str:
    """`resurfacing.nostalgia` rounded up to the next twentieth: a memory dated on or after
    the day its nostalgia reaches k/20 has at most k/20."""
    steps = []
    for k in range(1, NOSTALGIA_STEPS):
        beyond = math.floor(-365 * math.log(1 - k / NOSTALGIA_STEPS))
        since = today - MIN_AGE - timedelta(days=beyond)
        steps.append(f"WHEN m.occurred_on >= {query.param(since)} THEN {k / NOSTALGIA_STEPS!r}")
    return f"CASE {' '.join(steps)} ELSE 1.0 END"


def _said(query: Query) -> str:
    """Exactly `resurfacing.said_about_it`."""
    return (
        f"{query.least}(1.0, 0.35 * ((CASE WHEN a.appreciation <> '' THEN 1 ELSE 0 END) "
        "+ (CASE WHEN b.appreciation <> '' THEN 1 ELSE 0 END)) "
        f"+ 0.15 * {REPLIES})"
    )


def _habits(query: Query, taught: Habits) -> str:
    """`resurfacing.habits` at most: the kind's own answer plus the best-liked tag."""
    best_tag = max([0.0, *taught.tags.values()])
    kinds = " ".join(
        f"WHEN {query.param(kind)} THEN {value + best_tag!r}"
        for kind, value in taught.kinds.items()
    )
    value = f"CASE m.kind {kinds} ELSE {best_tag!r} END" if kinds else repr(best_tag)
    return f"{query.least}(1.0, {value})"
