"""Pages: home, creating a timeline, a timeline, inviting the partner, leaving."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template

from media.images import THUMB_EDGE, fitted_size
from server.auth import current_user, signed_in
from server.clock import Now
from server.errors import status_of
from server.links import invite_url
from server.media_links import photo_urls
from server.pages.forms import Form
from server.pages.rendering import page, redirect
from timeline.errors import DomainError, InvalidInput
from timeline.invites import create_invite
from timeline.memories import list_memories
from timeline.models import Memory
from timeline.timelines import (
    create_timeline,
    leave_timeline,
    members_of,
    timeline_with_members,
    timelines_of,
)

# The timeline page shows the latest memories; paging and filters come with browsing.
RECENT = 50


class TimelinePages(Controller):
    include_in_schema = False

    @get("/")
    async def home(self, request: Request) -> Template:
        if request.user is None:
            return page(request, "welcome.html")
        timelines = await timelines_of(current_user(request))
        return page(
            request,
            "home.html",
            {"timelines": [(t, members_of(t)) for t in timelines]},
        )

    @get("/t/new", guards=[signed_in])
    async def new_form(self, request: Request) -> Template:
        return page(request, "timeline_new.html", {"form": {}})

    @post("/t", guards=[signed_in])
    async def create(self, request: Request, data: Form, now: Now) -> Response:
        try:
            timeline = await create_timeline(
                current_user(request),
                data.get("name", ""),
                _optional_date(data.get("together_since", "")),
                now=now,
            )
        except DomainError as error:
            return page(
                request,
                "timeline_new.html",
                {"form": data, "error": str(error)},
                status_code=status_of(error),
            )
        return redirect(f"/t/{timeline.id}", flash="timeline_created")

    @get("/t/{timeline_id:uuid}", guards=[signed_in])
    async def show(self, request: Request, timeline_id: FromPath[UUID], now: Now) -> Template:
        user = current_user(request)
        timeline = await timeline_with_members(user, timeline_id)
        memories = await list_memories(user, timeline_id, limit=RECENT)
        return page(
            request,
            "timeline.html",
            {**_timeline_context(timeline), "memories": _cards(request, memories, now)},
        )

    @post("/t/{timeline_id:uuid}/invites", guards=[signed_in])
    async def invite(self, request: Request, timeline_id: FromPath[UUID], now: Now) -> Template:
        user = current_user(request)
        issued = await create_invite(user, timeline_id, now=now)
        timeline = await timeline_with_members(user, timeline_id)
        memories = await list_memories(user, timeline_id, limit=RECENT)
        return page(
            request,
            "timeline.html",
            {
                **_timeline_context(timeline),
                "memories": _cards(request, memories, now),
                "invite_link": invite_url(request.app.state.settings, issued.token),
                "invite_expires": issued.expires_at,
            },
            status_code=201,
        )

    @post("/t/{timeline_id:uuid}/leave", guards=[signed_in])
    async def leave(self, request: Request, timeline_id: FromPath[UUID]) -> Response:
        await leave_timeline(current_user(request), timeline_id)
        return redirect("/", flash="left")


def _timeline_context(timeline) -> dict:
    members = members_of(timeline)
    return {
        "timeline": timeline,
        "members": members,
        "has_room": len(members) < timeline.max_members,
    }


def _cards(request: Request, memories: list[Memory], now: datetime) -> list[dict]:
    """What a memory card shows: the cover photo's links, title, date, start of the story."""
    cards = []
    for memory in memories:
        photos = sorted(memory.photos, key=lambda p: p.position)
        cover = photos[0] if photos else None
        card = {"memory": memory, "cover": cover}
        if cover:
            card["cover_url"] = photo_urls(request.app.state, cover, now, absolute=False)["thumb"]
            card["cover_size"] = fitted_size(cover.width, cover.height, THUMB_EDGE)
        cards.append(card)
    return cards


def _optional_date(raw: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("Enter the date as YYYY-MM-DD, for example 2019-06-12.") from None
