"""Static files and compression: hashed names cached for a year, pages squeezed, photos not."""

from __future__ import annotations

import gzip
import re

import brotli

from tests.images import rotated_jpeg_with_gps
from tests.support import page_soup, upload_photo, web_log_in, write_memory

IMMUTABLE = "public, max-age=31536000, immutable"


async def test_pages_name_static_files_by_content_and_they_are_kept_for_a_year(client):
    login = await client.get("/login")
    soup = page_soup(login.text)
    stylesheet = soup.select_one('link[rel="stylesheet"]')["href"]
    font = soup.select_one('link[rel="preload"][as="font"]')["href"]
    assert re.fullmatch(r"/static/app\.[0-9a-f]{12}\.css", stylesheet)

    css = await client.get(stylesheet)
    assert css.status_code == 200
    assert css.headers["cache-control"] == IMMUTABLE
    assert css.headers["content-type"].startswith("text/css")
    # The stylesheet's fonts are named by content too, and the preloaded one is among them.
    font_urls = re.findall(r'url\("(/static/vendor/fraunces/[^"]+\.woff2)"\)', css.text)
    assert font in font_urls
    served_font = await client.get(font)
    assert served_font.headers["content-type"] == "font/woff2"
    assert served_font.headers["cache-control"] == IMMUTABLE


async def test_a_static_file_by_its_plain_or_an_old_name_is_not_found(client):
    assert (await client.get("/static/app.css")).status_code == 404
    assert (await client.get("/static/app.000000000000.css")).status_code == 404


async def test_pages_travel_compressed_with_brotli_or_gzip(client):
    plain = await client.get("/login", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers

    # Read off the wire: httpx would decode the body and hide how it travelled.
    async with client.stream("GET", "/login", headers={"Accept-Encoding": "br"}) as squeezed:
        assert squeezed.headers["content-encoding"] == "br"
        raw = b"".join([chunk async for chunk in squeezed.aiter_raw()])
    assert len(raw) < len(plain.content) / 2
    assert brotli.decompress(raw).count(b"<form") == plain.content.count(b"<form")

    async with client.stream("GET", "/login", headers={"Accept-Encoding": "gzip"}) as zipped:
        assert zipped.headers["content-encoding"] == "gzip"
        raw = b"".join([chunk async for chunk in zipped.aiter_raw()])
    assert b"Log in" in gzip.decompress(raw)


async def test_photos_are_sent_as_they_are_stored(client, couple):
    ana, _, timeline_id = await couple()
    memory = await write_memory(client, ana, timeline_id, "Lake", "2024-06-01")
    photo = (await upload_photo(client, ana, memory["id"], rotated_jpeg_with_gps())).json()
    await web_log_in(client, ana.email)

    async with client.stream(
        "GET", photo["urls"]["display"], headers={"Accept-Encoding": "br, gzip"}
    ) as served:
        assert served.status_code == 200
        assert "content-encoding" not in served.headers
