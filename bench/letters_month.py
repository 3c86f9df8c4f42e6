"""How many e-mails a dense couple receives in 30 days: Zoë (Stockholm) and Kai (Tokyo),
a memory on every day since 20 June 2019, an anniversary and a wedding in the month, the
weekly pick on Sundays. Passes every hour from 1 June 2026, one worker, SQLite, messages
written to a folder. Prints e-mails per member, the most on one local day, and how many
times a memory came back within a week of the last.

Run with `python bench/letters_month.py`. Prints figures; asserts nothing."""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
import sys
import tempfile
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.common.database import apply_migrations, close_database, open_database  # noqa: E402
from server.common.settings import load_settings  # noqa: E402
from server.common.storage import storage_for  # noqa: E402
from server.worker.mailer import mailer_for  # noqa: E402
from server.worker.scheduler import send_due_emails  # noqa: E402
from tests.support import dense_couple  # noqa: E402
from timeline.core.calendar import local_time  # noqa: E402

START = datetime(2026, 6, 1, tzinfo=UTC)
DAYS = 30
MEMORY_LINK = re.compile(r"/m/([0-9a-f-]{36})")


async def main() -> None:
    folder = Path(tempfile.mkdtemp())
    database_url = f"sqlite:///{folder}/month.sqlite3"
    settings = load_settings(
        {"DATA_DIR": str(folder), "DATABASE_URL": database_url, "SECRET_KEY": "bench"}
    )
    await apply_migrations(database_url)
    await open_database(database_url)
    try:
        zoe, kai = await dense_couple(date(2019, 6, 20), date(2026, 3, 31))
        storage = storage_for(settings)
        at = START
        while at < START + timedelta(days=DAYS):
            mailer = mailer_for(settings.mail_url)
            await send_due_emails(at, settings=settings, storage=storage, mailer=mailer)
            at += timedelta(hours=1)
    finally:
        await close_database()
    zones = {zoe.email: zoe.timezone, kai.email: kai.timezone}
    per_day: dict[str, Counter[date]] = defaultdict(Counter)
    told: dict[str, dict[str, list[date]]] = defaultdict(lambda: defaultdict(list))
    for path in (folder / "outbox").glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        to = message["To"].addresses[0].addr_spec
        day = local_time(zones[to], message["Date"].datetime).date()
        per_day[to][day] += 1
        text = message.get_body(("plain",)).get_content()
        for memory_id in set(MEMORY_LINK.findall(text)):
            told[to][memory_id].append(day)
    print(f"30 days from {START.date()}, passes every hour")
    for to in zones:
        repeats = sum(
            1
            for dates in told[to].values()
            for earlier, later in pairwise(sorted(dates))
            if (later - earlier).days <= 7
        )
        print(
            f"  {to}: {sum(per_day[to].values())} e-mails on {len(per_day[to])} days, "
            f"at most {max(per_day[to].values())} a day, "
            f"{repeats} memories again within a week"
        )


if __name__ == "__main__":
    asyncio.run(main())
