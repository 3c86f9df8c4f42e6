"""Browsing a timeline of 20,000 memories: requests/s and p50/p99 with 16 connections for the
first page, page 200 by cursor, the API list, a search, a memory's page and the home page (the
pick and on this day), beside a bare 50-card page with no database (the framework's ceiling)
on the same server process; and the database work of a page of cards, in process. Pages are
asked for with the cookies a browser sends (session and CSRF), without If-None-Match.

Run with `make bench` (needs `wrk`: apt-get install wrk). Prints figures; asserts nothing."""

from __future__ import annotations

import asyncio
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MEMORIES = int(os.environ.get("BENCH_MEMORIES", "20000"))
DURATION = int(os.environ.get("BENCH_SECONDS", "8"))
CONNECTIONS = 16
PASSWORD = "a long and happy walk"
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


async def seed(database_url: str) -> tuple[str, str]:
    """A couple and MEMORIES memories with tags, photo rows (no pixels) and ratings."""
    from server.common.database import apply_migrations, close_database, open_database
    from timeline.accounts.credentials import sign_up
    from timeline.models import Connection, Memory, MemoryTag, Photo
    from timeline.timelines.invites import accept_invite, create_invite
    from timeline.timelines.membership import create_timeline

    await apply_migrations(database_url)
    await open_database(database_url)
    now = datetime(2026, 6, 1, tzinfo=UTC)
    rng = random.Random(3)
    ana = await sign_up("ana@example.org", PASSWORD, "Ana", "UTC", now=now)
    sam = await sign_up("sam@example.org", PASSWORD, "Sam", "UTC", now=now)
    timeline = await create_timeline(ana, "Twenty thousand", date(2000, 1, 1), now=now)
    await accept_invite(sam, (await create_invite(ana, timeline.id, now=now)).token, now=now)
    memories, tags, photos, connections = [], [], [], []
    for n in range(MEMORIES):
        day = date(2000, 1, 1) + timedelta(days=n * 9000 // MEMORIES)
        words = rng.sample(WORDS, 3)
        memory = Memory(
            id=uuid.uuid4(),
            timeline=timeline,
            author=ana if n % 2 else sam,
            title=f"{words[0].capitalize()} {words[1]} {n}",
            body=" ".join(words) * 8,
            occurred_on=day,
            date_precision="day",
            year=day.year,
            month_day=day.month * 100 + day.day,
            place=words[2].capitalize(),
            kind="everyday",
            created_at=now,
            updated_at=now,
        )
        memories.append(memory)
        tags.append(MemoryTag(memory_id=memory.id, name=words[2]))
        if n % 3 == 0:
            photos.append(
                Photo(
                    memory_id=memory.id,
                    timeline=timeline,
                    storage_key=f"photos/bench-{n:06d}",
                    original_type="image/jpeg",
                    sha256=f"{n:064x}",
                    width=4032,
                    height=3024,
                    placeholder="#8899aa",
                    created_at=now,
                )
            )
        connections.append(
            Connection(memory_id=memory.id, user=ana, score=1 + n % 5, updated_at=now)
        )
    for rows, model in (
        (memories, Memory),
        (tags, MemoryTag),
        (photos, Photo),
        (connections, Connection),
    ):
        await model.bulk_create(rows, batch_size=1000)
    await close_database()
    return str(timeline.id), str(memories[0].id)


async def orm_share(database_url: str, timeline_id: str) -> tuple[float, float]:
    """Median milliseconds of the database work of page 1 and page 200, in process."""
    from server.common.database import close_database, open_database
    from timeline.memories.browsing import Filters, browse
    from timeline.models import Timeline

    await open_database(database_url)
    timeline = await Timeline.get(id=timeline_id)
    first = await browse(timeline, Filters(), limit=30)
    key = first.next_key
    for _ in range(198):
        key = (await browse(timeline, Filters(), limit=30, after=key)).next_key
    results = []
    for after in (None, key):
        timings = []
        for _ in range(50):
            started = time.perf_counter()
            await browse(timeline, Filters(), limit=30, after=after)
            timings.append((time.perf_counter() - started) * 1000)
        results.append(sorted(timings)[len(timings) // 2])
    await close_database()
    return results[0], results[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, headers: dict[str, str]) -> tuple[float, float, float]:
    args = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout

    def latency(percent: str) -> float:
        value, unit = re.search(rf"{percent}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]), latency("50"), latency("99")


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        database_url = f"sqlite:///{data_dir}/bench.sqlite3"
        started = time.perf_counter()
        timeline_id, _ = asyncio.run(seed(database_url))
        print(f"Seeded {MEMORIES:,} memories in {time.perf_counter() - started:.0f} s")
        orm_first, orm_deep = asyncio.run(orm_share(database_url, timeline_id))
        port = free_port()
        env = {
            **os.environ,
            "DATA_DIR": data_dir,
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT),
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "granian",
                "--interface",
                "asgi",
                "--factory",
                "--loop",
                "uvloop",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "bench.timeline_app:create_app",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            figures = measure(base, timeline_id)
        finally:
            server.terminate()
            server.wait()
    print(f"\n{'what':38} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, (rps, p50, p99) in figures.items():
        print(f"{name:38} {rps:8.0f} {p50:8.1f} {p99:8.1f}")
    ceiling, first, deep = figures["ceiling"], figures["timeline page 1"], figures["page 200"]
    print(
        f"\npage 1 reaches {first[0] / ceiling[0]:.0%} of the ceiling's requests/s, "
        f"p99 {first[2] / ceiling[2]:.2f}x the ceiling's; page 200 is "
        f"{deep[0] / first[0]:.0%} of page 1's requests/s"
    )
    for name in ("search 'picnic lake'", "memory page", "home page"):
        print(f"{name} reaches {figures[name][0] / ceiling[0]:.0%} of the ceiling's requests/s")
    print(
        f"Database work of a page of cards (in process, median): page 1 {orm_first:.2f} ms, "
        f"page 200 {orm_deep:.2f} ms"
    )


def measure(base: str, timeline_id: str) -> dict[str, tuple[float, float, float]]:
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{base}/healthz")
            break
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    with httpx.Client(base_url=base) as client:
        token = client.post(
            "/api/v1/auth/login", json={"email": "ana@example.org", "password": PASSWORD}
        ).json()["token"]
        page = client.get("/login")
        csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)[1]
        client.post(
            "/login", data={"email": "ana@example.org", "password": PASSWORD, "_csrf_token": csrf}
        )
        cookies = "; ".join(f"{name}={client.cookies[name]}" for name in ("rw_session", "rw_csrf"))
        session = {"Cookie": cookies}
        client.get("/")  # the log-in's welcome, shown once
        path = f"/t/{timeline_id}"
        for _ in range(199):
            older = re.search(r'href="([^"]+)" rel="next"', client.get(path).text)[1]
            path = older.replace("&amp;", "&")
    bearer = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=bearer) as api:
        items = api.get(f"/api/v1/timelines/{timeline_id}/memories").json()["items"]
        memory_id = next(m["id"] for m in items if m["photos"])
    paths = {
        "ceiling": ("/bench/ceiling", {}),
        "timeline page 1": (f"/t/{timeline_id}", session),
        "page 200": (path, session),
        "API list (20)": (f"/api/v1/timelines/{timeline_id}/memories", bearer),
        "search 'picnic lake'": (f"/t/{timeline_id}?q=picnic+lake", session),
        "memory page": (f"/m/{memory_id}", session),
        "home page": ("/", session),
    }
    figures = {}
    for name, (url, headers) in paths.items():
        # Asked once first, as a member would have: wrk measures the steady state.
        httpx.get(f"{base}{url}", headers=headers)
        figures[name] = wrk(f"{base}{url}", headers)
    return figures


if __name__ == "__main__":
    main()
