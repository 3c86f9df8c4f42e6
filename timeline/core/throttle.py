"""Throttling: log-ins, unknown share links, password resets, sign-ups and invitations are
attempts, counted per key (an account from one address, an address, a member) in a window.

Attempts are rows in the database, so every app process counts the same ones. An attempt is
recorded first and counted with everything already recorded, itself included, so parallel
requests cannot all pass a check made before any of them was written: at most `most`
attempts get through per window, however many arrive at once. A refused attempt is taken
back (it did no work, and keeping it would stretch the wait it was told about)."""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from timeline.core.errors import Throttled
from timeline.core.models import LoginFailure

WINDOW = timedelta(minutes=15)
# Failed log-ins for one account from one address: the guesser is stopped, while the owner,
# elsewhere, is not locked out by a stranger.
MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5
# An address may be shared (a household, an office), so it gets more room than one account.
MAX_FAILURES_PER_ADDRESS = 20
# Past this many failures for one account from every address together (a guesser using many
# addresses), the account's attempts are paced instead of refused: one per ACCOUNT_PACE.
ACCOUNT_SLOW_AFTER = 10
ACCOUNT_PACE = timedelta(seconds=10)
# Share links carry 256 random bits, so misses are guesses or mistyped links: few are fine.
MAX_SHARE_MISSES_PER_ADDRESS = 20
MAX_RESETS_PER_ACCOUNT = 3
MAX_RESETS_PER_ADDRESS = 10
MAX_SIGNUPS_PER_ADDRESS = 20
MAX_INVITES_PER_MEMBER = 10
MAX_EMAIL_CHANGES_PER_MEMBER = 5
# Each subscription looks a name up: enough for a member's devices and the settings page
# keeping them in step, not for a member probing names.
MAX_PUSH_SUBSCRIPTIONS_PER_MEMBER = 30
# Photos shared before logging in are stored for a day on nobody's account: a phone shares a
# few times, a script filling the disk is stopped.
MAX_ANONYMOUS_SHARES_PER_ADDRESS = 10

_LOG_INS = "Too many failed log-ins. Wait a few minutes, then try again."
_PACED = "Many log-ins failed for this account lately. Wait a few seconds, then try again."
_SHARE_MISSES = "Too many links that do not work. Wait a few minutes, then try again."
_RESETS = "Too many reset requests. Wait a few minutes, then try again."
_SIGNUPS = "Too many new accounts from here. Wait a few minutes, then try again."
_INVITES = "Too many invitations at once. Wait a few minutes, then try again."
_EMAIL_CHANGES = "Too many new addresses asked for. Wait a few minutes, then try again."
_PUSH_SUBSCRIPTIONS = "Notifications were turned on too often. Wait a few minutes, then try again."
_ANONYMOUS_SHARES = "Too many photos shared from here without logging in. Log in, then share again."


@dataclass(frozen=True)
class Limit:
    """At most `most` attempts under `key` within `window`; `most=None` only counts them."""

    key: str
    most: int | None
    message: str
    window: timedelta = WINDOW


@dataclass(frozen=True)
class Attempt:
    """Attempts recorded and let through; `forget` takes them back when they succeeded."""

    ids: Sequence[int]

    async def forget(self) -> None:
        await LoginFailure.filter(id__in=list(self.ids)).delete()


def account_key(email: str) -> str:
    """The key of every failed log-in for an account, from any address."""
    return f"account:{email}"


def _pair_key(email: str, address: str) -> str:
    return f"log-in:{email}|from:{address}"


async def attempt(now: datetime, *limits: Limit) -> Attempt:
    """Record one attempt under each limit's key and count it with the others; when any
    limit is exceeded, take it back and raise `Throttled` with the wait until it is not."""
    ids = [(await LoginFailure.create(key=limit.key, failed_at=now)).id for limit in limits]
    for limit in limits:
        if limit.most is None:
            continue
        others = (
            await LoginFailure.filter(key=limit.key, failed_at__gt=now - limit.window)
            .exclude(id__in=ids)
            .order_by("failed_at")
            .values_list("failed_at", flat=True)
        )
        if len(others) >= limit.most:
            await LoginFailure.filter(id__in=ids).delete()
            # Allowed again once enough of the oldest attempts age out of the window.
            wait = (others[-limit.most] + limit.window - now).total_seconds()
            raise Throttled(limit.message, retry_after=max(1, math.ceil(wait)))
    return Attempt(ids)


async def log_in_attempt(email: str, address: str, now: datetime) -> Attempt:
    """One log-in attempt for `email` from `address`; forget it when the password matched,
    else `record_failure`.

    Blocked per (account, address) and per address; an account that failed from many
    addresses lately is slowed to one attempt per ACCOUNT_PACE rather than closed to its
    owner. Only attempts that passed the address limits take a pace slot, and only failed
    passwords make an account slow, so a guesser already blocked cannot slow it further."""
    network = _network(address)
    passed = await attempt(
        now,
        Limit(_pair_key(email, network), MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS, _LOG_INS),
        Limit(f"address:{network}", MAX_FAILURES_PER_ADDRESS, _LOG_INS),
    )
    if await _recent(account_key(email), now) < ACCOUNT_SLOW_AFTER:
        return passed
    try:
        paced = await attempt(now, Limit(f"pace:{email}", 1, _PACED, ACCOUNT_PACE))
    except Throttled:
        await passed.forget()
        raise
    return Attempt([*passed.ids, *paced.ids])


async def record_failure(email: str, now: datetime) -> None:
    """A password that did not match, counted for the account from every address."""
    await LoginFailure.create(key=account_key(email), failed_at=now)


async def forget_failures(email: str, address: str | None = None) -> None:
    """A successful log-in (or a new password) clears the account's failures, and those
    from `address` when given; other addresses keep their own blocks."""
    keys = [account_key(email), f"pace:{email}"]
    if address is not None:
        keys.append(_pair_key(email, _network(address)))
    await LoginFailure.filter(key__in=keys).delete()


async def share_link_attempt(address: str, now: datetime) -> Attempt:
    """One share link tried from `address`; forget it when the link worked."""
    return await attempt(
        now, Limit(f"share:{_network(address)}", MAX_SHARE_MISSES_PER_ADDRESS, _SHARE_MISSES)
    )


async def count_reset(email: str, address: str, now: datetime) -> None:
    """One reset asked for `email` from `address`, whether or not it has an account."""
    await attempt(
        now,
        Limit(f"reset:{email}", MAX_RESETS_PER_ACCOUNT, _RESETS),
        Limit(f"reset-from:{_network(address)}", MAX_RESETS_PER_ADDRESS, _RESETS),
    )


async def count_signup(address: str, now: datetime) -> None:
    """One sign-up attempt from `address`, whether or not the e-mail address is taken."""
    await attempt(now, Limit(f"signup-from:{_network(address)}", MAX_SIGNUPS_PER_ADDRESS, _SIGNUPS))


async def count_invite(user_id: object, now: datetime) -> None:
    """One invitation made by the member."""
    await attempt(now, Limit(f"invite-by:{user_id}", MAX_INVITES_PER_MEMBER, _INVITES))


async def count_email_change(user_id: object, now: datetime) -> None:
    """One new e-mail address asked for by the member (each sends an e-mail to it)."""
    await attempt(
        now, Limit(f"email-change-by:{user_id}", MAX_EMAIL_CHANGES_PER_MEMBER, _EMAIL_CHANGES)
    )


async def count_push_subscription(user_id: object, now: datetime) -> None:
    """One browser subscribed by the member (each costs a lookup of its push service)."""
    await attempt(
        now,
        Limit(f"push-by:{user_id}", MAX_PUSH_SUBSCRIPTIONS_PER_MEMBER, _PUSH_SUBSCRIPTIONS),
    )


async def count_anonymous_share(address: str, now: datetime) -> None:
    """One share from `address` by someone not logged in (its photos wait on no account)."""
    await attempt(
        now,
        Limit(
            f"share-from:{_network(address)}",
            MAX_ANONYMOUS_SHARES_PER_ADDRESS,
            _ANONYMOUS_SHARES,
        ),
    )


async def purge_attempts(now: datetime) -> int:
    """Forget attempts older than any window (the daily job); returns how many."""
    return await LoginFailure.filter(failed_at__lte=now - WINDOW).delete()


def _network(address: str) -> str:
    """The unit an address is counted in: itself, or for IPv6 its /64, which one client
    usually holds whole (counting single addresses would give it 2^64 fresh tries)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


async def _recent(key: str, now: datetime) -> int:
    return await LoginFailure.filter(key=key, failed_at__gt=now - WINDOW).count()
