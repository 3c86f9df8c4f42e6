"""Throttling: too many recent failed log-ins for one account or one address, unknown share
links tried from one address, password resets asked for one account or from one address,
sign-ups from one address, or invitations made by one member, means wait.

Attempts are rows in the database, so every app process counts the same ones."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from timeline.errors import Throttled
from timeline.models import LoginFailure

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
# An address may be shared (a household, an office), so it gets more room than one account.
MAX_FAILURES_PER_ADDRESS = 20
# Share links carry 256 random bits, so misses are guesses or mistyped links: few are fine.
MAX_SHARE_MISSES_PER_ADDRESS = 20
MAX_RESETS_PER_ACCOUNT = 3
MAX_RESETS_PER_ADDRESS = 10
MAX_SIGNUPS_PER_ADDRESS = 20
MAX_INVITES_PER_MEMBER = 10

_LOG_INS = "Too many failed log-ins. Wait a few minutes, then try again."
_SHARE_MISSES = "Too many links that do not work. Wait a few minutes, then try again."
_RESETS = "Too many reset requests. Wait a few minutes, then try again."
_SIGNUPS = "Too many new accounts from here. Wait a few minutes, then try again."
_INVITES = "Too many invitations at once. Wait a few minutes, then try again."


def account_key(email: str) -> str:
    return f"account:{email}"


def address_key(address: str) -> str:
    return f"address:{address}"


async def check(email: str, address: str, now: datetime) -> None:
    """Raise `Throttled` when the account or the address used up its failures in the window."""
    await _check(account_key(email), MAX_FAILURES_PER_ACCOUNT, now, _LOG_INS)
    await _check(address_key(address), MAX_FAILURES_PER_ADDRESS, now, _LOG_INS)


async def record_failure(email: str, address: str, now: datetime) -> None:
    """Count one failed log-in against both the account and the address."""
    await _count(now, account_key(email), address_key(address))


async def forget_failures(email: str) -> None:
    """A successful log-in clears the account's count (the address keeps its own)."""
    await LoginFailure.filter(key=account_key(email)).delete()


async def check_share_guesses(address: str, now: datetime) -> None:
    """Raise `Throttled` when the address tried too many unknown share links lately."""
    await _check(f"share:{address}", MAX_SHARE_MISSES_PER_ADDRESS, now, _SHARE_MISSES)


async def record_share_miss(address: str, now: datetime) -> None:
    """Count one unknown, revoked or expired share link tried from the address."""
    await _count(now, f"share:{address}")


async def count_reset(email: str, address: str, now: datetime) -> None:
    """Raise `Throttled` when resets were asked too often for this address or from here,
    else count one, whether or not the address has an account."""
    await _check(f"reset:{email}", MAX_RESETS_PER_ACCOUNT, now, _RESETS)
    await _check(f"reset-from:{address}", MAX_RESETS_PER_ADDRESS, now, _RESETS)
    await _count(now, f"reset:{email}", f"reset-from:{address}")


async def count_signup(address: str, now: datetime) -> None:
    """Raise `Throttled` when too many accounts were made from the address, else count one."""
    await _check(f"signup-from:{address}", MAX_SIGNUPS_PER_ADDRESS, now, _SIGNUPS)
    await _count(now, f"signup-from:{address}")


async def count_invite(user_id: object, now: datetime) -> None:
    """Raise `Throttled` when the member made too many invitations lately, else count one."""
    await _check(f"invite-by:{user_id}", MAX_INVITES_PER_MEMBER, now, _INVITES)
    await _count(now, f"invite-by:{user_id}")


async def _check(key: str, limit: int, now: datetime, message: str) -> None:
    attempts = (
        await LoginFailure.filter(key=key, failed_at__gt=now - WINDOW)
        .order_by("failed_at")
        .values_list("failed_at", flat=True)
    )
    if len(attempts) >= limit:
        # Allowed again once enough of the oldest attempts age out of the window.
        wait = (attempts[-limit] + WINDOW - now).total_seconds()
        raise Throttled(message, retry_after=max(1, math.ceil(wait)))


async def _count(now: datetime, *keys: str) -> None:
    """One attempt now under each of `keys`; attempts out of the window are forgotten."""
    await LoginFailure.filter(failed_at__lte=now - WINDOW).delete()
    await LoginFailure.bulk_create([LoginFailure(key=key, failed_at=now) for key in keys])
