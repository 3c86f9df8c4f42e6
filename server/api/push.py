"""API: the VAPID key and the caller's Web Push subscriptions."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response, delete, get, post
from litestar.params import FromPath, JSONBody

from server.common.push_endpoints import MAX_ENDPOINT, checked_subscription
from server.common.vapid import public_key
from server.http.auth import signed_in
from server.http.dependencies import Member, Now, SettingsDep
from timeline.core import throttle
from timeline.push.subscriptions import subscribe, unsubscribe

Key = Annotated[str, msgspec.Meta(max_length=100)]


class PushKey(msgspec.Struct):
    """The VAPID application server key, base64url: `applicationServerKey` when subscribing."""

    public_key: str


class SubscriptionKeys(msgspec.Struct):
    """The browser's P-256 public key and authentication secret, base64url (RFC 8291)."""

    p256dh: Key
    auth: Key


class SubscriptionIn(msgspec.Struct):
    """What `PushSubscription.toJSON()` gives: an https endpoint of a push service on a
    public address, and the keys."""

    endpoint: Annotated[str, msgspec.Meta(max_length=MAX_ENDPOINT)]
    keys: SubscriptionKeys


class SubscriptionOut(msgspec.Struct):
    id: UUID


class PushController(Controller):
    tags = ["push"]

    @get("/api/v1/push/key", operation_id="pushKey")
    async def key(self, settings: SettingsDep) -> PushKey:
        """The key browsers subscribe with (public: it identifies this server)."""
        return PushKey(public_key(settings))

    @post("/api/v1/me/push-subscriptions", operation_id="subscribePush", guards=[signed_in])
    async def subscribe(
        self, member: Member, settings: SettingsDep, now: Now, data: JSONBody[SubscriptionIn]
    ) -> Response[SubscriptionOut]:
        """Notifications on in one browser; 422 for an endpoint that is not https on a public
        address, or keys that are not P-256 and 16 bytes; 429 after many in a few minutes."""
        await throttle.count_push_subscription(member.id, now)
        new = await checked_subscription(
            data.endpoint,
            data.keys.p256dh,
            data.keys.auth,
            allow_private=settings.push_allow_private_endpoints,
        )
        subscription = await subscribe(member, new, now=now)
        return Response(SubscriptionOut(subscription.id), status_code=201)

    @delete(
        "/api/v1/me/push-subscriptions/{subscription_id:uuid}",
        operation_id="unsubscribePush",
        guards=[signed_in],
    )
    async def unsubscribe(self, member: Member, subscription_id: FromPath[UUID]) -> None:
        """Notifications off in that browser; 404 for one that is not the caller's."""
        await unsubscribe(member, subscription_id)
