"""E-mails at scale: 10,000 members in 5,000 timelines holding 500,000 memories. How long
finding who is due at one instant takes (with the query plan, to show the index), and how
many e-mails one worker renders and delivers per second to a local SMTP sink (aiosmtpd), and
how many two worker processes deliver together on this machine.

Runs on SQLite, and on PostgreSQL too when TEST_POSTGRES_URL is set. Every memory of the
day being sent has a photo, so each e-mail carries real inline thumbnails. The sink is a
separate `python -m aiosmtpd` process.

Run with `python bench/emails.py` (BENCH_TIMELINES scales it). Prints figures; asserts
nothing."""

from __future__ import annotations

import asyncio
import io
import os
import random
import socket
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image
from tortoise.backends.base.executor import EXECUTOR_CACHE

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.common.database import (  # noqa: E402
    apply_migrations,
    close_database,
    open_database,
    refresh_statistics,
)
from server.common.settings import load_settings  # noqa: E402
from server.common.storage import storage_for  # noqa: E402
from server.worker.mailer import mailer_for  # noqa: E402
from server.worker.scheduler import send_due_emails  # noqa: E402
from timeline.mail.deliveries import due_at  # noqa: E402
from timeline.memories.photos import variant_key  # noqa: E402
from timeline.models import Delivery, Membership, Memory, Photo, Timeline, User  # noqa: E402

TIMELINES = int(os.environ.get("BENCH_TIMELINES", "5000"))
MEMORIES_EACH = 100
WORKERS = 2
ZONES = ["Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles",
         "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "Asia/Kolkata",
         "America/Sao_Paulo", "Africa/Lagos"]  # fmt: skip
AT = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
SENT_DAY = 615


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def wait_for_port(port: int) -> None:
    for _ in range(100):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        return
    raise RuntimeError("the SMTP sink did not start")


def mail_thumb() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (180, 140, 120)).save(out, "JPEG", quality=75)
    return out.getvalue()


async def seed(settings) -> int:
    """Couples in ten time zones, a hundred memories each over ten years; each memory of
    15 June gets a photo with a real thumbnail in storage."""
    rng = random.Random(1)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    storage = storage_for(settings)
    image = mail_thumb()
    users, timelines, memberships, memories, photos = [], [], [], [], []
    for n in range(TIMELINES):
        timeline = Timeline(
            id=uuid.uuid4(),
            name=f"Us {n}",
            together_since=date(2015, 1, 1) + timedelta(days=rng.randrange(3650)),
            timezone="UTC",
            created_at=now,
        )
        timelines.append(timeline)
        for partner in range(2):
            user = User(
                id=uuid.uuid4(),
                email=f"p{partner}-{n}@example.org",
                password_hash="unused",  # noqa: S106 (never logs in)
                display_name="Partner",
                timezone=ZONES[n % len(ZONES)],
                created_at=now,
            )
            users.append(user)
            memberships.append(
                Membership(id=uuid.uuid4(), timeline_id=timeline.id, user_id=user.id, joined_at=now)
            )
        for _ in range(MEMORIES_EACH):
            day = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
            memory = Memory(
                id=uuid.uuid4(),
                timeline_id=timeline.id,
                author_id=users[-1].id,
                title="A walk by the river",
                body="We took the long way home and talked about everything. " * 3,
                occurred_on=day,
                date_precision="day",
                year=day.year,
                month_day=day.month * 100 + day.day,
                created_at=now,
                updated_at=now,
            )
            memories.append(memory)
            if memory.month_day == SENT_DAY:
                photo = Photo(
                    id=uuid.uuid4(),
                    memory_id=memory.id,
                    timeline_id=timeline.id,
                    storage_key=f"photos/{uuid.uuid4().hex}",
                    original_type="image/jpeg",
                    sha256=uuid.uuid4().hex * 2,
                    width=400,
                    height=300,
                    placeholder="#b48c78",
                    created_at=now,
                )
                photos.append(photo)
                await storage.put(variant_key(photo, "mail"), image, "image/jpeg")
    for model, rows in ((User, users), (Timeline, timelines), (Membership, memberships),
                        (Memory, memories), (Photo, photos)):  # fmt: skip
        # PostgreSQL takes at most 32,767 parameters in one statement.
        await model.bulk_create(rows, batch_size=1000)
    return len(memories)


async def query_plan(database_url: str) -> list[str]:
    """The plan of the letters' lookup for one time zone."""
    from tortoise import connections

    from timeline.core.sql import Query
    from timeline.mail.deliveries import _due_sql

    query = Query()
    local = AT.astimezone(ZoneInfo(ZONES[0]))
    sql = _due_sql(query, ZONES[0], local)
    explain = "EXPLAIN QUERY PLAN " if query.sqlite else "EXPLAIN "
    rows = await connections.get("default").execute_query_dict(explain + sql, query.values)
    return [str(row.get("detail") or row.get("QUERY PLAN")) for row in rows]


async def run(database_url: str, folder: Path) -> None:
    # The sink runs in a process of its own, as a mail server would: in this one it would
    # compete with the worker for the interpreter.
    port = free_port()
    sink = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink",
        "-l", f"127.0.0.1:{port}",
    )  # fmt: skip
    await wait_for_port(port)
    settings = settings_for(database_url, folder, port)
    # Tortoise caches each model's SQL by connection name: SQLite's must not serve PostgreSQL.
    EXECUTOR_CACHE.clear()
    await apply_migrations(database_url)
    await open_database(database_url)
    try:
        started = time.perf_counter()
        memories = await seed(settings)
        seeded = time.perf_counter() - started
        # As the scheduler's daily maintenance would have by now.
        await refresh_statistics()
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            due = await due_at(AT)
            timings.append(time.perf_counter() - started)
        plan = await query_plan(database_url)
        started = time.perf_counter()
        report = await send_due_emails(
            AT,
            settings=settings,
            storage=storage_for(settings),
            mailer=mailer_for(settings.mail_url),
        )
        elapsed = time.perf_counter() - started
        delivered = await Delivery.filter(status=Delivery.SENT).count()
        # The same letters again, by WORKERS processes at once: the claims share them out.
        await Delivery.all().delete()
        await close_database()
        started = time.perf_counter()
        passes = [
            await asyncio.create_subprocess_exec(
                sys.executable, __file__, "--pass", database_url, str(folder), str(port),
                stdout=asyncio.subprocess.PIPE,
            )
            for _ in range(WORKERS)
        ]  # fmt: skip
        outputs = await asyncio.gather(*(worker.communicate() for worker in passes))
        together = sum(int(out.split()[-1]) for out, _ in outputs)
        both = time.perf_counter() - started
    finally:
        await close_database()
        sink.terminate()
        await sink.wait()
    backend = database_url.split(":")[0]
    print(f"{backend}: {TIMELINES * 2:,} members, {TIMELINES:,} timelines, {memories:,} memories "
          f"(seeded in {seeded:.0f} s)")  # fmt: skip
    print(f"  finding who is due at one instant: median {statistics.median(timings) * 1000:.0f} ms "
          f"({len(due):,} due)")  # fmt: skip
    print("  plan of the on-this-day lookup for one zone:")
    for line in plan:
        print(f"    {line}")
    rate = report.sent / elapsed
    print(f"  one worker's pass: {report.sent:,} sent, {report.skipped} skipped in {elapsed:.1f} s "
          f"= {rate:.0f} e-mails/s ({delivered:,} deliveries marked sent)")  # fmt: skip
    print(f"  {WORKERS} worker processes at once: {together:,} sent in {both:.1f} s "
          f"= {together / both:.0f} e-mails/s on this machine (each started cold)")  # fmt: skip


def settings_for(database_url: str, folder: Path, port: int):
    return load_settings(
        {
            "DATA_DIR": str(folder),
            "DATABASE_URL": database_url,
            "MEDIA_STORAGE": f"file://{folder}/media",
            "MAIL_URL": f"smtp://127.0.0.1:{port}",
            "SECRET_KEY": "bench",
            "BASE_URL": "https://rw.example",
        }
    )


async def one_pass(database_url: str, folder: Path, port: int) -> int:
    """One worker's pass, as a process of its own; how many it sent."""
    settings = settings_for(database_url, folder, port)
    await open_database(database_url)
    try:
        storage, mailer = storage_for(settings), mailer_for(settings.mail_url)
        report = await send_due_emails(AT, settings=settings, storage=storage, mailer=mailer)
    finally:
        await close_database()
    return report.sent


async def fresh_postgres(url: str) -> str:
    import asyncpg

    name = f"rw_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return url.rsplit("/", 1)[0] + f"/{name}"


def main() -> None:
    if sys.argv[1:2] == ["--pass"]:
        database_url, folder, port = sys.argv[2:5]
        print(asyncio.run(one_pass(database_url, Path(folder), int(port))))
        return
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(f"sqlite:///{folder}/bench.sqlite3", Path(folder)))
    if url := os.environ.get("TEST_POSTGRES_URL"):
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(run(asyncio.run(fresh_postgres(url)), Path(folder)))


if __name__ == "__main__":
    main()
