"""HMAC-signed, expiring URLs for objects the app serves itself."""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
from datetime import datetime, timedelta
from urllib.parse import urlencode

URL_LIFETIME = timedelta(hours=1)
# Expiry is rounded up to this step so a page rendered twice in a row links the same URLs,
# which lets the browser reuse what it cached.
EXPIRY_STEP = 15 * 60


class UrlSigner:
    """Signs `path` with an expiry; a signature is valid only for that path until then."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def expiry(self, now: datetime) -> int:
        """The Unix time a URL signed now expires at."""
        latest = (now + URL_LIFETIME).timestamp()
        return math.ceil(latest / EXPIRY_STEP) * EXPIRY_STEP

    def signed_query(self, path: str, now: datetime) -> str:
        """`exp=…&sig=…` for `path`."""
        expires = self.expiry(now)
        return urlencode({"exp": expires, "sig": self._signature(path, expires)})

    def verify(self, path: str, expires: int, signature: str, now: datetime) -> bool:
        """True when `signature` was made for `path` and `expires`, and that is still ahead."""
        if expires <= now.timestamp():
            return False
        return hmac.compare_digest(self._signature(path, expires), signature)

    def _signature(self, path: str, expires: int) -> str:
        mac = hmac.new(self._key, f"{path}\n{expires}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")
