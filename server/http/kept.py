"""Pages and lists kept while what they show stays the same: a conditional GET answers 304,
and one asked again is sent as rendered last time.

A response is named by a weak ETag made of everything it shows that can change: the
timeline's revision (which the database moves on every change a couple can see, migration
0015), the timeline and its members as loaded, the reader, their day, the address with its
query, the window media links are signed for, the CSRF token a page's forms carry, and this
build's templates and static files. Anything else makes a page that is not kept: a flash
message, a first visit without a CSRF cookie."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from litestar import MediaType, Request, Response
from litestar.datastructures import State
from litestar.response import Template
from litestar.status_codes import HTTP_304_NOT_MODIFIED

from server.common.templating import TEMPLATES
from server.http.static_assets import StaticAssets
from server.pages.rendering import FLASH_COOKIE
from timeline.core.calendar import member_today
from timeline.models import Timeline, User
from timeline.timelines.membership import members_of

CSRF_COOKIE = "rw_csrf"
# Rendered pages and lists kept per process, in bytes (a timeline page is about 60 KB).
KEPT_BYTES = 32 * 1024 * 1024
# The browser keeps its copy but asks each time; it is private to the member.
CACHE_CONTROL = "private, no-cache"


class _Bodies:
    """Rendered bodies by ETag, least recently used first out, within KEPT_BYTES."""

    def __init__(self, most: int) -> None:
        self._kept: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._most = most

    def get(self, etag: str) -> bytes | None:
        body = self._kept.get(etag)
        if body is not None:
            self._kept.move_to_end(etag)
        return body

    def put(self, etag: str, body: bytes) -> None:
        if etag in self._kept or len(body) > self._most // 8:
            return
        self._kept[etag] = body
        self._size += len(body)
        while self._size > self._most:
            _, dropped = self._kept.popitem(last=False)
            self._size -= len(dropped)


_bodies = _Bodies(KEPT_BYTES)


@dataclass(frozen=True)
class Kept:
    """A response's ETag, and what to answer without making it, if anything."""

    etag: str
    answer: Response | None

    def keep(self, response: Template) -> Template:
        """A page with its ETag, its body kept once rendered."""
        return _Keeping(self.etag, response)

    def keep_json(self, body: bytes) -> Response:
        """A list encoded as JSON, with its ETag, kept."""
        _bodies.put(self.etag, body)
        return Response(body, media_type=MediaType.JSON, headers=_headers(self.etag))


def kept(request: Request, media_type: str, *shown: object) -> Kept:
    """What is kept of the response that `shown` names, for this request."""
    etag = 'W/"' + hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest() + '"'
    headers = _headers(etag)
    if etag in _asked_for(request):
        return Kept(etag, Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers))
    body = _bodies.get(etag)
    if body is not None:
        return Kept(etag, Response(body, media_type=media_type, headers=headers))
    return Kept(etag, None)


def kept_page(
    request: Request, state: State, member: User, timeline: Timeline, now: datetime
) -> Kept | None:
    """What is kept of a page of `timeline` (with its members loaded, as the page shows
    them), or None when the page must be rendered and not kept."""
    return kept_pages_of(request, state, member, [timeline], now)


def kept_pages_of(
    request: Request,
    state: State,
    member: User,
    timelines: list[Timeline],
    now: datetime,
    *,
    hourly: bool = False,
) -> Kept | None:
    """What is kept of a page showing `timelines` (with their members loaded), or None when
    it must be rendered and not kept. `hourly` for a page that also shows what happened
    within a span of time (the home page's "this week"), which moves on by the hour."""
    csrf = request.cookies.get(CSRF_COOKIE)
    if csrf is None or FLASH_COOKIE in request.cookies:
        return None
    return kept(
        request,
        MediaType.HTML,
        _build(state.assets),
        *_read_by(request, state, member, timelines, now),
        [[(str(m.id), m.display_name) for m in members_of(t)] for t in timelines],
        now.strftime("%Y-%m-%dT%H") if hourly else None,
        csrf,
    )


def kept_list(
    request: Request, state: State, member: User, timeline: Timeline, now: datetime
) -> Kept:
    """What is kept of a JSON list of `timeline`'s memories (absolute media links)."""
    return kept(
        request,
        MediaType.JSON,
        state.settings.base_url,
        *_read_by(request, state, member, [timeline], now),
    )


def _read_by(
    request: Request, state: State, member: User, timelines: list[Timeline], now: datetime
) -> tuple[object, ...]:
    """What any response about `timelines` read by `member` depends on."""
    return (
        request.url.path,
        sorted(request.query_params.multi_items()),
        (str(member.id), member.display_name, member.email, member.timezone),
        member_today(member, now).isoformat(),
        [
            (str(t.id), t.revision, t.name, t.together_since, t.timezone, t.max_members)
            for t in timelines
        ],
        state.signer.expiry(now),
    )


def _headers(etag: str) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": CACHE_CONTROL}


def _asked_for(request: Request) -> list[str]:
    """The ETags an If-None-Match header names."""
    return [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]


class _Keeping(Template):
    """A template response that keeps its body under `etag` once rendered."""

    def __init__(self, etag: str, response: Template) -> None:
        super().__init__(
            template_name=response.template_name,
            context=response.context,
            status_code=response.status_code,
            headers={**response.headers, **_headers(etag)},
            cookies=response.cookies,
        )
        self._etag = etag

    def to_asgi_response(self, *args: Any, **kwargs: Any) -> Any:
        response = super().to_asgi_response(*args, **kwargs)
        if self.status_code == 200:
            _bodies.put(self._etag, response.body)
        return response


@cache
def _build(assets: StaticAssets) -> str:
    """This build's templates, and the names of its static files (named by their content),
    which pages link to."""
    digest = hashlib.blake2b(repr(sorted(assets.urls().items())).encode(), digest_size=8)
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            digest.update(path.as_posix().encode() + path.read_bytes())
    return digest.hexdigest()
