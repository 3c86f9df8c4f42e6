"""The installable app as served: the manifest (names, colours, icons, the share target),
the service worker at the root (fresh each time, naming the files it keeps), the offline
pages it keeps (for nobody in particular), the mark that tells it whose page a page is, and
log-out clearing what the browser kept. The browser's side: tests/e2e/test_app_in_a_browser.py."""

from __future__ import annotations

import io
import json
import re

from PIL import Image

from tests.support import page_soup, submit, text_of, web_log_in, web_sign_up

PAPER = "#faf6f1"


async def test_manifest_names_the_app_its_colours_and_icons(client):
    answer = await client.get("/manifest.webmanifest")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(answer.text)
    assert manifest["name"] == "Remember When"
    assert manifest["short_name"]
    assert manifest["description"]
    assert (manifest["id"], manifest["start_url"], manifest["scope"]) == ("/", "/", "/")
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == manifest["background_color"] == PAPER
    icons = {(i["sizes"], i["purpose"]): i["src"] for i in manifest["icons"]}
    assert set(icons) == {(s, p) for s in ("192x192", "512x512") for p in ("any", "maskable")}
    for (sizes, _), src in icons.items():
        assert re.fullmatch(r"/static/icons/(icon|maskable)-\d+\.[0-9a-f]{12}\.png", src)
        image = await client.get(src)
        with Image.open(io.BytesIO(image.content)) as png:
            assert f"{png.width}x{png.height}" == sizes
    assert [s["url"] for s in manifest["shortcuts"]] == ["/"]


async def test_a_maskable_icon_fills_its_square_and_keeps_the_heart_in_the_safe_zone(client):
    manifest = (await client.get("/manifest.webmanifest")).json()
    src = next(i["src"] for i in manifest["icons"] if i["purpose"] == "maskable")
    with Image.open(io.BytesIO((await client.get(src)).content)) as png:
        rgba = png.convert("RGBA")
    size = rgba.width
    # Opaque to the corners, in the favicon's terracotta.
    for corner in [(0, 0), (size - 1, 0), (0, size - 1), (size - 1, size - 1)]:
        assert rgba.getpixel(corner) == (0xB4, 0x49, 0x2F, 255)
    # The cream heart lies within the circle of 80 % of the width about the centre.
    heart = [
        (x, y)
        for y in range(0, size, 4)
        for x in range(0, size, 4)
        if rgba.getpixel((x, y))[1] > 200  # cream: green high; terracotta's green is 0x49
    ]
    assert heart
    radius = 0.4 * size
    assert all((x - size / 2) ** 2 + (y - size / 2) ** 2 < radius**2 for x, y in heart)


async def test_manifest_lets_the_phone_share_photos_to_the_app(client):
    target = (await client.get("/manifest.webmanifest")).json()["share_target"]

    assert target["action"] == "/share"
    assert target["method"] == "POST"
    assert target["enctype"] == "multipart/form-data"
    assert target["params"]["title"] == "title"
    (files,) = target["params"]["files"]
    assert files["name"] == "photos"
    assert {"image/*", "image/heic", ".heic", ".jpg"} <= set(files["accept"])


async def test_every_page_links_the_manifest_and_says_how_to_look_installed(client, sign_up):
    await sign_up("Ana", "ana@example.org")
    guest = page_soup((await client.get("/login")).text)
    await web_log_in(client, "ana@example.org")
    member = page_soup((await client.get("/")).text)

    for soup in (guest, member):
        assert soup.select_one('link[rel="manifest"]')["href"] == "/manifest.webmanifest"
        colours = {m["media"]: m["content"] for m in soup.select('meta[name="theme-color"]')}
        assert colours == {
            "(prefers-color-scheme: light)": PAPER,
            "(prefers-color-scheme: dark)": "#1b1614",
        }
        for name in ("mobile-web-app-capable", "apple-mobile-web-app-capable"):
            assert soup.select_one(f'meta[name="{name}"]')["content"] == "yes"
        assert soup.select_one('meta[name="apple-mobile-web-app-title"]')["content"]
        assert "viewport-fit=cover" in soup.select_one('meta[name="viewport"]')["content"]
    touch = member.select_one('link[rel="apple-touch-icon"]')["href"]
    with Image.open(io.BytesIO((await client.get(touch)).content)) as png:
        assert png.size == (180, 180)
        assert png.convert("RGBA").getpixel((0, 0))[3] == 255  # iOS blackens transparency


async def test_service_worker_is_served_from_the_root_and_asked_for_afresh(client):
    answer = await client.get("/sw.js")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["cache-control"] == "no-cache"
    assert answer.headers["service-worker-allowed"] == "/"
    # It keeps the files pages load under the names they load them by, and the offline pages.
    login = page_soup((await client.get("/login")).text)
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", answer.text)[1])
    assert login.select_one('link[rel="stylesheet"]')["href"] in precache
    assert login.select_one("script[src]")["src"] in precache
    assert {"/offline", "/offline/not-saved"} <= set(precache)
    assert all(url.startswith("/static/") or url.startswith("/offline") for url in precache)


async def test_offline_page_is_kept_for_whoever_uses_the_device(client, sign_up):
    await sign_up("Ana", "ana@example.org")
    await web_log_in(client, "ana@example.org")  # leaves "Welcome back." to be shown

    offline = await client.get("/offline")

    assert offline.status_code == 200
    assert text_of(offline.text, "h1") == "You’re offline"
    assert "need a connection" in text_of(offline.text, "main")
    soup = page_soup(offline.text)
    assert "Ana" not in offline.text
    assert not soup.select("[data-member], form, .flash")
    # The flash message is still there for the next page.
    assert text_of((await client.get("/")).text, ".flash") == "Welcome back."


async def test_not_saved_page_says_the_words_are_still_in_the_form(client):
    answer = await client.get("/offline/not-saved")

    assert answer.status_code == 200
    assert text_of(answer.text, "h1") == "Not saved yet: you’re offline"
    assert "still in the form" in text_of(answer.text, "main")
    assert page_soup(answer.text).select_one("main a[data-back]").get_text() == (
        "Go back to the form"
    )


async def test_a_members_pages_say_whose_they_are_and_a_guests_say_nothing(client):
    signed_up = await web_sign_up(client, "Ana", "ana@example.org")
    timeline = await client.get(signed_up.headers["location"])
    me = await client.get("/settings")
    member_id = page_soup(timeline.text).body["data-member"]
    assert page_soup(me.text).body["data-member"] == member_id

    await submit(client, "/settings", "/logout", {})
    assert "data-member" not in (await client.get("/login")).text


async def test_logging_out_clears_what_the_browser_kept(client, sign_up):
    await sign_up("Ana", "ana@example.org")
    await web_log_in(client, "ana@example.org")

    answer = await submit(client, "/settings", "/logout", {})

    assert answer.status_code == 303
    assert answer.headers["clear-site-data"] == '"cache", "storage"'
