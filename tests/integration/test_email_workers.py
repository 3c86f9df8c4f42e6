"""Exactly once, however many workers: `send-due-emails` processes started together each
claim their share, and every due e-mail reaches the SMTP server once."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import anyio
import pytest

from tests.support import CLI, clean_environment
from timeline.models import Membership, Memory, Timeline, User

pytestmark = pytest.mark.usefixtures("db")

DUE_USERS = 300
WORKERS = 4
NOW = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)


async def members_with_a_memory_of_today(count: int) -> None:
    """`count` members, each alone in a timeline holding a memory of 15 June 2023. Written
    in bulk: signing up through argon2 would take most of the test."""
    users, timelines, memberships, memories = [], [], [], []
    for n in range(count):
        user = User(
            id=uuid.uuid4(),
            email=f"member{n}@example.org",
            password_hash="unused",
            display_name=f"Member {n}",
            timezone="Europe/Berlin",
            created_at=NOW,
        )
        timeline = Timeline(id=uuid.uuid4(), name=f"Timeline {n}", timezone="UTC", created_at=NOW)
        users.append(user)
        timelines.append(timeline)
        memberships.append(Membership(timeline_id=timeline.id, user_id=user.id, joined_at=NOW))
        memories.append(
            Memory(
                id=uuid.uuid4(),
                timeline_id=timeline.id,
                author_id=user.id,
                title=f"Picnic {n}",
                occurred_on=date(2023, 6, 15),
                date_precision="day",
                year=2023,
                month_day=615,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    for model, rows in (
        (User, users),
        (Timeline, timelines),
        (Membership, memberships),
        (Memory, memories),
    ):
        await model.bulk_create(rows, batch_size=500)


async def test_workers_started_together_send_each_due_email_exactly_once(
    database_url, smtp_server, tmp_path, count_rows
):
    url, sink = smtp_server
    await members_with_a_memory_of_today(DUE_USERS)
    env = clean_environment(
        DATABASE_URL=database_url,
        MAIL_URL=url,
        DATA_DIR=str(tmp_path),
        SECRET_KEY="test-secret-key",
        BASE_URL="http://rw.example",
    )
    outputs = []

    async def worker() -> None:
        done = await anyio.run_process(
            [*CLI, "send-due-emails", "--at", NOW.isoformat()], env=env, cwd=tmp_path
        )
        outputs.append(done.stdout.decode())

    async with anyio.create_task_group() as group:
        for _ in range(WORKERS):
            group.start_soon(worker)

    assert len(sink.received) == DUE_USERS
    assert len({m["To"] for m in sink.received}) == DUE_USERS
    assert len({m["Message-ID"] for m in sink.received}) == DUE_USERS
    assert count_rows("delivery", status="sent") == DUE_USERS
    sent = sorted(int(out.split(" sent")[0]) for out in outputs)
    assert sum(sent) == DUE_USERS
