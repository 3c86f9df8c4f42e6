"""The ORM models of recaps: share links to a year's recap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # relations name each other by string; these are for type checkers
    from timeline.accounts.models import User
    from timeline.timelines.models import Timeline

# Tortoise copies each model docstring into a SQL table comment and splits SQL on semicolons:
# keep semicolons and apostrophes out of model docstrings.


class RecapShare(Model):
    """A link that shows one relationship year of a timeline to whoever holds it, read-only.
    Only a hash of its token is kept. Expired or revoked links show nothing."""

    id = fields.UUIDField(primary_key=True)
    timeline: fields.ForeignKeyRelation[Timeline] = fields.ForeignKeyField(
        "models.Timeline", related_name="recap_shares", on_delete=fields.CASCADE
    )
    year = fields.SmallIntField()
    token_hash = fields.CharField(max_length=64, unique=True)
    # A line from the couple to whoever opens the link, shown at the top of the page.
    message = fields.CharField(max_length=200, default="", db_default="")
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="recap_shares", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "recap_share"
        indexes = (Index(fields=("timeline_id", "year")),)
