"""Recaps kept in this process while what they are made of does not change.

Building a year's recap reads every memory of the year; viewing it again should not. Each
view asks the database for a version of the year instead (one query of counts and latest
changes across memories, photos, ratings, replies, milestones, quiet rules and members):
while it is the same, the recap built last time is still right. Every process checks the
database, so processes stay interchangeable; the cache only saves work."""

from __future__ import annotations

from datetime import date

from timeline.core.sql import Query
from timeline.models import Timeline, User
from timeline.timelines.years import RelationshipYear


async def version_of(
    timeline: Timeline, year: RelationshipYear, members: list[User], today: date
) -> tuple:
    """What changes whenever the recap of `year` would: one row of aggregates."""
    query = Query()

    def in_year(alias: str) -> str:
        return (
            f"{alias}.timeline_id = {query.param(timeline.id)} AND {alias}.deleted_at IS NULL "
            f"AND {alias}.occurred_on BETWEEN {query.param(year.starts_on)} "
            f"AND {query.param(year.ends_on)}"
        )

    def members_sql() -> str:
        return f"SELECT user_id FROM membership WHERE timeline_id = {query.param(timeline.id)}"

    sql = (
        "SELECT "
        f"(SELECT COUNT(*) FROM memory m WHERE {in_year('m')}) AS memories, "
        f"(SELECT MAX(m.updated_at) FROM memory m WHERE {in_year('m')}) AS edited, "
        f"(SELECT COUNT(*) FROM memory m WHERE {in_year('m')} "
        f"AND m.never_resurface = {query.true}) AS vetoed, "
        "(SELECT COUNT(*) || ':' || COALESCE(SUM(p.position), 0) FROM photo p "
        f"JOIN memory m ON m.id = p.memory_id WHERE {in_year('m')}) AS photos, "
        "(SELECT MAX(p.created_at) FROM photo p "
        f"JOIN memory m ON m.id = p.memory_id WHERE {in_year('m')}) AS photographed, "
        "(SELECT COUNT(*) FROM connection c "
        f"JOIN memory m ON m.id = c.memory_id WHERE {in_year('m')}) AS ratings, "
        f"(SELECT COUNT(*) FROM connection c WHERE c.user_id IN ({members_sql()})) AS all_ratings, "
        f"(SELECT MAX(c.updated_at) FROM connection c WHERE c.user_id IN ({members_sql()})) "
        "AS rated, "
        "(SELECT COUNT(*) FROM reply r "
        f"JOIN memory m ON m.id = r.memory_id WHERE {in_year('m')}) AS replies, "
        f"(SELECT COUNT(*) FROM milestone WHERE timeline_id = {query.param(timeline.id)}) "
        "AS milestones, "
        f"(SELECT MAX(created_at) FROM milestone WHERE timeline_id = {query.param(timeline.id)}) "
        "AS milestoned, "
        f"(SELECT COUNT(*) FROM quiet_rule WHERE timeline_id = {query.param(timeline.id)}) "
        "AS quiet, "
        f"(SELECT MAX(created_at) FROM quiet_rule WHERE timeline_id = {query.param(timeline.id)}) "
        "AS quieted"
    )
    (row,) = await query.rows(sql)
    people = tuple((str(m.id), m.display_name) for m in members)
    return (timeline.name, timeline.together_since, today, people, *map(str, row.values()))
