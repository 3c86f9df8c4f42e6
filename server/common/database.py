"""Database wiring: the Tortoise config, the database open for a block, migrations under a lock."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate

from server.common.settings import load_settings

MODELS = ["timeline.models"]
# Any fixed 64-bit number: the PostgreSQL advisory lock all `migrate` runs queue on.
MIGRATION_LOCK_ID = 0x52574D49475241


def tortoise_config(database_url: str) -> dict[str, Any]:
    """Translate `DATABASE_URL` into Tortoise's config; SQLite gets WAL and a busy timeout."""
    if database_url.startswith("sqlite:///"):
        connection: dict[str, Any] | str = {
            "engine": "tortoise.backends.sqlite",
            "credentials": {
                "file_path": str(sqlite_path(database_url)),
                "journal_mode": "WAL",
                "synchronous": "NORMAL",
                "busy_timeout": 5000,
            },
        }
    else:
        connection = database_url
    return {
        "connections": {"default": connection},
        "apps": {
            "models": {
                "models": MODELS,
                "default_connection": "default",
                "migrations": "timeline.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def sqlite_path(database_url: str) -> Path:
    """`sqlite:///var/db.sqlite3` is relative, `sqlite:////srv/db.sqlite3` absolute."""
    return Path(database_url.removeprefix("sqlite:///"))


def __getattr__(name: str) -> dict[str, Any]:
    # The `tortoise` CLI reads TORTOISE_ORM (see pyproject.toml); computed on demand so that
    # importing this module reads no settings.
    if name == "TORTOISE_ORM":
        return tortoise_config(load_settings().database_url)
    raise AttributeError(name)


@contextlib.asynccontextmanager
async def database(database_url: str) -> AsyncIterator[None]:
    """The ORM open for the block and closed after it: a command's run, or the app's life
    (as a lifespan)."""
    try:
        await open_database(database_url)
        yield
    finally:
        # Also after an open that failed half-way, as `check` relies on.
        await close_database()


async def open_database(database_url: str) -> None:
    """Initialise Tortoise; the global fallback lets request tasks see the lifespan's context."""
    _ensure_sqlite_folder(database_url)
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_database() -> None:
    await Tortoise.close_connections()


async def database_answers() -> bool:
    """True when a trivial query gets an answer."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:
        return False
    return True


async def refresh_statistics() -> None:
    """Tell the query planner how the tables have grown (ANALYZE), run daily. Without it
    SQLite looks up who is due an e-mail through the year index, four times slower than
    through the month-and-day one; PostgreSQL's autovacuum does the same, but can lag
    behind a large import."""
    await connections.get("default").execute_script("ANALYZE")


async def apply_migrations(database_url: str) -> None:
    """Apply every pending migration. Concurrent runs wait for each other, so a second
    run (or a second process) finds nothing left to do."""
    _ensure_sqlite_folder(database_url)
    async with _migration_lock(database_url):
        try:
            await migrate(config=tortoise_config(database_url))
        finally:
            await Tortoise.close_connections()


@contextlib.asynccontextmanager
async def _migration_lock(database_url: str) -> AsyncIterator[None]:
    if database_url.startswith("sqlite:///"):
        lock_path = sqlite_path(database_url).with_suffix(".migrate-lock")
        with lock_path.open("w") as lock_file:
            await asyncio.to_thread(fcntl.flock, lock_file, fcntl.LOCK_EX)
            yield
        return
    conn = await asyncpg.connect(database_url.split("?", 1)[0])
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_ID)
        yield
    finally:
        await conn.close()


def _ensure_sqlite_folder(database_url: str) -> None:
    if database_url.startswith("sqlite:///"):
        sqlite_path(database_url).parent.mkdir(parents=True, exist_ok=True)
