"""The ORM models of resurfacing: the daily pick and the couple's answer, quiet rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # relations name each other by string; these are for type checkers
    from timeline.accounts.models import User
    from timeline.memories.models import Memory
    from timeline.timelines.models import Timeline

# Tortoise copies each model docstring into a SQL table comment and splits SQL on semicolons:
# keep semicolons and apostrophes out of model docstrings.


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
