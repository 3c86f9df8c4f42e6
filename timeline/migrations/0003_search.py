"""Full-text search over title, story, place and tags, kept in step by database triggers:
an FTS5 table on SQLite, a weighted tsvector column with a GIN index on PostgreSQL."""

from tortoise import migrations
from tortoise.migrations import operations as ops

SQLITE = """
CREATE VIRTUAL TABLE memory_search USING fts5(
    memory_id UNINDEXED, scope, title, body, place, tags,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER memory_search_insert AFTER INSERT ON memory BEGIN
    INSERT INTO memory_search (memory_id, scope, title, body, place, tags)
    VALUES (new.id,
            't' || replace(new.timeline_id, '-', '') || ' m' || replace(new.id, '-', ''),
            new.title, new.body, new.place, '');
END;
CREATE TRIGGER memory_search_update AFTER UPDATE OF title, body, place ON memory BEGIN
    UPDATE memory_search SET title = new.title, body = new.body, place = new.place
    WHERE memory_search MATCH ('scope:m' || replace(new.id, '-', ''));
END;
CREATE TRIGGER memory_search_delete AFTER DELETE ON memory BEGIN
    DELETE FROM memory_search WHERE memory_search MATCH ('scope:m' || replace(old.id, '-', ''));
END;
CREATE TRIGGER memory_tag_search_insert AFTER INSERT ON memory_tag BEGIN
    UPDATE memory_search
    SET tags = (SELECT group_concat(name, ' ') FROM memory_tag WHERE memory_id = new.memory_id)
    WHERE memory_search MATCH ('scope:m' || replace(new.memory_id, '-', ''));
END;
CREATE TRIGGER memory_tag_search_delete AFTER DELETE ON memory_tag BEGIN
    UPDATE memory_search
    SET tags = coalesce(
        (SELECT group_concat(name, ' ') FROM memory_tag WHERE memory_id = old.memory_id), '')
    WHERE memory_search MATCH ('scope:m' || replace(old.memory_id, '-', ''));
END;
"""

POSTGRES = """
ALTER TABLE memory ADD COLUMN search tsvector;
CREATE INDEX memory_search_idx ON memory USING GIN (search);
-- The parser reads "<word>" as an HTML tag and skips it: stories are plain text, so angle
-- brackets become spaces first.
CREATE FUNCTION memory_search_text(value text) RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
    SELECT to_tsvector('simple', translate(coalesce(value, ''), '<>', '  '))
$$;
CREATE FUNCTION memory_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search :=
        setweight(memory_search_text(NEW.title), 'A') ||
        setweight(memory_search_text(
            (SELECT string_agg(name, ' ') FROM memory_tag WHERE memory_id = NEW.id)), 'B') ||
        setweight(memory_search_text(NEW.place), 'B') ||
        setweight(memory_search_text(NEW.body), 'C');
    RETURN NEW;
END $$;
CREATE TRIGGER memory_search_vector BEFORE INSERT OR UPDATE OF title, body, place ON memory
    FOR EACH ROW EXECUTE FUNCTION memory_search_vector();
CREATE FUNCTION memory_tag_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Setting title to itself runs memory_search_vector, which reads the tags again.
    UPDATE memory SET title = title WHERE id = coalesce(NEW.memory_id, OLD.memory_id);
    RETURN NULL;
END $$;
CREATE TRIGGER memory_tag_touch AFTER INSERT OR DELETE ON memory_tag
    FOR EACH ROW EXECUTE FUNCTION memory_tag_touch();
"""


async def create_search(apps, schema_editor):
    client = schema_editor.client
    script = SQLITE if client.capabilities.dialect == "sqlite" else POSTGRES
    await client.execute_script(script)


class Migration(migrations.Migration):
    dependencies = [("models", "0002_memories_photos")]

    initial = False

    operations = [
        ops.RunPython(create_search),
    ]
