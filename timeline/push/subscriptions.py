"""The browsers a member turned notifications on in, and which kinds they want."""

from __future__ import annotations

import base64
import dataclasses
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from cryptography.hazmat.primitives.asymmetric import ec
from tortoise.transactions import in_transaction

from timeline.core.errors import InvalidInput, NotFound
from timeline.models import PushPreference, PushSubscription, User

# RFC 8291: the browser's P-256 public key, uncompressed, and a 16-byte authentication secret.
P256DH_BYTES, AUTH_BYTES = 65, 16
# Browsers a member may have notifications on in at once; a new one beyond ends the oldest.
MAX_SUBSCRIPTIONS = 10


@dataclass(frozen=True)
class NewSubscription:
    """What a browser's PushManager hands over, checked: see `check_keys`."""

    endpoint: str
    p256dh: str
    auth: str


@dataclass(frozen=True)
class PushChoices:
    """Which notifications a member wants."""

    partner_memory: bool = True
    partner_feeling: bool = True
    partner_reply: bool = True
    daily_pick: bool = True


def check_keys(p256dh: str, auth: str) -> tuple[str, str]:
    """The keys as given when they are what RFC 8291 asks for, or InvalidInput."""
    point = _decoded(p256dh, "keys.p256dh", P256DH_BYTES)
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise InvalidInput("keys.p256dh is not a P-256 public key.", field="keys.p256dh") from None
    _decoded(auth, "keys.auth", AUTH_BYTES)
    return p256dh, auth


def _decoded(value: str, field: str, size: int) -> bytes:
    if len(value) > 2 * size:
        raise InvalidInput(f"{field} must be {size} bytes in base64url.", field=field)
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except ValueError:
        raw = b""
    if len(raw) != size or not value.isascii():
        raise InvalidInput(f"{field} must be {size} bytes in base64url.", field=field)
    return raw


async def subscribe(user: User, new: NewSubscription, *, now: datetime) -> PushSubscription:
    """Notifications on in one more browser. A browser subscribing again (same endpoint)
    keeps one subscription, now with its latest keys and for whoever subscribed last."""
    check_keys(new.p256dh, new.auth)
    async with in_transaction():
        await PushSubscription.filter(endpoint=new.endpoint).delete()
        subscription = await PushSubscription.create(
            id=uuid4(),
            user=user,
            endpoint=new.endpoint,
            p256dh=new.p256dh,
            auth=new.auth,
            created_at=now,
        )
        kept = (
            await PushSubscription.filter(user_id=user.id)
            .order_by("-created_at", "-id")
            .offset(MAX_SUBSCRIPTIONS)
            .values_list("id", flat=True)
        )
        if kept:
            await PushSubscription.filter(id__in=kept).delete()
        await PushPreference.get_or_create(user=user)
    return subscription


async def unsubscribe(user: User, subscription_id: UUID) -> None:
    """Notifications off in one browser of `user`'s; NotFound for anyone else's."""
    if not await PushSubscription.filter(id=subscription_id, user_id=user.id).delete():
        raise NotFound("No such subscription.")


async def unsubscribe_endpoint(user: User, endpoint: str) -> None:
    """Notifications off in the browser that has `endpoint`, if it is `user`'s."""
    await PushSubscription.filter(endpoint=endpoint, user_id=user.id).delete()


async def subscription_count(user: User) -> int:
    """How many browsers `user` has notifications on in."""
    return await PushSubscription.filter(user_id=user.id).count()


async def push_choices_of(user: User) -> PushChoices:
    """What `user` wants; every kind until they choose."""
    row = await PushPreference.get_or_none(user_id=user.id)
    if row is None:
        return PushChoices()
    return PushChoices(
        **{field.name: getattr(row, field.name) for field in dataclasses.fields(PushChoices)}
    )


async def choose_pushes(user: User, choices: PushChoices) -> None:
    """Keep `choices` as what `user` wants, whether or not a browser is subscribed yet."""
    await PushPreference.update_or_create(user=user, defaults=dataclasses.asdict(choices))
