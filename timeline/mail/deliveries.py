"""Who is due their letter at an instant, and each delivery claimed exactly once.

A member gets at most one letter a day, carrying everything due that day (on this day, an
anniversary or milestone, the weekly pick). It is due when, in their own time zone at that
instant, one of the kinds they want has something to say and its hour has come (the
morning hour for on this day and anniversaries, the weekly day's hour for the pick), and no
delivery exists yet for them on that local day. Only the member's today counts: a worker
that was down at 08:00 catches up at 11:00, and a day that has passed is never sent late.
An hour that a DST change skips is reached at the first hour after it; one that occurs
twice is sent once (one row a day).

Finding who is due takes one query per time zone in use, never one per member.
A delivery row is inserted before the message is sent (unique per member, kind and day: the
insert is the claim); a claim whose worker died is taken over once its lease runs out, a
bounded number of times: a message that kills every worker trying it ends failed."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID, uuid4

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from timeline.core.calendar import DAY, EARLIEST, local_time, member_today, month_days_for
from timeline.core.sql import Query, as_uuid
from timeline.models import Delivery, User

ON_THIS_DAY, WEEKLY, ANNIVERSARY = "on_this_day", "weekly", "anniversary"
# What a member can turn on or off; each letter carries whichever are due.
KINDS = (ON_THIS_DAY, WEEKLY, ANNIVERSARY)
# Every kind at once: what a letter's one-click unsubscribe turns off.
LETTERS = "letters"
# The kind of every delivery row: one letter per member and local day.
LETTER = "letter"
# How long a worker may hold a claim before another takes it over.
LEASE = timedelta(minutes=5)
# Temporary failures are retried on later passes, waiting longer each time, then given up.
RETRY_AFTER = (timedelta(minutes=2), timedelta(minutes=10), timedelta(minutes=30))
# Tries of one delivery, retries and take-overs alike: the first, then at most three more.
MAX_ATTEMPTS = 1 + len(RETRY_AFTER)
# The defaults of a member with no preferences row, repeated in EmailPreference's fields.
DEFAULT_HOUR, DEFAULT_WEEKLY_DAY, DEFAULT_WEEKLY_HOUR = 8, 6, 9


@dataclass(frozen=True)
class Due:
    user_id: UUID
    kind: str
    local_date: date


async def due_at(at: datetime) -> list[Due]:
    """Every letter due at the instant `at` and not yet claimed: one query per time zone."""
    due: list[Due] = []
    for zone in await User.all().distinct().values_list("timezone", flat=True):
        local = local_time(zone, at)
        query = Query()
        rows = await query.rows(_due_sql(query, zone, local))
        due.extend(Due(as_uuid(row["id"]), LETTER, local.date()) for row in rows)
    return due


def _due_sql(query: Query, zone: str, local: datetime) -> str:
    """Members of `zone` with no delivery today (of any kind: a row from before letters
    were combined counts too) for whom one wanted kind is due."""
    # Parameters are numbered in the order they are added: the SQL is written in that order.
    true = query.true
    morning = f"COALESCE(p.hour, {DEFAULT_HOUR}) <= {local.hour}"
    sql = (
        "SELECT u.id AS id FROM account u "
        "LEFT JOIN email_preference p ON p.user_id = u.id "
        f"WHERE u.timezone = {query.param(zone)} "
        "AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.user_id = u.id "
        f"AND d.local_date = {query.param(local.date())}) "
    )
    on_this_day = (
        f"(COALESCE(p.on_this_day, {true}) = {true} AND {morning} "
        f"AND EXISTS ({_on_this_day(query, local)}))"
    )
    years = (
        f"(COALESCE(p.anniversary, {true}) = {true} AND {morning} "
        f"AND EXISTS ({_years(query, local)}))"
    )
    weekly = (
        f"(COALESCE(p.weekly, {true}) = {true} "
        f"AND COALESCE(p.weekly_day, {DEFAULT_WEEKLY_DAY}) = {local.weekday()} "
        f"AND COALESCE(p.weekly_hour, {DEFAULT_WEEKLY_HOUR}) <= {local.hour} "
        f"AND EXISTS ({_weekly(query, local)}))"
    )
    return f"{sql}AND ({on_this_day} OR {years} OR {weekly})"


def _on_this_day(query: Query, local: datetime) -> str:
    """An earlier year holds a live memory of this calendar day in one of their timelines."""
    days = ", ".join(str(d) for d in month_days_for(local.date()))
    # Nested, not joined: each of the member's timelines is looked up in the memory index
    # on (timeline_id, month_day), instead of the planner scanning memories first.
    return (
        "SELECT 1 FROM membership ms WHERE ms.user_id = u.id AND EXISTS ("
        "SELECT 1 FROM memory m WHERE m.timeline_id = ms.timeline_id "
        f"AND m.month_day IN ({days}) AND m.year < {local.year} "
        f"AND m.deleted_at IS NULL AND m.never_resurface = {query.false})"
    )


def _weekly(_: Query, __: datetime) -> str:
    """They belong to a timeline; whether it has a pick is known only when it is made."""
    return "SELECT 1 FROM membership ms WHERE ms.user_id = u.id"


def _years(query: Query, local: datetime) -> str:
    """One of their timelines was started, or has a day-precise milestone, on this calendar
    day of an earlier year (29 February counts on 28 February in common years). The dates
    are listed so that the together_since and milestone indexes answer, in any database."""
    today = local.date()
    days = [divmod(month_day, 100) for month_day in month_days_for(today)]
    dates = [
        date(year, month, day)
        for year in range(EARLIEST.year, today.year)
        for month, day in days
        if day <= monthrange(year, month)[1]
    ]

    def listed() -> str:
        return ", ".join(query.param(day) for day in dates)

    return (
        "SELECT 1 FROM membership ms JOIN timeline t ON t.id = ms.timeline_id "
        f"WHERE ms.user_id = u.id AND (t.together_since IN ({listed()}) OR EXISTS ("
        "SELECT 1 FROM milestone mi WHERE mi.timeline_id = t.id "
        f"AND mi.occurred_on IN ({listed()}) AND mi.date_precision = {query.param(DAY)}))"
    )


async def claim(due: Due, at: datetime) -> Delivery | None:
    """The delivery row for `due`, now held by this worker; None when another has it."""
    try:
        return await Delivery.create(
            id=uuid4(),
            user_id=due.user_id,
            kind=due.kind,
            local_date=due.local_date,
            status=Delivery.CLAIMED,
            attempts=1,
            lease_until=at + LEASE,
        )
    except IntegrityError:
        return None


async def take_over_expired(at: datetime, batch: int = 100) -> list[Delivery]:
    """Deliveries of today (in each member's zone) to try again, now held by this worker:
    due retries, and claims whose worker let the lease run out. A delivery tried
    MAX_ATTEMPTS times, or whose day has passed, is marked failed instead. On PostgreSQL
    the rows are read FOR UPDATE SKIP LOCKED, so workers at it together split them without
    waiting on each other; on any database the update only matches while the row is as it
    was read, so each is taken by one worker."""
    taken = []
    async with in_transaction():
        expired = (
            await Delivery.filter(
                status__in=(Delivery.CLAIMED, Delivery.RETRY), lease_until__lte=at
            )
            .order_by("lease_until")
            .limit(batch)
            .select_for_update(skip_locked=True)
            .prefetch_related("user")
        )
        for delivery in expired:
            as_read = Delivery.filter(
                id=delivery.id, status=delivery.status, lease_until=delivery.lease_until
            )
            # Closed rather than left behind: stale rows would fill every later batch.
            if delivery.local_date != member_today(delivery.user, at):
                await as_read.update(status=Delivery.FAILED, error="its day passed unsent")
            elif delivery.attempts >= MAX_ATTEMPTS:
                await as_read.update(
                    status=Delivery.FAILED, error=f"given up after {delivery.attempts} tries"
                )
            elif await as_read.update(
                status=Delivery.CLAIMED, lease_until=at + LEASE, attempts=delivery.attempts + 1
            ):
                delivery.attempts += 1
                taken.append(delivery)
    return taken


async def mark_sent(delivery: Delivery, at: datetime, shown: list[UUID]) -> None:
    """Sent, with the memories it showed (kept from coming back within a week)."""
    await Delivery.filter(id=delivery.id).update(
        status=Delivery.SENT, sent_at=at, error="", shown=" ".join(str(i) for i in shown)
    )


async def mark_skipped(delivery: Delivery) -> None:
    """Nothing to say after all (quiet rules, no pick): no e-mail, and none again today."""
    await Delivery.filter(id=delivery.id).update(status=Delivery.SKIPPED)


async def mark_failed(delivery: Delivery, at: datetime, error: str, *, temporary: bool) -> bool:
    """A temporary failure waits for a later pass, longer each time, until the retries run
    out; a permanent one is never retried. True when it will be retried."""
    attempts = delivery.attempts
    if temporary and attempts < MAX_ATTEMPTS:
        await Delivery.filter(id=delivery.id).update(
            status=Delivery.RETRY, lease_until=at + RETRY_AFTER[attempts - 1], error=error[:200]
        )
        return True
    await Delivery.filter(id=delivery.id).update(status=Delivery.FAILED, error=error[:200])
    return False
