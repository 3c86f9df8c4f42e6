"""Pages: photos shared from the phone's gallery (the manifest's share target)."""

from __future__ import annotations

from litestar import Controller


class SharePages(Controller):
    include_in_schema = False
