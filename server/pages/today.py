"""What the home page shows of one timeline today: the pick and what each partner answered,
on this day, and what the partner did lately."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from litestar.datastructures import State

from server.pages.timeline_view import Card, cards_for
from timeline.core.calendar import member_today
from timeline.memories.activity import Done, partner_activity
from timeline.memories.browsing import recreations_of
from timeline.memories.writing import memory_details
from timeline.models import Connection, Memory, Suggestion, Timeline, User
from timeline.resurfacing.daily_pick import todays_pick
from timeline.resurfacing.on_this_day import on_this_day
from timeline.timelines.access import scoped
from timeline.timelines.membership import members_of

# "Lately", for what the partner did: a week back.
LATELY = timedelta(days=7)


@dataclass(frozen=True)
class YearsAgoCards:
    years: int
    cards: list[Card]


@dataclass(frozen=True)
class Pick:
    """Today's pick as the couple see it: the memory's card, why (one sentence), the
    partner's words about it, and who answered what."""

    suggestion: Suggestion
    card: Card
    why: str
    partner_notes: list[tuple[User, Connection]]
    # Who answered, by name ("You" for me), and the recreation made from it, if any.
    answered_by: str | None
    recreation: Memory | None


@dataclass(frozen=True)
class Today:
    timeline: Timeline
    members: list[User]
    partners: list[User]
    pick: Pick | None
    years_ago: list[YearsAgoCards] = field(default_factory=list)
    lately: list[Done] = field(default_factory=list)
    has_memories: bool = True

    @property
    def alone(self) -> bool:
        """No partner has joined yet."""
        return not self.partners


async def today_of(state: State, user: User, timeline: Timeline, now: datetime) -> Today:
    """The member's today on `timeline` (which has its members loaded)."""
    members = members_of(timeline)
    partners = [m for m in members if m.id != user.id]
    day = member_today(user, now)
    suggestion = await todays_pick(user, timeline.id, now=now)
    pick = await pick_shown(state, user, members, suggestion, now) if suggestion else None
    # Today's pick is already the hero: on this day shows the others.
    picked = suggestion.memory_id if suggestion else None
    years_ago = [
        YearsAgoCards(group.years, cards)
        for group in await on_this_day(timeline, day)
        if (
            cards := cards_for(
                state, [m for m in group.memories if m.id != picked], members, user, now
            )
        )
    ]
    return Today(
        timeline=timeline,
        members=members,
        partners=partners,
        pick=pick,
        years_ago=years_ago,
        lately=await partner_activity(timeline, partners, now - LATELY),
        has_memories=pick is not None
        or await scoped(Memory, user).filter(timeline_id=timeline.id, deleted_at=None).exists(),
    )


async def pick_shown(
    state: State, user: User, members: list[User], suggestion: Suggestion, now: datetime
) -> Pick:
    """The pick as a page shows it: its photo, why, the partner's note, the answer so far."""
    memory = await memory_details(user, suggestion.memory_id)
    names = {m.id: m.display_name for m in members}
    notes = [
        (m, c)
        for m in members
        for c in memory.connections
        if c.user_id == m.id and m.id != user.id and c.appreciation
    ]
    recreation = None
    if suggestion.action == Suggestion.DONE:
        made = await recreations_of(user, memory.id)
        recreation = max(made, key=lambda m: m.created_at) if made else None
    answered_by = None
    if suggestion.action:
        answered_by = "You" if suggestion.answered_by_id == user.id else None
        answered_by = answered_by or names.get(suggestion.answered_by_id, "Your partner")
    return Pick(
        suggestion=suggestion,
        card=cards_for(state, [memory], members, user, now)[0],
        why=suggestion.reasons[0] if suggestion.reasons else "",
        partner_notes=notes,
        answered_by=answered_by,
        recreation=recreation,
    )
