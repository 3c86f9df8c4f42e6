"""Pages: the unsubscribe link of an e-mail. It needs no log-in and no CSRF token (the
signed token is the authority), and a POST with `List-Unsubscribe=One-Click` (RFC 8058)
turns the kind off with no further step."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Template

from server.common.links import read_unsubscribe_token
from server.common.settings import Settings
from server.http.dependencies import SettingsDep
from server.pages.rendering import page
from server.worker.letters import KIND_NAMES
from timeline.core.errors import NotFound
from timeline.mail.deliveries import LETTERS
from timeline.mail.preferences import turn_off


class UnsubscribePages(Controller):
    path = "/unsubscribe/{token:str}"
    include_in_schema = False

    @get()
    async def ask(self, request: Request, token: FromPath[str], settings: SettingsDep) -> Template:
        _, kind = _read(settings, token)
        return page(request, "unsubscribe.html", _context(kind, done=False))

    @post(status_code=200)
    async def confirm(
        self, request: Request, token: FromPath[str], settings: SettingsDep
    ) -> Template:
        user_id, kind = _read(settings, token)
        await turn_off(user_id, kind)
        return page(request, "unsubscribe.html", _context(kind, done=True))


def _context(kind: str, *, done: bool) -> dict[str, object]:
    """An old e-mail's link names one kind; a letter's turns every letter off."""
    return {"kind_name": KIND_NAMES[kind], "all_letters": kind == LETTERS, "done": done}


def _read(settings: Settings, token: str) -> tuple[UUID, str]:
    read = read_unsubscribe_token(settings, token)
    if read is None or read[1] not in KIND_NAMES:
        raise NotFound("This unsubscribe link is not valid.")
    return read
