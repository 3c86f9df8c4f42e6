"""Security headers on every response: a strict CSP with no inline script, no framing."""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar.datastructures import MutableScopeHeaders
from litestar.types import BeforeMessageSendHookHandler, Message, Scope

from server.common.settings import Settings


def content_security_policy(settings: Settings) -> str:
    """Only our own scripts and styles; images also from the photo bucket when it is S3."""
    images = ["'self'", "data:", "blob:"]
    if settings.media_storage.startswith("s3://"):
        endpoint = settings.s3_endpoint_url
        images.append(
            f"{urlsplit(endpoint).scheme}://{urlsplit(endpoint).netloc}"
            if endpoint
            else "https://*.amazonaws.com"
        )
    return "; ".join(
        [
            "default-src 'self'",
            f"img-src {' '.join(images)}",
            "script-src 'self'",
            "style-src 'self'",
            # Style attributes only, for placeholder colours we compute (#rrggbb); no <style>.
            "style-src-attr 'unsafe-inline'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers_for(settings: Settings) -> BeforeMessageSendHookHandler:
    """A `before_send` hook stamping the headers onto every response start."""
    headers = {
        "content-security-policy": content_security_policy(settings),
        "x-content-type-options": "nosniff",
        # Invite and share links carry tokens in their paths: never send them to other sites.
        "referrer-policy": "same-origin",
        "x-frame-options": "DENY",
        "cross-origin-opener-policy": "same-origin",
    }

    async def add_security_headers(message: Message, _: Scope) -> None:
        if message["type"] == "http.response.start":
            response_headers = MutableScopeHeaders.from_message(message)
            for name, value in headers.items():
                response_headers[name] = value

    return add_security_headers
