"""What one request costs the server in CPU and memory when it makes an image: the full-size
link of a 14,400 x 14,400 JPEG (one GET, then three at once), one PNG upload (64 MP, 48 MP),
and the new-memory web form with several PNGs (20 x 64 MP, 20 x 12 MP, 3 x 48 MP).

Starts `remember-when serve` (one worker, SQLite, local folder) afresh for each case and reads
the app process's CPU time (/proc/<pid>/stat) and VmRSS / VmHWM (/proc/<pid>/status) before
and after, and how long `GET /healthz` took meanwhile at worst. Run with
`python bench/full_size.py`. Prints figures; asserts nothing."""

from __future__ import annotations

import asyncio
import io
import os
import re
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.login_and_pages import start  # noqa: E402
from tests.images import huge_jpeg  # noqa: E402

PASSWORD = "a long and happy walk"
EMAIL = "bench@example.org"
TICKS = os.sysconf("SC_CLK_TCK")


def app_process(server_pid: int) -> int:
    """The process that runs the app: granian's worker (the server's child), else the server."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    return int(children[0]) if children else server_pid


def usage(pid: int) -> tuple[float, int, int]:
    """CPU seconds so far, VmRSS and VmHWM in MB."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status)[1]) // 1024
    hwm = int(re.search(r"VmHWM:\s+(\d+)", status)[1]) // 1024
    return cpu, rss, hwm


def png(edge: int) -> bytes:
    """A small PNG of edge x edge pixels (flat colour: a few hundred KB that decode in full)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (edge, edge), (40, 120, 200)).save(out, "PNG", optimize=True)
    return out.getvalue()


async def signed_up(client: httpx.AsyncClient) -> tuple[dict[str, str], str]:
    """A member with a timeline: the API auth header and the timeline id."""
    signup = await client.post(
        "/api/v1/auth/signup",
        json={"email": EMAIL, "password": PASSWORD, "display_name": "Bench"},
    )
    auth = {"Authorization": f"Bearer {signup.json()['token']}"}
    timeline = await client.post("/api/v1/timelines", json={"name": "Bench"}, headers=auth)
    return auth, timeline.json()["id"]


async def new_memory(client: httpx.AsyncClient) -> tuple[dict[str, str], str]:
    """A member's auth header and the id of a memory of theirs."""
    auth, timeline_id = await signed_up(client)
    memory = await client.post(
        f"/api/v1/timelines/{timeline_id}/memories",
        json={"title": "Big", "occurred_on": "2024-05-01"},
        headers=auth,
    )
    return auth, memory.json()["id"]


async def upload(
    client: httpx.AsyncClient, auth: dict[str, str], memory_id: str, photo: bytes, name: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/memories/{memory_id}/photos",
        files={"file": (name, photo, "application/octet-stream")},
        headers=auth,
    )


def unique(photo: bytes, n: int) -> bytes:
    """The same picture as new bytes: decoders ignore what follows the image's end, and the
    duplicate check (by SHA-256) no longer takes it for one already stored."""
    return photo + n.to_bytes(4, "big")


async def measure(
    client: httpx.AsyncClient,
    pid: int,
    label: str,
    work: Callable[[], Awaitable[list[httpx.Response]]],
) -> None:
    """Run `work` while probing `/healthz`; print what it cost the app process."""
    cpu_before, rss_before, hwm_before = usage(pid)
    started = time.perf_counter()
    task = asyncio.ensure_future(work())
    probes = []
    while not task.done():
        probe_started = time.perf_counter()
        await client.get("/healthz")
        probes.append(time.perf_counter() - probe_started)
        await asyncio.wait([task], timeout=0.05)
    responses = task.result()
    took = time.perf_counter() - started
    cpu_after, rss_after, hwm = usage(pid)
    statuses = ", ".join(str(r.status_code) for r in responses)
    print(
        f"{label}: {cpu_after - cpu_before:.2f} s CPU, {took:.2f} s wall, answers {statuses}; "
        f"RSS {rss_before} -> {rss_after} MB, peak {hwm_before} -> {hwm} MB; "
        f"/healthz at worst {max(probes) * 1000:.0f} ms"
    )


async def full_size(base: str, pid: int, parallel: int, photo: bytes) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=600) as client:
        auth, memory_id = await new_memory(client)
        added = (await upload(client, auth, memory_id, photo, "big.jpg")).json()
        # The link is absolute to BASE_URL; ask this server for its path.
        parts = urlsplit(added["urls"]["original"])
        original = f"{parts.path}?{parts.query}"

        async def gets() -> list[httpx.Response]:
            return await asyncio.gather(*(client.get(original) for _ in range(parallel)))

        await measure(client, pid, f"{parallel} x GET original of the 14,400² JPEG", gets)


async def png_upload(base: str, pid: int, photo: bytes, megapixels: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=600) as client:
        auth, memory_id = await new_memory(client)

        async def post() -> list[httpx.Response]:
            return [await upload(client, auth, memory_id, photo, "big.png")]

        label = f"1 x POST of a {len(photo) // 1000} KB {megapixels} MP PNG (API)"
        await measure(client, pid, label, post)


async def web_form(base: str, pid: int, photo: bytes, count: int, megapixels: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=600) as client:
        _, timeline_id = await signed_up(client)
        page = await client.get("/login")
        csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)[1]
        await client.post(
            "/login", data={"email": EMAIL, "password": PASSWORD, "_csrf_token": csrf}
        )
        page = await client.get(f"/t/{timeline_id}/new")
        csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)[1]
        fields = {"title": "Many", "occurred_on": "2024-05-01", "date_precision": "day"}

        async def post() -> list[httpx.Response]:
            return [
                await client.post(
                    f"/t/{timeline_id}/memories",
                    data={**fields, "_csrf_token": csrf},
                    files=[
                        ("photos", (f"{n}.png", unique(photo, n), "image/png"))
                        for n in range(count)
                    ],
                )
            ]

        label = f"1 x web POST of a new memory with {count} {megapixels} MP PNGs"
        await measure(client, pid, label, post)


def served(case: Callable[[str, int], Awaitable[None]]) -> None:
    """Run one case against a fresh server, so each starts from the same memory."""
    with tempfile.TemporaryDirectory() as data_dir:
        server, base = start([sys.executable, "-m", "server.cli", "serve"], Path(data_dir))
        try:
            asyncio.run(case(base, app_process(server.pid)))
        finally:
            server.terminate()
            server.wait()


def main() -> None:
    jpeg = huge_jpeg()
    pngs = {64: png(8000), 48: png(6928), 12: png(3464)}
    print(f"{os.cpu_count()} cores; the JPEG is {len(jpeg) / 1e6:.1f} MB")
    for parallel in (1, 3):
        served(lambda base, pid, n=parallel: full_size(base, pid, n, jpeg))
    for mp in (64, 48):
        served(lambda base, pid, mp=mp: png_upload(base, pid, pngs[mp], mp))
    for count, mp in ((20, 64), (20, 12), (3, 48)):
        served(lambda base, pid, n=count, mp=mp: web_form(base, pid, pngs[mp], n, mp))


if __name__ == "__main__":
    main()
