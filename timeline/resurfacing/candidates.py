"""The daily pick's candidates, found without reading the whole timeline.

Every memory stores a ceiling (`scoring.ceiling`), a key that grows with its ratings,
notes and replies; `Bounds` turns a key into the most the memory may score for one couple
today, at the most its list's dates may add (`of_list`) or at its own date (`of_row`). The
pick walks two indexed lists from the highest ceiling down: the memories of today's week in
earlier years (whose date may add more, so their ceilings count higher) and all memories.
It reads and scores only the memories whose own bound could beat its shortlist, and walks a
list further only while a memory not yet seen there could.

The ceiling is worked out when a memory is written, rated, or replied to. A memory whose
ceiling was never worked out keeps the highest possible one: never wrong, only slower."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter, defaultdict
from datetime import date
from functools import lru_cache
from itertools import product
from typing import NamedTuple
from uuid import UUID

from tortoise.functions import Count

from timeline.core.calendar import month_days_around
from timeline.core.sql import Query, as_date, as_uuid
from timeline.models import Connection, Memory, Reply, Timeline
from timeline.resurfacing.scoring import (
    BEYOND_WEEK,
    KEY_PER_NOTE,
    KEY_PER_REPLY,
    MIN_AGE,
    PER_NOTE,
    RESUGGEST_AFTER,
    WEEK_WINDOW,
    WEIGHTS,
    Habits,
    calendar_resonance,
    ceiling,
    its_week_ahead,
    mutual_connection,
    nostalgia,
    said_about_it,
    what_you_did,
)


class Ceiling(NamedTuple):
    """One memory as the walk reads it: its stored ceiling and its date."""

    memory_id: UUID
    ceiling: float
    occurred_on: date
    precision: str


async def highest_ceilings(
    timeline: Timeline, today: date, limit: int, after: int, *, this_week: bool
) -> list[Ceiling]:
    """The memories ranked `after` to `after + limit` by ceiling: those of today's week in
    earlier years (`this_week`), or all of them. SQL already leaves out the trash, vetoes,
    memories too recent, and those suggested in the last 90 days (otherwise the best
    ceilings would be walked first every day)."""
    # Written as SQL: the ORM took longer to build this query than the database took to run
    # it (README, resurfacing speed), and the walk asks at least twice a pick.
    sql = Query()
    where = (
        f"timeline_id = {sql.param(timeline.id)} AND deleted_at IS NULL "
        f"AND never_resurface = {sql.false} AND occurred_on <= {sql.param(today - MIN_AGE)} "
        "AND id NOT IN (SELECT memory_id FROM suggestion "
        f"WHERE timeline_id = {sql.param(timeline.id)} "
        f"AND local_date > {sql.param(today - RESUGGEST_AFTER)})"
    )
    if this_week:
        days = ", ".join(str(day) for day in month_days_around(today, WEEK_WINDOW))
        where += f" AND month_day IN ({days}) AND year < {today.year}"
    rows = await sql.rows(
        f"SELECT id, resurface_ceiling, occurred_on, date_precision FROM memory WHERE {where} "
        # Both descending, as the index (timeline, ceiling, id) reads backwards.
        f"ORDER BY resurface_ceiling DESC, id DESC LIMIT {int(limit)} OFFSET {int(after)}"
    )
    return [
        Ceiling(
            as_uuid(row["id"]),
            float(row["resurface_ceiling"]),
            as_date(row["occurred_on"]),
            row["date_precision"],
        )
        for row in rows
    ]


class Bounds:
    """The most memories may score for one couple today, from their stored ceilings: the
    best of every pair of current partners' scores and every count of notes and replies
    whose own part of the ceiling fits under it, at the most a reply may add for this couple,
    with what a ceiling leaves out (nostalgia, freshness, what the couple did) at the most it
    may add. Worked out once a pick: the walk asks for hundreds."""

    def __init__(self, taught: Habits, today: date) -> None:
        usual = taught.highest_usual()
        self._today = today
        self._pairs = [(key, mutual_connection(pair, usual, taught.scales)) for pair, key in _PAIRS]
        self._said_keys, self._most_said = _said_steps(taught.most_per_reply)
        # Freshness at its full weight, and what the couple did with the memory they did
        # most with.
        self._left_out = WEIGHTS["freshness"] + WEIGHTS["what_you_did"] * what_you_did(
            taught.most_done, 0, 0
        )
        self._at: dict[tuple[float, float], float] = {}

    def of_list(self, stored: float, *, this_week: bool) -> float:
        """The most a memory whose ceiling is at most `stored` may score: one of today's week
        in earlier years (`this_week`) may resonate fully, any other at most as much as
        BEYOND_WEEK; neither is held back for its week, and nostalgia counts in full."""
        resonance = 1.0 if this_week else BEYOND_WEEK
        per_closeness = WEIGHTS["mutual_connection"] + WEIGHTS["calendar_resonance"] * resonance
        return self._with_ceiling(stored, per_closeness) + WEIGHTS["nostalgia"]

    def of_row(self, row: Ceiling) -> float:
        """The most the memory of `row` may score, at its own date: how it resonates today,
        whether it is held back for its week, its nostalgia. Never above `of_list` for the
        narrowest list it is in (today's week, for a memory that resonates more than
        BEYOND_WEEK): closeness is never negative, and counts at most as much there."""
        on, precision, today = row.occurred_on, row.precision, self._today
        per_closeness = (
            WEIGHTS["mutual_connection"]
            + WEIGHTS["calendar_resonance"] * calendar_resonance(on, precision, today)
            - WEIGHTS["its_week_ahead"] * its_week_ahead(on, precision, today)
        )
        return self._with_ceiling(row.ceiling, per_closeness) + WEIGHTS["nostalgia"] * nostalgia(
            on, today
        )

    def _with_ceiling(self, stored: float, per_closeness: float) -> float:
        """The most a memory whose ceiling is at most `stored` may score, closeness counting
        `per_closeness`, but for its nostalgia. Closeness counts positively at any date (the
        mutual connection weighs more than being held back for its week), so the highest
        usual score of any kind bounds an unrated side's."""
        known = self._at.get((stored, per_closeness))
        if known is None:
            best = -math.inf
            for key, closeness in self._pairs:
                said = bisect_right(self._said_keys, stored + BOUND_SLACK - key)
                if said:
                    best = max(best, per_closeness * closeness + self._most_said[said - 1])
            known = self._at[stored, per_closeness] = best
        return known + self._left_out


# Room for float rounding when comparing a stored ceiling with one worked out again.
BOUND_SLACK = 1e-9
# The current partners' scores a memory that may be offered can have (a 1 or a 2 rules it
# out), each with its part of a stored ceiling.
_PAIRS = [
    (pair, ceiling([s for s in pair if s is not None], 0, 0))
    for pair in product((None, 3, 4, 5), repeat=2)
]


# A couple's most reply weight changes only with their scores and the replies of what they
# scored: one couple's picks ask again and again for the same.
@lru_cache(maxsize=256)
def _said_steps(per_reply: float) -> tuple[list[float], list[float]]:
    """Every count of notes and replies up to where the stored ceiling's part stops growing,
    as (ceiling part, the most the score part at `per_reply` reaches at or below it), by
    ceiling part. The score part may grow with replies past that count: its last step
    allows for as many as it grows with."""
    notes = _counts_that_matter(KEY_PER_NOTE, PER_NOTE)
    replies = _counts_that_matter(KEY_PER_REPLY)
    beyond = max(replies, _counts_that_matter(per_reply))
    said = WEIGHTS["said_about_it"]
    steps = sorted(
        (
            ceiling([], n, r) - ceiling([], 0, 0),
            said * said_about_it(n, beyond if r == replies else r, per_reply),
        )
        for n in range(notes + 1)
        for r in range(replies + 1)
    )
    keys, most = [], []
    for key, value in steps:
        keys.append(key)
        most.append(max(value, most[-1] if most else -math.inf))
    return keys, most


def _counts_that_matter(*steps: float) -> int:
    """How many notes (or replies) it takes for every part they count in to stop growing;
    none matter when no part counts them."""
    counted = [step for step in steps if step > 0]
    return math.ceil(1 / min(counted)) if counted else 0


async def refresh_ceiling(memory_id: UUID) -> None:
    """Work the memory's ceiling out again after a rating, a note or a reply."""
    rows = await Connection.filter(memory_id=memory_id).values_list("score", "appreciation")
    replies = await Reply.filter(memory_id=memory_id).count()
    await Memory.filter(id=memory_id).update(resurface_ceiling=_ceiling_of(rows, replies))


async def refresh_ceilings(timeline: Timeline) -> None:
    """Work out the ceiling of every memory of `timeline` (after a bulk import)."""
    ratings: dict[UUID, list[tuple[int, str]]] = defaultdict(list)
    for memory_id, score, note in await Connection.filter(memory__timeline=timeline).values_list(
        "memory_id", "score", "appreciation"
    ):
        ratings[memory_id].append((score, note))
    replies: Counter[UUID] = Counter(
        dict(
            await Reply.filter(memory__timeline=timeline)
            .group_by("memory_id")
            .annotate(count=Count("id"))
            .values_list("memory_id", "count")
        )
    )
    memories = await Memory.filter(timeline=timeline).only("id", "resurface_ceiling")
    for memory in memories:
        memory.resurface_ceiling = _ceiling_of(ratings.get(memory.id, []), replies[memory.id])
    await Memory.bulk_update(memories, fields=["resurface_ceiling"], batch_size=1000)


def _ceiling_of(rows: list[tuple[int, str]], replies: int) -> float:
    return ceiling([score for score, _ in rows], sum(bool(note) for _, note in rows), replies)
