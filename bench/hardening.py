"""What one request can cost, measured from outside against a served app (SQLite): a JSON
body of 50,000 tags and /healthz meanwhile, 100,000 nested brackets, and 200 parallel wrong
passwords for one account. `python bench/hardening.py [source folder]` measures the code in
that folder (default: this one), so two commits can be compared side by side.
Prints figures; asserts nothing."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
PASSWORD = "a long and happy walk"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def tags_and_health(client: httpx.AsyncClient, auth: dict, timeline_id: str) -> None:
    body = {"title": "Tags", "occurred_on": "2024-05-01", "tags": [f"t{n}" for n in range(50_000)]}

    async def post() -> tuple[int, float]:
        started = time.perf_counter()
        answer = await client.post(
            f"/api/v1/timelines/{timeline_id}/memories", json=body, headers=auth
        )
        return answer.status_code, time.perf_counter() - started

    async def health() -> float:
        await asyncio.sleep(0.05)  # let the big body reach the server first
        started = time.perf_counter()
        await client.get("/healthz")
        return time.perf_counter() - started

    (status, took), waited = await asyncio.gather(post(), health())
    size = len(httpx.Request("POST", "/", json=body).content) // 1024
    print(f"  50,000 tags ({size} KB JSON): {status} after {took:.2f} s;", end=" ")
    print(f"/healthz waited {waited:.2f} s")


async def nested(client: httpx.AsyncClient, auth: dict, timeline_id: str) -> None:
    answer = await client.post(
        f"/api/v1/timelines/{timeline_id}/memories",
        content=b"[" * 100_000,
        headers={**auth, "content-type": "application/json"},
    )
    print(f"  100,000 nested [: {answer.status_code}")


async def parallel_wrong_passwords(client: httpx.AsyncClient, count: int) -> None:
    wrong = {"email": "ana@example.org", "password": "not the password at all"}
    started = time.perf_counter()
    answers = await asyncio.gather(
        *(client.post("/api/v1/auth/login", json=wrong) for _ in range(count))
    )
    took = time.perf_counter() - started
    statuses = Counter(a.status_code for a in answers)
    print(f"  {count} parallel wrong passwords: {dict(sorted(statuses.items()))} in {took:.2f} s")


async def measure(url: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        signup = {"password": PASSWORD, "display_name": "Ana", "timezone": "UTC"}
        token = (
            await client.post("/api/v1/auth/signup", json={**signup, "email": "ana@example.org"})
        ).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        timeline = await client.post("/api/v1/timelines", json={"name": "Us"}, headers=auth)
        timeline_id = timeline.json()["id"]
        await tags_and_health(client, auth, timeline_id)
        await nested(client, auth, timeline_id)
        await parallel_wrong_passwords(client, 200)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DATA_DIR": f"{folder}/var"}
        env.pop("DATABASE_URL", None)
        cli = [sys.executable, "-m", "server.cli"]
        subprocess.run([*cli, "migrate"], env=env, cwd=folder, check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen(
            [*cli, "serve", "--port", str(port)],
            env=env,
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    httpx.get(f"{url}/healthz")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            print(f"code in {ROOT}")
            asyncio.run(measure(url))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
