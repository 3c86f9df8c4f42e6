"""One log line per request, with a request id; never a query string, cookie or token."""

from __future__ import annotations

import logging
import time
import uuid

from litestar.datastructures import MutableScopeHeaders
from litestar.exceptions import HTTPException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("remember_when.request")


class RequestLogMiddleware(ASGIMiddleware):
    """Log method, route template, status and duration; answer with an `X-Request-ID`.

    The route template (`/i/{token:str}`) is logged instead of the path, so tokens that travel
    in paths (invites, shared recaps) never reach the log."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        request_id = uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableScopeHeaders.from_message(message)["x-request-id"] = request_id
            await send(message)

        try:
            await next_app(scope, receive, send_with_id)
        except HTTPException as refused:
            # Refused by a middleware before any handler (413, 408): the app's exception
            # handler answers with this status, after this middleware has seen the error.
            status = refused.status_code
            raise
        finally:
            fields = {
                "method": scope.get("method", "-"),
                "route": scope.get("path_template") or "-",
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "request_id": request_id,
            }
            log.info(
                "%(method)s %(route)s %(status)s %(duration_ms)sms id=%(request_id)s",
                fields,
                extra=fields,
            )
