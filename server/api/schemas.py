"""The shapes the API reads and writes, and how domain objects become them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar.datastructures import State
from litestar.params import Parameter

from server.files.links import photo_urls
from timeline.models import Memory, Milestone, Photo, Reply, Timeline, User
from timeline.timelines.membership import members_of
from timeline.timelines.milestones import name_of

# Year N of a couple, in paths: anything beyond is no year anyone has lived together.
YearNumber = Annotated[int, Parameter(ge=1, le=150)]


class SignupIn(msgspec.Struct):
    email: str
    password: str
    display_name: str
    timezone: str = "UTC"


class ProfilePatch(msgspec.Struct):
    """Only the fields sent are changed."""

    display_name: str | msgspec.UnsetType = msgspec.UNSET
    timezone: str | msgspec.UnsetType = msgspec.UNSET


class PasswordChangeIn(msgspec.Struct):
    current_password: str
    new_password: str


class EmailChangeIn(msgspec.Struct):
    email: str
    password: str


class ResetIn(msgspec.Struct):
    email: str


class SentOut(msgspec.Struct):
    detail: str


class DeletionIn(msgspec.Struct):
    password: str
    take_my_memories: bool = False


class LoginIn(msgspec.Struct):
    email: str
    password: str


class TimelineIn(msgspec.Struct):
    name: str
    together_since: date | None = None


class TimelinePatch(msgspec.Struct):
    """Only the fields sent are changed; `together_since: null` clears the anniversary."""

    name: str | msgspec.UnsetType = msgspec.UNSET
    together_since: date | msgspec.UnsetType | None = msgspec.UNSET


class MilestoneIn(msgspec.Struct):
    """`kind` is first_date, wedding or custom (which needs a `label`)."""

    kind: str
    occurred_on: date
    date_precision: str = "day"
    label: str = ""


class MilestoneOut(msgspec.Struct):
    id: UUID
    kind: str
    label: str
    name: str
    occurred_on: date
    date_precision: str


def milestone_out(milestone: Milestone) -> MilestoneOut:
    return MilestoneOut(
        id=milestone.id,
        kind=milestone.kind,
        label=milestone.label,
        name=name_of(milestone),
        occurred_on=milestone.occurred_on,
        date_precision=milestone.date_precision,
    )


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
    """A new invite: its token and link are shown only now (the database keeps a hash)."""

    id: UUID
    token: str
    url: str
    expires_at: datetime


class PendingInviteOut(msgspec.Struct):
    """An invite still waiting to be accepted; its token is never shown again."""

    id: UUID
    created_at: datetime
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


class MemoryIn(msgspec.Struct):
    title: str
    occurred_on: date
    body: str = ""
    date_precision: str = "day"
    place: str = ""
    kind: str = "everyday"
    tags: list[str] = []


class MemoryPatch(msgspec.Struct):
    """Only the fields sent are changed."""

    title: str | msgspec.UnsetType = msgspec.UNSET
    occurred_on: date | msgspec.UnsetType = msgspec.UNSET
    body: str | msgspec.UnsetType = msgspec.UNSET
    date_precision: str | msgspec.UnsetType = msgspec.UNSET
    place: str | msgspec.UnsetType = msgspec.UNSET
    kind: str | msgspec.UnsetType = msgspec.UNSET
    tags: list[str] | msgspec.UnsetType = msgspec.UNSET


class ConnectionIn(msgspec.Struct):
    score: int
    appreciation: str = ""


class ReplyIn(msgspec.Struct):
    text: str


class PhotoUrls(msgspec.Struct):
    thumb: str
    display: str
    original: str


class PhotoOut(msgspec.Struct):
    id: UUID
    memory_id: UUID
    width: int
    height: int
    taken_at: datetime | None
    placeholder: str
    caption: str
    position: int
    urls: PhotoUrls
    duplicate: bool = False


class ConnectionOut(msgspec.Struct):
    user_id: UUID
    score: int
    appreciation: str


class ReplyOut(msgspec.Struct):
    id: UUID
    memory_id: UUID
    author_id: UUID | None
    text: str
    created_at: datetime


class MemoryOut(msgspec.Struct):
    id: UUID
    timeline_id: UUID
    author_id: UUID | None
    title: str
    body: str
    occurred_on: date
    date_precision: str
    place: str
    kind: str
    tags: list[str]
    photos: list[PhotoOut]
    connections: list[ConnectionOut]
    replies_count: int
    recreates: UUID | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


class MemoryPage(msgspec.Struct):
    items: list[MemoryOut]
    next_cursor: str | None


def photo_out(state: State, photo: Photo, now: datetime, *, duplicate: bool = False) -> PhotoOut:
    return PhotoOut(
        id=photo.id,
        memory_id=photo.memory_id,
        width=photo.width,
        height=photo.height,
        taken_at=photo.taken_at,
        placeholder=photo.placeholder,
        caption=photo.caption,
        position=photo.position,
        urls=PhotoUrls(**photo_urls(state, photo, now, absolute=True)),
        duplicate=duplicate,
    )


def memory_out(state: State, memory: Memory, now: datetime) -> MemoryOut:
    """A memory loaded by `memory_details` or `list_memories` (relations prefetched)."""
    return MemoryOut(
        id=memory.id,
        timeline_id=memory.timeline_id,
        author_id=memory.author_id,
        title=memory.title,
        body=memory.body,
        occurred_on=memory.occurred_on,
        date_precision=memory.date_precision,
        place=memory.place,
        kind=memory.kind,
        tags=sorted(t.name for t in memory.tags),
        photos=[photo_out(state, p, now) for p in sorted(memory.photos, key=lambda p: p.position)],
        connections=[
            ConnectionOut(user_id=c.user_id, score=c.score, appreciation=c.appreciation)
            for c in memory.connections
        ],
        replies_count=memory.replies_count,
        recreates=memory.recreates_id,
        created_at=memory.created_at,
        updated_at=memory.updated_at,
        deleted_at=memory.deleted_at,
    )


def reply_out(reply: Reply) -> ReplyOut:
    return ReplyOut(
        id=reply.id,
        memory_id=reply.memory_id,
        author_id=reply.author_id,
        text=reply.text,
        created_at=reply.created_at,
    )


class YearsAgoOut(msgspec.Struct):
    years_ago: int
    memories: list[MemoryOut]


class OnThisDayOut(msgspec.Struct):
    date: date
    items: list[YearsAgoOut]


class SuggestionOut(msgspec.Struct):
    suggestion_id: UUID
    local_date: date
    memory: MemoryOut
    reasons: list[str]
    score: float
    prompt: str
    action: str | None
    snoozed_until: date | None
    planned_on: date | None


class FeedbackIn(msgspec.Struct):
    action: str
    memory_id: UUID | None = None
    planned_on: date | None = None


class QuietRuleIn(msgspec.Struct):
    tag: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    yearly: bool = False


class QuietRuleOut(msgspec.Struct):
    id: UUID
    tag: str | None
    starts_on: date | None
    ends_on: date | None
    yearly: bool


class EmailPreferences(msgspec.Struct):
    """Which e-mails and when: `hour` for on this day and anniversaries, `weekly_day` 0
    (Monday) to 6 (Sunday) and `weekly_hour` for the weekly "Remember when…", all in
    `timezone`."""

    on_this_day: bool
    weekly: bool
    anniversary: bool
    hour: int
    weekly_day: int
    weekly_hour: int
    timezone: str
