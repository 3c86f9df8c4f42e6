"""The read path: a timeline's revision, counted by triggers on everything a couple sees of
it, so what is worked out from a whole timeline can be kept while it does not change;
indexes for what a partner did lately (ratings, replies, memories added); the daily pick's
walk down the ceilings in index order (ties broken by id, in the index too); and the index of
recreations made partial. Nearly every memory recreates none: to the planner (SQLite's
ANALYZE counts nulls as one value) the full index matched the whole table, and a memory's
page scanned every memory to find its recreations."""

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

# Tables with a timeline_id of their own, and tables reached through their memory.
OWN = ("memory", "photo", "milestone", "quiet_rule", "membership", "suggestion")
THROUGH_MEMORY = ("memory_tag", "connection", "reply")

BUMP = "UPDATE timeline SET revision = revision + 1 WHERE id = {}"
OF_MEMORY = "(SELECT timeline_id FROM memory WHERE id = {}.memory_id)"


def _sqlite() -> str:
    script = []
    for table in OWN + THROUGH_MEMORY:
        timeline = "{}.timeline_id" if table in OWN else OF_MEMORY
        for event, rows in (("INSERT", ("new",)), ("DELETE", ("old",)), ("UPDATE", ("old", "new"))):
            # An update may move a row to another timeline (a partner leaving with their
            # memories): both timelines change.
            bumps = "".join(f"    {BUMP.format(timeline.format(row))};\n" for row in rows)
            script.append(
                f"CREATE TRIGGER {table}_revision_{event.lower()} AFTER {event} ON {table}\n"
                f"BEGIN\n{bumps}END;\n"
            )
    return "".join(script)


# PostgreSQL keeps every version of a row a transaction updates until it ends: bumping the
# same timeline once per row of an import of 20,000 memories made a chain of versions each
# update walked, 4.8 s where 2,000 took 0.09 s. A timeline is bumped once per transaction:
# readers see the change when it commits, and not before.
ONCE_PER_TRANSACTION = (
    "UPDATE timeline SET revision = revision + 1, revised_in = txid_current() "
    "WHERE id = {} AND revised_in IS DISTINCT FROM txid_current()"
)


def _postgres() -> str:
    script = ["ALTER TABLE timeline ADD COLUMN revised_in BIGINT;\n"]
    for kind, tables in (("own", OWN), ("through_memory", THROUGH_MEMORY)):
        timeline = "{}.timeline_id" if kind == "own" else OF_MEMORY
        script.append(
            f"CREATE FUNCTION timeline_revision_{kind}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            f"    IF TG_OP <> 'INSERT' THEN {ONCE_PER_TRANSACTION.format(timeline.format('OLD'))};"
            " END IF;\n"
            f"    IF TG_OP <> 'DELETE' THEN {ONCE_PER_TRANSACTION.format(timeline.format('NEW'))};"
            " END IF;\n"
            "    RETURN NULL;\n"
            "END $$;\n"
        )
        for table in tables:
            script.append(
                f"CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE ON {table}\n"
                f"    FOR EACH ROW EXECUTE FUNCTION timeline_revision_{kind}();\n"
            )
    return "".join(script)


RECREATIONS = (
    "CREATE INDEX memory_recreations ON memory (recreates_id) WHERE recreates_id IS NOT NULL;\n"
)


async def count_revisions(apps, schema_editor):
    client = schema_editor.client
    script = _sqlite() if client.capabilities.dialect == "sqlite" else _postgres()
    await client.execute_script(script + RECREATIONS)


class Migration(migrations.Migration):
    dependencies = [("models", "0014_share_drafts")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Timeline",
            name="revision",
            field=fields.BigIntField(default=0),
        ),
        ops.AddIndex(
            model_name="Connection",
            index=Index(fields=["user_id", "updated_at"]),
        ),
        ops.AddIndex(
            model_name="Memory",
            index=Index(fields=["timeline_id", "created_at"]),
        ),
        ops.RemoveIndex(
            model_name="Memory",
            fields=["recreates_id"],
        ),
        ops.RemoveIndex(
            model_name="Memory",
            fields=["timeline_id", "resurface_ceiling"],
        ),
        ops.AddIndex(
            model_name="Memory",
            index=Index(fields=["timeline_id", "resurface_ceiling", "id"]),
        ),
        ops.AddIndex(
            model_name="Reply",
            index=Index(fields=["author_id", "created_at"]),
        ),
        ops.RunPython(count_revisions),
    ]
