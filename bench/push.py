"""Web Push at scale: how many notifications one worker sends per second to a local push
service, what sealing one costs (RFC 8291 encryption and the VAPID signature), and what a
partner's reply adds to its request (recording the notice for the partner's browsers).

A local HTTP server stands in for the push services (answering 201 as they do); the worker
talks to it with PUSH_ALLOW_PRIVATE_ENDPOINTS on, so the public-address check and its DNS
lookup are not in these figures (a lookup is the resolver's time, cached by it).

Run with `python bench/push.py` (BENCH_PUSHES scales it). Prints figures; asserts nothing."""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.common.database import apply_migrations, close_database, open_database  # noqa: E402
from server.common.settings import load_settings  # noqa: E402
from server.common.vapid import vapid_of  # noqa: E402
from server.worker.push import _sealed, send_waiting_pushes  # noqa: E402
from tests.support import a_browser  # noqa: E402
from timeline.memories.writing import MemoryDraft, add_reply, create_memory  # noqa: E402
from timeline.models import Membership, PushSubscription, Timeline, User  # noqa: E402
from timeline.push.outbox import Claimed, Notice, record  # noqa: E402

PUSHES = int(os.environ.get("BENCH_PUSHES", "2000"))
AT = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        return


async def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}/push"
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            {"DATA_DIR": folder, "SECRET_KEY": "bench", "PUSH_ALLOW_PRIVATE_ENDPOINTS": "1"}
        )
        await apply_migrations(settings.database_url)
        await open_database(settings.database_url)
        try:
            await run(settings, endpoint)
        finally:
            await close_database()
    server.shutdown()


async def run(settings, endpoint: str) -> None:
    keys = a_browser().keys
    ana, sam = [
        await User.create(
            id=uuid.uuid4(),
            email=f"{name.lower()}@bench.example",
            password_hash="unused",  # noqa: S106 (never logs in)
            display_name=name,
            timezone="Europe/Paris",
            created_at=AT,
        )
        for name in ("Ana", "Sam")
    ]
    timeline = await Timeline.create(id=uuid.uuid4(), name="Ana & Sam", created_at=AT)
    for user in (ana, sam):
        await Membership.create(id=uuid.uuid4(), timeline=timeline, user=user, joined_at=AT)

    # Sealing alone: encryption for the browser and the VAPID signature, per message.
    vapid = vapid_of(settings)
    payload = Notice("k", "Ana replied to “Picnic”", "Open it.", "/", "t").payload()
    claimed = Claimed(
        uuid.uuid4(), uuid.uuid4(), endpoint, keys["p256dh"], keys["auth"], "t", payload, 1, AT
    )
    times = []
    for _ in range(200):
        started = time.perf_counter()
        _sealed(claimed, settings, vapid)
        times.append(time.perf_counter() - started)
    print(f"sealing one notification: median {statistics.median(times) * 1000:.2f} ms")

    # A reply with and without a subscribed partner: what recording the notice adds.
    memory = await create_memory(
        ana, timeline.id, MemoryDraft(title="Picnic", occurred_on=date(2023, 6, 15)), now=AT
    )
    for label in ("no browser subscribed", "partner with 2 browsers"):
        if label.startswith("partner"):
            for n in range(2):
                await PushSubscription.create(
                    id=uuid.uuid4(), user=sam, endpoint=f"{endpoint}/{n}", created_at=AT, **keys
                )
        times = []
        for _ in range(200):
            started = time.perf_counter()
            await add_reply(ana, memory.id, "Again next summer?", now=AT)
            times.append(time.perf_counter() - started)
        print(f"a reply, {label}: median {statistics.median(times) * 1000:.2f} ms")
    await PushSubscription.all().delete()

    # Sending: PUSHES notifications waiting, one worker.
    subscriptions = [
        await PushSubscription.create(
            id=uuid.uuid4(), user=sam, endpoint=f"{endpoint}/{n}", created_at=AT, **keys
        )
        for n in range(PUSHES)
    ]
    notice = Notice("partner_reply", "Ana replied to “Picnic”", "Open it.", "/m/x", "t")
    for subscription in subscriptions:
        await record(subscription.id, notice, now=AT)
    started = time.perf_counter()
    sent = 0
    while True:
        report = await send_waiting_pushes(AT, settings=settings)
        if not report.sent:
            break
        sent += report.sent
    elapsed = time.perf_counter() - started
    print(f"sending {sent} notifications, one worker: {sent / elapsed:.0f} per second")


if __name__ == "__main__":
    asyncio.run(main())
