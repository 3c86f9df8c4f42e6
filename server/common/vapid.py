"""Our VAPID key pair (RFC 8292): the private key signs each push request, the public key is
what browsers subscribe with."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02

from server.common.settings import Settings


def vapid_of(settings: Settings) -> Vapid02:
    """The signer of push requests, from VAPID_PRIVATE_KEY (or the one generated in var/)."""
    return Vapid02.from_raw(settings.vapid_private_key.encode())


def public_key(settings: Settings) -> str:
    """The application server key: our uncompressed P-256 public key in base64url, as
    `PushManager.subscribe` takes it."""
    point = vapid_of(settings).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()
