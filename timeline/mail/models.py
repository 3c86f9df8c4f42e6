"""The ORM models of e-mail: each member's preferences and the deliveries claimed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # relations name each other by string; these are for type checkers
    from timeline.accounts.models import User

# Tortoise copies each model docstring into a SQL table comment and splits SQL on semicolons:
# keep semicolons and apostrophes out of model docstrings.


class EmailPreference(Model):
    """Which e-mails a member wants and when, in their own time zone. No row means the
    defaults: every kind on, on this day at 08:00, the weekly one on Sundays at 09:00."""

    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="email_preference", on_delete=fields.CASCADE
    )
    on_this_day = fields.BooleanField(default=True)
    weekly = fields.BooleanField(default=True)
    anniversary = fields.BooleanField(default=True)
    hour = fields.SmallIntField(default=8)
    weekly_day = fields.SmallIntField(default=6)
    weekly_hour = fields.SmallIntField(default=9)

    class Meta:
        table = "email_preference"


class Delivery(Model):
    """One e-mail of one kind for one member and local day: claimed by a worker before it
    is sent, so that each is sent once however many workers run."""

    CLAIMED, SENT, SKIPPED, RETRY, FAILED = "claimed", "sent", "skipped", "retry", "failed"

    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="deliveries", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=16)
    local_date = fields.DateField()
    status = fields.CharField(max_length=8)
    attempts = fields.SmallIntField(default=0)
    # A claim held past this instant belongs to a worker that died: another may take it.
    lease_until = fields.DatetimeField()
    error = fields.CharField(max_length=200, default="")
    sent_at = fields.DatetimeField(null=True)
    # The ids of the memories the letter showed, space-separated: none comes back within a
    # week, in a letter or as the pick.
    shown = fields.TextField(default="", db_default="")

    class Meta:
        table = "delivery"
        unique_together = (("user", "kind", "local_date"),)
        indexes = (Index(fields=("status", "lease_until")),)
