"""The ORM models of the domain: accounts, their credentials, timelines and invites."""

from __future__ import annotations

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

MAX_MEMBERS = 2

# Tortoise copies each model docstring into a SQL table comment and splits SQL on semicolons:
# keep semicolons and apostrophes out of model docstrings.


class User(Model):
    """A person with an account. `email` is stored lower-cased so lookups ignore case."""

    id = fields.UUIDField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    password_hash = fields.CharField(max_length=255)
    display_name = fields.CharField(max_length=80)
    timezone = fields.CharField(max_length=64, default="UTC")
    created_at = fields.DatetimeField()

    memberships: fields.ReverseRelation[Membership]

    class Meta:
        table = "account"


class Credential(Model):
    """A secret that stands for a signed-in user: a web session (cookie) or an API token
    (bearer). Only the SHA-256 of the secret is stored. Deleting the row revokes it."""

    SESSION = "session"
    API = "api"

    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="credentials", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=16)
    secret_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(null=True)

    class Meta:
        table = "credential"


class LoginFailure(Model):
    """One failed log-in, counted per account and per client address to throttle guessing."""

    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=300)
    failed_at = fields.DatetimeField()

    class Meta:
        table = "login_failure"
        indexes = (Index(fields=("key", "failed_at")),)


class Timeline(Model):
    """The shared timeline of a couple."""

    id = fields.UUIDField(primary_key=True)
    name = fields.CharField(max_length=80)
    together_since = fields.DateField(null=True)
    max_members = fields.SmallIntField(default=MAX_MEMBERS)
    created_at = fields.DatetimeField()

    memberships: fields.ReverseRelation[Membership]

    class Meta:
        table = "timeline"


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
