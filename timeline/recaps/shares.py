"""Share links: a member lets family see one year's recap, read-only, through a token that
only its holders know. The database keeps the token's hash; the token itself is a keyed
hash of the link's id with the instance's secret key, so the couple can copy a working link
again from their recap page without it ever being stored. Links may expire, and members
revoke them; an expired or revoked link shows nothing.

Only a year with a story can be shared: not one before the couple's first memory, nor one
still being written (fewer than THIN memories). A link may carry one line from the couple
to whoever opens it."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from tortoise.expressions import Q

from timeline.core.calendar import member_today
from timeline.core.errors import Conflict, InvalidInput, NotFound
from timeline.core.secrets import digest
from timeline.core.text import check_one_line
from timeline.models import Memory, RecapShare, Timeline, User
from timeline.recaps.recap import THIN, first_year, year_for
from timeline.timelines.access import require, timeline_for

MAX_DAYS = 365
# One line from the couple to the family; the column holds 200 characters.
MAX_MESSAGE = 160
_GONE = "This link does not exist, was revoked, or has expired."


@dataclass(frozen=True)
class IssuedShare:
    """A new link and its token, which exists only here: the database keeps its hash."""

    token: str
    share: RecapShare


def check_message(text: str) -> str:
    """The couple's line to the family, trimmed: optional, one line, at most MAX_MESSAGE
    characters."""
    text = check_one_line(text.strip(), field="message", label="The message")
    if len(text) > MAX_MESSAGE:
        raise InvalidInput(
            f"Keep the message to one short line ({MAX_MESSAGE} characters at most).",
            field="message",
        )
    return text


def link_token(share: RecapShare, key: bytes) -> str | None:
    """The token of a link, made again from its id and `key`; None for a link made another
    way (before tokens were keyed, or under another key): its token was shown only once."""
    token = _keyed_token(share.id, key)
    return token if hmac.compare_digest(digest(token), share.token_hash) else None


def _keyed_token(share_id: UUID, key: bytes) -> str:
    mac = hmac.new(key, b"recap-share:" + share_id.bytes, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


async def create_share(
    user: User,
    timeline_id: UUID,
    year: int,
    expires_in_days: int | None,
    *,
    key: bytes,
    message: str = "",
    now: datetime,
) -> IssuedShare:
    """A link to year `year` of one of `user`'s timelines, valid for `expires_in_days` (1 to
    365) or until revoked, opening with `message`. `Conflict` for a year that has no story
    to share yet."""
    timeline = await timeline_for(user, timeline_id)
    # The member shares a year of the recap they see, which is dated by their own day.
    relationship_year = year_for(timeline, year, member_today(user, now))
    first = await first_year(timeline)
    if first is None:
        raise Conflict("Your timeline has no memories yet: there is nothing to share.")
    if year < first:
        raise Conflict(f"Year {year} came before your first memory: there is nothing to share.")
    held = await Memory.filter(
        timeline=timeline,
        deleted_at=None,
        occurred_on__gte=relationship_year.starts_on,
        occurred_on__lte=relationship_year.ends_on,
    ).count()
    if held < THIN:
        raise Conflict(
            f"Year {year} is still being written: you can share it once it holds "
            f"at least {THIN} memories."
        )
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_DAYS:
        raise InvalidInput(
            f"A link can last from 1 to {MAX_DAYS} days, or until you revoke it.",
            field="expires_in_days",
        )
    message = check_message(message)
    share_id = uuid4()
    token = _keyed_token(share_id, key)
    share = await RecapShare.create(
        id=share_id,
        timeline=timeline,
        year=year,
        token_hash=digest(token),
        message=message,
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
