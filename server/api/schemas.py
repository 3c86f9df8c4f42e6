"""The shapes the API reads and writes, and how domain objects become them."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import msgspec

from timeline.models import Timeline, User
from timeline.timelines import members_of


class SignupIn(msgspec.Struct):
    email: str
    password: str
    display_name: str
    timezone: str = "UTC"


class LoginIn(msgspec.Struct):
    email: str
    password: str


class TimelineIn(msgspec.Struct):
    name: str
    together_since: date | None = None


class UserOut(msgspec.Struct):
    id: UUID
    email: str
    display_name: str
    timezone: str


class MemberOut(msgspec.Struct):
    id: UUID
    display_name: str


class TimelineOut(msgspec.Struct):
    id: UUID
    name: str
    together_since: date | None
    members: list[MemberOut]


class MeOut(msgspec.Struct):
    id: UUID
    email: str
    display_name: str
    timezone: str
    timelines: list[TimelineOut]


class AuthOut(msgspec.Struct):
    token: str
    user: UserOut


class InviteOut(msgspec.Struct):
    token: str
    url: str
    expires_at: datetime


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id, email=user.email, display_name=user.display_name, timezone=user.timezone
    )


def timeline_out(timeline: Timeline) -> TimelineOut:
    """A timeline whose memberships (with users) were prefetched."""
    return TimelineOut(
        id=timeline.id,
        name=timeline.name,
        together_since=timeline.together_since,
        members=[MemberOut(id=u.id, display_name=u.display_name) for u in members_of(timeline)],
    )
