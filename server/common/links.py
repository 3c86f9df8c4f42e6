"""Absolute links to the app, built on `BASE_URL` (for e-mails and for sharing), and the
signed tokens of e-mails: unsubscribe links, "not this one" links and reply addresses."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
from dataclasses import dataclass
from datetime import date, timedelta
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
    if not hmac.compare_digest(_signature(settings, payload).encode(), signature.encode()):
        return None
    try:
        return UUID(user_id), kind
    except ValueError:
        return None


def not_this_one_url(settings: Settings, user_id: UUID, memory_id: UUID) -> str:
    """A link to a page that keeps one memory from coming back, for one member, without
    logging in. It does not expire either: the page acts only while they are its member."""
    payload = f"{user_id}.{memory_id}"
    signature = _signature(settings, payload, purpose="not-this-one")
    return f"{settings.base_url}/not-this-one/{payload}.{signature}"


def read_not_this_one_token(settings: Settings, token: str) -> tuple[UUID, UUID] | None:
    """The member and memory a "not this one" token was made for, or None."""
    payload, _, signature = token.rpartition(".")
    user_id, _, memory_id = payload.partition(".")
    expected = _signature(settings, payload, purpose="not-this-one")
    # Bytes: compare_digest refuses a str that is not ASCII, which a link may hold.
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        return None
    try:
        return UUID(user_id), UUID(memory_id)
    except ValueError:
        return None


# Reply addresses: days are counted from here, in two bytes (good until 2199).
_REPLY_EPOCH = date(2020, 1, 1)
_REPLY_MAC_BYTES = 8


@dataclass(frozen=True)
class ReplyToken:
    """What a reply address says: the memory a reply lands on, until when it is taken, and
    the signature, which only verifies for the member the address was made for."""

    memory_id: UUID
    until: date
    signature: bytes

    def made_for(self, settings: Settings, user_id: UUID) -> bool:
        expected = _reply_signature(settings, user_id, self.memory_id, self.until)
        return hmac.compare_digest(expected, self.signature)


def reply_address(settings: Settings, user_id: UUID, memory_id: UUID, until: date) -> str:
    """The Reply-To of a letter: MAIL_REPLY_TO with a +tag naming the memory a reply lands
    on and signed for the member (base32, lower case: mail servers may change the case of
    a local part). The member is not written in it: the reply's sender says who it is, and
    the signature checks it."""
    days = struct.pack(">H", (until - _REPLY_EPOCH).days)
    raw = memory_id.bytes + days + _reply_signature(settings, user_id, memory_id, until)
    tag = base64.b32encode(raw).decode().rstrip("=").lower()
    local, _, domain = settings.mail_reply_to.rpartition("@")
    return f"{local}+{tag}@{domain}"


def read_reply_address(settings: Settings, address: str) -> ReplyToken | None:
    """The token of one of our reply addresses, or None for any other address (another
    mailbox, a tag that is not ours). The signature is checked with `made_for`."""
    local, _, domain = address.strip().lower().rpartition("@")
    base, _, tag = local.partition("+")
    ours_local, _, ours_domain = settings.mail_reply_to.rpartition("@")
    if (base, domain) != (ours_local, ours_domain) or not tag:
        return None
    try:
        raw = base64.b32decode(tag.upper() + "=" * (-len(tag) % 8))
    except ValueError:
        return None
    if len(raw) != 16 + 2 + _REPLY_MAC_BYTES:
        return None
    (days,) = struct.unpack(">H", raw[16:18])
    return ReplyToken(UUID(bytes=raw[:16]), _REPLY_EPOCH + timedelta(days=days), raw[18:])


def _reply_signature(settings: Settings, user_id: UUID, memory_id: UUID, until: date) -> bytes:
    key = subkey(settings.secret_key, "reply-address").encode()
    payload = user_id.bytes + memory_id.bytes + until.isoformat().encode()
    return hmac.new(key, payload, hashlib.sha256).digest()[:_REPLY_MAC_BYTES]


def _signature(settings: Settings, payload: str, *, purpose: str = "unsubscribe") -> str:
    key = subkey(settings.secret_key, purpose).encode()
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
