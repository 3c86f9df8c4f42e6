"""The ORM models of accounts: users, credentials, account links and e-mails."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # relations name each other by string; these are for type checkers
    from timeline.timelines.models import Membership

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
        # Who is due an e-mail is looked up one time zone at a time.
        indexes = (Index(fields=("timezone",)),)


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


class AccountLink(Model):
    """A single-use link sent by e-mail: confirming a new address, or resetting a forgotten
    password. Only a hash of its token is kept."""

    CONFIRM_EMAIL, RESET_PASSWORD = "confirm_email", "reset_password"

    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="account_links", on_delete=fields.CASCADE
    )
    purpose = fields.CharField(max_length=16)
    token_hash = fields.CharField(max_length=64, unique=True)
    new_email = fields.CharField(max_length=254, null=True)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "account_link"


class AccountMail(Model):
    """An account e-mail asked for and not sent yet: a password reset for an address (one
    row whether or not an account uses it), or the confirmation of a member's new address.
    The request writes only this row; the e-mail pass issues the link and sends it, so no
    token is ever stored here and asking costs the same whoever asks. Held by one worker at
    a time until `lease_until`; deleted once sent or given up."""

    id = fields.UUIDField(primary_key=True)
    purpose = fields.CharField(max_length=16)
    email = fields.CharField(max_length=254)
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="account_mails", null=True, on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField()
    attempts = fields.SmallIntField(default=0)
    lease_until = fields.DatetimeField()

    class Meta:
        table = "account_mail"
        indexes = (Index(fields=("lease_until",)),)
