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
from server.pages.invites import invite_in, invite_token
from server.pages.rendering import local_path, page, redirect
from timeline.accounts.credentials import authenticate, issue_credential, revoke_credential, sign_up
from timeline.core.errors import DomainError
from timeline.models import Credential, User
from timeline.timelines.invites import accept_invite, joined_through
from timeline.timelines.membership import start_timeline


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
    async def signup_form(
        self, request: Request, now: Now, next: FromQuery[str | None] = None
    ) -> Template:
        next_path = local_path(next)
        return page(
            request,
            "signup.html",
            {"form": {}, "next": next_path, "invite": await invite_in(next_path, now)},
        )

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
            return await _form_again(request, "signup.html", data, next_path, error, now)
        if invite_token(next_path) is None:
            # Signing up is starting a timeline: no second form before the first memory.
            timeline = await start_timeline(user, now=now)
            # Photos shared before signing up wait at their draft's page, which opens them
            # in this timeline's new-memory form.
            destination = next_path if next_path.startswith("/share/") else f"/t/{timeline.id}"
            return await _start_session(request, settings, user, destination, "started", now)
        destination, flash = await _join_from(next_path, user, now)
        return await _start_session(request, settings, user, destination, flash, now)

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
            return await _form_again(request, "login.html", data, next_path, error, now)
        if invite_token(next_path) is not None:
            destination, flash = await _join_from(next_path, user, now)
            return await _start_session(request, settings, user, destination, flash, now)
        return await _start_session(request, settings, user, next_path, "logged_in", now)

    @post("/logout", guards=[signed_in])
    async def logout(self, request: Request) -> Response:
        await revoke_credential(request.auth)
        response = redirect("/login", flash="logged_out")
        response.delete_cookie(SESSION_COOKIE, path="/")
        # Nothing of theirs stays in this browser for whoever uses it next: the pages and
        # photos kept for offline use, the HTTP cache, the service worker (and with it the
        # device's push subscription). Cookies stay: the flash message rides on one.
        response.headers["Clear-Site-Data"] = '"cache", "storage"'
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


async def _join_from(next_path: str, user: User, now: datetime) -> tuple[str, str]:
    """Where someone who came through an invitation lands: in the timeline they joined (the
    button they pressed was their consent), or home when the link no longer works."""
    token = invite_token(next_path)
    assert token is not None
    try:
        timeline = await accept_invite(user, token, now=now)
    except DomainError:
        joined = await joined_through(user, token)
        return (f"/t/{joined.id}", "logged_in") if joined else ("/", "invite_gone")
    return f"/t/{timeline.id}", "joined"


async def _form_again(
    request: Request,
    template: str,
    data: LoginForm | SignupForm,
    next_path: str,
    error: DomainError,
    now: datetime,
) -> Template:
    """The same form with what was typed (never the password) and what went wrong."""
    kept = {k: v for k, v in typed(data).items() if k != "password"}
    response = page(
        request,
        template,
        {
            "form": kept,
            "next": next_path,
            "error": str(error),
            "invite": await invite_in(next_path, now),
        },
        status_code=status_of(error),
    )
    response.headers.update(headers_of(error))
    return response
