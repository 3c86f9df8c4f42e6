"""Memories as pages, lists, letters and recaps read them: plain rows with their tags,
photos, ratings and reply count, read in five queries whatever their number.

Turning rows into ORM objects cost more than the database itself: 2,000 memories of a year
took 420 ms through Tortoise with prefetches, 26 ms as rows. The rows keep the models' field
names, so what reads a memory reads either."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from uuid import UUID

from tortoise.queryset import QuerySet

from timeline.core.sql import Query, as_uuid
from timeline.models import Memory


@dataclass(slots=True)
class TagRow:
    memory_id: UUID
    name: str


@dataclass(slots=True)
class PhotoRow:
    id: UUID
    memory_id: UUID
    timeline_id: UUID
    storage_key: str
    original_type: str
    sha256: str
    width: int
    height: int
    taken_at: datetime | None
    placeholder: str
    position: int
    caption: str
    created_at: datetime


@dataclass(slots=True)
class ConnectionRow:
    id: UUID
    memory_id: UUID
    user_id: UUID
    score: int
    appreciation: str
    updated_at: datetime


@dataclass(slots=True)
class MemoryRow:
    id: UUID
    timeline_id: UUID
    author_id: UUID | None
    title: str
    body: str
    occurred_on: date
    date_precision: str
    year: int
    month_day: int | None
    place: str
    kind: str
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    recreates_id: UUID | None
    never_resurface: bool
    resurface_ceiling: float
    tags: list[TagRow] = field(default_factory=list)
    photos: list[PhotoRow] = field(default_factory=list)
    connections: list[ConnectionRow] = field(default_factory=list)
    replies_count: int = 0


async def with_details(query: QuerySet[Memory]) -> list[MemoryRow]:
    """The memories `query` finds, in its order, each with its tags, photos (by position),
    ratings and reply count. The query (already scoped by its caller) is asked for ids
    alone; replies are counted for these memories only, never grouped over a timeline."""
    ids = await query.values_list("id", flat=True)
    if not ids:
        return []
    # SQLite hands ids over as text: each is turned into a UUID once per call, however many
    # rows name it (a memory's id is named by each of its photos, tags and ratings).
    uuids = _Uuids()
    listed = [str(i) for i in ids] if Query().sqlite else ids
    memories = await _where_in("SELECT * FROM memory WHERE id IN ({ids})", listed)
    by_id = {row.id: row for row in (_memory(row, uuids) for row in memories)}
    for sql, make, attribute in (
        ("SELECT * FROM memory_tag WHERE memory_id IN ({ids})", _tag, "tags"),
        ("SELECT * FROM photo WHERE memory_id IN ({ids}) ORDER BY position", _photo, "photos"),
        ("SELECT * FROM connection WHERE memory_id IN ({ids})", _connection, "connections"),
    ):
        for row in await _where_in(sql, listed):
            detail = make(row, uuids)
            getattr(by_id[detail.memory_id], attribute).append(detail)
    counted = "SELECT memory_id, COUNT(*) AS n FROM reply WHERE memory_id IN ({ids}) GROUP BY 1"
    for row in await _where_in(counted, listed):
        by_id[uuids[row["memory_id"]]].replies_count = row["n"]
    return [by_id[uuids[memory_id]] for memory_id in ids]


class _Uuids(dict):
    """Ids as UUIDs, each converted once."""

    def __missing__(self, key: object) -> UUID:
        value = self[key] = as_uuid(key)
        return value


async def _where_in(sql: str, ids: list[object]) -> list[dict]:
    """Rows of `sql`, whose `{ids}` stands for the ids, one parameter each."""
    query = Query()
    return await query.rows(sql.format(ids=", ".join(query.param(i) for i in ids)))


def _memory(row: dict, uuids: _Uuids) -> MemoryRow:
    return MemoryRow(
        id=uuids[row["id"]],
        timeline_id=uuids[row["timeline_id"]],
        author_id=_uuid_or_none(row["author_id"], uuids),
        title=row["title"],
        body=row["body"],
        occurred_on=_date(row["occurred_on"]),
        date_precision=row["date_precision"],
        year=row["year"],
        month_day=row["month_day"],
        place=row["place"],
        kind=row["kind"],
        created_at=_moment(row["created_at"]),
        updated_at=_moment(row["updated_at"]),
        deleted_at=_moment_or_none(row["deleted_at"]),
        recreates_id=_uuid_or_none(row["recreates_id"], uuids),
        never_resurface=bool(row["never_resurface"]),
        resurface_ceiling=row["resurface_ceiling"],
    )


def _tag(row: dict, uuids: _Uuids) -> TagRow:
    return TagRow(memory_id=uuids[row["memory_id"]], name=row["name"])


def _photo(row: dict, uuids: _Uuids) -> PhotoRow:
    return PhotoRow(
        id=uuids[row["id"]],
        memory_id=uuids[row["memory_id"]],
        timeline_id=uuids[row["timeline_id"]],
        storage_key=row["storage_key"],
        original_type=row["original_type"],
        sha256=row["sha256"],
        width=row["width"],
        height=row["height"],
        taken_at=_moment_or_none(row["taken_at"]),
        placeholder=row["placeholder"],
        position=row["position"],
        caption=row["caption"],
        created_at=_moment(row["created_at"]),
    )


def _connection(row: dict, uuids: _Uuids) -> ConnectionRow:
    return ConnectionRow(
        id=uuids[row["id"]],
        memory_id=uuids[row["memory_id"]],
        user_id=uuids[row["user_id"]],
        score=row["score"],
        appreciation=row["appreciation"],
        updated_at=_moment(row["updated_at"]),
    )


def _uuid_or_none(value: object, uuids: _Uuids) -> UUID | None:
    return None if value is None else uuids[value]


def _date(value: date | str) -> date:
    # SQLite hands dates and times back as the ISO text Tortoise stored; PostgreSQL as values.
    return value if isinstance(value, date) else date.fromisoformat(value)


def _moment(value: datetime | str) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _moment_or_none(value: datetime | str | None) -> datetime | None:
    return None if value is None else _moment(value)
