"""Pages: a relationship year's recap for the couple, its share links, and the read-only
recap that a share link shows to family."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Template

from media.collage import collage_size
from media.images import DISPLAY_EDGE, fitted_size
from server.api.recaps import YearNumber
from server.common.links import share_url
from server.files.links import photo_urls
from server.http.auth import client_address, signed_in
from server.http.dependencies import Member, Now, SettingsDep
from server.http.errors import status_of
from server.pages.forms import FORM
from server.pages.rendering import page, redirect
from timeline.core.calendar import member_today, timeline_today
from timeline.core.errors import DomainError, InvalidInput
from timeline.core.throttle import share_link_attempt
from timeline.models import Memory, Photo, User
from timeline.recaps.collage import ensure_collage
from timeline.recaps.recap import Recap, recap_for, recap_of
from timeline.recaps.shares import active_shares, create_share, open_share, revoke_share


class ShareForm(msgspec.Struct):
    # Free text to the page: a wrong value is shown beside the field, not refused as a 400.
    expires_in_days: str = ""


# Nobody else's business: never indexed, never cached by anyone but the browser.
PRIVATE_HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Cache-Control": "private, no-store"}


class RecapPages(Controller):
    include_in_schema = False

    @get("/t/{timeline_id:uuid}/recap/{year:int}", guards=[signed_in])
    async def show(
        self,
        request: Request,
        member: Member,
        state: State,
        timeline_id: FromPath[UUID],
        year: FromPath[YearNumber],
        now: Now,
    ) -> Template:
        return await _member_page(request, member, state, timeline_id, year, now)

    @post("/t/{timeline_id:uuid}/recap/{year:int}/share", guards=[signed_in])
    async def share(
        self,
        request: Request,
        member: Member,
        state: State,
        settings: SettingsDep,
        timeline_id: FromPath[UUID],
        year: FromPath[YearNumber],
        data: Annotated[ShareForm, FORM],
        now: Now,
    ) -> Template:
        """Make a link and show it once: only its hash is kept."""
        try:
            days = _days(data.expires_in_days)
            issued = await create_share(member, timeline_id, year, days, now=now)
        except InvalidInput as error:
            return await _member_page(request, member, state, timeline_id, year, now, error=error)
        new_link = share_url(settings, issued.token)
        return await _member_page(request, member, state, timeline_id, year, now, new_link=new_link)

    @post(
        "/t/{timeline_id:uuid}/recap/{year:int}/shares/{share_id:uuid}/revoke", guards=[signed_in]
    )
    async def revoke(
        self,
        member: Member,
        timeline_id: FromPath[UUID],
        year: FromPath[YearNumber],
        share_id: FromPath[UUID],
        now: Now,
    ) -> Response:
        await revoke_share(member, share_id, now=now)
        return redirect(f"/t/{timeline_id}/recap/{year}#sharing", flash="share_revoked")

    @get("/r/{token:str}")
    async def shared(
        self, request: Request, state: State, token: FromPath[str], now: Now
    ) -> Template:
        """The recap a share link points to, read-only: nothing of other years, no e-mail
        addresses, no controls; unknown links count against the address (guessing)."""
        address = client_address(request)
        attempt = await share_link_attempt(address, now)
        share = await open_share(token, now=now)
        await attempt.forget()
        timeline = share.timeline
        recap = await recap_for(timeline, share.year, timeline_today(timeline, now))
        context = await _recap_context(state, recap, now)
        response = page(request, "recap_shared.html", {**context, "user": None, "member": False})
        response.headers.update(PRIVATE_HEADERS)
        return response


async def _member_page(
    request: Request,
    member: User,
    state: State,
    timeline_id: UUID,
    year: int,
    now: datetime,
    *,
    error: DomainError | None = None,
    new_link: str | None = None,
) -> Template:
    recap = await recap_of(member, timeline_id, year, member_today(member, now))
    context = await _recap_context(state, recap, now)
    response = page(
        request,
        "recap.html",
        {
            **context,
            # The header names the couple and its menu leads back to their timeline.
            "timeline": recap.timeline,
            "member": True,
            "shares": await active_shares(recap.timeline, year, now=now),
            "new_link": new_link,
            "error": error,
        },
        status_code=status_of(error) if error else 200,
    )
    response.headers.update(PRIVATE_HEADERS)
    return response


async def _recap_context(state: State, recap: Recap, now: datetime) -> dict[str, Any]:
    """The recap, links to every photo it shows, and to its collage (built if need be) with
    its size, known from its photos' (so the page keeps its room before it arrives)."""
    keys = await ensure_collage(
        recap.timeline.id, recap.year.number, recap.title, recap.collage, state.storage
    )
    photos: list[Photo] = [p for m in _memories(recap) for p in m.photos]
    photos += [month.photo for month in recap.months if month.photo]
    return {
        "recap": recap,
        "links": {p.id: photo_urls(state, p, now, absolute=False) for p in photos},
        "collage": {
            "webp": state.storage.signed_url(keys.webp, now),
            "jpeg": state.storage.signed_url(keys.jpeg, now),
            "size": collage_size(
                [fitted_size(p.width, p.height, DISPLAY_EDGE) for p in recap.collage]
            ),
        }
        if keys
        else None,
    }


def _memories(recap: Recap) -> list[Memory]:
    pairs = [m for pair in recap.recreated for m in (pair.then, pair.now)]
    answered = [recap.most_answered] if recap.most_answered else []
    return [*recap.moments, *recap.firsts, *answered, *pairs]


def _days(raw: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise InvalidInput("Choose how long the link should last.", field="expires_in_days")
    return int(raw)
