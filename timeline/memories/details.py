"""Memories as pages, lists, letters and recaps read them: plain rows with their tags,
photos, ratings and reply count, read in two queries whatever their number.

Turning rows into ORM objects cost more than the database itself: 2,000 memories of a year
took 420 ms through Tortoise with prefetches, 26 ms as rows. The rows keep the models' field
names, so what reads a memory reads either."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from uuid import UUID

from tortoise.queryset import QuerySet

from timeline.core.sql import Query, as_date, as_uuid
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


MEMORY_COLUMNS = (
    "id", "timeline_id", "author_id", "title", "body", "occurred_on", "date_precision", "year",
    "month_day", "place", "kind", "created_at", "updated_at", "deleted_at", "recreates_id",
    "never_resurface", "resurface_ceiling",
)  # fmt: skip
PHOTO_COLUMNS = (
    "id", "memory_id", "timeline_id", "storage_key", "original_type", "sha256", "width",
    "height", "taken_at", "placeholder", "position", "caption", "created_at",
)  # fmt: skip
CONNECTION_COLUMNS = ("memory_id", "user_id", "score", "appreciation", "updated_at")


async def with_details(query: QuerySet[Memory]) -> list[MemoryRow]:
    """The memories `query` finds, in its order, each with its tags, photos (by position),
    ratings and reply count. The query (already scoped by its caller) is asked for ids
    alone; one more query brings everything else, each memory's details gathered as JSON
    by the database; replies are counted for these memories only."""
    ids = await query.values_list("id", flat=True)
    if not ids:
        return []
    sql = Query()
    listed = ", ".join(sql.param(i) for i in ids)
    rows = await sql.rows(
        f"SELECT {', '.join(MEMORY_COLUMNS)}, "
        f"({gathered(sql, 'memory_tag', ('name',), None)}) AS tags_json, "
        f"({gathered(sql, 'photo', PHOTO_COLUMNS, 'position')}) AS photos_json, "
        f"({gathered(sql, 'connection', CONNECTION_COLUMNS, None)}) AS connections_json, "
        "(SELECT COUNT(*) FROM reply WHERE reply.memory_id = memory.id) AS replies "
        f"FROM memory WHERE id IN ({listed})"
    )
    # SQLite hands ids over as text: each is turned into a UUID once per call, however many
    # rows name it (a memory's id is named by each of its photos, tags and ratings).
    uuids = _Uuids()
    by_id = {row.id: row for row in (_memory(row, uuids) for row in rows)}
    # A memory deleted between the two queries is simply not there.
    return [by_id[key] for memory_id in ids if (key := uuids[memory_id]) in by_id]


def gathered(sql: Query, table: str, columns: tuple[str, ...], order: str | None) -> str:
    """A subquery giving the rows of `table` that belong to the memory (`memory.id` of the
    outer query) as one JSON array of arrays (of values, for one column), in `order`."""
    if sql.sqlite:
        item = columns[0] if len(columns) == 1 else f"json_array({', '.join(columns)})"
        ordered = f" ORDER BY {order}" if order else ""
        rows = f"SELECT * FROM {table} WHERE memory_id = memory.id{ordered}"
        return f"SELECT json_group_array({item}) FROM ({rows})"
    item = columns[0] if len(columns) == 1 else f"json_build_array({', '.join(columns)})"
    ordered = f" ORDER BY {order}" if order else ""
    return (
        f"SELECT COALESCE(json_agg({item}{ordered}), '[]') FROM {table} "
        f"WHERE {table}.memory_id = memory.id"
    )


class _Uuids(dict):
    """Ids as UUIDs, each converted once."""

    def __missing__(self, key: object) -> UUID:
        value = self[key] = as_uuid(key)
        return value


def _memory(row: dict, uuids: _Uuids) -> MemoryRow:
    memory_id = uuids[row["id"]]
    return MemoryRow(
        id=memory_id,
        timeline_id=uuids[row["timeline_id"]],
        author_id=_uuid_or_none(row["author_id"], uuids),
        title=row["title"],
        body=row["body"],
        occurred_on=as_date(row["occurred_on"]),
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
        tags=[TagRow(memory_id, name) for name in json.loads(row["tags_json"])],
        photos=[_photo(values, uuids) for values in json.loads(row["photos_json"])],
        connections=[_connection(values, uuids) for values in json.loads(row["connections_json"])],
        replies_count=row["replies"],
    )


def _photo(values: list, uuids: _Uuids) -> PhotoRow:
    # In PHOTO_COLUMNS' order, unpacked rather than zipped into a dict: a year's recap reads
    # thousands.
    (id_, memory_id, timeline_id, storage_key, original_type, sha256, width, height, taken_at,
     placeholder, position, caption, created_at) = values  # fmt: skip
    return PhotoRow(
        id=uuids[id_],
        memory_id=uuids[memory_id],
        timeline_id=uuids[timeline_id],
        storage_key=storage_key,
        original_type=original_type,
        sha256=sha256,
        width=width,
        height=height,
        taken_at=_moment_or_none(taken_at),
        placeholder=placeholder,
        position=position,
        caption=caption,
        created_at=_moment(created_at),
    )


def _connection(values: list, uuids: _Uuids) -> ConnectionRow:
    memory_id, user_id, score, appreciation, updated_at = values  # CONNECTION_COLUMNS
    return ConnectionRow(
        memory_id=uuids[memory_id],
        user_id=uuids[user_id],
        score=score,
        appreciation=appreciation,
        updated_at=_moment(updated_at),
    )


def _uuid_or_none(value: object, uuids: _Uuids) -> UUID | None:
    return None if value is None else uuids[value]


def _moment(value: datetime | str) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    # PostgreSQL writes JSON timestamps in its session's zone: UTC, as the models give them.
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _moment_or_none(value: datetime | str | None) -> datetime | None:
    return None if value is None else _moment(value)
