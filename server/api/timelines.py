"""API: timelines, leaving them, and invites."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from server.api.schemas import (
    InviteOut,
    MilestoneIn,
    MilestoneOut,
    PendingInviteOut,
    TimelineIn,
    TimelineOut,
    TimelinePatch,
    milestone_out,
    timeline_out,
)
from server.common.clock import Now
from server.common.links import invite_url
from server.http.auth import current_user, signed_in
from timeline.timelines.access import timeline_for
from timeline.timelines.invites import accept_invite, create_invite, pending_invites, revoke_invite
from timeline.timelines.leaving import leave_timeline
from timeline.timelines.membership import (
    create_timeline,
    timeline_with_members,
    update_timeline,
)
from timeline.timelines.milestones import add_milestone, milestones_of, remove_milestone


class TimelinesController(Controller):
    path = "/api/v1"
    tags = ["timelines"]
    guards = [signed_in]

    @post("/timelines", operation_id="createTimeline")
    async def create(self, request: Request, data: JSONBody[TimelineIn], now: Now) -> TimelineOut:
        """Create a timeline with the caller as its first member (201)."""
        user = current_user(request)
        created = await create_timeline(user, data.name, data.together_since, now=now)
        return timeline_out(await timeline_with_members(user, created.id))

    @get("/timelines/{timeline_id:uuid}", operation_id="getTimeline")
    async def read(self, request: Request, timeline_id: FromPath[UUID]) -> TimelineOut:
        """One of the caller's timelines."""
        return timeline_out(await timeline_with_members(current_user(request), timeline_id))

    @patch("/timelines/{timeline_id:uuid}", operation_id="updateTimeline")
    async def update(
        self, request: Request, timeline_id: FromPath[UUID], data: JSONBody[TimelinePatch], now: Now
    ) -> TimelineOut:
        """Rename the timeline or change the day you got together (null clears it)."""
        user = current_user(request)
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        await update_timeline(user, timeline_id, changes, now=now)
        return timeline_out(await timeline_with_members(user, timeline_id))

    @get("/timelines/{timeline_id:uuid}/milestones", operation_id="listMilestones")
    async def milestones(self, request: Request, timeline_id: FromPath[UUID]) -> list[MilestoneOut]:
        """The couple's milestones (first date, wedding, their own), oldest first."""
        return [milestone_out(m) for m in await milestones_of(current_user(request), timeline_id)]

    @post("/timelines/{timeline_id:uuid}/milestones", operation_id="addMilestone")
    async def keep_milestone(
        self, request: Request, timeline_id: FromPath[UUID], data: JSONBody[MilestoneIn], now: Now
    ) -> MilestoneOut:
        """Keep a milestone (201); 409 for a second first date or wedding."""
        raw = msgspec.structs.asdict(data)
        return milestone_out(await add_milestone(current_user(request), timeline_id, raw, now=now))

    @delete(
        "/milestones/{milestone_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        operation_id="removeMilestone",
    )
    async def forget_milestone(self, request: Request, milestone_id: FromPath[UUID]) -> None:
        """Forget a milestone."""
        await remove_milestone(current_user(request), milestone_id)

    @delete(
        "/timelines/{timeline_id:uuid}/membership",
        status_code=HTTP_204_NO_CONTENT,
        operation_id="leaveTimeline",
    )
    async def leave(
        self,
        request: Request,
        timeline_id: FromPath[UUID],
        take_my_memories: FromQuery[bool] = False,
    ) -> None:
        """Leave a timeline. Your memories stay with your partner, as a former partner's,
        unless `take_my_memories=true` (they are deleted with their photos). The last member
        to leave deletes the timeline with everything in it."""
        await leave_timeline(
            current_user(request),
            timeline_id,
            request.app.state.storage,
            take_my_memories=take_my_memories,
        )

    @post("/timelines/{timeline_id:uuid}/invites", operation_id="createInvite")
    async def invite(self, request: Request, timeline_id: FromPath[UUID], now: Now) -> InviteOut:
        """A single-use link for the partner, valid for 7 days (201); 409 when full or when
        10 invites are waiting."""
        issued = await create_invite(current_user(request), timeline_id, now=now)
        return InviteOut(
            id=issued.invite.id,
            token=issued.token,
            url=invite_url(request.app.state.settings, issued.token),
            expires_at=issued.invite.expires_at,
        )

    @get("/timelines/{timeline_id:uuid}/invites", operation_id="listInvites")
    async def invites(
        self, request: Request, timeline_id: FromPath[UUID], now: Now
    ) -> list[PendingInviteOut]:
        """The invites still waiting to be accepted, newest first, without their tokens
        (shown only when made)."""
        timeline = await timeline_for(current_user(request), timeline_id)
        return [
            PendingInviteOut(id=i.id, created_at=i.created_at, expires_at=i.expires_at)
            for i in await pending_invites(timeline, now=now)
        ]

    @delete(
        "/invites/{invite_id:uuid}", status_code=HTTP_204_NO_CONTENT, operation_id="revokeInvite"
    )
    async def revoke(self, request: Request, invite_id: FromPath[UUID], now: Now) -> None:
        """End a waiting invite: its link no longer works; 404 when it is not waiting."""
        await revoke_invite(current_user(request), invite_id, now=now)

    @post("/invites/{token:str}/accept", status_code=HTTP_200_OK, operation_id="acceptInvite")
    async def accept(self, request: Request, token: FromPath[str], now: Now) -> TimelineOut:
        """Join the timeline of an invite; 404 when unknown, used or expired; 409 when full."""
        user = current_user(request)
        joined = await accept_invite(user, token, now=now)
        return timeline_out(await timeline_with_members(user, joined.id))
