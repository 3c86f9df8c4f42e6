"""Draw the app's icons from the favicon's design (server/static/favicon.svg: a terracotta
circle with a cream heart), once, with Debian's Chromium through Playwright; the PNGs are
committed beside this script. Run again after the favicon changes:

    .venv/bin/python server/static/icons/make_icons.py

- icon-192.png, icon-512.png (purpose "any"): the favicon as it is, on transparency.
- maskable-192.png, maskable-512.png (purpose "maskable"): the terracotta fills the square,
  so any mask a launcher cuts (circle, squircle) shows the same colour to the edge; the
  heart keeps well inside the central 80 % safe zone.
- apple-touch-icon.png (180 px): like the maskable ones, opaque (iOS rounds the corners
  itself and turns transparency black).
- badge-96.png: the heart alone in white on transparency: Android draws a notification's
  badge from its alpha channel only.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
FAVICON = (HERE.parent / "favicon.svg").read_text()
TERRACOTTA = re.search(r'circle[^>]*fill="(#[0-9a-f]{6})"', FAVICON)[1]
# The favicon's heart, drawn again with smooth joins: at 16 px nobody sees the notches where
# its arcs meet the sides, at 512 px everybody would. Same box, within a unit.
HEART = (
    "M16 24.5C16 24.5 8.5 19.8 8.5 14.6C8.5 12.3 10.3 10.5 12.6 10.5C14 10.5 15.3 11.2 16 12.4"
    "C16.7 11.2 18 10.5 19.4 10.5C21.7 10.5 23.5 12.3 23.5 14.6C23.5 19.8 16 24.5 16 24.5Z"
)
CREAM = re.search(r'<path[^>]*fill="(#[0-9a-f]{6})"', FAVICON)[1]

# The heart spans x 8.5..23.5 and y 10.5..24.5 of the 32-unit square. Full bleed: a square
# of the accent with the heart scaled by 1.25 about its centre (16, 17.5): 59 % wide, its
# farthest point 0.69 of the half-width from the centre, inside the 0.8 safe zone.
FULL_BLEED = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    f'<rect width="32" height="32" fill="{TERRACOTTA}"/>'
    f'<path d="{HEART}" fill="{CREAM}" '
    'transform="translate(16 16) scale(1.25) translate(-16 -17.5)"/>'
    "</svg>"
)
# The badge: the heart alone, filling its square with a little margin.
BADGE = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="7 8.5 18 18">'
    f'<path d="{HEART}" fill="#ffffff"/>'
    "</svg>"
)
# The favicon with the smooth heart.
ROUND = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    f'<circle cx="16" cy="16" r="15" fill="{TERRACOTTA}"/>'
    f'<path d="{HEART}" fill="{CREAM}"/>'
    "</svg>"
)
ICONS = {
    "icon-192.png": (ROUND, 192),
    "icon-512.png": (ROUND, 512),
    "maskable-192.png": (FULL_BLEED, 192),
    "maskable-512.png": (FULL_BLEED, 512),
    "apple-touch-icon.png": (FULL_BLEED, 180),
    "badge-96.png": (BADGE, 96),
}


def main() -> None:
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        page = browser.new_page()
        for name, (svg, size) in ICONS.items():
            page.set_viewport_size({"width": size, "height": size})
            sized = svg.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
            page.set_content(
                f'<html><body style="margin:0;background:transparent">{sized}</body></html>'
            )
            shot = page.screenshot(omit_background=True)
            with Image.open(io.BytesIO(shot)) as image:
                assert image.size == (size, size), (name, image.size)
                image.save(HERE / name, optimize=True)
            print(f"{name}: {size}x{size}, {(HERE / name).stat().st_size} bytes")
        browser.close()


if __name__ == "__main__":
    main()
