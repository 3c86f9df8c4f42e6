"""Changing one's account: name and time zone, e-mail address (the new one confirmed by a
link sent to it), password (the current one asked again; every other session and API token
ended), and resetting a forgotten password by a single-use link valid for an hour.

Links carry 256-bit tokens; only their hashes are kept. Asking for a link only records the
request (timeline.account_outbox): the e-mail pass issues the link and sends it, so asking
for a reset does the same work whether or not the address has an account. It is throttled
per address and per account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from timeline.accounts import outbox as account_outbox
from timeline.accounts.credentials import (
    check_display_name,
    check_email,
    check_timezone,
    normalize_email,
)
from timeline.accounts.passwords import check_strength, hash_password, verify_password
from timeline.core import throttle
from timeline.core.errors import Conflict, InvalidInput, NotFound
from timeline.core.secrets import digest, new_token
from timeline.models import AccountLink, AccountMail, Credential, User

CONFIRM_LIFETIME = timedelta(days=1)
RESET_LIFETIME = timedelta(hours=1)
_GONE = "This link was already used, has expired, or does not exist."


@dataclass(frozen=True)
class IssuedLink:
    """A new link's token, which exists only here, and where to send it."""

    token: str
    send_to: str
    user: User


async def update_profile(user: User, *, display_name: str, timezone: str) -> User:
    """Change the name partners see and the time zone e-mails follow."""
    user.display_name = check_display_name(display_name)
    user.timezone = check_timezone(timezone)
    await user.save(update_fields=["display_name", "timezone"])
    return user


async def request_email_change(user: User, new_email: str, password: str, *, now: datetime) -> str:
    """Ask for a link to be sent to `new_email` (returned, normalised); the address changes
    only when it is followed."""
    new_email = check_email(new_email)
    if new_email == user.email:
        raise InvalidInput("That is already your address.", field="email")
    await throttle.count_email_change(user.id, now)
    if not await verify_password(user.password_hash, password):
        raise InvalidInput("That is not your password.", field="password")
    # Whether another account uses the address is not said here (that would tell anyone
    # with an account which addresses have one); the e-mail pass sends nothing then.
    await account_outbox.ask_confirmation(user, new_email, now=now)
    return new_email


async def confirm_email_change(token: str, *, now: datetime) -> User:
    """Follow an e-mail confirmation link: the account takes the new address."""
    link = await _open(token, AccountLink.CONFIRM_EMAIL, now)
    user = link.user
    if await User.filter(email=link.new_email).exclude(id=user.id).exists():
        raise Conflict("Another account took that address meanwhile.")
    async with in_transaction():
        if not await _use(link, now):
            raise NotFound(_GONE)
        await throttle.forget_failures(user.email)
        user.email = link.new_email
        await user.save(update_fields=["email"])
        # Whoever reads the old mailbox must not keep a way in through a link sent there.
        await AccountLink.filter(user=user, used_at=None).delete()
        await account_outbox.forget_asked(user)
    return user


async def change_password(
    user: User, current: str, new: str, *, keep_secret: str | None, now: datetime
) -> None:
    """Set a new password once the current one is given again; every session and API token
    but the one making this request (`keep_secret`) ends."""
    if not await verify_password(user.password_hash, current):
        raise InvalidInput("That is not your current password.", field="current_password")
    await _set_password(user, new, keep_secret=keep_secret)


async def request_password_reset(email: str, address: str, *, now: datetime) -> None:
    """Ask for a reset link for this address, whether or not an account uses it: the same
    work and the same answer either way. Throttled like log-ins."""
    email = normalize_email(email)
    await throttle.count_reset(email, address, now)
    await account_outbox.ask_reset(email, now=now)


async def issue_link(asked: AccountMail, *, now: datetime) -> IssuedLink | None:
    """The link an asked-for e-mail carries, issued now; None when there is nothing to send:
    no account uses the address a reset was asked for, or the new address is taken."""
    if asked.purpose == AccountLink.RESET_PASSWORD:
        user = await User.get_or_none(email=asked.email)
        if user is None:
            return None
        token = await _issue(user, AccountLink.RESET_PASSWORD, now + RESET_LIFETIME, now)
        if not await User.filter(id=user.id, email=user.email).exists():
            # The address changed while the link was made, after the change ended the
            # account's links: this one must not reach the old mailbox either.
            await AccountLink.filter(token_hash=digest(token)).delete()
            return None
        return IssuedLink(token, user.email, user)
    user = await User.get_or_none(id=asked.user_id)
    if user is None or await User.filter(email=asked.email).exists():
        return None
    token = await _issue(user, AccountLink.CONFIRM_EMAIL, now + CONFIRM_LIFETIME, now, asked.email)
    return IssuedLink(token, asked.email, user)


async def check_reset_link(token: str, *, now: datetime) -> User:
    """The account a working reset link is for, else `NotFound`."""
    return (await _open(token, AccountLink.RESET_PASSWORD, now)).user


async def reset_password(token: str, new: str, *, now: datetime) -> User:
    """Follow a reset link: a new password, every session and API token ended."""
    link = await _open(token, AccountLink.RESET_PASSWORD, now)
    check_strength(new, email=link.user.email)
    if not await _use(link, now):
        raise NotFound(_GONE)
    await _set_password(link.user, new, keep_secret=None)
    await throttle.forget_failures(link.user.email)
    return link.user


async def _set_password(user: User, new: str, *, keep_secret: str | None) -> None:
    check_strength(new, email=user.email)
    user.password_hash = await hash_password(new)
    async with in_transaction():
        await user.save(update_fields=["password_hash"])
        others = Credential.filter(user=user)
        if keep_secret:
            others = others.exclude(secret_hash=digest(keep_secret))
        await others.delete()
        await AccountLink.filter(user=user, used_at=None).delete()
        await account_outbox.forget_asked(user)


async def _issue(
    user: User, purpose: str, expires_at: datetime, now: datetime, new_email: str | None = None
) -> str:
    token = new_token()
    await AccountLink.create(
        user=user,
        purpose=purpose,
        token_hash=digest(token),
        new_email=new_email,
        created_at=now,
        expires_at=expires_at,
    )
    return token


async def _open(token: str, purpose: str, now: datetime) -> AccountLink:
    link = (
        await AccountLink.filter(
            token_hash=digest(token), purpose=purpose, used_at=None, expires_at__gt=now
        )
        .select_related("user")
        .first()
    )
    if link is None:
        raise NotFound(_GONE)
    return link


async def _use(link: AccountLink, now: datetime) -> bool:
    """Mark the link used; False when another request used it first."""
    return bool(await AccountLink.filter(id=link.id, used_at=None).update(used_at=now))
