"""A share link keeps the line the couple wrote to whoever opens it (empty when they wrote
none): one column with a default, the same on SQLite and PostgreSQL."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0010_search_prefixes")]

    initial = False

    operations = [
        ops.AddField(
            model_name="RecapShare",
            name="message",
            field=fields.CharField(default="", db_default="", max_length=200),
        ),
    ]
