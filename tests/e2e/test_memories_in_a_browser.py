"""Writing a memory with a photo in a real browser, and seeing the photo load."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests import images
from tests.e2e.browser import browser_sign_up


def test_a_memory_with_a_photo_shows_the_photo(browser: Browser, live_server: str, tmp_path: Path):
    photo = tmp_path / "lake.jpg"
    photo.write_bytes(images.rotated_jpeg_with_gps())
    page = browser.new_context(base_url=live_server).new_page()
    page.goto("/signup")
    browser_sign_up(page, "Ana", "ana@example.org")
    page.get_by_role("link", name="Create our timeline").click()
    page.get_by_label("Name").fill("Ana & Sam")
    page.get_by_role("button", name="Create timeline").click()

    page.get_by_role("link", name="Add a memory").click()
    page.get_by_label("Title").fill("Picnic at the lake")
    page.get_by_label("When").fill("2019-07-14")
    page.get_by_label("We remember the").select_option("month")
    page.get_by_label("The story").fill("You forgot the bread.")
    page.get_by_label("Photos").set_input_files(photo)
    page.get_by_role("button", name="Save this memory").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Picnic at the lake")
    expect(page.locator(".meta time")).to_have_text("July 2019")
    shown = page.get_by_role("img", name="Picnic at the lake")
    expect(shown).to_be_visible()
    page.wait_for_function("document.querySelector('.photos img').complete")
    natural = shown.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert natural == [400, 600]

    page.get_by_role("link", name="Ana & Sam").click()
    card = page.locator(".memory-card")
    expect(card.get_by_role("heading")).to_have_text("Picnic at the lake")
    card.get_by_role("img").evaluate("img => img.decode()")
    assert card.get_by_role("img").evaluate("img => img.naturalWidth") == 267
