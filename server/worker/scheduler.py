"""The e-mail pass: send the account e-mails asked for (reset and confirmation links), claim
the e-mails due at an instant, then write and send each message, a bounded number at once.
One message that cannot be written or sent fails alone: the others go out. Each pass then
sends the Web Push notifications waiting (today's picks among them).
`send-due-emails` runs one pass; `worker` and `serve` run one every minute, with the trash
purge and the orphan sweep once a day, and look for account e-mails and notifications every
few seconds between passes (someone is waiting for those)."""

from __future__ import annotations

import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import anyio
import jinja2

from media.storage import Storage
from server.common.database import refresh_statistics
from server.common.settings import Settings
from server.worker.account_mail import compose_link
from server.worker.letters import compose, mail_templates
from server.worker.mailer import Mailer, MailError, mailer_for
from server.worker.push import send_waiting_pushes
from timeline.accounts import outbox as account_outbox
from timeline.accounts.credentials import accounts_with_ids
from timeline.accounts.settings import issue_link
from timeline.core import throttle
from timeline.mail.deliveries import (
    claim,
    due_at,
    mark_failed,
    mark_sent,
    mark_skipped,
    take_over_expired,
)
from timeline.mail.letters import Letter, letters_for
from timeline.mail.pick_notices import tell_daily_picks
from timeline.memories.drafts import purge_expired_drafts
from timeline.memories.photos import sweep_orphans
from timeline.memories.writing import purge_trash
from timeline.models import AccountMail, Delivery

log = logging.getLogger("remember_when.scheduler")
# Messages written and sent at once by one worker.
CONCURRENCY = 16
# Deliveries a worker claims before sending them: small enough that workers started
# together each get a share, large enough that letters are gathered for many at once.
CLAIMED_AT_ONCE = 64
PASS_INTERVAL = 60
# Between passes, how often account e-mails are looked for.
ACCOUNT_MAIL_INTERVAL = 5


@dataclass
class PassReport:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retrying: int = 0
    errors: list[str] = field(default_factory=list)
    # Web Push notifications posted to push services.
    pushed: int = 0


async def send_due_emails(
    at: datetime, *, settings: Settings, storage: Storage, mailer: Mailer
) -> PassReport:
    """One pass at the instant `at`: the account e-mails asked for are sent, then every
    delivery this worker claims is sent, skipped (nothing to say after all) or marked for
    a retry or as failed."""
    report = PassReport()
    try:
        try:
            await _send_account_mail(at, settings, mailer, report)
        except Exception:
            # The database refusing the outbox now must not hold the day's e-mails back.
            log.exception("account e-mails failed; the next pass tries again")
        await _send_deliveries(at, settings, storage, mailer, report)
    finally:
        await mailer.close()
    await _send_pushes(at, settings, report, with_picks=True)
    return report


async def _send_pushes(
    at: datetime, settings: Settings, report: PassReport, *, with_picks: bool
) -> None:
    """Today's picks recorded as notifications (on the minute's pass), then every waiting
    notification sent. A failure here holds no e-mail back, and the next pass tries again."""
    try:
        if with_picks:
            await tell_daily_picks(at)
        report.pushed += (await send_waiting_pushes(at, settings=settings)).sent
    except Exception:
        log.exception("notifications failed; the next pass tries again")


async def send_account_mail(at: datetime, *, settings: Settings, mailer: Mailer) -> PassReport:
    """Only the account e-mails asked for: what workers do every few seconds between passes."""
    report = PassReport()
    try:
        await _send_account_mail(at, settings, mailer, report)
    finally:
        await mailer.close()
    return report


async def _send_deliveries(
    at: datetime, settings: Settings, storage: Storage, mailer: Mailer, report: PassReport
) -> None:
    """Claim CLAIMED_AT_ONCE due deliveries, send them, claim the next ones: workers at it
    together share the day's letters out instead of the first claiming them all."""
    due = await due_at(at)
    for start in range(0, len(due), CLAIMED_AT_ONCE):
        batch = due[start : start + CLAIMED_AT_ONCE]
        claimed = [d for one in batch if (d := await claim(one, at)) is not None]
        await _send_claimed(claimed, at, settings, storage, mailer, report)
    await _send_claimed(await take_over_expired(at), at, settings, storage, mailer, report)


async def _send_claimed(
    claimed: list[Delivery],
    at: datetime,
    settings: Settings,
    storage: Storage,
    mailer: Mailer,
    report: PassReport,
) -> None:
    if not claimed:
        return
    templates = mail_templates()
    limit = anyio.Semaphore(CONCURRENCY)
    users = await accounts_with_ids(d.user_id for d in claimed)
    batches: dict[date, list[Delivery]] = defaultdict(list)
    for delivery in claimed:
        batches[delivery.local_date].append(delivery)

    async def deliver(delivery: Delivery, letter: Letter | None) -> None:
        async with limit:
            await _deliver(delivery, letter, at, settings, storage, mailer, templates, report)

    for local_date, batch in batches.items():
        recipients = [users[d.user_id] for d in batch]
        try:
            letters = await letters_for(recipients, local_date, now=at)
        except Exception as error:
            # Tried again on later passes, a bounded number of times; other days go on
            # meanwhile.
            reason = f"could not gather the letters ({type(error).__name__})"
            log.exception("letters of %s: %s", local_date, reason)
            for delivery in batch:
                await _failed(delivery, at, reason, report, temporary=True)
            continue
        async with anyio.create_task_group() as group:
            for delivery in batch:
                group.start_soon(deliver, delivery, letters[delivery.user_id])


async def _deliver(
    delivery: Delivery,
    letter: Letter | None,
    at: datetime,
    settings: Settings,
    storage: Storage,
    mailer: Mailer,
    templates: jinja2.Environment,
    report: PassReport,
) -> None:
    if letter is None:
        await mark_skipped(delivery)
        report.skipped += 1
        return
    try:
        message = await compose(
            letter, delivery.id, at=at, settings=settings, storage=storage, templates=templates
        )
        await mailer.send(message)
    except Exception as error:
        reason, temporary, trace = _failure_of(error)
        await _failed(delivery, at, reason, report, temporary=temporary, exc_info=trace)
        return
    await mark_sent(delivery, at, [memory.id for memory in letter.memories])
    report.sent += 1


def _failure_of(error: Exception) -> tuple[str, bool, Exception | None]:
    """Why a message did not go out, whether a later pass may retry it, and the error to log
    with its traceback. A message that cannot be written (a header the library refuses, a
    template that fails on odd data) would fail the same way again: it fails alone, for good.
    The log names the error's type and where it arose, never the message's content."""
    if isinstance(error, MailError):
        return str(error), error.temporary, None
    return f"could not write the message ({type(error).__name__})", False, error


async def _failed(
    delivery: Delivery,
    at: datetime,
    reason: str,
    report: PassReport,
    *,
    temporary: bool,
    exc_info: Exception | None = None,
) -> None:
    if await mark_failed(delivery, at, reason, temporary=temporary):
        report.retrying += 1
    else:
        report.failed += 1
    log.warning("delivery %s not sent: %s", delivery.id, reason, exc_info=exc_info)


async def _send_account_mail(
    at: datetime, settings: Settings, mailer: Mailer, report: PassReport
) -> None:
    """Every account e-mail asked for and due at `at` that this worker claims: its link is
    issued and sent, or there is nothing to send (no account uses the address)."""
    templates = mail_templates()
    limit = anyio.Semaphore(CONCURRENCY)

    async def send(asked: AccountMail) -> None:
        async with limit:
            await _send_asked(asked, at, settings, mailer, templates, report)

    async with anyio.create_task_group() as group:
        for asked in await account_outbox.claim_asked(at):
            group.start_soon(send, asked)


async def _send_asked(
    asked: AccountMail,
    at: datetime,
    settings: Settings,
    mailer: Mailer,
    templates: jinja2.Environment,
    report: PassReport,
) -> None:
    try:
        link = await issue_link(asked, now=at)
        if link is not None:
            message = compose_link(settings, link, asked.purpose, at=at, templates=templates)
            await mailer.send(message)
    except Exception as error:
        reason, temporary, trace = _failure_of(error)
        await _asked_failed(asked, at, reason, report, temporary=temporary, exc_info=trace)
        return
    await account_outbox.mark_done(asked)
    if link is None:
        report.skipped += 1
    else:
        report.sent += 1


async def _asked_failed(
    asked: AccountMail,
    at: datetime,
    reason: str,
    report: PassReport,
    *,
    temporary: bool,
    exc_info: Exception | None = None,
) -> None:
    if await account_outbox.mark_failed(asked, at, temporary=temporary):
        report.retrying += 1
    else:
        report.failed += 1
    log.warning("%s e-mail %s not sent: %s", asked.purpose, asked.id, reason, exc_info=exc_info)


async def run_every_minute(
    settings: Settings, storage: Storage, mailer: Mailer, clock: Callable[[], datetime]
) -> None:
    """Passes until cancelled (a pass under way finishes first): the e-mail pass each
    minute, and account e-mails and notifications every ACCOUNT_MAIL_INTERVAL seconds in
    between; the trash
    purge, the orphan sweep, the expired throttling attempts and the planner's statistics
    on the first pass of each day. A pass that fails is logged and the next one runs."""
    swept_on = None
    while True:
        now = clock()
        # Stopping (SIGTERM, app shutdown) waits for the pass under way: its e-mails are
        # claimed, and would otherwise wait for their leases to run out.
        with anyio.CancelScope(shield=True):
            try:
                report = await send_due_emails(
                    now, settings=settings, storage=storage, mailer=mailer
                )
                if report.sent or report.retrying or report.failed:
                    log.info(
                        "e-mail pass: %d sent, %d to retry, %d failed",
                        report.sent,
                        report.retrying,
                        report.failed,
                    )
                if swept_on != now.date():
                    await purge_trash(storage, now=now)
                    await sweep_orphans(storage, now=now)
                    await purge_expired_drafts(storage, now=now)
                    await throttle.purge_attempts(now)
                    await refresh_statistics()
                    swept_on = now.date()
            except Exception:
                log.exception("scheduler pass failed")
        next_pass = anyio.current_time() + PASS_INTERVAL - now.timestamp() % PASS_INTERVAL
        while anyio.current_time() + ACCOUNT_MAIL_INTERVAL < next_pass:
            await anyio.sleep(ACCOUNT_MAIL_INTERVAL)
            await _between_passes(settings, mailer, clock)
        await anyio.sleep(max(0.0, next_pass - anyio.current_time()))


async def _between_passes(
    settings: Settings, mailer: Mailer, clock: Callable[[], datetime]
) -> None:
    """Account e-mails and notifications: someone is waiting for those."""
    with anyio.CancelScope(shield=True):
        try:
            await send_account_mail(clock(), settings=settings, mailer=mailer)
        except Exception:
            log.exception("account e-mails failed")
        await _send_pushes(clock(), settings, PassReport(), with_picks=False)


def scheduler_lifespan(settings: Settings, storage: Storage, clock: Callable[[], datetime]):
    """A Litestar lifespan running `run_every_minute` beside the app, stopped at shutdown."""

    @contextlib.asynccontextmanager
    async def lifespan(_: object) -> AsyncIterator[None]:
        async with anyio.create_task_group() as group:
            group.start_soon(
                run_every_minute, settings, storage, mailer_for(settings.mail_url), clock
            )
            try:
                yield
            finally:
                group.cancel_scope.cancel()

    return lifespan
