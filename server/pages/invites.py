"""Pages: the invite link a partner opens, and joining through it."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template

from server.http.auth import signed_in
from server.http.dependencies import Member, Now
from server.pages.rendering import page, redirect
from timeline.core.errors import NotFound
from timeline.models import Invite
from timeline.timelines.invites import accept_invite, joined_through, open_invite

INVITE_PATH = "/i/"


def invite_token(next_path: str) -> str | None:
    """The invitation a sign-up or log-in form came from (its `next` is `/i/<token>`)."""
    token = next_path.removeprefix(INVITE_PATH)
    return token if next_path.startswith(INVITE_PATH) and token.isascii() and token else None


async def invite_in(next_path: str, now: datetime) -> Invite | None:
    """The invitation still open behind a form's `next`, to say whose timeline it joins."""
    token = invite_token(next_path)
    if token is None:
        return None
    try:
        return await open_invite(token, now=now)
    except NotFound:
        return None


class InvitePages(Controller):
    include_in_schema = False

    @get("/i/{token:str}")
    async def show(self, request: Request, token: FromPath[str], now: Now) -> Template:
        if request.user and (joined := await joined_through(request.user, token)):
            return page(request, "invite.html", {"already": joined})
        invite = await open_invite(token, now=now)
        return page(request, "invite.html", {"invite": invite, "here": f"{INVITE_PATH}{token}"})

    @post("/i/{token:str}", guards=[signed_in])
    async def accept(self, member: Member, token: FromPath[str], now: Now) -> Response:
        timeline = await accept_invite(member, token, now=now)
        return redirect(f"/t/{timeline.id}", flash="joined")
