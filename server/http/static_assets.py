"""Static files under content-hashed names, cached for a year; CSS `url()`s point at them."""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from server.http.auth import ANONYMOUS

# A name changes whenever its bytes do, so a browser may keep what it fetched for good.
IMMUTABLE = "public, max-age=31536000, immutable"
MEDIA_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".woff2": "font/woff2",
}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str


class StaticAssets:
    """Every servable file under `root`, read once at start-up (a few hundred KiB)."""

    def __init__(self, root: Path) -> None:
        self._urls: dict[str, str] = {}
        self._assets: dict[str, Asset] = {}
        files = sorted(
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.is_file() and p.suffix in MEDIA_TYPES
        )
        # Stylesheets last: their url()s name the hashed files, so those must be known first.
        for name in sorted(files, key=lambda n: n.endswith(".css")):
            body = (root / name).read_bytes()
            if name.endswith(".css"):
                body = self._rewrite_urls(name, body.decode()).encode()
            self._add(name, body)

    def url(self, name: str) -> str:
        """The hashed URL of `name` (a path under the static folder, as `vendor/x.js`)."""
        try:
            return self._urls[name]
        except KeyError:
            raise LookupError(f"no static file {name!r}") from None

    def urls(self) -> dict[str, str]:
        """Every file's hashed URL, by its name under the static folder."""
        return dict(self._urls)

    def asset(self, path: str) -> Asset | None:
        """The file a hashed URL path (without `/static/`) names, or None."""
        return self._assets.get(path)

    def _add(self, name: str, body: bytes) -> None:
        digest = hashlib.sha256(body).hexdigest()[:12]
        stem, dot, suffix = name.rpartition(".")
        hashed = f"{stem}.{digest}{dot}{suffix}"
        self._urls[name] = f"/static/{hashed}"
        self._assets[hashed] = Asset(body, MEDIA_TYPES[f".{suffix}"])

    def _rewrite_urls(self, css_name: str, css: str) -> str:
        folder = posixpath.dirname(css_name)

        def hashed(match: re.Match[str]) -> str:
            target = match.group(2)
            if target.startswith(("data:", "#", "http:", "https:")):
                return match.group(0)
            if target.startswith("/static/"):
                name = target.removeprefix("/static/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            return f'url("{self.url(name)}")'

        return CSS_URL.sub(hashed, css)


@get("/static/{path:path}", include_in_schema=False, opt={ANONYMOUS: True})
async def static_file(request: Request, path: FromPath[str]) -> Response[bytes]:
    """A hashed static file; an old or unknown name is not found (pages name the current one)."""
    asset = request.app.state["assets"].asset(path.lstrip("/"))
    if asset is None:
        raise NotFoundException("No such file.")
    return Response(asset.body, media_type=asset.media_type, headers={"Cache-Control": IMMUTABLE})
