"""Search on SQLite: the FTS5 table gains prefix indexes of two and three characters, so a
short word typed as a prefix ("pi", "lak") reads one precomputed list instead of merging
every word of the instance that starts so. PostgreSQL is unchanged."""

import importlib

from tortoise import migrations
from tortoise.migrations import operations as ops

_search = importlib.import_module("timeline.migrations.0003_search")

REBUILD = (
    """
DROP TRIGGER memory_search_insert;
DROP TRIGGER memory_search_update;
DROP TRIGGER memory_search_delete;
DROP TRIGGER memory_tag_search_insert;
DROP TRIGGER memory_tag_search_delete;
DROP TABLE memory_search;
"""
    + _search.SQLITE.replace(
        "tokenize = 'unicode61 remove_diacritics 2'",
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'",
    )
    + """
INSERT INTO memory_search (memory_id, scope, title, body, place, tags)
SELECT id, 't' || replace(timeline_id, '-', '') || ' m' || replace(id, '-', ''),
       title, body, place,
       coalesce((SELECT group_concat(name, ' ') FROM memory_tag WHERE memory_id = memory.id), '')
FROM memory;
"""
)


async def add_prefix_indexes(apps, schema_editor):
    client = schema_editor.client
    if client.capabilities.dialect == "sqlite":
        await client.execute_script(REBUILD)


class Migration(migrations.Migration):
    dependencies = [("models", "0009_account_mail")]

    initial = False

    operations = [
        ops.RunPython(add_prefix_indexes),
    ]
