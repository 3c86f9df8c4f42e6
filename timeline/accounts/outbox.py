"""Account e-mails waiting for the e-mail pass. A request only records what was asked (a
password reset for an address, the confirmation of a member's new address) and answers;
a worker claims the row, has its link issued and sends it. So asking costs a request the
same whether or not an account uses the address, never waits on a mail server, and no
token is ever stored. Rows are claimed exactly once across workers, as deliveries are."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4

from tortoise.expressions import Q

from timeline.models import AccountLink, AccountMail, User

# How long a worker may hold an asked-for e-mail before another takes it over.
LEASE = timedelta(minutes=5)
# A mail server that cannot take it now is tried again, waiting longer each time.
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15))
# Tries of one e-mail, retries and take-overs alike, before it is given up.
MAX_ATTEMPTS = 1 + len(RETRY_AFTER)
# Not sent any more once asked for this long ago: whoever asked has asked again or moved on.
STALE_AFTER = timedelta(hours=1)


async def ask_reset(email: str, *, now: datetime) -> None:
    """Record a reset asked for the (normalised) address `email`, whoever uses it."""
    await _ask(AccountLink.RESET_PASSWORD, email, None, now)


async def ask_confirmation(user: User, new_email: str, *, now: datetime) -> None:
    """Record that `user` asked to confirm `new_email` as their address."""
    await _ask(AccountLink.CONFIRM_EMAIL, new_email, user, now)


async def forget_asked(user: User) -> None:
    """End the e-mails asked for this account and not sent yet (confirmations, resets of its
    address): a new password or address ends every outstanding link, unsent ones too."""
    await AccountMail.filter(Q(user_id=user.id) | Q(email=user.email)).delete()


async def claim_asked(at: datetime, batch: int = 100) -> list[AccountMail]:
    """Asked-for e-mails due at `at`, now held by this worker. One asked for too long ago, or
    tried MAX_ATTEMPTS times, is dropped instead. Each update only matches while the row is
    as it was read (compare and set), so each is taken by one worker. No transaction: on
    SQLite, one that reads and then writes fails outright ("database is locked") when
    another process wrote in between, and the few rows here need no row locks."""
    taken = []
    for asked in await AccountMail.filter(lease_until__lte=at).order_by("lease_until").limit(batch):
        as_read = AccountMail.filter(id=asked.id, lease_until=asked.lease_until)
        if asked.created_at <= at - STALE_AFTER or asked.attempts >= MAX_ATTEMPTS:
            await as_read.delete()
        elif await as_read.update(lease_until=at + LEASE, attempts=asked.attempts + 1):
            asked.attempts += 1
            taken.append(asked)
    return taken


async def mark_done(asked: AccountMail) -> None:
    """Sent, or nothing to send (no account uses the address): the row goes."""
    await AccountMail.filter(id=asked.id).delete()


async def mark_failed(asked: AccountMail, at: datetime, *, temporary: bool) -> bool:
    """A temporary failure waits for a later pass until the tries run out; a permanent one
    drops the row. True when it will be tried again."""
    if temporary and asked.attempts < MAX_ATTEMPTS:
        await AccountMail.filter(id=asked.id).update(
            lease_until=at + RETRY_AFTER[asked.attempts - 1]
        )
        return True
    await mark_done(asked)
    return False


async def _ask(purpose: str, email: str, user: User | None, now: datetime) -> None:
    await AccountMail.create(
        id=uuid4(), purpose=purpose, email=email, user=user, created_at=now, lease_until=now
    )
