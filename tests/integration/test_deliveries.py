"""Who is due which e-mail, in their own time zone, and each delivery claimed once."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from tortoise import connections

from server.common.database import refresh_statistics
from tests.support import PASSWORD
from timeline.accounts.credentials import sign_up
from timeline.mail.deliveries import (
    LEASE,
    LETTER,
    Due,
    claim,
    due_at,
    mark_failed,
    take_over_expired,
)
from timeline.models import Delivery, EmailPreference, Memory, User
from timeline.timelines.membership import create_timeline

pytestmark = pytest.mark.usefixtures("db")

SIGNED_UP = datetime(2020, 3, 1, tzinfo=UTC)


async def member(timezone: str, *, remembers: date | None = None, since: date | None = None):
    """A member in `timezone` with a timeline started `since`, holding one memory of the
    day `remembers`."""
    user = await sign_up(
        f"{uuid.uuid4().hex[:8]}@example.org", PASSWORD, "Ana", timezone, now=SIGNED_UP
    )
    timeline = await create_timeline(user, "Us", since, now=SIGNED_UP)
    if remembers:
        await Memory.create(
            id=uuid.uuid4(),
            timeline=timeline,
            author=user,
            title="Picnic",
            occurred_on=remembers,
            date_precision="day",
            year=remembers.year,
            month_day=remembers.month * 100 + remembers.day,
            created_at=SIGNED_UP,
            updated_at=SIGNED_UP,
        )
    return user


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def due_kinds(user: User, instant: datetime) -> list[tuple[str, date]]:
    return sorted((d.kind, d.local_date) for d in await due_at(instant) if d.user_id == user.id)


async def test_on_this_day_comes_at_eight_in_the_members_own_zone():
    ana = await member("Europe/Berlin", remembers=date(2021, 6, 15))

    assert await due_kinds(ana, at("2026-06-15 05:59")) == []
    assert await due_kinds(ana, at("2026-06-15 06:00")) == [(LETTER, date(2026, 6, 15))]


async def test_no_memory_of_this_day_means_no_email():
    ana = await member("Europe/Berlin", remembers=date(2021, 6, 16))
    trashed = await member("Europe/Berlin", remembers=date(2021, 6, 15))
    await Memory.filter(author=trashed).update(deleted_at=SIGNED_UP)

    assert await due_kinds(ana, at("2026-06-15 12:00")) == []
    assert await due_kinds(trashed, at("2026-06-15 12:00")) == []


async def test_a_claimed_email_is_not_due_again_and_a_missed_day_is_never_sent_late():
    ana = await member("Europe/Berlin", remembers=date(2021, 6, 15))
    due = await due_at(at("2026-06-15 09:00"))  # 11:00 in Berlin: catching up
    assert [(d.user_id, d.local_date) for d in due] == [(ana.id, date(2026, 6, 15))]

    assert await claim(due[0], at("2026-06-15 09:00")) is not None
    assert await claim(due[0], at("2026-06-15 09:00")) is None
    assert await due_kinds(ana, at("2026-06-15 21:00")) == []
    # The next morning, before eight, yesterday's is not sent late and today's not yet due.
    assert await due_kinds(ana, at("2026-06-16 05:00")) == []


async def test_the_same_instant_is_a_different_day_at_each_end_of_the_world():
    kiritimati = await member("Pacific/Kiritimati", remembers=date(2020, 6, 16))
    pago_pago = await member("Pacific/Pago_Pago", remembers=date(2020, 6, 15))

    instant = at("2026-06-15 18:30")  # 08:30 on the 16th in Kiritimati, 07:30 on the 15th
    assert await due_kinds(kiritimati, instant) == [(LETTER, date(2026, 6, 16))]
    assert await due_kinds(pago_pago, instant) == []
    assert await due_kinds(pago_pago, at("2026-06-15 19:00")) == [(LETTER, date(2026, 6, 15))]


async def test_an_hour_skipped_by_daylight_saving_comes_at_the_next_hour():
    ana = await member("Europe/Berlin", remembers=date(2021, 3, 29))
    await EmailPreference.create(user=ana, hour=2)

    assert await due_kinds(ana, at("2026-03-29 00:59")) == []  # 01:59 CET
    # 02:00 does not exist that night: 03:00 CEST follows 01:59 CET.
    assert await due_kinds(ana, at("2026-03-29 01:00")) == [(LETTER, date(2026, 3, 29))]


async def test_an_hour_that_occurs_twice_sends_once():
    ana = await member("Europe/Berlin", remembers=date(2021, 10, 25))
    await EmailPreference.create(user=ana, hour=2)

    first = await due_at(at("2026-10-25 00:00"))  # 02:00 CEST
    assert [(d.kind, d.local_date) for d in first] == [(LETTER, date(2026, 10, 25))]
    await claim(first[0], at("2026-10-25 00:00"))

    assert await due_kinds(ana, at("2026-10-25 01:00")) == []  # 02:00 CET, again


async def test_the_weekly_letter_comes_on_the_chosen_day_and_hour_unless_turned_off():
    ana = await member("Europe/Berlin")
    sam = await member("Europe/Berlin")
    await EmailPreference.create(user=sam, weekly=False)

    sunday = at("2026-06-14 07:00")  # 09:00 in Berlin, a Sunday
    assert await due_kinds(ana, sunday - timedelta(minutes=1)) == []
    assert await due_kinds(ana, sunday) == [(LETTER, date(2026, 6, 14))]
    assert await due_kinds(ana, sunday + timedelta(days=1)) == []
    assert await due_kinds(sam, sunday) == []


async def test_a_29_february_anniversary_comes_on_28_february_in_common_years():
    ana = await member("UTC", since=date(2020, 2, 29))

    assert await due_kinds(ana, at("2026-02-28 08:00")) == [(LETTER, date(2026, 2, 28))]
    assert await due_kinds(ana, at("2028-02-28 08:00")) == []
    assert await due_kinds(ana, at("2028-02-29 08:00")) == [(LETTER, date(2028, 2, 29))]
    assert await due_kinds(ana, at("2020-02-29 08:00")) == []  # the day itself is no anniversary


async def test_a_claim_whose_worker_died_is_taken_over_once_after_its_lease():
    ana = await member("UTC", remembers=date(2021, 6, 15))
    claimed_at = at("2026-06-15 08:00")
    await claim(Due(ana.id, LETTER, date(2026, 6, 15)), claimed_at)

    assert await take_over_expired(claimed_at + LEASE - timedelta(seconds=1)) == []
    taken = await take_over_expired(claimed_at + LEASE)
    assert [(d.user_id, d.attempts) for d in taken] == [(ana.id, 2)]
    assert await take_over_expired(claimed_at + LEASE) == []


async def test_a_stale_claim_of_yesterday_is_closed_rather_than_sent_late():
    ana = await member("UTC", remembers=date(2021, 6, 15))
    claimed_at = at("2026-06-15 08:00")
    delivery = await claim(Due(ana.id, LETTER, date(2026, 6, 15)), claimed_at)

    assert await take_over_expired(claimed_at + timedelta(days=1)) == []
    assert (await Delivery.get(id=delivery.id)).status == Delivery.FAILED


async def test_a_claim_abandoned_again_and_again_is_taken_over_three_times_then_failed():
    ana = await member("UTC", remembers=date(2021, 6, 15))
    now = at("2026-06-15 08:00")
    delivery = await claim(Due(ana.id, LETTER, date(2026, 6, 15)), now)
    attempts = []
    for _ in range(5):
        now += LEASE
        attempts += [d.attempts for d in await take_over_expired(now)]

    assert attempts == [2, 3, 4]
    given_up = await Delivery.get(id=delivery.id)
    assert (given_up.status, given_up.error) == (Delivery.FAILED, "given up after 4 tries")


async def test_temporary_failures_wait_longer_each_time_then_give_up():
    ana = await member("UTC", remembers=date(2021, 6, 15))
    now = at("2026-06-15 08:00")
    delivery = await claim(Due(ana.id, LETTER, date(2026, 6, 15)), now)
    waits = []
    while delivery.status != Delivery.FAILED:
        await mark_failed(delivery, now, "SMTP unreachable", temporary=True)
        delivery = await Delivery.get(id=delivery.id)
        if delivery.status == Delivery.RETRY:
            waits.append(delivery.lease_until - now)
            now = delivery.lease_until
            (delivery,) = await take_over_expired(now)

    assert waits == [timedelta(minutes=2), timedelta(minutes=10), timedelta(minutes=30)]
    assert delivery.error == "SMTP unreachable"


async def test_a_permanent_failure_is_never_retried():
    ana = await member("UTC", remembers=date(2021, 6, 15))
    now = at("2026-06-15 08:00")
    delivery = await claim(Due(ana.id, LETTER, date(2026, 6, 15)), now)

    await mark_failed(delivery, now, "SMTP answered 550", temporary=False)

    assert (await Delivery.get(id=delivery.id)).status == Delivery.FAILED
    assert await take_over_expired(now + timedelta(hours=1)) == []


async def test_the_daily_statistics_tell_sqlite_how_memories_are_spread(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's autovacuum keeps its own statistics")
    await member("UTC", remembers=date(2021, 6, 15))

    await refresh_statistics()

    client = connections.get("default")
    rows = await client.execute_query_dict("SELECT idx FROM sqlite_stat1 WHERE tbl = 'memory'")
    assert any("memory" in str(row["idx"]) for row in rows)


async def test_a_day_with_on_this_day_an_anniversary_and_the_weekly_pick_is_one_letter():
    # Together since 14 June 2019, a memory of 14 June 2023: on a Sunday, everything at once.
    ana = await member("UTC", remembers=date(2023, 6, 14), since=date(2019, 6, 14))

    assert await due_kinds(ana, at("2026-06-14 07:59")) == []
    (due,) = await due_at(at("2026-06-14 08:00"))
    assert (due.kind, due.local_date) == (LETTER, date(2026, 6, 14))
    assert await claim(due, at("2026-06-14 08:00")) is not None
    # The weekly hour (09:00) comes, but today's letter is written: nothing more today.
    assert await due_kinds(ana, at("2026-06-14 09:00")) == []
