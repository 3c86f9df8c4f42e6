"""The daily pick and on this day for a timeline of 20,000 memories: the first request of a
day (computes and stores the pick) and the cached ones after it, on SQLite, in process.

Run with `python bench/resurfacing_speed.py`. Prints figures; asserts nothing."""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.timeline import MEMORIES, seed  # noqa: E402
from server.common.database import close_database, open_database, refresh_statistics  # noqa: E402
from timeline.models import Connection, Reply, Suggestion, Timeline, User  # noqa: E402
from timeline.resurfacing.candidates import refresh_ceilings  # noqa: E402
from timeline.resurfacing.daily_pick import todays_pick  # noqa: E402
from timeline.resurfacing.on_this_day import on_this_day  # noqa: E402
from timeline.timelines.access import timeline_for  # noqa: E402

DAYS = 15


async def enrich(database_url: str, timeline_id: str) -> None:
    """What a couple would have added over the years beside the first partner's ratings:
    the second partner's (a noisy reading of the same closeness, a third left unrated),
    appreciation notes on one memory in seven and replies on one in ten."""
    await open_database(database_url)
    rng = random.Random(5)
    sam = await User.get(email="sam@example.org")
    now = datetime(2026, 6, 1, tzinfo=UTC)
    rated = await Connection.filter(memory__timeline_id=timeline_id).values("memory_id", "score")
    connections, replies = [], []
    for n, row in enumerate(rated):
        if n % 3:
            score = max(1, min(5, row["score"] + rng.choice((-1, 0, 0, 1))))
            note = "You made me laugh all evening." if n % 7 == 0 else ""
            connections.append(
                Connection(
                    memory_id=row["memory_id"],
                    user=sam,
                    score=score,
                    appreciation=note,
                    updated_at=now,
                )
            )
        if n % 10 == 0:
            replies.append(
                Reply(memory_id=row["memory_id"], author=sam, text="Yes!", created_at=now)
            )
    await Connection.bulk_create(connections, batch_size=1000)
    await Reply.bulk_create(replies, batch_size=1000)
    # Written in bulk, past the code that keeps ceilings current: work them out once.
    await refresh_ceilings(await Timeline.get(id=timeline_id))
    # As the scheduler's daily maintenance would have by now.
    await refresh_statistics()
    await close_database()


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
        asyncio.run(enrich(url, timeline_id))
        asyncio.run(run(url, timeline_id))


if __name__ == "__main__":
    main()
