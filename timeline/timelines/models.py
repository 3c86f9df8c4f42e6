"""The ORM models of shared timelines: the timeline, its members, invites and milestones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # relations name each other by string; these are for type checkers
    from timeline.accounts.models import User

MAX_MEMBERS = 2

# Tortoise copies each model docstring into a SQL table comment and splits SQL on semicolons:
# keep semicolons and apostrophes out of model docstrings.


class Timeline(Model):
    """The shared timeline of a couple."""

    id = fields.UUIDField(primary_key=True)
    name = fields.CharField(max_length=80)
    together_since = fields.DateField(null=True)
    # Whose "today" the daily pick follows: the creator's zone, so both partners share one.
    timezone = fields.CharField(max_length=64, default="UTC")
    max_members = fields.SmallIntField(default=MAX_MEMBERS)
    created_at = fields.DatetimeField()
    # Counts every change to what the couple sees: written by the database alone, by triggers
    # on memories, photos, tags, ratings, replies, milestones, quiet rules, memberships and
    # daily picks (migration 0015), so no write can forget it. What is worked out from a
    # whole timeline is kept while it stays the same. The ORM saves timelines with
    # update_fields only.
    revision = fields.BigIntField(default=0)

    memberships: fields.ReverseRelation[Membership]

    class Meta:
        table = "timeline"
        indexes = (Index(fields=("together_since",)),)


class Milestone(Model):
    """A date the couple keeps besides the day they got together: their first date, their
    wedding, or one they name. Dated like memories, to the day, the month or the year."""

    FIRST_DATE, WEDDING, CUSTOM = "first_date", "wedding", "custom"
    KINDS = (FIRST_DATE, WEDDING, CUSTOM)

    id = fields.UUIDField(primary_key=True)
    timeline: fields.ForeignKeyRelation[Timeline] = fields.ForeignKeyField(
        "models.Timeline", related_name="milestones", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=16)
    label = fields.CharField(max_length=80, default="")
    occurred_on = fields.DateField()
    date_precision = fields.CharField(max_length=5, default="day")
    created_at = fields.DatetimeField()

    class Meta:
        table = "milestone"
        indexes = (Index(fields=("timeline_id", "occurred_on")),)


class Membership(Model):
    """A user belongs to a timeline. Every query of timeline data goes through this row."""

    id = fields.UUIDField(primary_key=True)
    timeline: fields.ForeignKeyRelation[Timeline] = fields.ForeignKeyField(
        "models.Timeline", related_name="memberships", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="memberships", on_delete=fields.CASCADE
    )
    joined_at = fields.DatetimeField()

    class Meta:
        table = "membership"
        unique_together = (("timeline", "user"),)
        # A member's timelines, for who is due an e-mail.
        indexes = (Index(fields=("user_id", "timeline_id")),)


class Invite(Model):
    """A single-use link asking someone to join a timeline. Only a hash of the token is kept."""

    id = fields.UUIDField(primary_key=True)
    timeline: fields.ForeignKeyRelation[Timeline] = fields.ForeignKeyField(
        "models.Timeline", related_name="invites", on_delete=fields.CASCADE
    )
    invited_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="invites_sent", on_delete=fields.CASCADE
    )
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    used_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="invites_used", null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "invite"
