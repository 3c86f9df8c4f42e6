"""The ORM model of throttling: the attempts it counts, a row each."""

from __future__ import annotations

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

# Tortoise copies each model docstring into a SQL table comment and splits SQL on semicolons:
# keep semicolons and apostrophes out of model docstrings.


class LoginFailure(Model):
    """One failed log-in, counted per account and per client address to throttle guessing."""

    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=300)
    failed_at = fields.DatetimeField()

    class Meta:
        table = "login_failure"
        indexes = (Index(fields=("key", "failed_at")),)
