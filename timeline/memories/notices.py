"""What a partner's writing tells the other partner's browsers: who did what to which memory,
in words, naming the memory by its title and never by more."""

from __future__ import annotations

from datetime import datetime

from timeline.models import Memory, User
from timeline.push.outbox import (
    PARTNER_FEELING,
    PARTNER_MEMORY,
    PARTNER_REPLY,
    Notice,
    memory_topic,
    tell_partners,
)


async def announce_memory(actor: User, memory: Memory, *, now: datetime) -> None:
    await _announce(actor, memory, PARTNER_MEMORY, "added", "Open it to see it together.", now)


async def announce_feeling(
    actor: User, memory: Memory, appreciation: str, *, now: datetime
) -> None:
    said = "wrote what they loved about" if appreciation else "shared how close they felt to"
    await _announce(actor, memory, PARTNER_FEELING, said, "Open it to read it.", now)


async def announce_reply(actor: User, memory: Memory, *, now: datetime) -> None:
    await _announce(actor, memory, PARTNER_REPLY, "replied to", "Open it to read and answer.", now)


async def _announce(
    actor: User, memory: Memory, kind: str, did: str, body: str, now: datetime
) -> None:
    notice = Notice(
        kind=kind,
        title=f"{actor.display_name} {did} “{memory.title}”",
        body=body,
        url=f"/m/{memory.id}",
        topic=memory_topic(kind, memory.id),
    )
    await tell_partners(actor, memory.timeline_id, notice, now=now)
