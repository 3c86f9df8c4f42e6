"""Full-text search over a timeline's memories: ranked memory ids for a query.

The index is kept in step by database triggers (migration 0003): SQLite FTS5 with BM25 on
the default database, a weighted tsvector and ts_rank on PostgreSQL. Both match every word
of the query as a prefix, so "pic lak" finds "Picnic at the lake"."""

from __future__ import annotations

import asyncio
import re
import weakref
from uuid import UUID

from tortoise import connections

from timeline.core.sql import as_uuid

# Enough words to find any memory; each further one only adds work.
MAX_TERMS = 6
MAX_TERM = 40
# Only this much of a query is read: six words of forty letters, with room for punctuation.
MAX_QUERY = 400
# Searches running at once in this process; others wait their turn, so a member searching
# in a loop cannot crowd out everyone else's requests (on SQLite, one connection serves all).
MAX_CONCURRENT = 2
# Letters and digits: the index splits words on underscores too, so "a_s" is two words.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# One semaphore per event loop: an asyncio primitive belongs to the loop that first waits on it.
_running: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def query_terms(q: str) -> list[str]:
    """The words of a query, lower-cased, at most six of forty letters; punctuation and
    operators dropped."""
    return [w.lower()[:MAX_TERM] for w in _WORD.findall(q[:MAX_QUERY])][:MAX_TERMS]


async def ranked_ids(timeline_id: UUID, terms: list[str], limit: int) -> list[UUID]:
    """Ids of the timeline's live memories matching every term, best match first."""
    if not terms:
        return []
    running = _running.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(MAX_CONCURRENT))
    async with running:
        return await _ranked_ids(timeline_id, terms, limit)


def _pattern(term: str) -> str:
    """A term as a prefix, but a single letter as a whole word: "s*" would read the list of
    every word in the instance that starts with s, for nothing anyone looks for."""
    return f'"{term}"' if len(term) == 1 else f'"{term}"*'


async def _ranked_ids(timeline_id: UUID, terms: list[str], limit: int) -> list[UUID]:
    client = connections.get("default")
    if client.capabilities.dialect == "sqlite":
        scope = "t" + str(timeline_id).replace("-", "")
        words = " AND ".join(_pattern(t) for t in terms)
        match = f"scope:{scope} AND {{title body place tags}}: ({words})"
        rows = await client.execute_query_dict(
            "SELECT s.memory_id AS id FROM memory_search s JOIN memory m ON m.id = s.memory_id "
            "WHERE memory_search MATCH ? AND m.deleted_at IS NULL "
            # Weights per column: memory_id, scope, title, body, place, tags.
            "ORDER BY bm25(memory_search, 0, 0, 10.0, 1.0, 3.0, 5.0), m.occurred_on DESC "
            "LIMIT ?",
            [match, limit],
        )
    else:
        query = " & ".join(t if len(t) == 1 else f"{t}:*" for t in terms)
        rows = await client.execute_query_dict(
            "SELECT id FROM memory WHERE timeline_id = $1 AND deleted_at IS NULL "
            "AND search @@ to_tsquery('simple', $2) "
            "ORDER BY ts_rank(search, to_tsquery('simple', $2)) DESC, occurred_on DESC LIMIT $3",
            [timeline_id, query, limit],
        )
    return [as_uuid(row["id"]) for row in rows]
