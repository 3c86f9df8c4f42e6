"""Two people, two browsers: one signs up and invites, the other joins by signing up."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.browser import DESKTOP, PHONE, a_context, browser_sign_up


def test_partner_joins_by_signing_up_from_the_invite_link(
    browser: Browser, live_server: str, screenshots: Path
):
    ana_context = a_context(
        browser, base_url=live_server, timezone_id="Europe/Lisbon", viewport=PHONE
    )
    ana_context.grant_permissions(["clipboard-read", "clipboard-write"])
    ana = ana_context.new_page()
    ana.goto("/signup")
    expect(ana.get_by_label("Time zone")).to_have_value("Europe/Lisbon")
    browser_sign_up(ana, "Ana", "ana@example.org")

    # Signing up is starting the timeline: it waits for the partner's name.
    expect(ana.get_by_role("status")).to_contain_text("Welcome! This is your timeline")
    expect(ana.locator("header.site .brand")).to_have_text("♥ Ana & …")
    ana.get_by_role("button", name="Create an invitation link").click()
    link = ana.get_by_role("textbox", name="Invitation link").input_value()
    assert link.startswith(f"{live_server}/i/")
    ana.get_by_role("button", name="Copy link").click()
    expect(ana.get_by_role("status")).to_contain_text("Copied")
    assert ana.evaluate("navigator.clipboard.readText()") == link
    assert link in ana.get_by_label("A message to send with it").input_value()
    ana.screenshot(path=screenshots / "invitation-375.png", full_page=True)
    ana.set_viewport_size(DESKTOP)
    ana.screenshot(path=screenshots / "invitation-1280.png", full_page=True)

    sam = a_context(browser, base_url=live_server, timezone_id="Europe/Paris").new_page()
    sam.goto(link)
    expect(sam.get_by_role("heading", level=1)).to_have_text("Ana invited you")
    sam.get_by_role("link", name="Create an account and join").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("Join Ana’s timeline")
    sam.screenshot(path=screenshots / "signup-invited-1280.png", full_page=True)
    browser_sign_up(sam, "Sam", "sam@example.org")

    expect(sam.get_by_role("status")).to_have_text("You're in. This is your shared timeline.")
    expect(sam.locator("header.site .brand")).to_have_text("♥ Ana & Sam")
    ana.goto(ana.url.removesuffix("/invite"))
    expect(ana.locator("header.site .brand")).to_have_text("♥ Ana & Sam")
    expect(ana.get_by_role("button", name="Create an invitation link")).to_have_count(0)


def test_logging_out_returns_to_the_login_page(browser: Browser, live_server: str):
    page = a_context(browser, base_url=live_server).new_page()
    page.goto("/signup")
    browser_sign_up(page, "Ana", "ana@example.org")

    page.locator("header.site summary", has_text="Menu").click()
    page.get_by_role("button", name="Log out").click()

    expect(page.get_by_role("status")).to_have_text("You are logged out.")
    page.goto("/t/new")
    expect(page).to_have_url(f"{live_server}/login?next=/t/new")
