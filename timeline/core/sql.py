"""Raw SQL that runs on SQLite and PostgreSQL alike: placeholders and spellings by dialect,
for the few queries the ORM cannot express well, and ids read back the same from both."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from tortoise import connections


def as_uuid(value: object) -> UUID:
    """An id as the database gave it back: SQLite keeps UUIDs as text, and Tortoise hands
    foreign keys and raw rows over as stored."""
    return value if isinstance(value, UUID) else UUID(str(value))


def as_date(value: object) -> date:
    """A date as the database gave it back: SQLite keeps dates as ISO text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def as_date_or_none(value: object) -> date | None:
    return None if value is None else as_date(value)


class Query:
    """Collects parameters in the order they appear, in the dialect's placeholder style.
    Numbers computed by our code may be written into the SQL; anything else travels as a
    parameter."""

    def __init__(self) -> None:
        self.sqlite = connections.get("default").capabilities.dialect == "sqlite"
        self.values: list[object] = []
        self.true = "1" if self.sqlite else "TRUE"
        self.false = "0" if self.sqlite else "FALSE"

    def param(self, value: object) -> str:
        # SQLite keeps UUIDs as text, as Tortoise writes them.
        self.values.append(str(value) if self.sqlite and isinstance(value, UUID) else value)
        return "?" if self.sqlite else f"${len(self.values)}"

    async def rows(self, sql: str) -> list[dict]:
        return await connections.get("default").execute_query_dict(sql, self.values)
