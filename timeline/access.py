"""The one place that scopes queries to a member's timelines.

Every read or write of timeline data starts from `member_timelines` or `timeline_for`, so an id
from someone else's timeline is indistinguishable from an id that does not exist."""

from __future__ import annotations

from uuid import UUID

from tortoise.queryset import QuerySet

from timeline.errors import NotFound
from timeline.models import Timeline, User


def member_timelines(user: User) -> QuerySet[Timeline]:
    """The timelines `user` belongs to."""
    return Timeline.filter(memberships__user_id=user.id)


async def timeline_for(user: User, timeline_id: UUID) -> Timeline:
    """The timeline with this id if `user` is a member of it, else `NotFound`."""
    timeline = await member_timelines(user).get_or_none(id=timeline_id)
    if timeline is None:
        raise NotFound("No such timeline.")
    return timeline
