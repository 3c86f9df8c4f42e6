"""Pages: sign up, log in, log out."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Template

from server.common.clock import Now
from server.http.auth import SESSION_COOKIE, client_address, session_cookie, signed_in
from server.http.errors import headers_of, status_of
from server.pages.forms import Form
from server.pages.rendering import local_path, page, redirect
from timeline.accounts.credentials import authenticate, issue_credential, revoke_credential, sign_up
from timeline.core.errors import DomainError
from timeline.models import Credential, User


class AccountPages(Controller):
    include_in_schema = False

    @get("/signup")
    async def signup_form(self, request: Request, next: FromQuery[str | None] = None) -> Template:
        return page(request, "signup.html", {"form": {}, "next": local_path(next)})

    @post("/signup")
    async def signup(self, request: Request, data: Form, now: Now) -> Response:
        next_path = local_path(data.get("next"))
        try:
            user = await sign_up(
                data.get("email", ""),
                data.get("password", ""),
                data.get("display_name", ""),
                data.get("timezone", "") or "UTC",
                now=now,
                address=client_address(request),
            )
        except DomainError as error:
            return _form_again(request, "signup.html", data, next_path, error)
        return await _start_session(request, user, next_path, "welcome", now)

    @get("/login")
    async def login_form(self, request: Request, next: FromQuery[str | None] = None) -> Template:
        return page(request, "login.html", {"form": {}, "next": local_path(next)})

    @post("/login")
    async def login(self, request: Request, data: Form, now: Now) -> Response:
        next_path = local_path(data.get("next"))
        try:
            user = await authenticate(
                data.get("email", ""),
                data.get("password", ""),
                address=client_address(request),
                now=now,
            )
        except DomainError as error:
            return _form_again(request, "login.html", data, next_path, error)
        return await _start_session(request, user, next_path, "logged_in", now)

    @post("/logout", guards=[signed_in])
    async def logout(self, request: Request) -> Response:
        await revoke_credential(request.auth)
        response = redirect("/login", flash="logged_out")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response


async def _start_session(
    request: Request, user: User, next_path: str, flash: str, now: Now
) -> Response:
    """A new session id at every log-in; the one the browser had before, if any, is ended."""
    if request.auth:
        await revoke_credential(request.auth)
    secret = await issue_credential(user, Credential.SESSION, now=now)
    response = redirect(next_path, flash=flash)
    response.set_cookie(session_cookie(secret, secure=request.app.state.settings.https))
    return response


def _form_again(
    request: Request, template: str, data: dict[str, str], next_path: str, error: DomainError
) -> Template:
    """The same form with what was typed (never the password) and what went wrong."""
    kept = {k: v for k, v in data.items() if k != "password"}
    response = page(
        request,
        template,
        {"form": kept, "next": next_path, "error": str(error)},
        status_code=status_of(error),
    )
    response.headers.update(headers_of(error))
    return response
