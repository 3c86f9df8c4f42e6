"""The memories a couple asked never to bring back ("Not this one"), and undoing that."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from timeline.models import Memory, Suggestion, User
from timeline.resurfacing.daily_pick import answer
from timeline.timelines.access import memory_for, scoped, timeline_for

# A pick whose answer a "not this one" from a letter may replace, so the never-shown list
# says who asked: none yet, "not now", or "never" (asked again after it was brought back).
# A plan or a recreation stays as it was.
_REPLACEABLE = (None, Suggestion.SNOOZE, Suggestion.NEVER)


@dataclass(frozen=True)
class Vetoed:
    """A memory kept from coming back (its photos loaded), and who asked, when, if a daily
    pick's answer says so (a veto brought in by an import has no answer behind it)."""

    memory: Memory
    asked_by: User | None
    asked_at: datetime | None


async def vetoed_in(user: User, timeline_id: UUID) -> list[Vetoed]:
    """The memories of `user`'s timeline, not in the trash, that either partner asked never
    to bring back: the most recently asked first; `NotFound` for a timeline not theirs."""
    timeline = await timeline_for(user, timeline_id)
    memories = await Memory.filter(
        timeline=timeline, never_resurface=True, deleted_at=None
    ).prefetch_related("photos")
    answers = (
        await Suggestion.filter(
            timeline=timeline,
            memory_id__in=[m.id for m in memories],
            action=Suggestion.NEVER,
        )
        .select_related("answered_by")
        .order_by("answered_at")
    )
    # The latest answer of each memory wins: the one that vetoed it.
    last = {answer.memory_id: answer for answer in answers}
    found = [
        Vetoed(
            memory=m,
            asked_by=last[m.id].answered_by if m.id in last else None,
            asked_at=last[m.id].answered_at if m.id in last else None,
        )
        for m in memories
    ]
    return sorted(
        found,
        key=lambda v: (v.asked_at.timestamp() if v.asked_at else 0.0, v.memory.occurred_on),
        reverse=True,
    )


async def bring_back(user: User, memory_id: UUID) -> Memory:
    """Undo "never show this": the memory may be picked, and shown on this day, again."""
    memory = await memory_for(user, memory_id)
    if memory.never_resurface:
        await Memory.filter(id=memory.id).update(never_resurface=False)
    return await memory_for(user, memory_id)


async def never_again(user: User, memory_id: UUID, *, now: datetime) -> Memory:
    """ "Not this one" from a letter: the memory is never picked, nor shown on this day or in
    a letter again, for both partners, until one of them brings it back. When it was picked
    once and that pick was not planned or recreated, the pick says "never", by `user`, as
    the home page's answer does (the never-shown list reads who asked from there);
    `NotFound` for a memory of a timeline `user` is not (or no longer) a member of."""
    memory = await memory_for(user, memory_id)
    last_pick = await (
        scoped(Suggestion, user).filter(memory_id=memory.id).order_by("-local_date").first()
    )
    if last_pick is not None and last_pick.action in _REPLACEABLE:
        await answer(user, last_pick.id, Suggestion.NEVER, now=now)
    else:
        await Memory.filter(id=memory.id).update(never_resurface=True)
    return await memory_for(user, memory_id)
