"""Pages: the invite link a partner opens, and joining through it."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template

from server.http.auth import signed_in
from server.http.dependencies import Member, Now
from server.pages.rendering import page, redirect
from timeline.timelines.invites import accept_invite, open_invite


class InvitePages(Controller):
    include_in_schema = False

    @get("/i/{token:str}")
    async def show(self, request: Request, token: FromPath[str], now: Now) -> Template:
        invite = await open_invite(token, now=now)
        return page(
            request,
            "invite.html",
            {"invite": invite, "here": f"/i/{token}"},
        )

    @post("/i/{token:str}", guards=[signed_in])
    async def accept(self, member: Member, token: FromPath[str], now: Now) -> Response:
        timeline = await accept_invite(member, token, now=now)
        return redirect(f"/t/{timeline.id}", flash="joined")
