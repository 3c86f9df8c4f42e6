"""Who is asking: the session cookie for pages, a bearer token for the API, never both."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_address

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import NotAuthorizedException
from litestar.handlers import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import ASGIApp

from server.common.clock import Clock
from timeline.accounts.credentials import SESSION_LIFETIME, user_for_credential
from timeline.models import Credential

SESSION_COOKIE = "rw_session"
API_PREFIX = "/api/"
# Route option for what is served to anyone (static files) or to the holder of a signed
# link (photos): no credential lookup, which a page of thirty thumbnails would pay thirty times.
ANONYMOUS = "anonymous"


class AuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Put the signed-in `User` (or None: anyone may ask, the `signed_in` guard says no) in
    `scope["user"]`, and its secret in `scope["auth"]` when there is one.

    The API reads only `Authorization: Bearer`, so a browser's cookie can never drive it
    (and the API needs no CSRF token); pages read only the session cookie. Routes marked
    `ANONYMOUS` are not looked up."""

    def __init__(self, app: ASGIApp) -> None:
        # Every method is looked up, OPTIONS too (Litestar would skip it): error pages read
        # the user.
        super().__init__(app, exclude_from_auth_key=ANONYMOUS, exclude_http_methods=())

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        if connection.scope["path"].startswith(API_PREFIX):
            secret, kind = _bearer_token(connection), Credential.API
        else:
            secret, kind = connection.cookies.get(SESSION_COOKIE), Credential.SESSION
        # The app's one clock, as every handler reads it (`now`).
        clock: Clock = connection.app.state.clock
        user = await user_for_credential(secret, kind, now=clock()) if secret else None
        return AuthenticationResult(user=user, auth=secret if user else None)


def _bearer_token(connection: ASGIConnection) -> str | None:
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def signed_in(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard: only a signed-in user gets through; others get 401 (pages turn it into a log-in)."""
    if connection.user is None:
        raise NotAuthorizedException(
            "Sign in first.",
            headers={"WWW-Authenticate": "Bearer"}
            if connection.scope["path"].startswith(API_PREFIX)
            else None,
        )


def client_address(connection: ASGIConnection) -> str:
    """The client's address, the key for per-address throttling: the peer, or, when the peer
    is one of our trusted proxies (`TRUSTED_PROXIES`), the nearest address in
    `X-Forwarded-For` that is not. Anyone can write that header, so it counts only as far
    as our own proxies vouch for it."""
    peer = connection.client.host if connection.client else "unknown"
    trusted = connection.app.state.settings.trusted_proxies
    if not _trusted(peer, trusted):
        return peer
    forwarded = connection.headers.get("x-forwarded-for", "")
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        if not _trusted(hop, trusted):
            return hop
    return peer


def _trusted(address: str, networks: tuple[IPv4Network | IPv6Network, ...]) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def session_cookie(secret: str, *, secure: bool) -> Cookie:
    """The cookie that carries a web session: unreadable to scripts, not sent cross-site."""
    return Cookie(
        key=SESSION_COOKIE,
        value=secret,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )
