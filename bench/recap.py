"""A relationship year of 2,000 memories and 4,000 photos on the local backend: the recap
page (the first view, which builds the collage, then cached views) and the collage built
cold from the stored display variants. SQLite, in process.

Run with `python bench/recap.py`. Prints figures; asserts nothing."""

from __future__ import annotations

import asyncio
import io
import logging
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

from litestar.testing import AsyncTestClient  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from media.images import process  # noqa: E402
from media.storage import Storage  # noqa: E402
from server.app import create_app  # noqa: E402
from server.common.database import apply_migrations, close_database, open_database  # noqa: E402
from server.common.settings import load_settings  # noqa: E402
from server.common.storage import storage_for  # noqa: E402
from server.http.auth import SESSION_COOKIE  # noqa: E402
from timeline.accounts.credentials import issue_credential, sign_up  # noqa: E402
from timeline.models import Connection, Credential, Memory, Photo, Reply  # noqa: E402
from timeline.recaps.collage import RECAPS, ensure_collage  # noqa: E402
from timeline.recaps.recap import recap_for  # noqa: E402
from timeline.timelines.invites import accept_invite, create_invite  # noqa: E402
from timeline.timelines.membership import create_timeline  # noqa: E402

MEMORIES = int(os.environ.get("BENCH_MEMORIES", "2000"))
PHOTOS_EACH = 2
VIEWS = 30
COLD_BUILDS = 5
REBUILDS = 5
YEAR_STARTS = date(2025, 6, 12)
NOW = datetime(2026, 6, 20, 9, tzinfo=UTC)
# The closest moments (both partners gave 5): their first photos make the collage.
CLOSEST = 30
SHAPES = [(4000, 3000), (3000, 4000), (4000, 2000), (3000, 3000), (4032, 3024), (2268, 4032)]


def display_variants() -> list[bytes]:
    """Display variants made by the real pipeline from 12 MP photo-like JPEGs."""
    made = []
    for n, (width, height) in enumerate(SHAPES):
        image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
        draw = ImageDraw.Draw(image)
        for k in range(10):
            box = (k * width // 12, k * height // 14, k * width // 12 + width // 5, height)
            draw.ellipse(box, fill=(40 + 20 * k, 180 - 10 * n, 90 + 15 * n))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=88)
        out.seek(0)
        (display,) = [v for v in process(out).variants if v.name == "display"]
        made.append(display.data)
    return made


async def seed(database_url: str, storage: Storage) -> tuple[str, str]:
    """Ana and Sam, together since 12 June 2019, with year 7 holding MEMORIES memories of
    PHOTOS_EACH photos, ratings, notes, replies, places, firsts and recreations."""
    await apply_migrations(database_url)
    await open_database(database_url)
    rng = random.Random(7)
    ana = await sign_up("ana@example.org", "a long and happy walk", "Ana", "UTC", now=NOW)
    sam = await sign_up("sam@example.org", "a long and happy walk", "Sam", "UTC", now=NOW)
    timeline = await create_timeline(ana, "Ana & Sam", date(2019, 6, 12), now=NOW)
    await accept_invite(sam, (await create_invite(ana, timeline.id, now=NOW)).token, now=NOW)
    places = [f"Place {n}" for n in range(40)]
    earlier = [
        Memory(
            id=uuid.uuid4(),
            timeline=timeline,
            author=ana,
            title=f"Year six {n}",
            occurred_on=date(2024, 7, 1) + timedelta(days=n),
            year=2024,
            created_at=NOW,
            updated_at=NOW,
        )
        for n in range(50)
    ]
    memories, photos, connections, replies = [], [], [], []
    for n in range(MEMORIES):
        day = YEAR_STARTS + timedelta(days=n * 364 // MEMORIES)
        memory = Memory(
            id=uuid.uuid4(),
            timeline=timeline,
            author=ana if n % 2 else sam,
            title=f"Moment {n}",
            body="We walked and talked until late. " * 4,
            occurred_on=day,
            year=day.year,
            month_day=day.month * 100 + day.day,
            place=rng.choice(places),
            kind="first" if n % 50 == 0 else "everyday",
            recreates_id=earlier[n // 40].id if n % 40 == 0 else None,
            created_at=NOW,
            updated_at=NOW,
        )
        memories.append(memory)
        for k in range(PHOTOS_EACH):
            photos.append(
                Photo(
                    memory_id=memory.id,
                    timeline=timeline,
                    storage_key=f"photos/bench-{n:05d}-{k}",
                    original_type="image/jpeg",
                    sha256=f"{n:060x}{k:04x}",
                    width=4032,
                    height=3024,
                    placeholder="#8899aa",
                    position=k,
                    created_at=NOW,
                )
            )
        closest = n % (MEMORIES // CLOSEST) == 0
        for member in (ana, sam):
            score = 5 if closest else rng.choice((2, 3, 3, 4, 4))
            note = "You made me laugh all evening." if n % 7 == 0 else ""
            connections.append(
                Connection(
                    memory_id=memory.id, user=member, score=score, appreciation=note, updated_at=NOW
                )
            )
        if n % 10 == 0:
            replies.append(Reply(memory_id=memory.id, author=sam, text="Yes!", created_at=NOW))
    for rows, model in (
        (earlier, Memory),
        (memories, Memory),
        (photos, Photo),
        (connections, Connection),
        (replies, Reply),
    ):
        await model.bulk_create(rows, batch_size=1000)
    variants = display_variants()
    for n, photo in enumerate(p for p in photos if p.position == 0):
        await storage.put(f"{photo.storage_key}/display.webp", variants[n % len(variants)], "")
    session = await issue_credential(ana, Credential.SESSION, now=NOW)
    await close_database()
    return str(timeline.id), session


async def collage_builds(database_url: str, storage: Storage, timeline_id: str) -> list[float]:
    """Seconds per cold build of the year's collage from the stored display variants."""
    await open_database(database_url)
    from timeline.models import Timeline

    recap = await recap_for(await Timeline.get(id=timeline_id), 7, NOW.date())
    times = []
    for _ in range(COLD_BUILDS):
        for key in await storage.keys(RECAPS):
            await storage.delete(key)
        start = time.perf_counter()
        await ensure_collage(recap.timeline.id, 7, recap.title, recap.collage, storage)
        times.append(time.perf_counter() - start)
    await close_database()
    return times


async def rebuilds(database_url: str, timeline_id: str) -> list[float]:
    """Milliseconds of building the recap again after a change (a reply each time), the
    collage aside: what the first view after a change waits for besides it."""
    await open_database(database_url)
    from timeline.models import Memory, Reply, Timeline, User

    timeline = await Timeline.get(id=timeline_id)
    ana = await User.get(email="ana@example.org")
    year = (await recap_for(timeline, 7, NOW.date())).year
    memories = (
        await Memory.filter(timeline=timeline, occurred_on__gte=year.starts_on)
        .filter(occurred_on__lte=year.ends_on)
        .limit(REBUILDS)
        .values_list("id", flat=True)
    )
    times = []
    for memory_id in memories:
        await Reply.create(memory_id=memory_id, author=ana, text="Again!", created_at=NOW)
        await timeline.refresh_from_db()
        start = time.perf_counter()
        await recap_for(timeline, 7, NOW.date())
        times.append((time.perf_counter() - start) * 1000)
    await close_database()
    return times


async def page_views(settings, timeline_id: str, session: str) -> tuple[float, list[float]]:
    """Milliseconds of the first view of the recap page (collage built) and of later ones."""
    app = create_app(settings, clock=lambda: NOW)
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as client:
        client.cookies.set(SESSION_COOKIE, session)
        path = f"/t/{timeline_id}/recap/7"
        start = time.perf_counter()
        first = await client.get(path)
        first_ms = (time.perf_counter() - start) * 1000
        assert first.status_code == 200, first.text[:500]
        cached = []
        for _ in range(VIEWS):
            start = time.perf_counter()
            response = await client.get(path)
            cached.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
    return first_ms, cached


def main() -> None:
    # Request logs would drown the figures.
    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings({"DATA_DIR": folder, "SCHEDULER": "off"})
        storage = storage_for(settings)
        timeline_id, session = asyncio.run(seed(settings.database_url, storage))
        first_ms, cached = asyncio.run(page_views(settings, timeline_id, session))
        builds = asyncio.run(collage_builds(settings.database_url, storage, timeline_id))
        rebuilt = asyncio.run(rebuilds(settings.database_url, timeline_id))
    print(f"Recap of a year with {MEMORIES:,} memories and {MEMORIES * PHOTOS_EACH:,} photos")
    print(f"  page, first view (builds the collage): {first_ms:7.1f} ms")
    print(
        f"  page, cached: median {statistics.median(cached):7.1f} ms, "
        f"p90 {statistics.quantiles(cached, n=10)[-1]:.1f} ms   (goal: median < 30 ms)"
    )
    print(
        f"  recap built again after a change (collage aside): "
        f"median {statistics.median(rebuilt):.1f} ms   (goal: < 100 ms)"
    )
    print(
        f"  collage, cold from display variants: median {statistics.median(builds):.2f} s, "
        f"max {max(builds):.2f} s   (goal: < 1.5 s)"
    )


if __name__ == "__main__":
    main()
