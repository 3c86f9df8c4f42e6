"""Pages: the "Not this one" link of a letter. It needs no log-in and no CSRF token (the
signed token is the authority, as for unsubscribe links); GET only shows what it would do,
so a mail scanner that opens every link changes nothing, and POST keeps the memory away."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Template

from server.common.links import read_not_this_one_token
from server.common.settings import Settings
from server.http.dependencies import Now, SettingsDep
from server.pages.rendering import page
from timeline.accounts.credentials import accounts_with_ids
from timeline.core.errors import NotFound
from timeline.models import Memory, User
from timeline.resurfacing.vetoes import never_again
from timeline.timelines.access import memory_for

# Nobody comes here without the link, and the link is the member's: neither kept by a
# shared cache nor listed by a search engine.
PRIVATE_HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Cache-Control": "private, no-store"}
GONE = "This link no longer opens a memory of yours. Nothing was changed."


class NotThisOnePages(Controller):
    path = "/not-this-one/{token:str}"
    include_in_schema = False

    @get()
    async def ask(self, request: Request, token: FromPath[str], settings: SettingsDep) -> Template:
        member, memory_id = await _read(settings, token)
        memory = await memory_for(member, memory_id)
        return _page(request, memory, done=False, already=memory.never_resurface)

    @post(status_code=200)
    async def confirm(
        self, request: Request, token: FromPath[str], settings: SettingsDep, now: Now
    ) -> Template:
        member, memory_id = await _read(settings, token)
        memory = await never_again(member, memory_id, now=now)
        return _page(request, memory, done=True, already=False)


async def _read(settings: Settings, token: str) -> tuple[User, UUID]:
    """The member and memory the link was made for; `NotFound` for a link we did not sign
    or a member who is gone (a member who left the timeline gets it from `memory_for`)."""
    read = read_not_this_one_token(settings, token)
    if read is None:
        raise NotFound(GONE)
    user_id, memory_id = read
    member = (await accounts_with_ids([user_id])).get(user_id)
    if member is None:
        raise NotFound(GONE)
    return member, memory_id


def _page(request: Request, memory: Memory, *, done: bool, already: bool) -> Template:
    response = page(
        request, "not_this_one.html", {"memory": memory, "done": done, "already": already}
    )
    response.headers.update(PRIVATE_HEADERS)
    return response
