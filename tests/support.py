"""Small helpers for tests that act like a browser: read the CSRF field, post a form."""

from __future__ import annotations

import re

from httpx import Response
from litestar.testing import AsyncTestClient

from tests.conftest import PASSWORD

_CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page carries no CSRF field"
    return match[1]


async def submit(
    client: AsyncTestClient, page_path: str, action: str, fields: dict[str, str]
) -> Response:
    """Open `page_path` as a browser would, then post its form to `action` with the CSRF token."""
    page = await client.get(page_path)
    return await client.post(action, data={**fields, "_csrf_token": csrf_token(page.text)})


async def web_sign_up(client: AsyncTestClient, name: str, email: str, next: str = "/") -> Response:
    return await submit(
        client,
        "/signup",
        "/signup",
        {
            "display_name": name,
            "email": email,
            "password": PASSWORD,
            "timezone": "Europe/Paris",
            "next": next,
        },
    )


async def web_log_in(client: AsyncTestClient, email: str, password: str = PASSWORD) -> Response:
    return await submit(client, "/login", "/login", {"email": email, "password": password})


def session_set_cookie(response: Response) -> str:
    """The `Set-Cookie` header that carries the session."""
    return next(c for c in response.headers.get_list("set-cookie") if c.startswith("rw_session="))
