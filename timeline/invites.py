"""Invites: a single-use link, valid for 7 days, that lets the partner join a timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from tortoise.transactions import in_transaction

from timeline import throttle
from timeline.access import timeline_for
from timeline.errors import Conflict, NotFound
from timeline.models import Invite, Membership, Timeline, User
from timeline.secrets import digest, new_token

INVITE_LIFETIME = timedelta(days=7)
_GONE = "This invitation does not exist, was already used, or has expired."


@dataclass(frozen=True)
class IssuedInvite:
    """A fresh invite and its token, which exists only here: the database keeps its hash."""

    token: str
    expires_at: datetime


async def create_invite(user: User, timeline_id: UUID, *, now: datetime) -> IssuedInvite:
    """An invite to one of `user`'s timelines; `Conflict` when the timeline is already full."""
    timeline = await timeline_for(user, timeline_id)
    await _ensure_room(timeline)
    await throttle.count_invite(user.id, now)
    token = new_token()
    expires_at = now + INVITE_LIFETIME
    await Invite.create(
        timeline=timeline,
        invited_by=user,
        token_hash=digest(token),
        created_at=now,
        expires_at=expires_at,
    )
    return IssuedInvite(token=token, expires_at=expires_at)


async def open_invite(token: str, *, now: datetime) -> Invite:
    """An unused, unexpired invite with its timeline and inviter loaded, else `NotFound`."""
    invite = (
        await Invite.filter(token_hash=digest(token), used_at=None, expires_at__gt=now)
        .select_related("timeline", "invited_by")
        .first()
    )
    if invite is None:
        raise NotFound(_GONE)
    return invite


async def accept_invite(user: User, token: str, *, now: datetime) -> Timeline:
    """Join the invite's timeline and use the invite up.

    A member who follows their own link just gets the timeline back, and the link stays
    unused for the partner."""
    invite = await open_invite(token, now=now)
    timeline = invite.timeline
    async with in_transaction():
        # Locks the timeline row on PostgreSQL so two partners cannot both take the last seat;
        # SQLite serialises transactions anyway.
        timeline = await Timeline.filter(id=timeline.id).select_for_update().get()
        if await Membership.filter(timeline=timeline, user=user).exists():
            return timeline
        await _ensure_room(timeline)
        used = await Invite.filter(id=invite.id, used_at=None).update(used_at=now, used_by=user)
        if not used:
            raise NotFound(_GONE)
        await Membership.create(timeline=timeline, user=user, joined_at=now)
    return timeline


async def _ensure_room(timeline: Timeline) -> None:
    if await Membership.filter(timeline=timeline).count() >= timeline.max_members:
        raise Conflict("This timeline already has all its members.")
