"""Absolute links to the app, built on `BASE_URL` (for e-mails and for sharing), and the
signed tokens of unsubscribe links."""

from __future__ import annotations

import base64
import hashlib
import hmac
from uuid import UUID

from server.common.keys import subkey
from server.common.settings import Settings


def invite_url(settings: Settings, token: str) -> str:
    return f"{settings.base_url}/i/{token}"


def share_url(settings: Settings, token: str) -> str:
    return f"{settings.base_url}/r/{token}"


def unsubscribe_url(settings: Settings, user_id: UUID, kind: str) -> str:
    """A link that turns off one kind of e-mail for one member, without logging in. It does
    not expire: an old e-mail's link must keep working."""
    return f"{settings.base_url}/unsubscribe/{unsubscribe_token(settings, user_id, kind)}"


def unsubscribe_token(settings: Settings, user_id: UUID, kind: str) -> str:
    payload = f"{user_id}.{kind}"
    return f"{payload}.{_signature(settings, payload)}"


def read_unsubscribe_token(settings: Settings, token: str) -> tuple[UUID, str] | None:
    """The member and kind a token was made for, or None when it was not made by us."""
    payload, _, signature = token.rpartition(".")
    user_id, _, kind = payload.partition(".")
    if not hmac.compare_digest(_signature(settings, payload), signature):
        return None
    try:
        return UUID(user_id), kind
    except ValueError:
        return None


def _signature(settings: Settings, payload: str) -> str:
    key = subkey(settings.secret_key, "unsubscribe").encode()
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
