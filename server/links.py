"""Absolute links to the app, built on `BASE_URL` (for e-mails and for sharing)."""

from __future__ import annotations

from server.settings import Settings


def invite_url(settings: Settings, token: str) -> str:
    return f"{settings.base_url}/i/{token}"
