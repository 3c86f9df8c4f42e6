"""Serving figures for the foundation: page and probe throughput per server, and whether
argon2 log-ins (run in threads) keep the event loop free for everyone else.

Run with `make bench`. Prints figures; asserts nothing. Uses `wrk` when installed
(apt-get install wrk), else a small httpx load generator (slower, so only ratios matter)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DURATION = float(os.environ.get("BENCH_SECONDS", "8"))
CONNECTIONS = 32
PASSWORD = "a long and happy walk"

SERVERS: dict[str, list[str]] = {
    "granian + uvloop (remember-when serve)": [sys.executable, "-m", "server.cli", "serve"],
    "uvicorn, plain asyncio + h11": [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "server.app:create_app",
        "--loop",
        "asyncio",
        "--http",
        "h11",
        "--no-access-log",
        "--log-level",
        "warning",
    ],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(command: list[str], data_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "server.cli", "migrate"], env=env, check=True, capture_output=True
    )
    args = [*command, "--port", str(port)]
    if "uvicorn" in command:
        args += ["--host", "127.0.0.1"]
    server = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/healthz", timeout=1)
            return server, base
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{command} did not start")


def wrk(url: str) -> tuple[float, float]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{int(DURATION)}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99[2]]
    return rps, float(p99[1]) * scale


async def python_load(url: str) -> tuple[float, float]:
    latencies: list[float] = []
    stop = time.monotonic() + DURATION
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=CONNECTIONS)) as client:

        async def worker() -> None:
            while time.monotonic() < stop:
                t = time.perf_counter()
                await client.get(url)
                latencies.append((time.perf_counter() - t) * 1000)

        await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
    return len(latencies) / DURATION, statistics.quantiles(latencies, n=100)[98]


def load(url: str) -> tuple[float, float]:
    return wrk(url) if shutil.which("wrk") else asyncio.run(python_load(url))


async def probe_during_logins(base: str, logins: int) -> tuple[float, float, float]:
    """p99 of /healthz while `logins` argon2 log-ins run at once; and the log-ins' median."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await client.post(
            "/api/v1/auth/signup",
            json={"email": "bench@example.org", "password": PASSWORD, "display_name": "Bench"},
        )
        probe_ms: list[float] = []
        login_ms: list[float] = []
        done = asyncio.Event()

        async def probe() -> None:
            while not done.is_set():
                t = time.perf_counter()
                await client.get("/healthz")
                probe_ms.append((time.perf_counter() - t) * 1000)

        async def login() -> None:
            t = time.perf_counter()
            await client.post(
                "/api/v1/auth/login", json={"email": "bench@example.org", "password": PASSWORD}
            )
            login_ms.append((time.perf_counter() - t) * 1000)

        idle = []
        for _ in range(50):
            t = time.perf_counter()
            await client.get("/healthz")
            idle.append((time.perf_counter() - t) * 1000)
        prober = asyncio.create_task(probe())
        await asyncio.gather(*(login() for _ in range(logins)))
        done.set()
        await prober
        return statistics.median(idle), max(probe_ms), statistics.median(login_ms)


def main() -> None:
    print(
        f"load: {'wrk' if shutil.which('wrk') else 'httpx'}, {CONNECTIONS} connections, "
        f"{DURATION:.0f} s per figure, one server worker, {os.cpu_count()} cores\n"
    )
    print(f"{'server':42} {'path':10} {'req/s':>9} {'p99 ms':>8}")
    results: dict[tuple[str, str], float] = {}
    for name, command in SERVERS.items():
        with tempfile.TemporaryDirectory() as data_dir:
            server, base = start(command, Path(data_dir))
            try:
                for path in ["/healthz", "/signup"]:
                    rps, p99 = load(base + path)
                    results[(name, path)] = rps
                    print(f"{name:42} {path:10} {rps:9.0f} {p99:8.1f}")
                if "granian" in name:
                    idle, worst, login = asyncio.run(probe_during_logins(base, logins=8))
            finally:
                server.terminate()
                server.wait()
    names = list(SERVERS)
    for path in ["/healthz", "/signup"]:
        ratio = results[(names[0], path)] / results[(names[1], path)]
        print(f"\n{path}: granian is {ratio:.2f}x uvicorn/asyncio/h11", end="")
    print(
        f"\n\n8 log-ins at once (argon2id in threads): median log-in {login:.0f} ms; "
        f"/healthz median idle {idle:.1f} ms, worst while logging in {worst:.1f} ms"
    )


if __name__ == "__main__":
    main()
