"""A mixed load against the scaled-out stack: app processes (`serve --no-scheduler`) on
PostgreSQL and an S3 endpoint (moto's server, in its own process), 32 users at once for a
bounded time. 80 % browse timeline and memory pages, 15 % rate or reply, 5 % upload a 12 MP
photo. Prints requests/s, p50/p95/p99 per kind and errors, for two app processes and for one.

The load generator is an asyncio client of our own rather than Locust: Locust brings gevent
and a web UI we would not use, and its users would spend more of our two cores than a
single asyncio loop issuing the same requests does. Each user's requests go to the app
processes in turn, as a load balancer would send them.

Run with `python bench/load.py` (BENCH_SECONDS, BENCH_USERS, BENCH_POSTGRES_URL,
BENCH_UPLOADS=off).
Prints figures; asserts nothing."""

from __future__ import annotations

import asyncio
import io
import itertools
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from pathlib import Path

import asyncpg
import httpx
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DURATION = float(os.environ.get("BENCH_SECONDS", "30"))
USERS = int(os.environ.get("BENCH_USERS", "32"))
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
PASSWORD = "a long and happy walk"
COUPLES = USERS // 2
MEMORIES_EACH = 120
MIX = [("page", 80), ("rate or reply", 15), ("upload 12 MP", 5)]
# BENCH_UPLOADS=off leaves the uploads out (80/15), to see what the pages cost without them.
if os.environ.get("BENCH_UPLOADS", "on") == "off":
    MIX = MIX[:2]
CLI = [sys.executable, "-m", "server.cli"]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def twelve_megapixels() -> bytes:
    """A photo-like 4000 x 3000 JPEG (gradients and shapes compress like a photo)."""
    image = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for n in range(14):
        draw.ellipse((n * 280, n * 180, n * 280 + 900, n * 180 + 700), fill=(30 + 15 * n, 120, 90))
    noise = Image.effect_noise((4000, 3000), 30).convert("RGB")
    out = io.BytesIO()
    Image.blend(image, noise, 0.2).save(out, "JPEG", quality=90)
    return out.getvalue()


async def fresh_database() -> str:
    name = f"rw_load_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(POSTGRES)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return POSTGRES.rsplit("/", 1)[0] + f"/{name}"


async def drop_database(url: str) -> None:
    conn = await asyncpg.connect(POSTGRES)
    await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    await conn.close()


def wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not come up")
        time.sleep(0.2)


@contextmanager
def process(args: list[str], env: dict[str, str], cwd: Path):
    started = subprocess.Popen(
        args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield started
    finally:
        started.terminate()
        started.wait(timeout=30)


class Member:
    def __init__(self, email: str) -> None:
        self.email = email
        self.token = ""
        self.cookie = ""
        self.timeline = ""
        self.memories: list[str] = []

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def accounts(database: str, emails: list[str]) -> None:
    """The members' accounts, made in the database: sign-ups through the API are throttled
    per address, and every simulated user here comes from one."""
    from datetime import UTC, datetime

    from server.common.database import close_database, open_database
    from timeline.accounts.credentials import sign_up

    await open_database(database)
    try:
        for email in emails:
            await sign_up(email, PASSWORD, "M", "UTC", now=datetime.now(UTC))
    finally:
        await close_database()


async def seed(app: str) -> list[Member]:
    """COUPLES couples, each with a timeline of MEMORIES_EACH memories, ratings and a few
    photos, and a web session for each member (their accounts exist already)."""
    members: list[Member] = []
    small = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 120, 90)).save(small, "JPEG")
    async with httpx.AsyncClient(base_url=app, timeout=120) as client:
        for n in range(COUPLES):
            pair = [Member(f"a{n}@example.org"), Member(f"b{n}@example.org")]
            for member in pair:
                body = {"email": member.email, "password": PASSWORD}
                member.token = (await client.post("/api/v1/auth/login", json=body)).json()["token"]
            a, b = pair
            timeline = await client.post(
                "/api/v1/timelines", json={"name": f"Couple {n}"}, headers=a.auth
            )
            a.timeline = b.timeline = timeline.json()["id"]
            invite = await client.post(f"/api/v1/timelines/{a.timeline}/invites", headers=a.auth)
            await client.post(f"/api/v1/invites/{invite.json()['token']}/accept", headers=b.auth)
            for k in range(MEMORIES_EACH):
                memory = await client.post(
                    f"/api/v1/timelines/{a.timeline}/memories",
                    json={
                        "title": f"Sunday walk {k}",
                        "occurred_on": f"{2012 + k % 13}-{k % 12 + 1:02d}-{k % 27 + 1:02d}",
                        "body": "Around the park, slowly, talking about everything.",
                        "place": "Victoria Park",
                    },
                    headers=a.auth,
                )
                a.memories.append(memory.json()["id"])
                await client.put(
                    f"/api/v1/memories/{a.memories[-1]}/connection",
                    json={"score": 1 + k % 5},
                    headers=a.auth,
                )
                if k % 12 == 0:
                    small.seek(0)
                    await client.post(
                        f"/api/v1/memories/{a.memories[-1]}/photos",
                        files={"file": (f"{n}-{k}.jpg", small.getvalue(), "image/jpeg")},
                        headers=a.auth,
                    )
            b.memories = a.memories
            for member in pair:
                page = await client.get("/login")
                csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)[1]
                await client.post(
                    "/login",
                    data={"email": member.email, "password": PASSWORD, "_csrf_token": csrf},
                )
                member.cookie = client.cookies["rw_session"]
                client.cookies.clear()
            members += pair
    return members


async def user(
    member: Member,
    apps: list[str],
    photo: bytes,
    deadline: float,
    latencies: dict[str, list[float]],
    errors: dict[str, int],
    seed_: int,
) -> None:
    rng = random.Random(seed_)
    kinds, weights = zip(*MIX, strict=True)
    targets = itertools.cycle(apps)
    async with httpx.AsyncClient(timeout=120, cookies={"rw_session": member.cookie}) as client:
        while time.monotonic() < deadline:
            kind = rng.choices(kinds, weights)[0]
            base = next(targets)
            memory = rng.choice(member.memories)
            started = time.perf_counter()
            try:
                if kind == "page":
                    path = f"/t/{member.timeline}" if rng.random() < 0.5 else f"/m/{memory}"
                    response = await client.get(f"{base}{path}")
                elif kind == "rate or reply":
                    if rng.random() < 0.5:
                        response = await client.put(
                            f"{base}/api/v1/memories/{memory}/connection",
                            json={"score": rng.randint(1, 5), "appreciation": "Still smiling."},
                            headers=member.auth,
                        )
                    else:
                        response = await client.post(
                            f"{base}/api/v1/memories/{memory}/replies",
                            json={"text": "Again next year?"},
                            headers=member.auth,
                        )
                else:
                    # Each upload is new bytes: the same photo twice is stored once.
                    unique = photo + uuid.uuid4().bytes
                    response = await client.post(
                        f"{base}/api/v1/memories/{memory}/photos",
                        files={"file": ("big.jpg", unique, "image/jpeg")},
                        headers=member.auth,
                    )
                ok = response.status_code < 400
            except httpx.HTTPError:
                ok = False
            latencies[kind].append((time.perf_counter() - started) * 1000)
            if not ok:
                errors[kind] += 1


async def run_load(apps: list[str], members: list[Member], photo: bytes):
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    started = time.monotonic()
    deadline = started + DURATION
    await asyncio.gather(
        *(
            user(m, apps, photo, deadline, latencies, errors, n)
            for n, m in enumerate(members[:USERS])
        )
    )
    return latencies, errors, time.monotonic() - started


def report(title: str, latencies: dict[str, list[float]], errors: dict[str, int], took: float):
    total = sum(len(v) for v in latencies.values())
    print(f"\n{title}: {total / took:.0f} requests/s over {took:.0f} s, {USERS} users")
    print(f"  {'kind':16} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for kind, _ in MIX:
        times = sorted(latencies[kind])
        if not times:
            continue
        cuts = statistics.quantiles(times, n=100) if len(times) > 1 else times * 99
        print(
            f"  {kind:16} {len(times):8} {statistics.median(times):8.1f} "
            f"{cuts[94]:8.1f} {cuts[98]:8.1f} {errors[kind]:7}"
        )


def main() -> None:
    photo = twelve_megapixels()
    for count in (2, 1):
        with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
            database = asyncio.run(fresh_database())
            s3_port = free_port()
            env = {
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "DATA_DIR": folder,
                "DATABASE_URL": database,
                "MEDIA_STORAGE": "s3://load/media",
                "S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
                "AWS_ACCESS_KEY_ID": "load",
                "AWS_SECRET_ACCESS_KEY": "load",
                "AWS_DEFAULT_REGION": "us-east-1",
                "SECRET_KEY": "load-test",
                "SCHEDULER": "off",
            }
            try:
                stack.enter_context(
                    process(
                        [sys.executable, "-m", "moto.server", "-p", str(s3_port)], env, Path(folder)
                    )
                )
                wait_for(f"http://127.0.0.1:{s3_port}/moto-api/")
                httpx.put(f"http://127.0.0.1:{s3_port}/load")
                subprocess.run([*CLI, "migrate"], env=env, cwd=folder, check=True)
                apps = []
                for _ in range(count):
                    port = free_port()
                    stack.enter_context(
                        process(
                            [*CLI, "serve", "--no-scheduler", "--port", str(port)],
                            env,
                            Path(folder),
                        )
                    )
                    apps.append(f"http://127.0.0.1:{port}")
                    wait_for(f"{apps[-1]}/readyz")
                emails = [f"{side}{n}@example.org" for n in range(COUPLES) for side in "ab"]
                asyncio.run(accounts(database, emails))
                members = asyncio.run(seed(apps[0]))
                latencies, errors, took = asyncio.run(run_load(apps, members, photo))
            finally:
                stack.close()
                asyncio.run(drop_database(database))
        report(f"{count} app process{'es' if count > 1 else ''}", latencies, errors, took)


if __name__ == "__main__":
    main()
