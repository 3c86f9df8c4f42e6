"""Keys derived from SECRET_KEY, one per purpose, so no two features share a key."""

from __future__ import annotations

import hashlib
import hmac


def subkey(secret_key: str, purpose: str) -> str:
    """A hex key for `purpose` (HMAC-SHA256 of the purpose under SECRET_KEY)."""
    return hmac.new(secret_key.encode(), purpose.encode(), hashlib.sha256).hexdigest()
