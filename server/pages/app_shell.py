"""Pages: what makes the site an installable app (the manifest, the service worker, the
offline page)."""

from __future__ import annotations

from litestar import Controller


class AppShellPages(Controller):
    include_in_schema = False
