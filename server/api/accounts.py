"""API: sign up, log in, log out, who am I, changing or deleting the account, and asking
for a password reset; and the shapes of each."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT
from msgspec import UNSET

from server.api.timelines import TimelineOut, timeline_out
from server.http.auth import client_address, signed_in
from server.http.dependencies import Member, Now, StorageDep
from timeline.accounts.credentials import authenticate, issue_credential, revoke_credential, sign_up
from timeline.accounts.settings import (
    change_password,
    request_email_change,
    request_password_reset,
    update_profile,
)
from timeline.models import Credential, User
from timeline.timelines.leaving import delete_account
from timeline.timelines.membership import timelines_of


class SignupIn(msgspec.Struct):
    email: str
    password: str
    display_name: str
    timezone: str = "UTC"


class LoginIn(msgspec.Struct):
    email: str
    password: str


class ProfilePatch(msgspec.Struct):
    """Only the fields sent are changed."""

    display_name: str | msgspec.UnsetType = msgspec.UNSET
    timezone: str | msgspec.UnsetType = msgspec.UNSET


class PasswordChangeIn(msgspec.Struct):
    current_password: str
    new_password: str


class EmailChangeIn(msgspec.Struct):
    email: str
    password: str


class ResetIn(msgspec.Struct):
    email: str


class SentOut(msgspec.Struct):
    detail: str


class DeletionIn(msgspec.Struct):
    password: str
    take_my_memories: bool = False


class UserOut(msgspec.Struct):
    id: UUID
    email: str
    display_name: str
    timezone: str


class MeOut(msgspec.Struct):
    id: UUID
    email: str
    display_name: str
    timezone: str
    timelines: list[TimelineOut]


class AuthOut(msgspec.Struct):
    token: str
    user: UserOut


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id, email=user.email, display_name=user.display_name, timezone=user.timezone
    )


class AccountsController(Controller):
    path = "/api/v1"
    tags = ["accounts"]

    @post("/auth/signup", operation_id="signup")
    async def signup(self, request: Request, data: JSONBody[SignupIn], now: Now) -> AuthOut:
        """Create an account and get an API token for it (201); 429 after many from one
        address."""
        user = await sign_up(
            data.email,
            data.password,
            data.display_name,
            data.timezone,
            now=now,
            address=client_address(request),
        )
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

    @patch("/me", guards=[signed_in], operation_id="updateMe")
    async def update_me(self, member: Member, data: JSONBody[ProfilePatch]) -> UserOut:
        """Change your display name or time zone."""
        changed = await update_profile(
            member,
            display_name=member.display_name if data.display_name is UNSET else data.display_name,
            timezone=member.timezone if data.timezone is UNSET else data.timezone,
        )
        return user_out(changed)

    @post(
        "/me/password",
        status_code=HTTP_204_NO_CONTENT,
        guards=[signed_in],
        operation_id="changePassword",
    )
    async def new_password(
        self, request: Request, member: Member, data: JSONBody[PasswordChangeIn], now: Now
    ) -> None:
        """A new password, the current one given again (422 when wrong); every other
        session and API token ends, the token of this request stays."""
        await change_password(
            member,
            data.current_password,
            data.new_password,
            keep_secret=request.auth,
            now=now,
        )

    @post(
        "/me/email", status_code=HTTP_202_ACCEPTED, guards=[signed_in], operation_id="changeEmail"
    )
    async def change_email(
        self, member: Member, data: JSONBody[EmailChangeIn], now: Now
    ) -> SentOut:
        """Send a confirmation link to the new address (202; the e-mail goes out within
        seconds); it becomes yours once the link is followed. The same answer when another
        account uses it (then nothing is sent); 429 after five in 15 minutes."""
        new_email = await request_email_change(member, data.email, data.password, now=now)
        return SentOut(f"We sent a link to {new_email}. Follow it to confirm the address.")

    @post("/auth/password-reset", status_code=HTTP_202_ACCEPTED, operation_id="askPasswordReset")
    async def ask_reset(self, request: Request, data: JSONBody[ResetIn], now: Now) -> SentOut:
        """E-mail a link to choose a new password (one use, one hour). The answer is the same
        whether or not an account uses the address; 429 when asked too often."""
        await request_password_reset(data.email, client_address(request), now=now)
        return SentOut("If an account uses that address, we sent it a link.")

    @post(
        "/me/deletion",
        status_code=HTTP_204_NO_CONTENT,
        guards=[signed_in],
        operation_id="deleteAccount",
    )
    async def delete(self, member: Member, storage: StorageDep, data: JSONBody[DeletionIn]) -> None:
        """Delete your account, confirmed by your password (422 when wrong). You leave every
        timeline: your memories stay with your partner, as a former partner's, unless
        `take_my_memories` is true; a timeline left empty is deleted with its photos."""
        await delete_account(member, data.password, storage, take_my_memories=data.take_my_memories)

    @get("/me", guards=[signed_in], operation_id="me")
    async def me(self, member: Member) -> MeOut:
        """The caller and their timelines."""
        timelines = await timelines_of(member)
        return MeOut(
            id=member.id,
            email=member.email,
            display_name=member.display_name,
            timezone=member.timezone,
            timelines=[timeline_out(t) for t in timelines],
        )
