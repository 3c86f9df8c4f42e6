"""The ORM models of memories: the memory, its tags, photos, each partner's rating, replies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # relations name each other by string; these are for type checkers
    from timeline.accounts.models import User
    from timeline.timelines.models import Timeline

from timeline.core import calendar
from timeline.resurfacing.scoring import CEILING_MAX

# Tortoise copies each model docstring into a SQL table comment and splits SQL on semicolons:
# keep semicolons and apostrophes out of model docstrings.


class Memory(Model):
    """A moment of the timeline. Deleting moves it to the trash (deleted_at) for 30 days."""

    DAY, MONTH, YEAR = calendar.DAY, calendar.MONTH, calendar.YEAR
    PRECISIONS = calendar.PRECISIONS
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
    # The most this memory may score in the daily pick outside today's week
    # (timeline.resurfacing.scoring.ceiling), kept current as partners rate and reply; the
    # highest possible until worked out, which is never wrong, only slower.
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
            # With the id, which breaks ties, so the walk reads the index in order, unsorted.
            Index(fields=("timeline_id", "resurface_ceiling", "id")),
            # Then and now, and the pick's "recreated lately", go through a partial
            # index of the few memories that recreate another (migration 0015): an index of
            # every memory, nearly all null, reads to the planner as matching them all.
            # What a partner added lately.
            Index(fields=("timeline_id", "created_at")),
            # The daily pick learns each partner's scale from their newest ratings with
            # their memories' kinds: read from this narrow index, not from each memory's
            # row (3.4 to 0.9 ms for a thousand ratings on SQLite).
            Index(fields=("id", "kind")),
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
        indexes = (
            # Covering for the couple's usual score (the mean of every score they gave).
            Index(fields=("user_id", "score")),
            # What a partner rated lately.
            Index(fields=("user_id", "updated_at")),
        )


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
        indexes = (
            Index(fields=("memory_id", "created_at")),
            # What a partner replied lately.
            Index(fields=("author_id", "created_at")),
        )


class ShareDraft(Model):
    """Photos shared from a phone gallery, waiting to become a memory. The member is null
    while the sharer is not logged in yet: the draft is then claimed with a secret held in a
    short-lived cookie, stored here hashed. Expired drafts go with the daily cleanup."""

    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="share_drafts", null=True, on_delete=fields.CASCADE
    )
    token_hash = fields.CharField(max_length=64)
    # What the share sheet sent beside the photos (a title, words, a link), proposed in the form.
    title = fields.CharField(max_length=120, default="")
    body = fields.TextField(default="")
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()

    photos: fields.ReverseRelation[ShareDraftPhoto]

    class Meta:
        table = "share_draft"
        indexes = (Index(fields=("expires_at",)), Index(fields=("user_id", "expires_at")))


class ShareDraftPhoto(Model):
    """One shared photo of a draft: its original and a thumb live in storage under
    `storage_key`. `taken_on` is the day the camera wrote, as it wrote it (its own clock)."""

    id = fields.UUIDField(primary_key=True)
    draft: fields.ForeignKeyRelation[ShareDraft] = fields.ForeignKeyField(
        "models.ShareDraft", related_name="photos", on_delete=fields.CASCADE
    )
    storage_key = fields.CharField(max_length=100, unique=True)
    original_type = fields.CharField(max_length=32)
    width = fields.IntField()
    height = fields.IntField()
    taken_on = fields.DateField(null=True)
    placeholder = fields.CharField(max_length=7)
    position = fields.SmallIntField(default=0)

    class Meta:
        table = "share_draft_photo"
        indexes = (Index(fields=("draft_id", "position")),)
