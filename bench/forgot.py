"""How long `POST /forgot` takes for an address that has an account and for one that has
none: the two must not be told apart by their timing (issue 14, item 9).

The whole app runs in process behind Litestar's test client, on SQLite, with the default
mailer (.eml files). The app's clock moves an hour per request, so the reset limits never
answer 429 and every request does the full work. Run with `python bench/forgot.py`
(BENCH_REQUESTS sets how many of each, 200 by default). Prints figures; asserts nothing."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from litestar.testing import AsyncTestClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.app import create_app  # noqa: E402
from server.common.database import apply_migrations  # noqa: E402
from server.common.settings import load_settings  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
WARM_UP = 20
PASSWORD = "a long and happy walk"
KNOWN, UNKNOWN = "ana@example.org", "nobody@example.org"


class HourPerRequest:
    """A clock an hour later at each reading: no reset limit is ever reached."""

    def __init__(self) -> None:
        self.now = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(hours=1)
        return self.now


async def measure(folder: Path) -> dict[str, list[float]]:
    database_url = f"sqlite:///{folder}/bench.sqlite3"
    await apply_migrations(database_url)
    settings = load_settings(
        {
            "DATA_DIR": str(folder / "var"),
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-secret-key",
            "SCHEDULER": "off",
        }
    )
    timings: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
    app = create_app(settings, clock=HourPerRequest())
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        signed_up = await client.post(
            "/api/v1/auth/signup",
            json={"email": KNOWN, "password": PASSWORD, "display_name": "Ana"},
        )
        assert signed_up.status_code == 201, signed_up.text
        client.cookies.clear()
        form = await client.get("/forgot")
        csrf = re.search(r'name="_csrf_token" value="([^"]+)"', form.text)[1]
        for n in range(WARM_UP + REQUESTS):
            for email in (KNOWN, UNKNOWN) if n % 2 else (UNKNOWN, KNOWN):
                started = time.perf_counter()
                answer = await client.post("/forgot", data={"email": email, "_csrf_token": csrf})
                elapsed = time.perf_counter() - started
                assert answer.status_code == 200, answer.status_code
                if n >= WARM_UP:
                    timings[email].append(elapsed)
    return timings


def main() -> None:
    # The test client logs each request; the app's own request log stays as it runs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        timings = asyncio.run(measure(Path(folder)))
    print(f"POST /forgot, {REQUESTS} requests each, in process (test client), SQLite:")
    for label, email in (("existing address", KNOWN), ("unknown address", UNKNOWN)):
        median = statistics.median(timings[email]) * 1000
        p90 = statistics.quantiles(timings[email], n=10)[-1] * 1000
        print(f"  {label:17} median {median:5.2f} ms   p90 {p90:5.2f} ms")


if __name__ == "__main__":
    main()
