"""The header on a phone: one line at 320 px even for a long couple's name, and a menu that
opens without JavaScript and closes with Escape when it runs."""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser, expect

from tests.e2e.browser import a_context, browser_log_in, no_sideways_scroll, watched_page
from tests.support import signed_up

NARROWEST = {"width": 320, "height": 640}
LONG_NAME = "Zoë Ångström & Kai 🌊 Nakamura, together since forever"


def test_header_is_one_line_at_320_px_and_its_menu_works(browser: Browser, live_server: str):
    with httpx.Client(base_url=live_server) as client:
        zoe = signed_up(client, "Zoe")
        timeline = client.post("/api/v1/timelines", json={"name": LONG_NAME}, headers=zoe).json()
    errors: list[str] = []
    page = watched_page(browser, live_server, errors, viewport=NARROWEST)
    browser_log_in(page, "zoe@example.org")
    page.goto(f"/t/{timeline['id']}")

    header = page.locator("header.site")
    brand = header.locator(".brand")
    # One line: the name is cut with an ellipsis rather than wrapped, the menu beside it.
    assert header.bounding_box()["height"] <= 56
    assert brand.evaluate("e => e.scrollWidth > e.clientWidth"), "the long name is not cut"
    assert page.evaluate("getComputedStyle(document.querySelector('.brand')).textOverflow") == (
        "ellipsis"
    )
    no_sideways_scroll(page)

    menu = header.locator("summary", has_text="Menu")
    menu.click()
    expect(page.get_by_role("link", name="Settings")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Settings")).to_be_hidden()
    assert errors == []


def test_menu_opens_without_javascript(browser: Browser, live_server: str):
    with httpx.Client(base_url=live_server) as client:
        signed_up(client, "Kai")
    context = a_context(
        browser, base_url=live_server, viewport=NARROWEST, java_script_enabled=False
    )
    page = context.new_page()
    browser_log_in(page, "kai@example.org")
    page.locator("header.site summary", has_text="Menu").click()
    expect(page.get_by_role("link", name="Settings")).to_be_visible()
    context.close()
