"""The ORM models of the domain: accounts, their credentials, timelines and invites."""

from __future__ import annotations

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from timeline.resurfacing import CEILING_MAX

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
    # Whose "today" the daily pick follows: the creator's zone, so both partners share one.
    timezone = fields.CharField(max_length=64, default="UTC")
    max_members = fields.SmallIntField(default=MAX_MEMBERS)
    created_at = fields.DatetimeField()

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


class Memory(Model):
    """A moment of the timeline. Deleting moves it to the trash (deleted_at) for 30 days."""

    DAY, MONTH, YEAR = "day", "month", "year"
    PRECISIONS = (DAY, MONTH, YEAR)
    KINDS = ("date", "trip", "ritual", "everyday", "milestone", "first", "other")

    id = fields.UUIDField(primary_key=True)
    timeline: fields.ForeignKeyRelation[Timeline] = fields.ForeignKeyField(
        "models.Timeline", related_name="memories", on_delete=fields.CASCADE
    )
    author: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="memories", null=True, on_delete=fields.SET_NULL
    )
    title = fields.CharField(max_length=120)
    body = fields.TextField(default="")
    occurred_on = fields.DateField()
    date_precision = fields.CharField(max_length=5, default=DAY)
    # Stored, not computed per row: the year index groups by it, "on this day" looks up
    # month_day (month * 100 + day, null unless the day is known).
    year = fields.SmallIntField()
    month_day = fields.SmallIntField(null=True)
    place = fields.CharField(max_length=200, default="")
    kind = fields.CharField(max_length=16, default="everyday")
    recreates: fields.ForeignKeyNullableRelation[Memory] = fields.ForeignKeyField(
        "models.Memory", related_name="recreated_by", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    deleted_at = fields.DatetimeField(null=True)
    # "Never show this" from either partner: never resurfaced again, for both.
    never_resurface = fields.BooleanField(default=False)
    # The most this memory may score in the daily pick outside today's week (resurfacing.
    # ceiling), kept current as partners rate and reply; the highest possible until worked
    # out, which is never wrong, only slower.
    resurface_ceiling = fields.FloatField(default=CEILING_MAX)

    tags: fields.ReverseRelation[MemoryTag]
    photos: fields.ReverseRelation[Photo]
    connections: fields.ReverseRelation[Connection]
    replies: fields.ReverseRelation[Reply]

    class Meta:
        table = "memory"
        indexes = (
            Index(fields=("timeline_id", "occurred_on", "id")),
            # Covering for the year index, which counts live memories per year.
            Index(fields=("timeline_id", "deleted_at", "year")),
            Index(fields=("timeline_id", "month_day")),
            # The daily pick walks a timeline's memories from the highest ceiling down.
            Index(fields=("timeline_id", "resurface_ceiling")),
            # Then and now, and the pick's "recreated in the last year".
            Index(fields=("recreates_id",)),
        )


class MemoryTag(Model):
    """One tag on one memory, lower-cased, so tags can be filtered with an index."""

    id = fields.BigIntField(primary_key=True)
    memory: fields.ForeignKeyRelation[Memory] = fields.ForeignKeyField(
        "models.Memory", related_name="tags", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=40)

    class Meta:
        table = "memory_tag"
        unique_together = (("memory", "name"),)
        indexes = (Index(fields=("name", "memory_id")),)


class Photo(Model):
    """A photo of a memory. Its objects live in storage under `storage_key` (original and
    variants). The same bytes are stored once per timeline (sha256)."""

    id = fields.UUIDField(primary_key=True)
    memory: fields.ForeignKeyRelation[Memory] = fields.ForeignKeyField(
        "models.Memory", related_name="photos", on_delete=fields.CASCADE
    )
    timeline: fields.ForeignKeyRelation[Timeline] = fields.ForeignKeyField(
        "models.Timeline", related_name="photos", on_delete=fields.CASCADE
    )
    storage_key = fields.CharField(max_length=100, unique=True)
    original_type = fields.CharField(max_length=32)
    sha256 = fields.CharField(max_length=64)
    width = fields.IntField()
    height = fields.IntField()
    taken_at = fields.DatetimeField(null=True)
    placeholder = fields.CharField(max_length=7)
    position = fields.SmallIntField(default=0)
    caption = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "photo"
        unique_together = (("timeline", "sha256"),)
        indexes = (Index(fields=("memory_id", "position")),)


class Connection(Model):
    """How connected one partner felt in a memory (1 to 5) and what they appreciated."""

    id = fields.UUIDField(primary_key=True)
    memory: fields.ForeignKeyRelation[Memory] = fields.ForeignKeyField(
        "models.Memory", related_name="connections", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="connections", on_delete=fields.CASCADE
    )
    score = fields.SmallIntField()
    appreciation = fields.TextField(default="")
    updated_at = fields.DatetimeField()

    class Meta:
        table = "connection"
        unique_together = (("memory", "user"),)
        # Covering for the couple's usual score (the mean of every score they gave).
        indexes = (Index(fields=("user_id", "score")),)


class Reply(Model):
    """A partner answering a memory."""

    id = fields.UUIDField(primary_key=True)
    memory: fields.ForeignKeyRelation[Memory] = fields.ForeignKeyField(
        "models.Memory", related_name="replies", on_delete=fields.CASCADE
    )
    author: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="replies", null=True, on_delete=fields.SET_NULL
    )
    text = fields.TextField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "reply"
        indexes = (Index(fields=("memory_id", "created_at")),)


class Suggestion(Model):
    """The daily "Remember when..." pick of a timeline for one local day, and what the
    couple answered. Unique per timeline and day, so both partners see the same one."""

    RECREATE, SNOOZE, NEVER, DONE = "recreate", "snooze", "never", "done"
    ACTIONS = (RECREATE, SNOOZE, NEVER, DONE)

    id = fields.UUIDField(primary_key=True)
    timeline: fields.ForeignKeyRelation[Timeline] = fields.ForeignKeyField(
        "models.Timeline", related_name="suggestions", on_delete=fields.CASCADE
    )
    local_date = fields.DateField()
    memory: fields.ForeignKeyRelation[Memory] = fields.ForeignKeyField(
        "models.Memory", related_name="suggestions", on_delete=fields.CASCADE
    )
    score = fields.FloatField()
    reasons = fields.JSONField()
    prompt = fields.TextField()
    action = fields.CharField(max_length=16, null=True)
    snoozed_until = fields.DateField(null=True)
    planned_on = fields.DateField(null=True)
    answered_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="answers", null=True, on_delete=fields.SET_NULL
    )
    answered_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "suggestion"
        unique_together = (("timeline", "local_date"),)
        indexes = (Index(fields=("memory_id", "local_date")),)


class QuietRule(Model):
    """What a couple asked never to be brought back: a tag, a span of dates (a hard year),
    or a yearly quiet period (only the month and day of its ends count)."""

    id = fields.UUIDField(primary_key=True)
    timeline: fields.ForeignKeyRelation[Timeline] = fields.ForeignKeyField(
        "models.Timeline", related_name="quiet_rules", on_delete=fields.CASCADE
    )
    tag = fields.CharField(max_length=40, null=True)
    starts_on = fields.DateField(null=True)
    ends_on = fields.DateField(null=True)
    yearly = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()

    class Meta:
        table = "quiet_rule"


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

    class Meta:
        table = "delivery"
        unique_together = (("user", "kind", "local_date"),)
        indexes = (Index(fields=("status", "lease_until")),)


class RecapShare(Model):
    """A link that shows one relationship year of a timeline to whoever holds it, read-only.
    Only a hash of its token is kept. Expired or revoked links show nothing."""

    id = fields.UUIDField(primary_key=True)
    timeline: fields.ForeignKeyRelation[Timeline] = fields.ForeignKeyField(
        "models.Timeline", related_name="recap_shares", on_delete=fields.CASCADE
    )
    year = fields.SmallIntField()
    token_hash = fields.CharField(max_length=64, unique=True)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="recap_shares", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "recap_share"
        indexes = (Index(fields=("timeline_id", "year")),)


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
