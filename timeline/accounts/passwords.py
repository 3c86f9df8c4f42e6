"""Password rules and argon2id hashing, run in a worker thread so the event loop keeps serving."""

from __future__ import annotations

import functools

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from timeline.core.errors import InvalidInput

MIN_LENGTH = 10
# Long enough to be a passphrase, short enough that hashing it is not a denial of service.
MAX_LENGTH = 256

_hasher = PasswordHasher()


@functools.cache
def _unknown_user_hash() -> str:
    """Verified against when an e-mail is unknown, so that costs as much as a wrong password."""
    return _hasher.hash("remember-when: no such account")


def check_strength(password: str, *, email: str) -> None:
    """Refuse passwords that are too short, too long, or the e-mail address itself."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"Choose a password of at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"Choose a password of at most {MAX_LENGTH} characters.")
    if password.strip().lower() == email.strip().lower():
        raise InvalidInput("Choose a password that is not your e-mail address.")
    if len(set(password)) < 4:
        raise InvalidInput("Choose a password with more variety than a few repeated characters.")


async def hash_password(password: str) -> str:
    """The argon2id hash of `password`."""
    return await anyio.to_thread.run_sync(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; a `None` hash still spends the time, then says no."""
    target = password_hash or _unknown_user_hash()

    def verify() -> bool:
        try:
            return _hasher.verify(target, password)
        except (VerificationError, InvalidHashError):
            return False

    matched = await anyio.to_thread.run_sync(verify)
    return matched and password_hash is not None
