"""API: sign up, log in, log out, who am I, and deleting the account."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from server.api.schemas import (
    AuthOut,
    DeletionIn,
    LoginIn,
    MeOut,
    SignupIn,
    timeline_out,
    user_out,
)
from server.auth import client_address, current_user, signed_in
from server.clock import Now
from timeline.accounts import authenticate, issue_credential, revoke_credential, sign_up
from timeline.leaving import delete_account
from timeline.models import Credential
from timeline.timelines import timelines_of


class AccountsController(Controller):
    path = "/api/v1"
    tags = ["accounts"]

    @post("/auth/signup", operation_id="signup")
    async def signup(self, data: JSONBody[SignupIn], now: Now) -> AuthOut:
        """Create an account and get an API token for it (201)."""
        user = await sign_up(data.email, data.password, data.display_name, data.timezone, now=now)
        token = await issue_credential(user, Credential.API, now=now)
        return AuthOut(token=token, user=user_out(user))

    @post("/auth/login", status_code=HTTP_200_OK, operation_id="login")
    async def login(self, request: Request, data: JSONBody[LoginIn], now: Now) -> AuthOut:
        """Exchange e-mail and password for an API token; 429 after repeated failures."""
        user = await authenticate(
            data.email, data.password, address=client_address(request), now=now
        )
        token = await issue_credential(user, Credential.API, now=now)
        return AuthOut(token=token, user=user_out(user))

    @post(
        "/auth/logout",
        status_code=HTTP_204_NO_CONTENT,
        guards=[signed_in],
        operation_id="logout",
    )
    async def logout(self, request: Request) -> None:
        """Revoke the token this request carries."""
        await revoke_credential(request.auth)

    @post(
        "/me/deletion",
        status_code=HTTP_204_NO_CONTENT,
        guards=[signed_in],
        operation_id="deleteAccount",
    )
    async def delete(self, request: Request, data: JSONBody[DeletionIn]) -> None:
        """Delete your account, confirmed by your password (422 when wrong). You leave every
        timeline: your memories stay with your partner, as a former partner's, unless
        `take_my_memories` is true; a timeline left empty is deleted with its photos."""
        await delete_account(
            current_user(request),
            data.password,
            request.app.state.storage,
            take_my_memories=data.take_my_memories,
        )

    @get("/me", guards=[signed_in], operation_id="me")
    async def me(self, request: Request) -> MeOut:
        """The caller and their timelines."""
        user = current_user(request)
        timelines = await timelines_of(user)
        return MeOut(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            timezone=user.timezone,
            timelines=[timeline_out(t) for t in timelines],
        )
