"""Random tokens handed to users, and the one-way digests we store in their place."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32


def new_token() -> str:
    """A URL-safe random token carrying 256 bits."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(token: str) -> str:
    """The SHA-256 hex digest stored instead of a token; tokens are random, so no salt is needed."""
    return hashlib.sha256(token.encode()).hexdigest()
