"""Two people, two browsers: one starts a timeline and invites, the other joins."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.e2e.browser import browser_sign_up


def test_partner_joins_through_the_invite_link(browser: Browser, live_server: str):
    ana = browser.new_context(base_url=live_server, timezone_id="Europe/Lisbon").new_page()
    ana.goto("/signup")
    expect(ana.get_by_label("Time zone")).to_have_value("Europe/Lisbon")
    browser_sign_up(ana, "Ana", "ana@example.org")
    expect(ana.get_by_role("status")).to_have_text("Welcome! Your account is ready.")

    ana.get_by_role("link", name="Create our timeline").click()
    ana.get_by_label("Name").fill("Ana & Sam")
    ana.get_by_label("Together since").fill("2019-06-12")
    ana.get_by_role("button", name="Create timeline").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Ana & Sam")
    ana.get_by_role("button", name="Create an invitation link").click()
    link = ana.get_by_role("textbox", name="Invitation link").input_value()
    assert link.startswith(f"{live_server}/i/")

    sam = browser.new_context(base_url=live_server, timezone_id="Europe/Paris").new_page()
    sam.goto(link)
    expect(sam.get_by_role("heading", level=1)).to_have_text("Ana invited you")
    sam.get_by_role("link", name="Create an account to join").click()
    browser_sign_up(sam, "Sam", "sam@example.org")
    sam.get_by_role("button", name="Join “Ana & Sam”").click()

    expect(sam.get_by_role("status")).to_have_text("You joined the timeline.")
    expect(sam.locator(".timeline-head .quiet")).to_have_text(
        "Ana & Sam · together since 12 June 2019"
    )
    ana.goto(ana.url.removesuffix("/invites"))
    expect(ana.locator(".timeline-head .quiet")).to_contain_text("Ana & Sam")
    expect(ana.get_by_role("button", name="Create an invitation link")).to_have_count(0)


def test_logging_out_returns_to_the_login_page(browser: Browser, live_server: str):
    page = browser.new_context(base_url=live_server).new_page()
    page.goto("/signup")
    browser_sign_up(page, "Ana", "ana@example.org")

    page.get_by_role("button", name="Log out").click()

    expect(page.get_by_role("status")).to_have_text("You are logged out.")
    page.goto("/t/new")
    expect(page).to_have_url(f"{live_server}/login?next=/t/new")
