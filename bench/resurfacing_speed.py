"""The daily pick and on this day for a timeline of 20,000 memories: the first request of a
day (computes and stores the pick) and the cached ones after it, on SQLite, in process.

Run with `python bench/resurfacing_speed.py`. Prints figures; asserts nothing."""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.timeline import MEMORIES, seed  # noqa: E402
from server.database import close_database, open_database  # noqa: E402
from timeline.access import timeline_for  # noqa: E402
from timeline.daily_pick import todays_pick  # noqa: E402
from timeline.models import Suggestion, User  # noqa: E402
from timeline.on_this_day import on_this_day  # noqa: E402

DAYS = 15


async def run(database_url: str, timeline_id: str) -> None:
    await open_database(database_url)
    user = await User.get(email="ana@example.org")
    timeline = await timeline_for(user, timeline_id)
    first, cached, days = [], [], []
    start = datetime(2026, 6, 1, 9, tzinfo=UTC)
    for day in range(DAYS):
        now = start + timedelta(days=day)
        started = time.perf_counter()
        await todays_pick(user, timeline.id, now=now)
        first.append((time.perf_counter() - started) * 1000)
        for _ in range(20):
            started = time.perf_counter()
            await todays_pick(user, timeline.id, now=now)
            cached.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        await on_this_day(timeline, now.date())
        days.append((time.perf_counter() - started) * 1000)
    picks = await Suggestion.filter(timeline=timeline).count()
    await close_database()
    print(f"{MEMORIES:,} memories, {DAYS} days, {picks} picks made")
    print(f"  daily pick, first request of the day: median {statistics.median(first):.1f} ms")
    print(f"  daily pick, cached:                   median {statistics.median(cached):.2f} ms")
    print(f"  on this day:                          median {statistics.median(days):.1f} ms")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        timeline_id, _ = asyncio.run(seed(url))
        asyncio.run(run(url, timeline_id))


if __name__ == "__main__":
    main()
