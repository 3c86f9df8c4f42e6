"""Pages: a forgotten password (asking for a link, choosing a new password) and confirming
a new e-mail address. Reached from e-mails, without being logged in; each change is a
POST from the page the link opens, so a mail scanner fetching the link changes nothing."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template

from server.http.auth import client_address
from server.http.dependencies import Now
from server.http.errors import status_of
from server.pages.forms import FORM, typed
from server.pages.rendering import page, redirect
from timeline.accounts.settings import (
    check_reset_link,
    confirm_email_change,
    request_password_reset,
    reset_password,
)
from timeline.core.errors import DomainError, Throttled


class ForgotForm(msgspec.Struct):
    email: str = ""


class NewPasswordForm(msgspec.Struct):
    password: str = ""


class AccountLinkPages(Controller):
    include_in_schema = False

    @get("/forgot")
    async def forgot_form(self, request: Request) -> Template:
        return page(request, "forgot.html", {"sent": False, "form": {}})

    @post("/forgot")
    async def forgot(
        self, request: Request, data: Annotated[ForgotForm, FORM], now: Now
    ) -> Template:
        """The same answer whether or not an account uses the address."""
        try:
            await request_password_reset(data.email, client_address(request), now=now)
        except Throttled as error:
            return page(
                request,
                "forgot.html",
                {"sent": False, "form": typed(data), "error": str(error)},
                status_code=status_of(error),
            )
        return page(request, "forgot.html", {"sent": True, "form": {}})

    @get("/reset/{token:str}")
    async def reset_form(self, request: Request, token: FromPath[str], now: Now) -> Template:
        user = await check_reset_link(token, now=now)
        return page(request, "reset.html", {"token": token, "email": user.email})

    @post("/reset/{token:str}")
    async def reset(
        self,
        request: Request,
        token: FromPath[str],
        data: Annotated[NewPasswordForm, FORM],
        now: Now,
    ) -> Response:
        try:
            await reset_password(token, data.password, now=now)
        except DomainError as error:
            user = await check_reset_link(token, now=now)
            return page(
                request,
                "reset.html",
                {"token": token, "email": user.email, "error": str(error)},
                status_code=status_of(error),
            )
        return redirect("/login", flash="password_reset")

    @get("/confirm-email/{token:str}")
    async def confirm_form(self, request: Request, token: FromPath[str]) -> Template:
        return page(request, "confirm_email.html", {"token": token})

    @post("/confirm-email/{token:str}")
    async def confirm(self, request: Request, token: FromPath[str], now: Now) -> Response:
        await confirm_email_change(token, now=now)
        return redirect("/settings" if request.user else "/login", flash="email_confirmed")
