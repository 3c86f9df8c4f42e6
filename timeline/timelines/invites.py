"""Invites: a single-use link, valid for 7 days, that lets the partner join a timeline.

Members see the invites still waiting and can end them. Someone joining ends every other
invite of the timeline: an invite is for the partner who has not joined yet, so once they
have, no older link may bring a stranger in later (after a partner left, say)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from timeline.core import throttle
from timeline.core.errors import Conflict, NotFound
from timeline.core.secrets import digest, new_token
from timeline.models import Invite, Timeline, User
from timeline.timelines.access import (
    add_member,
    is_member,
    member_count,
    member_timelines,
    timeline_for,
)
from timeline.timelines.membership import name_with_partner

INVITE_LIFETIME = timedelta(days=7)
# Waiting invites per timeline: one partner needs one link, and the list members see stays short.
MAX_PENDING_INVITES = 10
_GONE = "This invitation does not exist, was already used, or has expired."


@dataclass(frozen=True)
class IssuedInvite:
    """A fresh invite and its token, which exists only here: the database keeps its hash."""

    token: str
    invite: Invite


async def create_invite(user: User, timeline_id: UUID, *, now: datetime) -> IssuedInvite:
    """An invite to one of `user`'s timelines; `Conflict` when the timeline is already full or
    has `MAX_PENDING_INVITES` waiting."""
    timeline = await timeline_for(user, timeline_id)
    await _ensure_room(timeline)  # before counting: an invite refused is not an attempt
    await throttle.count_invite(user.id, now)
    token = new_token()
    async with in_transaction():
        # The lock `accept_invite` takes: an invite made while a partner joins is made either
        # before (and ended by the join) or after (and refused, the timeline being full).
        timeline = await Timeline.filter(id=timeline.id).select_for_update().get()
        await _ensure_room(timeline)
        if await _pending(now).filter(timeline=timeline).count() >= MAX_PENDING_INVITES:
            raise Conflict(
                f"{MAX_PENDING_INVITES} invitations are waiting already. End one to make another."
            )
        invite = await Invite.create(
            timeline=timeline,
            invited_by=user,
            token_hash=digest(token),
            created_at=now,
            expires_at=now + INVITE_LIFETIME,
        )
    return IssuedInvite(token=token, invite=invite)


async def pending_invites(timeline: Timeline, *, now: datetime) -> list[Invite]:
    """The invites of a timeline already scoped to its member that can still be accepted,
    newest first."""
    return await _pending(now).filter(timeline=timeline).order_by("-created_at", "-id")


async def revoke_invite(user: User, invite_id: UUID, *, now: datetime) -> None:
    """End a waiting invite of one of `user`'s timelines; `NotFound` for any other (used,
    expired, ended, unknown, or another couple's)."""
    ended = await (
        _pending(now)
        .filter(id=invite_id, timeline_id__in=Subquery(member_timelines(user).values("id")))
        .delete()
    )
    if not ended:
        raise NotFound("No such invitation.")


async def open_invite(token: str, *, now: datetime) -> Invite:
    """An unused, unexpired invite with its timeline and inviter loaded, else `NotFound`."""
    invite = (
        await _pending(now)
        .filter(token_hash=digest(token))
        .select_related("timeline", "invited_by")
        .first()
    )
    if invite is None:
        raise NotFound(_GONE)
    return invite


async def accept_invite(user: User, token: str, *, now: datetime) -> Timeline:
    """Join the invite's timeline, use the invite up and end the timeline's other invites.

    A member who follows their own link just gets the timeline back, and the link stays
    unused for the partner."""
    invite = await open_invite(token, now=now)
    timeline = invite.timeline
    async with in_transaction():
        # Locks the timeline row on PostgreSQL so two partners cannot both take the last seat;
        # SQLite serialises transactions anyway.
        timeline = await Timeline.filter(id=timeline.id).select_for_update().get()
        if await is_member(timeline, user):
            return timeline
        await _ensure_room(timeline)
        # Conditional, so of two accepts of one invite only the first uses it.
        used = await Invite.filter(id=invite.id, used_at=None).update(used_at=now, used_by=user)
        if not used:
            raise NotFound(_GONE)
        await Invite.filter(timeline=timeline, used_at=None).delete()
        await add_member(timeline, user, joined_at=now)
        if (named := name_with_partner(timeline.name, user)) is not None:
            timeline.name = named
            await timeline.save(update_fields=["name"])
    return timeline


async def joined_through(user: User, token: str) -> Timeline | None:
    """The timeline of an invite already used, when `user` is one of its members (so the
    partner who opens their link again is told they are in); None for anyone else, who must
    not learn whether the link ever existed."""
    invite = await Invite.filter(token_hash=digest(token)).select_related("timeline").first()
    if invite is None or not await is_member(invite.timeline, user):
        return None
    return invite.timeline


def _pending(now: datetime) -> QuerySet[Invite]:
    return Invite.filter(used_at=None, expires_at__gt=now)


async def _ensure_room(timeline: Timeline) -> None:
    if await member_count(timeline) >= timeline.max_members:
        raise Conflict("This timeline already has all its members.")


def invite_matches(invite: Invite, token: str) -> bool:
    """Whether `token` is the one this invite was made with (only its digest is kept)."""
    return hmac.compare_digest(invite.token_hash, digest(token))
