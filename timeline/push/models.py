"""The ORM models of Web Push: subscriptions, preferences and the notifications waiting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # relations name each other by string; these are for type checkers
    from timeline.accounts.models import User

# Tortoise copies each model docstring into a SQL table comment and splits SQL on semicolons:
# keep semicolons and apostrophes out of model docstrings.


class PushSubscription(Model):
    """A browser a member turned notifications on in: the push service URL it gave and the
    keys to encrypt for it (RFC 8291). One browser belongs to one member at a time."""

    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="push_subscriptions", on_delete=fields.CASCADE
    )
    endpoint = fields.CharField(max_length=1024, unique=True)
    p256dh = fields.CharField(max_length=100)
    auth = fields.CharField(max_length=32)
    created_at = fields.DatetimeField()

    class Meta:
        table = "push_subscription"


class PushPreference(Model):
    """Which notifications a member wants, made when they first subscribe a browser, and
    the local day their daily pick was last told (claimed before it is told)."""

    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="push_preference", on_delete=fields.CASCADE
    )
    partner_memory = fields.BooleanField(default=True)
    partner_feeling = fields.BooleanField(default=True)
    partner_reply = fields.BooleanField(default=True)
    daily_pick = fields.BooleanField(default=True)
    pick_told_on = fields.DateField(null=True)

    class Meta:
        table = "push_preference"


class PushMessage(Model):
    """A notification waiting for one subscription, claimed by a worker before it is sent
    (as account e-mails are). A newer one of the same topic replaces an unsent one."""

    id = fields.UUIDField(primary_key=True)
    subscription: fields.ForeignKeyRelation[PushSubscription] = fields.ForeignKeyField(
        "models.PushSubscription", related_name="messages", on_delete=fields.CASCADE
    )
    topic = fields.CharField(max_length=32)
    payload = fields.TextField()
    created_at = fields.DatetimeField()
    attempts = fields.SmallIntField(default=0)
    # Not taken by another worker before this instant (a claim, or a retry's wait).
    lease_until = fields.DatetimeField()

    class Meta:
        table = "push_message"
        indexes = (Index(fields=("lease_until",)),)
        unique_together = (("subscription", "topic"),)
