"""Pages: what makes the site an installable app (the manifest, the service worker, the
offline page).

The service worker (templates/app/sw.js) is rendered with the hashed URLs of every static
file it keeps for offline use, and a version made from them: when any file changes, the
worker's bytes change, the browser installs it, and it drops the caches of the old one.
The offline pages it keeps are rendered for nobody in particular (no member, no flash
message), since one copy serves whoever is signed in on the device."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.response import Template

from server.common.templating import TEMPLATES
from server.http.auth import ANONYMOUS
from server.http.static_assets import StaticAssets

MANIFEST_TYPE = "application/manifest+json"
SCRIPT_TYPE = "text/javascript"
# Browsers check for a new worker at least daily; no-cache makes them ask us every time,
# and ask cheaply (the answer is small and compressed).
REVALIDATE = "no-cache"
OFFLINE = "/offline"
NOT_SAVED = "/offline/not-saved"
# Light and dark: the page's paper, so a standalone window's title bar is one with the header.
PAPER = "#faf6f1"
PAPER_DARK = "#1b1614"
# What the phone's share sheet may hand us (HEIC straight from an iPhone's library too).
SHARED_PHOTOS = [
    "image/*",
    "image/heic",
    "image/heif",
    ".heic",
    ".heif",
    ".jpg",
    ".jpeg",
    ".png",
    ".webp",
]
ICON_SIZES = (192, 512)


def manifest(assets: StaticAssets) -> dict[str, Any]:
    """The web app manifest: names, colours, icons, the share target and a shortcut."""
    icons = [
        {"src": assets.url(f"icons/icon-{n}.png"), "sizes": f"{n}x{n}", "type": "image/png"}
        for n in ICON_SIZES
    ] + [
        {
            "src": assets.url(f"icons/maskable-{n}.png"),
            "sizes": f"{n}x{n}",
            "type": "image/png",
            "purpose": "maskable",
        }
        for n in ICON_SIZES
    ]
    for icon in icons:
        icon.setdefault("purpose", "any")
    return {
        "id": "/",
        "name": "Remember When",
        "short_name": "Remember When",
        "description": (
            "Your shared timeline of photos and memories, and a moment a day to remember together."
        ),
        "lang": "en",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": PAPER,
        "background_color": PAPER,
        "categories": ["lifestyle", "photo", "social"],
        "icons": icons,
        "shortcuts": [
            {
                "name": "Today's Remember when…",
                "short_name": "Today",
                "url": "/",
                "icons": [
                    {"src": assets.url("icons/icon-192.png"), "sizes": "192x192"},
                ],
            }
        ],
        "share_target": {
            "action": "/share",
            "method": "POST",
            "enctype": "multipart/form-data",
            "params": {
                "title": "title",
                "text": "text",
                "url": "url",
                "files": [{"name": "photos", "accept": SHARED_PHOTOS}],
            },
        },
    }


@cache
def _source(name: str) -> bytes:
    return (TEMPLATES / name).read_bytes()


def kept_offline(assets: StaticAssets) -> list[str]:
    """The hashed URLs of the static files the worker keeps, in a stable order: every one
    served (a few hundred KiB), the scripts pages load on demand too."""
    return sorted(assets.urls().values())


def worker_version(assets: StaticAssets) -> str:
    """Changes whenever a kept file, the worker's own source or an offline page's does."""
    digest = hashlib.sha256()
    for part in [
        *kept_offline(assets),
        _source("app/sw.js"),
        _source("pages/offline.html"),
        _source("base.html"),
    ]:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


class AppShellPages(Controller):
    include_in_schema = False

    @get("/manifest.webmanifest", opt={ANONYMOUS: True})
    async def web_app_manifest(self, request: Request) -> Response[bytes]:
        body = json.dumps(manifest(request.app.state.assets), ensure_ascii=False, indent=1)
        return Response(
            body.encode(), media_type=MANIFEST_TYPE, headers={"Cache-Control": REVALIDATE}
        )

    @get("/sw.js", opt={ANONYMOUS: True})
    async def service_worker(self, request: Request) -> Template:
        assets: StaticAssets = request.app.state.assets
        return Template(
            "app/sw.js",
            context={
                "version": worker_version(assets),
                "precache": [*kept_offline(assets), OFFLINE, NOT_SAVED],
                "offline": OFFLINE,
                "not_saved": NOT_SAVED,
                "icon": assets.url("icons/icon-192.png"),
                "badge": assets.url("icons/badge-96.png"),
            },
            media_type=SCRIPT_TYPE,
            headers={"Cache-Control": REVALIDATE, "Service-Worker-Allowed": "/"},
        )

    @get(OFFLINE, opt={ANONYMOUS: True})
    async def offline(self) -> Template:
        """What a page the device never kept shows without a connection."""
        return _offline_page(saving=False)

    @get(NOT_SAVED, opt={ANONYMOUS: True})
    async def not_saved(self) -> Template:
        """What sending a form shows without a connection."""
        return _offline_page(saving=True)


def _offline_page(*, saving: bool) -> Template:
    # Not page(): it would show the member's name and take their flash message, and this
    # copy is kept for whoever uses the device next.
    return Template(
        "pages/offline.html",
        context={"user": None, "flash": None, "saving": saving},
        headers={"Cache-Control": REVALIDATE},
    )
