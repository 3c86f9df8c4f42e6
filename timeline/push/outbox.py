"""Notifications waiting for the workers. Writing a memory, a feeling or a reply records one
for each browser of each partner who wants that kind (never for the one who acted); a
worker claims each before sending it, so one goes out once however many workers run."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet

from timeline.models import PushMessage, PushPreference, PushSubscription, User
from timeline.timelines.access import partner_ids

PARTNER_MEMORY, PARTNER_FEELING, PARTNER_REPLY, DAILY_PICK = (
    "partner_memory",
    "partner_feeling",
    "partner_reply",
    "daily_pick",
)
# How long a worker may hold a notification before another takes it over.
LEASE = timedelta(minutes=2)
# A push service that cannot take it now is tried again, waiting longer each time.
RETRY_AFTER = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10))
MAX_ATTEMPTS = 1 + len(RETRY_AFTER)
# The longest a push service's Retry-After is followed.
MAX_WAIT = timedelta(hours=1)
# Not sent any more once this old: a day's news the member has likely seen by then.
STALE_AFTER = timedelta(hours=12)


@dataclass(frozen=True)
class Notice:
    """What a notification says and opens. It never carries more than a memory's title."""

    kind: str
    title: str
    body: str
    url: str
    # A newer notice of the same topic replaces an unsent one (and, at the push service, an
    # undelivered one): at most 32 URL-safe characters (RFC 8030).
    topic: str

    def payload(self) -> str:
        return json.dumps(
            {"title": self.title, "body": self.body, "url": self.url, "tag": self.topic},
            ensure_ascii=False,
        )


def topic_of(*parts: object) -> str:
    """The topic of what `parts` name (a kind and a memory, say): the push service sees it
    in the clear (RFC 8030), so it is a digest of them, not an id of ours."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:32]


def memory_topic(kind: str, memory_id: UUID) -> str:
    """One topic per kind and memory: a partner's second reply replaces the first's notice."""
    return topic_of(kind, memory_id)


async def tell_partners(actor: User, timeline_id: UUID, notice: Notice, *, now: datetime) -> int:
    """Record `notice` for every browser of `actor`'s partners in the timeline who want its
    kind. Returns how many were recorded."""
    partners = await partner_ids(actor, timeline_id)
    unwanted = await PushPreference.filter(
        user_id__in=partners, **{notice.kind: False}
    ).values_list("user_id", flat=True)
    wanting = [partner for partner in partners if partner not in unwanted]
    subscriptions = await PushSubscription.filter(user_id__in=wanting).values_list("id", flat=True)
    for subscription_id in subscriptions:
        await record(subscription_id, notice, now=now)
    return len(subscriptions)


async def tell_member(user: User, notice: Notice, *, now: datetime) -> int:
    """Record `notice` for every browser of `user`'s (their daily pick)."""
    subscriptions = await PushSubscription.filter(user_id=user.id).values_list("id", flat=True)
    for subscription_id in subscriptions:
        await record(subscription_id, notice, now=now)
    return len(subscriptions)


async def record(subscription_id: UUID, notice: Notice, *, now: datetime) -> None:
    """One notification waiting for one browser; it replaces an unsent one of its topic (a
    worker sending that one meanwhile sends it, and then this one too)."""
    fields = {"payload": notice.payload(), "created_at": now, "attempts": 0, "lease_until": now}
    replaced = await PushMessage.filter(subscription_id=subscription_id, topic=notice.topic).update(
        **fields
    )
    if replaced:
        return
    try:
        await PushMessage.create(
            id=uuid4(), subscription_id=subscription_id, topic=notice.topic, **fields
        )
    except IntegrityError:
        # Recorded by a request running beside this one: a notice like ours is waiting.
        return


@dataclass(frozen=True)
class Claimed:
    """A notification this worker holds, with where and how to send it."""

    id: UUID
    subscription_id: UUID
    endpoint: str
    p256dh: str
    auth: str
    topic: str
    payload: str
    attempts: int
    lease_until: datetime


async def claim_waiting(at: datetime, batch: int = 100) -> list[Claimed]:
    """Notifications due at `at`, now held by this worker. One too old or tried too often is
    dropped instead. Compare and set on the lease, as account e-mails are claimed, so each
    is taken by one worker."""
    taken = []
    rows = (
        await PushMessage.filter(lease_until__lte=at)
        .order_by("lease_until")
        .limit(batch)
        .values(
            "id",
            "subscription_id",
            "topic",
            "payload",
            "attempts",
            "created_at",
            "lease_until",
            "subscription__endpoint",
            "subscription__p256dh",
            "subscription__auth",
        )
    )
    for row in rows:
        as_read = PushMessage.filter(id=row["id"], lease_until=row["lease_until"])
        if row["created_at"] <= at - STALE_AFTER or row["attempts"] >= MAX_ATTEMPTS:
            await as_read.delete()
            continue
        lease = at + LEASE
        if await as_read.update(lease_until=lease, attempts=row["attempts"] + 1):
            taken.append(
                Claimed(
                    id=row["id"],
                    subscription_id=row["subscription_id"],
                    endpoint=row["subscription__endpoint"],
                    p256dh=row["subscription__p256dh"],
                    auth=row["subscription__auth"],
                    topic=row["topic"],
                    payload=row["payload"],
                    attempts=row["attempts"] + 1,
                    lease_until=lease,
                )
            )
    return taken


def _held(claimed: Claimed) -> QuerySet[PushMessage]:
    # Only while it is as this worker claimed it: a newer notice of the topic recorded
    # meanwhile reset the lease, and must still go.
    return PushMessage.filter(id=claimed.id, lease_until=claimed.lease_until)


async def mark_sent(claimed: Claimed) -> None:
    await _held(claimed).delete()


async def mark_failed(claimed: Claimed, at: datetime, *, retry_after: timedelta | None) -> bool:
    """Tried again later while tries remain (after the push service's Retry-After when it
    gave one), else dropped. True when it will be tried again."""
    if claimed.attempts < MAX_ATTEMPTS:
        wait = RETRY_AFTER[claimed.attempts - 1]
        if retry_after is not None:
            wait = min(max(wait, retry_after), MAX_WAIT)
        await _held(claimed).update(lease_until=at + wait)
        return True
    await _held(claimed).delete()
    return False


async def drop(claimed: Claimed) -> None:
    """The push service refused this one for good (too large, malformed): it goes."""
    await _held(claimed).delete()


async def forget_subscription(claimed: Claimed) -> None:
    """The push service says the browser is gone (404, 410): its subscription goes, and
    every notification waiting for it."""
    await PushSubscription.filter(id=claimed.subscription_id).delete()
