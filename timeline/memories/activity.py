"""What a partner did lately on a shared timeline: ratings, replies, memories added."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from tortoise.expressions import Subquery

from timeline.models import Connection, Memory, Reply, User
from timeline.timelines.access import scoped

# How many things one partner did are shown at most: the newest.
MOST = 6


@dataclass(frozen=True)
class Done:
    """One thing a partner did: rated (with their score and words) or replied to a memory,
    or added memories (the newest first)."""

    kind: str  # "rated", "replied" or "added"
    who: User
    at: datetime
    memories: list[Memory] = field(default_factory=list)
    score: int | None = None
    words: str = ""

    @property
    def memory(self) -> Memory:
        return self.memories[0]


async def partner_activity(
    user: User, timeline_id: UUID, partners: list[User], since: datetime
) -> list[Done]:
    """What `partners` did on `user`'s timeline since `since`, newest first: each rating and
    reply on a live memory, and the memories each added, counted as one."""
    if not partners:
        return []
    by_id = {p.id: p for p in partners}
    live = scoped(Memory, user).filter(timeline_id=timeline_id, deleted_at=None)
    ids = Subquery(live.values("id"))
    ratings = await (
        Connection.filter(memory_id__in=ids, user_id__in=list(by_id), updated_at__gte=since)
        .order_by("-updated_at")
        .limit(MOST)
        .prefetch_related("memory")
    )
    replies = await (
        Reply.filter(memory_id__in=ids, author_id__in=list(by_id), created_at__gte=since)
        .order_by("-created_at")
        .limit(MOST)
        .prefetch_related("memory")
    )
    added = await (
        live.filter(author_id__in=list(by_id), created_at__gte=since)
        .order_by("-created_at")
        .limit(50)
    )
    done = [
        Done("rated", by_id[c.user_id], c.updated_at, [c.memory], c.score, c.appreciation)
        for c in ratings
    ] + [
        Done("replied", by_id[r.author_id], r.created_at, [r.memory], words=r.text) for r in replies
    ]
    for partner in partners:
        theirs = [m for m in added if m.author_id == partner.id]
        if theirs:
            done.append(Done("added", partner, theirs[0].created_at, theirs))
    return sorted(done, key=lambda d: d.at, reverse=True)[:MOST]
