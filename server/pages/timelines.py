"""Pages: home, creating a timeline, a timeline, inviting the partner, leaving."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Stream, Template

from server.common.links import invite_url
from server.files.archive import archive_response
from server.http.auth import signed_in
from server.http.compression import ALREADY_COMPRESSED
from server.http.cursors import decode_cursor, encode_cursor
from server.http.dependencies import Member, Now, SettingsDep, StorageDep
from server.http.errors import status_of
from server.http.kept import kept_page, kept_pages_of
from server.pages.forms import FORM, optional_date, typed
from server.pages.rendering import page, redirect
from server.pages.timeline_view import cards_for, group_by_month
from server.pages.today import today_of
from timeline.core.calendar import member_today
from timeline.core.errors import DomainError
from timeline.memories.browsing import Filters, browse, year_index
from timeline.memories.search import query_terms
from timeline.models import Invite, Memory, User
from timeline.recaps.recap import our_years
from timeline.timelines.invites import (
    create_invite,
    invite_matches,
    pending_invites,
    revoke_invite,
)
from timeline.timelines.leaving import leave_timeline
from timeline.timelines.membership import (
    create_timeline,
    members_of,
    timeline_with_members,
    timelines_of,
)

PAGE_SIZE = 30
# The invitation link just made is shown from this cookie, for this long.
INVITE_COOKIE = "rw_invite"
INVITE_SHOWN = timedelta(minutes=15)
# How to write the date the couple got together, when it cannot be read.
DATE_HINT = "Enter the date as YYYY-MM-DD, for example 2019-06-12."


class TimelineForm(msgspec.Struct):
    name: str = ""
    together_since: str = ""


class LeavingForm(msgspec.Struct):
    # A checkbox: "true" when ticked, absent otherwise.
    take_my_memories: str = ""


class TimelinePages(Controller):
    include_in_schema = False

    @get("/")
    async def home(self, request: Request, state: State, now: Now) -> Template | Response:
        """Today: for each of the member's timelines (a couple has one), the pick and what
        each partner answered, on this day, and what the partner did lately. Kept while
        none of the timelines changes (a pick made or answered changes it), within the hour
        (what the partner did "this week" moves on)."""
        if request.user is None:
            return page(request, "welcome.html")
        user = request.user
        timelines = await timelines_of(user)
        kept = kept_pages_of(request, state, user, timelines, now, hourly=True)
        if kept and kept.answer:
            return kept.answer
        days = [await today_of(state, user, t, now) for t in timelines]
        # A couple's one timeline names the header, as on its other pages.
        timeline = days[0].timeline if len(days) == 1 else None
        context = {"days": days, "today": member_today(user, now), "timeline": timeline}
        shown = page(request, "home.html", context)
        return kept.keep(shown) if kept else shown

    @get("/t/new", guards=[signed_in])
    async def new_form(self, request: Request) -> Template:
        return page(request, "timeline_new.html", {"form": {}})

    @post("/t", guards=[signed_in])
    async def create(
        self, request: Request, member: Member, data: Annotated[TimelineForm, FORM], now: Now
    ) -> Response:
        try:
            timeline = await create_timeline(
                member, data.name, optional_date(data.together_since, message=DATE_HINT), now=now
            )
        except DomainError as error:
            return page(
                request,
                "timeline_new.html",
                {"form": typed(data), "error": str(error)},
                status_code=status_of(error),
            )
        return redirect(f"/t/{timeline.id}", flash="timeline_created")

    @get("/t/{timeline_id:uuid}", guards=[signed_in])
    async def show(
        self,
        request: Request,
        member: Member,
        state: State,
        timeline_id: FromPath[UUID],
        now: Now,
        year: FromQuery[str | None] = None,
        tag: FromQuery[str | None] = None,
        kind: FromQuery[str | None] = None,
        author: FromQuery[str | None] = None,
        connected: FromQuery[bool] = False,
        photos: FromQuery[bool] = False,
        q: FromQuery[str | None] = None,
        cursor: FromQuery[str | None] = None,
    ) -> Template | Response:
        # The filter form sends every field, "Any" as an empty string; what cannot be read
        # as a filter does not filter.
        filters = Filters(
            year=int(year) if year and year.isdigit() and len(year) <= 4 else None,
            tag=tag or None,
            kind=kind or None,
            author=_uuid_or_none(author),
            connected=connected,
            with_photos=photos,
            q=q or None,
        )
        timeline = await timeline_with_members(member, timeline_id)
        members = members_of(timeline)
        has_room = len(members) < timeline.max_members
        # Waiting invitations are not part of the timeline's revision: a page listing them
        # is not kept.
        kept = None if has_room else kept_page(request, state, member, timeline, now)
        if kept and kept.answer:
            return kept.answer
        today = member_today(member, now)
        found = await browse(timeline, filters, limit=PAGE_SIZE, after=decode_cursor(cursor))
        years = await year_index(timeline)
        cards = cards_for(state, found.memories, members, member, now)
        query = {k: v for k, v in request.query_params.items() if k != "cursor" and v}
        shown = page(
            request,
            "timeline.html",
            {
                "timeline": timeline,
                "members": members,
                "has_room": has_room,
                "invites": _waiting(await pending_invites(timeline, now=now), member.timezone)
                if has_room
                else [],
                "groups": group_by_month(cards),
                "years": years,
                "relationship_years": await our_years(timeline, today),
                "today": today,
                "filters": filters,
                "filtering": bool(query),
                # A new couple sees one first step: no years, search, export or leaving yet.
                "empty": not years,
                "kinds": Memory.KINDS,
                "terms": query_terms(filters.q or ""),
                "older": urlencode({**query, "cursor": encode_cursor(found.next_key)})
                if found.next_key
                else None,
            },
        )
        return kept.keep(shown) if kept else shown

    @get("/t/{timeline_id:uuid}/export", guards=[signed_in], opt={ALREADY_COMPRESSED: True})
    async def export(
        self, member: Member, storage: StorageDep, timeline_id: FromPath[UUID], now: Now
    ) -> Stream:
        return await archive_response(member, timeline_id, storage, now)

    @post("/t/{timeline_id:uuid}/invites", guards=[signed_in])
    async def invite(
        self, member: Member, settings: SettingsDep, timeline_id: FromPath[UUID], now: Now
    ) -> Response:
        """Make a link, then show it on a GET page (a reload shows the same link, never a
        second one). The token is stored hashed: the member's own browser keeps it for the
        few minutes the page needs it, in a cookie only that page receives."""
        issued = await create_invite(member, timeline_id, now=now)
        response = redirect(f"/t/{timeline_id}/invite")
        response.set_cookie(
            INVITE_COOKIE,
            f"{issued.invite.id}.{issued.token}",
            max_age=int(INVITE_SHOWN.total_seconds()),
            path=f"/t/{timeline_id}/invite",
            httponly=True,
            secure=settings.https,
            samesite="lax",
        )
        return response

    @get("/t/{timeline_id:uuid}/invite", guards=[signed_in])
    async def invite_shown(
        self,
        request: Request,
        member: Member,
        settings: SettingsDep,
        timeline_id: FromPath[UUID],
        now: Now,
    ) -> Response:
        """The link just made, with a message to send; without one (or once it is used,
        ended or too old to show), back to the timeline's invitations."""
        timeline = await timeline_with_members(member, timeline_id)
        invite_id, _, token = request.cookies.get(INVITE_COOKIE, "").partition(".")
        waiting = {str(i.id): i for i in await pending_invites(timeline, now=now)}
        invite = waiting.get(invite_id)
        if invite is None or not token or not invite_matches(invite, token):
            return redirect(f"/t/{timeline_id}#invites")
        link = invite_url(settings, token)
        shown = page(
            request,
            "invite_link.html",
            {
                "timeline_id": timeline_id,
                "timeline": timeline,
                "invite_link": link,
                "invite_expires": invite.expires_at,
                "invite_message": invite_message(member, timeline.name, link),
            },
        )
        # The page holds a live invitation: nobody but this browser keeps a copy.
        shown.headers["Cache-Control"] = "private, no-store"
        return shown

    @post("/t/{timeline_id:uuid}/invites/{invite_id:uuid}/revoke", guards=[signed_in])
    async def end_invite(
        self, member: Member, timeline_id: FromPath[UUID], invite_id: FromPath[UUID], now: Now
    ) -> Response:
        await revoke_invite(member, invite_id, now=now)
        return redirect(f"/t/{timeline_id}#invites", flash="invite_revoked")

    @post("/t/{timeline_id:uuid}/leave", guards=[signed_in])
    async def leave(
        self,
        member: Member,
        storage: StorageDep,
        timeline_id: FromPath[UUID],
        data: Annotated[LeavingForm, FORM],
    ) -> Response:
        await leave_timeline(
            member, timeline_id, storage, take_my_memories=data.take_my_memories == "true"
        )
        return redirect("/", flash="left")


def _waiting(invites: list[Invite], timezone: str) -> list[dict[str, Any]]:
    """Waiting invites as the member reads them: made and ending at their local time (two
    links made the same day differ by the hour)."""
    zone = ZoneInfo(timezone)
    return [
        {
            "id": invite.id,
            "made": invite.created_at.astimezone(zone),
            "until": invite.expires_at.astimezone(zone),
        }
        for invite in invites
    ]


def _uuid_or_none(raw: str | None) -> UUID | None:
    try:
        return UUID(raw) if raw else None
    except ValueError:
        return None


def invite_message(member: User, timeline_name: str, link: str) -> str:
    """What the inviter can send as it is: who, to what, and the link."""
    return (
        f"{member.display_name} invited you to “{timeline_name}”, our shared timeline on "
        f"Remember When, where we keep our moments together and how close they made us feel."
        f"\n\n"
        f"Join me here (the link works once, for a week): {link}"
    )
