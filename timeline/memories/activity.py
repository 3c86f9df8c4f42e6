"""What a partner did lately on a shared timeline: ratings, replies, memories added."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from timeline.models import Connection, Memory, Reply, Timeline, User

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


async def partner_activity(timeline: Timeline, partners: list[User], since: datetime) -> list[Done]:
    """What `partners` did on `timeline` since `since`, newest first: each rating and reply
    on a live memory, and the memories each added, counted as one. `timeline` comes from
    `timeline_for` or `timelines_of`, which checked the caller belongs to it. Each query
    starts from the partners' newest rows (an index each) and joins their memory, rather
    than listing the whole timeline's memories first."""
    if not partners:
        return []
    by_id = {p.id: p for p in partners}
    live = {"memory__timeline_id": timeline.id, "memory__deleted_at": None}
    ratings = await (
        Connection.filter(**live, user_id__in=list(by_id), updated_at__gte=since)
        .order_by("-updated_at")
        .limit(MOST)
        .prefetch_related("memory")
    )
    replies = await (
        Reply.filter(**live, author_id__in=list(by_id), created_at__gte=since)
        .order_by("-created_at")
        .limit(MOST)
        .prefetch_related("memory")
    )
    added = await (
        Memory.filter(timeline_id=timeline.id, deleted_at=None)
        .filter(author_id__in=list(by_id), created_at__gte=since)
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
