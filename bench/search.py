"""Search in an instance of 100,000 memories over 100 timelines (SQLite): the time of an
8-word query for one timeline, in process, and how it grows with the rest of the instance.

Run with `.venv/bin/python bench/search.py`. Prints figures; asserts nothing."""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TIMELINES = int(os.environ.get("BENCH_TIMELINES", "100"))
PER_TIMELINE = int(os.environ.get("BENCH_PER_TIMELINE", "1000"))
WORDS = [
    "lake",
    "picnic",
    "walk",
    "sunday",
    "breakfast",
    "snow",
    "river",
    "tram",
    "concert",
    "soup",
    "park",
    "rain",
]
QUERIES = ["picnic lake", "a b c d e f g h", "pic la su br sn ri tr co", "s"]


async def seed(database_url: str) -> list[uuid.UUID]:
    from server.common.database import apply_migrations, open_database
    from timeline.accounts.credentials import sign_up
    from timeline.models import Memory
    from timeline.timelines.membership import create_timeline

    await apply_migrations(database_url)
    await open_database(database_url)
    now = datetime(2026, 6, 1, tzinfo=UTC)
    rng = random.Random(3)
    ids = []
    for t in range(TIMELINES):
        user = await sign_up(f"u{t}@example.org", "a long and happy walk", "U", "UTC", now=now)
        timeline = await create_timeline(user, f"T{t}", None, now=now)
        ids.append(timeline.id)
        rows = []
        for n in range(PER_TIMELINE):
            day = date(2000, 1, 1) + timedelta(days=n * 9000 // PER_TIMELINE)
            words = rng.sample(WORDS, 3)
            rows.append(
                Memory(
                    timeline=timeline,
                    author=user,
                    title=f"{words[0].capitalize()} {words[1]} {n}",
                    body=" ".join(words) * 8 + f" a{n % 97} b{n % 89} c{n % 83}",
                    occurred_on=day,
                    date_precision="day",
                    year=day.year,
                    month_day=day.month * 100 + day.day,
                    place=words[2].capitalize(),
                    kind="everyday",
                    created_at=now,
                    updated_at=now,
                )
            )
        await Memory.bulk_create(rows, batch_size=1000)
    return ids


async def main() -> None:
    from server.common.database import close_database
    from timeline.memories.search import query_terms, ranked_ids

    with tempfile.TemporaryDirectory() as folder:
        ids = await seed(f"sqlite:///{folder}/bench.sqlite3")
        total = TIMELINES * PER_TIMELINE
        print(f"{total:,} memories in {TIMELINES} timelines, {PER_TIMELINE:,} each")
        for query in QUERIES:
            terms = query_terms(query)
            times = []
            for _ in range(15):
                started = time.perf_counter()
                await ranked_ids(ids[0], terms, 50)
                times.append((time.perf_counter() - started) * 1000)
            print(f"  {query!r:34} {len(terms)} terms  median {statistics.median(times):7.1f} ms")
        await close_database()


if __name__ == "__main__":
    asyncio.run(main())
