"""Pages: sign up, log in, log out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Template

from server.common.settings import Settings
from server.http.auth import SESSION_COOKIE, client_address, session_cookie, signed_in
from server.http.dependencies import Now, SettingsDep
from server.http.errors import headers_of, status_of
from server.pages.forms import FORM, typed
from server.pages.rendering import local_path, page, redirect
from timeline.accounts.credentials import authenticate, issue_credential, revoke_credential, sign_up
from timeline.core.errors import DomainError
from timeline.models import Credential, User


class LoginForm(msgspec.Struct):
    email: str = ""
    password: str = ""
    next: str = ""


class SignupForm(msgspec.Struct):
    email: str = ""
    password: str = ""
    display_name: str = ""
    timezone: str = ""
    next: str = ""


class AccountPages(Controller):
    include_in_schema = False

    @get("/signup")
    async def signup_form(self, request: Request, next: FromQuery[str | None] = None) -> Template:
        return page(request, "signup.html", {"form": {}, "next": local_path(next)})

    @post("/signup")
    async def signup(
        self,
        request: Request,
        data: Annotated[SignupForm, FORM],
        now: Now,
        settings: SettingsDep,
    ) -> Response:
        next_path = local_path(data.next)
        try:
            user = await sign_up(
                data.email,
                data.password,
                data.display_name,
                data.timezone or "UTC",
                now=now,
                address=client_address(request),
            )
        except DomainError as error:
            return _form_again(request, "signup.html", data, next_path, error)
        return await _start_session(request, settings, user, next_path, "welcome", now)

    @get("/login")
    async def login_form(self, request: Request, next: FromQuery[str | None] = None) -> Template:
        return page(request, "login.html", {"form": {}, "next": local_path(next)})

    @post("/login")
    async def login(
        self,
        request: Request,
        data: Annotated[LoginForm, FORM],
        now: Now,
        settings: SettingsDep,
    ) -> Response:
        next_path = local_path(data.next)
        try:
            user = await authenticate(
                data.email,
                data.password,
                address=client_address(request),
                now=now,
            )
        except DomainError as error:
            return _form_again(request, "login.html", data, next_path, error)
        return await _start_session(request, settings, user, next_path, "logged_in", now)

    @post("/logout", guards=[signed_in])
    async def logout(self, request: Request) -> Response:
        await revoke_credential(request.auth)
        response = redirect("/login", flash="logged_out")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response


async def _start_session(
    request: Request, settings: Settings, user: User, next_path: str, flash: str, now: datetime
) -> Response:
    """A new session id at every log-in; the one the browser had before, if any, is ended."""
    if request.auth:
        await revoke_credential(request.auth)
    secret = await issue_credential(user, Credential.SESSION, now=now)
    response = redirect(next_path, flash=flash)
    response.set_cookie(session_cookie(secret, secure=settings.https))
    return response


def _form_again(
    request: Request,
    template: str,
    data: LoginForm | SignupForm,
    next_path: str,
    error: DomainError,
) -> Template:
    """The same form with what was typed (never the password) and what went wrong."""
    kept = {k: v for k, v in typed(data).items() if k != "password"}
    response = page(
        request,
        template,
        {"form": kept, "next": next_path, "error": str(error)},
        status_code=status_of(error),
    )
    response.headers.update(headers_of(error))
    return response
