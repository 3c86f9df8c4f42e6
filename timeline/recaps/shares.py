"""Share links: a member lets family see one year's recap, read-only, through a random token
that only its holder knows (the database keeps its hash). Links may expire, and members
revoke them; an expired or revoked link shows nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from tortoise.expressions import Q

from timeline.core.calendar import member_today
from timeline.core.errors import InvalidInput, NotFound
from timeline.core.secrets import digest, new_token
from timeline.models import RecapShare, Timeline, User
from timeline.recaps.recap import year_for
from timeline.timelines.access import require, timeline_for

MAX_DAYS = 365
_GONE = "This link does not exist, was revoked, or has expired."


@dataclass(frozen=True)
class IssuedShare:
    """A new link and its token, which exists only here: the database keeps its hash."""

    token: str
    share: RecapShare


async def create_share(
    user: User, timeline_id: UUID, year: int, expires_in_days: int | None, *, now: datetime
) -> IssuedShare:
    """A link to year `year` of one of `user`'s timelines, valid for `expires_in_days` (1 to
    365) or until revoked."""
    timeline = await timeline_for(user, timeline_id)
    # The member shares a year of the recap they see, which is dated by their own day.
    year_for(timeline, year, member_today(user, now))
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_DAYS:
        raise InvalidInput(
            f"A link can last from 1 to {MAX_DAYS} days, or until you revoke it.",
            field="expires_in_days",
        )
    token = new_token()
    share = await RecapShare.create(
        timeline=timeline,
        year=year,
        token_hash=digest(token),
        created_by=user,
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    return IssuedShare(token, share)


def _active(now: datetime) -> Q:
    return Q(revoked_at=None) & (Q(expires_at=None) | Q(expires_at__gt=now))


async def active_shares(timeline: Timeline, year: int, *, now: datetime) -> list[RecapShare]:
    """The links to this year of a timeline already scoped to its member that still work,
    newest first, with who made them."""
    return (
        await RecapShare.filter(_active(now), timeline=timeline, year=year)
        .select_related("created_by")
        .order_by("-created_at")
    )


async def revoke_share(user: User, share_id: UUID, *, now: datetime) -> RecapShare:
    """End one link to a recap of `user`'s timelines."""
    share = await require(RecapShare, user, share_id)
    if share.revoked_at is None:
        share.revoked_at = now
        await share.save(update_fields=["revoked_at"])
    return share


async def revoke_shares(user: User, timeline_id: UUID, year: int, *, now: datetime) -> int:
    """End every link to this year; how many were still working."""
    timeline = await timeline_for(user, timeline_id)
    return await RecapShare.filter(_active(now), timeline=timeline, year=year).update(
        revoked_at=now
    )


async def open_share(token: str, *, now: datetime) -> RecapShare:
    """The working link with this token, its timeline loaded, else `NotFound`."""
    share = (
        await RecapShare.filter(_active(now), token_hash=digest(token))
        .select_related("timeline")
        .first()
    )
    if share is None:
        raise NotFound(_GONE)
    return share
