"""API: timelines, their milestones, leaving them, and invites; and the shapes of each."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import Body, FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from server.common.links import invite_url
from server.http.auth import signed_in
from server.http.dependencies import Member, Now, SettingsDep, StorageDep
from timeline.models import Milestone, Timeline
from timeline.timelines.access import timeline_for
from timeline.timelines.invites import accept_invite, create_invite, pending_invites, revoke_invite
from timeline.timelines.leaving import leave_timeline
from timeline.timelines.membership import (
    TimelineChanges,
    create_timeline,
    members_of,
    timeline_with_members,
    update_timeline,
)
from timeline.timelines.milestones import (
    MilestoneDraft,
    add_milestone,
    milestones_of,
    name_of,
    remove_milestone,
)


class TimelineIn(msgspec.Struct):
    name: str
    together_since: date | None = None


class MemberOut(msgspec.Struct):
    id: UUID
    display_name: str


class TimelineOut(msgspec.Struct):
    id: UUID
    name: str
    together_since: date | None
    members: list[MemberOut]


def timeline_out(timeline: Timeline) -> TimelineOut:
    """A timeline whose memberships (with users) were prefetched."""
    return TimelineOut(
        id=timeline.id,
        name=timeline.name,
        together_since=timeline.together_since,
        members=[MemberOut(id=u.id, display_name=u.display_name) for u in members_of(timeline)],
    )


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


class TimelinesController(Controller):
    path = "/api/v1"
    tags = ["timelines"]
    guards = [signed_in]

    @post("/timelines", operation_id="createTimeline")
    async def create(self, member: Member, data: JSONBody[TimelineIn], now: Now) -> TimelineOut:
        """Create a timeline with the caller as its first member (201)."""
        created = await create_timeline(member, data.name, data.together_since, now=now)
        return timeline_out(await timeline_with_members(member, created.id))

    @get("/timelines/{timeline_id:uuid}", operation_id="getTimeline")
    async def read(self, member: Member, timeline_id: FromPath[UUID]) -> TimelineOut:
        """One of the caller's timelines."""
        return timeline_out(await timeline_with_members(member, timeline_id))

    @patch("/timelines/{timeline_id:uuid}", operation_id="updateTimeline")
    async def update(
        self,
        member: Member,
        timeline_id: FromPath[UUID],
        data: Annotated[TimelineChanges, Body(schema_component_key="TimelinePatch")],
        now: Now,
    ) -> TimelineOut:
        """Rename the timeline or change the day you got together (null clears it)."""
        await update_timeline(member, timeline_id, data, now=now)
        return timeline_out(await timeline_with_members(member, timeline_id))

    @get("/timelines/{timeline_id:uuid}/milestones", operation_id="listMilestones")
    async def milestones(self, member: Member, timeline_id: FromPath[UUID]) -> list[MilestoneOut]:
        """The couple's milestones (first date, wedding, their own), oldest first."""
        return [milestone_out(m) for m in await milestones_of(member, timeline_id)]

    @post("/timelines/{timeline_id:uuid}/milestones", operation_id="addMilestone")
    async def keep_milestone(
        self,
        member: Member,
        timeline_id: FromPath[UUID],
        data: Annotated[MilestoneDraft, Body(schema_component_key="MilestoneIn")],
        now: Now,
    ) -> MilestoneOut:
        """Keep a milestone (201); 409 for a second first date or wedding."""
        return milestone_out(await add_milestone(member, timeline_id, data, now=now))

    @delete(
        "/milestones/{milestone_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        operation_id="removeMilestone",
    )
    async def forget_milestone(self, member: Member, milestone_id: FromPath[UUID]) -> None:
        """Forget a milestone."""
        await remove_milestone(member, milestone_id)

    @delete(
        "/timelines/{timeline_id:uuid}/membership",
        status_code=HTTP_204_NO_CONTENT,
        operation_id="leaveTimeline",
    )
    async def leave(
        self,
        member: Member,
        storage: StorageDep,
        timeline_id: FromPath[UUID],
        take_my_memories: FromQuery[bool] = False,
    ) -> None:
        """Leave a timeline. Your memories stay with your partner, as a former partner's,
        unless `take_my_memories=true` (they are deleted with their photos). The last member
        to leave deletes the timeline with everything in it."""
        await leave_timeline(member, timeline_id, storage, take_my_memories=take_my_memories)

    @post("/timelines/{timeline_id:uuid}/invites", operation_id="createInvite")
    async def invite(
        self, member: Member, settings: SettingsDep, timeline_id: FromPath[UUID], now: Now
    ) -> InviteOut:
        """A single-use link for the partner, valid for 7 days (201); 409 when full or when
        10 invites are waiting."""
        issued = await create_invite(member, timeline_id, now=now)
        return InviteOut(
            id=issued.invite.id,
            token=issued.token,
            url=invite_url(settings, issued.token),
            expires_at=issued.invite.expires_at,
        )

    @get("/timelines/{timeline_id:uuid}/invites", operation_id="listInvites")
    async def invites(
        self, member: Member, timeline_id: FromPath[UUID], now: Now
    ) -> list[PendingInviteOut]:
        """The invites still waiting to be accepted, newest first, without their tokens
        (shown only when made)."""
        timeline = await timeline_for(member, timeline_id)
        return [
            PendingInviteOut(id=i.id, created_at=i.created_at, expires_at=i.expires_at)
            for i in await pending_invites(timeline, now=now)
        ]

    @delete(
        "/invites/{invite_id:uuid}", status_code=HTTP_204_NO_CONTENT, operation_id="revokeInvite"
    )
    async def revoke(self, member: Member, invite_id: FromPath[UUID], now: Now) -> None:
        """End a waiting invite: its link no longer works; 404 when it is not waiting."""
        await revoke_invite(member, invite_id, now=now)

    @post("/invites/{token:str}/accept", status_code=HTTP_200_OK, operation_id="acceptInvite")
    async def accept(self, member: Member, token: FromPath[str], now: Now) -> TimelineOut:
        """Join the timeline of an invite; 404 when unknown, used or expired; 409 when full."""
        joined = await accept_invite(member, token, now=now)
        return timeline_out(await timeline_with_members(member, joined.id))
