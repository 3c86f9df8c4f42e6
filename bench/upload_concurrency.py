"""While 4 clients upload 12 MP photos in a loop, does the server keep answering others?

Starts `remember-when serve` (one worker, SQLite, local folder), signs up, then runs four
uploaders and a prober of `GET /healthz` side by side. Prints throughput and the probe's
latency percentiles; the goal is a p99 under 50 ms. Asserts nothing."""

from __future__ import annotations

import asyncio
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ingest import make_photo  # noqa: E402
from bench.login_and_pages import start  # noqa: E402

DURATION = float(os.environ.get("BENCH_SECONDS", "20"))
UPLOADERS = 4
PASSWORD = "a long and happy walk"


async def run(base: str, photo: bytes) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        signup = await client.post(
            "/api/v1/auth/signup",
            json={"email": "bench@example.org", "password": PASSWORD, "display_name": "Bench"},
        )
        auth = {"Authorization": f"Bearer {signup.json()['token']}"}
        timeline = await client.post("/api/v1/timelines", json={"name": "Bench"}, headers=auth)
        memory = await client.post(
            f"/api/v1/timelines/{timeline.json()['id']}/memories",
            json={"title": "Many photos", "occurred_on": "2024-05-01"},
            headers=auth,
        )
        url = f"/api/v1/memories/{memory.json()['id']}/photos"
        stop = time.monotonic() + DURATION
        upload_ms: list[float] = []
        probe_ms: list[float] = []
        statuses: dict[int, int] = {}

        async def uploader() -> None:
            while time.monotonic() < stop:
                # Bytes after the JPEG's end are ignored by decoders but make each upload
                # new to the duplicate check, so every one goes through the whole pipeline.
                unique = photo + secrets.token_bytes(16)
                started = time.perf_counter()
                response = await client.post(
                    url, files={"file": ("p.jpg", unique, "image/jpeg")}, headers=auth
                )
                upload_ms.append((time.perf_counter() - started) * 1000)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        async def prober() -> None:
            while time.monotonic() < stop:
                started = time.perf_counter()
                await client.get("/healthz")
                probe_ms.append((time.perf_counter() - started) * 1000)
                await asyncio.sleep(0.02)

        idle = []
        for _ in range(50):
            started = time.perf_counter()
            await client.get("/healthz")
            idle.append((time.perf_counter() - started) * 1000)
        await asyncio.gather(prober(), *(uploader() for _ in range(UPLOADERS)))

    cuts = statistics.quantiles(probe_ms, n=100)
    print(
        f"{UPLOADERS} uploaders of a {len(photo) / 1e6:.1f} MB 12 MP JPEG for {DURATION:.0f} s, "
        f"one server worker, {os.cpu_count()} cores"
    )
    print(
        f"  uploads: {len(upload_ms)} ({len(upload_ms) / DURATION:.1f}/s), statuses {statuses}, "
        f"median {statistics.median(upload_ms):.0f} ms"
    )
    print(f"  GET /healthz idle: median {statistics.median(idle):.1f} ms")
    print(
        f"  GET /healthz under upload load ({len(probe_ms)} probes): "
        f"median {statistics.median(probe_ms):.1f} ms, p99 {cuts[98]:.1f} ms, "
        f"max {max(probe_ms):.1f} ms"
    )


def main() -> None:
    photo = make_photo(4032, 3024)
    with tempfile.TemporaryDirectory() as data_dir:
        server, base = start([sys.executable, "-m", "server.cli", "serve"], Path(data_dir))
        try:
            asyncio.run(run(base, photo))
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
