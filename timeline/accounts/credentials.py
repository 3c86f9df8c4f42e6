"""Accounts: signing up, checking a password, and the credentials that stand for a user."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from uuid import UUID
from zoneinfo import available_timezones

from tortoise.exceptions import IntegrityError

from timeline.accounts.passwords import check_strength, hash_password, verify_password
from timeline.core import throttle
from timeline.core.errors import BadCredentials, Conflict, InvalidInput
from timeline.core.secrets import digest, new_token
from timeline.core.text import check_one_line
from timeline.models import Credential, User

SESSION_LIFETIME = timedelta(days=30)
MAX_DISPLAY_NAME = 80
# Deliberately loose: one @, something before it, a dotted domain after it. The real test of
# an address is whether mail reaches it.
_EMAIL_TAKEN = "An account with this e-mail address already exists. Log in instead."
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize_email(email: str) -> str:
    """Addresses are compared and stored lower-cased."""
    return email.strip().lower()


def check_email(email: str) -> str:
    """The normalised address, or `InvalidInput` when it cannot be one."""
    normalized = normalize_email(email)
    if len(normalized) > 254 or not _EMAIL.match(normalized):
        raise InvalidInput("Enter an e-mail address such as name@example.com.", field="email")
    if not normalized.isascii() or not normalized.isprintable():
        # Internationalised addresses need SMTPUTF8 at every hop, which few servers offer;
        # refused here, every address we write into a header is plain ASCII.
        raise InvalidInput(
            "Enter an e-mail address written with plain letters (a–z), digits and "
            "punctuation; addresses with accented letters cannot be used yet.",
            field="email",
        )
    return normalized


def check_timezone(name: str) -> str:
    """An IANA time zone name such as Europe/Paris, or `InvalidInput`."""
    if name not in available_timezones():
        raise InvalidInput(f"Unknown time zone {name!r}; use a name such as Europe/Paris.")
    return name


def check_display_name(name: str) -> str:
    """A trimmed, non-empty name that fits."""
    name = name.strip()
    if not name:
        raise InvalidInput("Enter the name your partner knows you by.", field="display_name")
    if len(name) > MAX_DISPLAY_NAME:
        raise InvalidInput(
            f"Keep your name under {MAX_DISPLAY_NAME} characters.", field="display_name"
        )
    return check_one_line(name, field="display_name", label="Your name")


async def sign_up(
    email: str,
    password: str,
    display_name: str,
    timezone: str,
    *,
    now: datetime,
    address: str | None = None,
) -> User:
    """Create an account; `Conflict` when the address already has one. Sign-up attempts
    from a client `address` (the web and the API give it; the command line does not) are
    throttled, those for a taken address included, so nobody can test addresses at will."""
    email = check_email(email)
    display_name = check_display_name(display_name)
    timezone = check_timezone(timezone)
    check_strength(password, email=email)
    if address is not None:
        await throttle.count_signup(address, now)
    if await User.filter(email=email).exists():
        raise Conflict(_EMAIL_TAKEN)
    password_hash = await hash_password(password)
    try:
        return await User.create(
            email=email,
            password_hash=password_hash,
            display_name=display_name,
            timezone=timezone,
            created_at=now,
        )
    except IntegrityError:
        # Two sign-ups for one address raced past the check above.
        raise Conflict(_EMAIL_TAKEN) from None


async def authenticate(email: str, password: str, *, address: str, now: datetime) -> User:
    """The account for these credentials. Throttled per account and per client address."""
    email = normalize_email(email)
    attempt = await throttle.log_in_attempt(email, address, now)
    user = await User.get_or_none(email=email)
    if not await verify_password(user.password_hash if user else None, password):
        await throttle.record_failure(email, now)
        raise BadCredentials("That e-mail and password do not match an account.")
    await attempt.forget()
    await throttle.forget_failures(email, address)
    return user


async def issue_credential(user: User, kind: str, *, now: datetime) -> str:
    """Create a session or API token for `user` and return its secret (shown once, never stored)."""
    secret = new_token()
    expires_at = now + SESSION_LIFETIME if kind == Credential.SESSION else None
    await Credential.create(
        user=user, kind=kind, secret_hash=digest(secret), created_at=now, expires_at=expires_at
    )
    return secret


async def user_for_credential(secret: str, kind: str, *, now: datetime) -> User | None:
    """The user a live secret of this kind stands for, else None."""
    credential = (
        await Credential.filter(secret_hash=digest(secret), kind=kind)
        .select_related("user")
        .first()
    )
    if credential is None:
        return None
    if credential.expires_at is not None and credential.expires_at <= now:
        await credential.delete()
        return None
    return credential.user


async def revoke_credential(secret: str) -> None:
    """End a session or API token; revoking an unknown secret is not an error."""
    await Credential.filter(secret_hash=digest(secret)).delete()


async def account_with_email(email: str) -> User | None:
    """The account `email` names (checked and normalised first: `InvalidInput`), or None."""
    return await User.get_or_none(email=check_email(email))


async def accounts_with_ids(ids: Iterable[UUID]) -> dict[UUID, User]:
    """The accounts with these ids, by id."""
    return {user.id: user for user in await User.filter(id__in=set(ids))}
