"""A month of letters for a couple with a memory on every day of the past, four workers at
every pass: at most one letter per member and local day, none lost, and no memory brought
back twice within a week (the pick and on this day stay out of each other's way)."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from uuid import UUID

import anyio
import pytest

from server.common.storage import storage_for
from server.worker.mailer import mailer_for
from server.worker.scheduler import send_due_emails
from tests.support import dense_couple
from timeline.models import Delivery

pytestmark = pytest.mark.usefixtures("db")

START = datetime(2026, 6, 1, tzinfo=UTC)
DAYS = 30
# Passes every two hours: every member's morning hour comes in each local day.
STEP = timedelta(hours=2)
WORKERS = 4
SHOWN = re.compile(r"See it: \S+/m/([0-9a-f-]{36})")


async def test_a_dense_couple_gets_one_letter_a_day_for_a_month_and_no_memory_twice_a_week(
    settings, smtp_server
):
    url, sink = smtp_server
    zoe, kai = await dense_couple(date(2019, 6, 20), date(2026, 3, 31))
    storage = storage_for(settings)

    async def one_worker(at: datetime) -> None:
        await send_due_emails(at, settings=settings, storage=storage, mailer=mailer_for(url))

    at = START
    while at < START + timedelta(days=DAYS):
        async with anyio.create_task_group() as workers:
            for _ in range(WORKERS):
                workers.start_soon(one_worker, at)
        at += STEP

    days = {
        str(row.id): (row.user_id, row.local_date)
        for row in await Delivery.filter(status=Delivery.SENT)
    }
    letters: dict[UUID, list[date]] = defaultdict(list)
    told: dict[UUID, dict[str, list[date]]] = defaultdict(lambda: defaultdict(list))
    picks: dict[UUID, list[date]] = defaultdict(list)
    for message in sink.received:
        member, day = days[message["Message-ID"].strip("<>").split("@")[0]]
        letters[member].append(day)
        lines = message.get_body(("plain",)).get_content().splitlines()
        for memory_id in [m[1] for line in lines if (m := SHOWN.fullmatch(line))]:
            told[member][memory_id].append(day)
        if any(line.startswith("Let's recreate it: ") for line in lines):
            picks[member].append(day)
    # Every local day of the month has a memory from an earlier year: one letter each day,
    # none twice, none lost.
    for member in (zoe, kai):
        assert sorted(letters[member.id]) == sorted(set(letters[member.id]))
        assert len(letters[member.id]) == DAYS
    assert len(sink.received) == len(days) == 2 * DAYS
    for member in (zoe, kai):
        for memory_id, dates in told[member.id].items():
            dates.sort()
            gaps = [(later - earlier).days for earlier, later in pairwise(dates)]
            assert all(gap > 7 for gap in gaps), (member.display_name, memory_id, dates)
    # Each letter told something: the check above had memories to look at.
    assert all(told[member.id] for member in (zoe, kai))
    # The anniversary (20 June) and the wedding (25 June) head their day's one letter; the
    # weekly pick comes inside each Sunday's.
    subjects = {m["Subject"] for m in sink.received}
    assert "Zoë, 7 years together today" in subjects
    assert "Kai, 4 years since your wedding today" in subjects
    sundays = [date(2026, 6, day) for day in (7, 14, 21, 28)]
    assert sorted(picks[zoe.id]) == sorted(picks[kai.id]) == sundays
