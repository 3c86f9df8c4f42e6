"""Pages: a relationship year's recap for the couple, its share links, and the read-only
recap that a share link shows to family.

Making or ending a link answers with a redirect (POST/redirect/GET), so reloading the page
never makes a second link: the new link's id comes back in `?shared=` (an id, not the
token) and the page shows that link, among the working ones, as the new one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from media.collage import collage_size
from media.images import DISPLAY_EDGE, fitted_size
from server.api.recaps import YearNumber
from server.common.links import share_url
from server.common.settings import Settings
from server.files.links import photo_urls
from server.http.auth import client_address, signed_in
from server.http.dependencies import Member, Now, SettingsDep
from server.http.errors import status_of
from server.pages.forms import FORM
from server.pages.rendering import page, redirect
from timeline.core.calendar import member_today, timeline_today
from timeline.core.errors import Conflict, DomainError, InvalidInput, NotFound
from timeline.core.throttle import share_link_attempt
from timeline.models import Memory, Photo, RecapShare, User
from timeline.recaps.collage import ensure_collage
from timeline.recaps.recap import (
    BeforeTheStory,
    Recap,
    our_years,
    recap_for,
    recap_of,
    require_story,
)
from timeline.recaps.shares import (
    active_shares,
    create_share,
    link_token,
    open_share,
    revoke_share,
)
from timeline.timelines.access import timeline_for


class ShareForm(msgspec.Struct):
    # Free text to the page: a wrong value is shown beside the field, not refused as a 400.
    expires_in_days: str = ""
    message: str = ""


# What the share form offers to say to family, which the couple may change or clear.
SUGGESTED_MESSAGE = "A few moments from our year, for the people we love."


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
        settings: SettingsDep,
        timeline_id: FromPath[UUID],
        year: FromPath[YearNumber],
        now: Now,
        shared: FromQuery[str | None] = None,
    ) -> Template:
        """The couple's page of the year; `shared` names the link just made (its id)."""
        return await _member_page(
            request, member, state, settings, timeline_id, year, now, new_share=_uuid(shared)
        )

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
    ) -> Response:
        """Make a link, then show the year's page with it (a redirect: reloading that page
        makes no second link). A refused form comes back with the reason and what was typed."""
        try:
            days = _days(data.expires_in_days)
            issued = await create_share(
                member,
                timeline_id,
                year,
                days,
                key=settings.secret_key.encode(),
                message=data.message,
                now=now,
            )
        except (InvalidInput, Conflict) as error:
            return await _member_page(
                request, member, state, settings, timeline_id, year, now, error=error, typed=data
            )
        return redirect(f"/t/{timeline_id}/recap/{year}?shared={issued.share.id}#sharing")

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
        """The recap a share link points to, read-only, opening with the couple's line to
        the family: nothing of other years, no e-mail addresses, no controls; unknown links
        count against the address (guessing)."""
        address = client_address(request)
        attempt = await share_link_attempt(address, now)
        share = await open_share(token, now=now)
        await attempt.forget()
        timeline = share.timeline
        today = timeline_today(timeline, now)
        await require_story(timeline, share.year, today)
        recap = await recap_for(timeline, share.year, today)
        context = await _recap_context(state, recap, now)
        response = page(
            request,
            "recap_shared.html",
            {**context, "user": None, "member": False, "share": share},
        )
        response.headers.update(PRIVATE_HEADERS)
        return response


async def _member_page(
    request: Request,
    member: User,
    state: State,
    settings: Settings,
    timeline_id: UUID,
    year: int,
    now: datetime,
    *,
    error: DomainError | None = None,
    typed: ShareForm | None = None,
    new_share: UUID | None = None,
) -> Template:
    today = member_today(member, now)
    try:
        recap = await recap_of(member, timeline_id, year, today)
    except NotFound as missing:
        story: BeforeTheStory | None = getattr(missing, "story", None)
        if story is None:
            raise
        return await _before_the_story(request, member, timeline_id, story)
    context = await _recap_context(state, recap, now)
    key = settings.secret_key.encode()
    response = page(
        request,
        "recap.html",
        {
            **context,
            # The header names the couple and its menu leads back to their timeline.
            "timeline": recap.timeline,
            "member": True,
            # The recap keeps the timeline it was built with: its revision may be older.
            "years": await our_years(await timeline_for(member, recap.timeline.id), today),
            "today": today,
            "shares": [
                _Link(share, _url(settings, share, key), share.id == new_share)
                for share in await active_shares(recap.timeline, year, now=now)
            ],
            "error": error,
            "typed": typed or ShareForm(message=SUGGESTED_MESSAGE),
        },
        status_code=status_of(error) if error else 200,
    )
    response.headers.update(PRIVATE_HEADERS)
    return response


async def _before_the_story(
    request: Request, member: User, timeline_id: UUID, story: BeforeTheStory
) -> Template:
    """A year before the couple's first memory: not found, said kindly, with the way to
    the year their story begins (or to a first memory)."""
    timeline = await timeline_for(member, timeline_id)
    response = page(
        request, "recap_missing.html", {"timeline": timeline, "story": story}, status_code=404
    )
    response.headers.update(PRIVATE_HEADERS)
    return response


@dataclass(frozen=True)
class _Link:
    """A working link as the couple's page lists it: its address when it can be made again
    (None for an older link whose token was shown only once), and whether it is new."""

    share: RecapShare
    url: str | None
    new: bool


def _url(settings: Settings, share: RecapShare, key: bytes) -> str | None:
    token = link_token(share, key)
    return share_url(settings, token) if token else None


def _uuid(raw: str | None) -> UUID | None:
    try:
        return UUID(raw) if raw else None
    except ValueError:
        return None


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
