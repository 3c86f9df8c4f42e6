"""A letter keeps which memories it showed (their ids, space-separated; empty for rows from
before), so that no memory reaches a member twice within a week: one column with a default,
the same on SQLite and PostgreSQL."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0011_recap_share_message")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Delivery",
            name="shown",
            field=fields.TextField(default="", db_default=""),
        ),
    ]
