"""How much and how slowly a request body may arrive: uploads get MAX_UPLOAD_MB, every other
body 256 KB, and a body that stalls is cut off, before any handler spends work on it."""

from __future__ import annotations

import anyio
from litestar.exceptions import ClientException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

# Route option of the handlers that take photos; every other body is a few fields of text.
UPLOADS = "uploads"
# The largest form or JSON body anyone writes: a 5,000-character story in four-byte UTF-8,
# percent-encoded, is 60 KB.
MAX_FORM_BYTES = 256 * 1024
# A client that stops sending mid-body holds a connection and a task; a phone on a poor
# connection still delivers a chunk well within this.
BODY_IDLE_TIMEOUT = 20.0
# A body trickled a byte at a time would never stall; it gets this long in all. Thirty
# megabytes of photos arrive within it at 400 kbit/s.
FORM_BODY_DEADLINE = 30.0
UPLOAD_BODY_DEADLINE = 600.0


class BodyLimitMiddleware(ASGIMiddleware):
    """413 past the route's size (by Content-Length before reading, by counting while
    reading); 408 when no part of the body arrives for BODY_IDLE_TIMEOUT seconds, or the
    body takes longer than its deadline in all."""

    def __init__(self, max_upload_bytes: int) -> None:
        self.max_upload_bytes = max_upload_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope["type"] != "http":
            await next_app(scope, receive, send)
            return
        uploads = scope["route_handler"].opt.get(UPLOADS, False)
        limit = self.max_upload_bytes if uploads else MAX_FORM_BYTES
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            raise _too_large(limit)
        received = 0
        deadline = anyio.current_time() + (UPLOAD_BODY_DEADLINE if uploads else FORM_BODY_DEADLINE)
        # Once the body is in (or when there is none), receive only waits for the client to
        # go away, for as long as a download lasts: no limit applies. HTTP/1 says in its
        # headers whether a body follows; HTTP/2 need not, so there one may always follow.
        http1 = scope.get("http_version", "1.1") in ("1.0", "1.1")
        body_done = declared == 0 or (declared is None and http1 and not _chunked(scope))

        async def limited_receive() -> Message:
            nonlocal received, body_done
            if body_done:
                return await receive()
            wait = min(BODY_IDLE_TIMEOUT, max(0.0, deadline - anyio.current_time()))
            with anyio.move_on_after(wait) as waiting:
                message = await receive()
            if waiting.cancelled_caught:
                raise ClientException("The request body stopped arriving.", status_code=408)
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _too_large(limit)
                body_done = not message.get("more_body", False)
            return message

        await next_app(scope, limited_receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _chunked(scope: Scope) -> bool:
    return any(name == b"transfer-encoding" for name, _ in scope["headers"])


def _too_large(limit: int) -> ClientException:
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return ClientException(f"The request body is larger than {size}.", status_code=413)
