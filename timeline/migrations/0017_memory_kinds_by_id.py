"""A narrow index of each memory's kind by id: the daily pick learns each partner's scale
and the usual score of each kind of moment from their newest ratings with their memories'
kinds, which it read from every memory's row."""

from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0016_ceilings_like_the_score")]

    initial = False

    operations = [
        ops.AddIndex(
            model_name="Memory",
            index=Index(fields=["id", "kind"]),
        ),
    ]
