"""The everyday loop in real browsers: a memory with two photos, the partner rating and
answering it, paging, a filter and a search; no console errors, no sideways scrolling on a
phone, and screenshots of the pages at phone and desktop widths."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import Browser, expect

from tests import images
from tests.e2e.browser import DESKTOP, browser_log_in, no_sideways_scroll, watched_page
from tests.support import signed_up


def couple_with_history(base_url: str, memories: int) -> tuple[str, str]:
    """Ana and Sam with a shared timeline holding `memories` rituals, through the API."""
    with httpx.Client(base_url=base_url) as client:
        ana, sam = signed_up(client, "Ana"), signed_up(client, "Sam")
        timeline = client.post("/api/v1/timelines", json={"name": "Ana & Sam"}, headers=ana).json()
        invite = client.post(f"/api/v1/timelines/{timeline['id']}/invites", headers=ana).json()
        client.post(f"/api/v1/invites/{invite['token']}/accept", headers=sam)
        for n in range(memories):
            client.post(
                f"/api/v1/timelines/{timeline['id']}/memories",
                json={
                    "title": f"Sunday walk {n}",
                    "occurred_on": f"20{10 + n // 12}-{n % 12 + 1:02}-07",
                    "kind": "ritual",
                    "body": "Around the park, slowly.",
                },
                headers=ana,
            )
        return timeline["id"], timeline["name"]


def test_memory_with_two_photos_rated_and_answered_by_the_partner(
    browser: Browser, live_server: str, tmp_path: Path, screenshots: Path
):
    timeline_id, _ = couple_with_history(live_server, memories=3)
    photos = []
    for name, data in [("lake.jpg", images.rotated_jpeg_with_gps()), ("tent.heic", images.heic())]:
        photos.append(tmp_path / name)
        photos[-1].write_bytes(data)
    errors: list[str] = []
    ana = watched_page(browser, live_server, errors)
    browser_log_in(ana, "ana@example.org")
    ana.goto(f"/t/{timeline_id}/new")
    ana.get_by_label("Title").fill("Camping by the lake")
    ana.get_by_label("When").fill("2019-07-14")
    ana.get_by_label("The story").fill("The tent leaked.\nWe laughed until we could not breathe.")
    ana.get_by_label("Photos").set_input_files(photos)
    ana.get_by_role("button", name="Save this memory").click()
    expect(ana.locator(".photos img")).to_have_count(2)

    sam = watched_page(browser, live_server, errors)
    browser_log_in(sam, "sam@example.org")
    sam.goto(f"/t/{timeline_id}")
    card = sam.locator(".memory-card", has_text="Camping by the lake")
    expect(card.locator(".prompt")).to_have_text("How close did you feel?")
    expect(card.locator(".covers img")).to_have_count(2)
    no_sideways_scroll(sam)
    sam.screenshot(path=str(screenshots / "timeline-375.png"), full_page=True)
    card.get_by_role("link", name="Camping by the lake").click()
    sam.get_by_label("5", exact=True).check()
    sam.get_by_label("What I appreciated").fill("How you laughed at the rain.")
    sam.get_by_role("button", name="Save").click()
    sam.get_by_label("Your reply").fill("Same lake next summer?")
    sam.get_by_role("button", name="Reply").click()
    expect(sam.locator(".reply p")).to_have_text("Same lake next summer?")
    no_sideways_scroll(sam)
    sam.screenshot(path=str(screenshots / "memory-375.png"), full_page=True)

    ana.reload()
    expect(ana.locator("#connection")).to_contain_text(
        "Sam felt 5 of 5, and appreciated: “How you laughed at the rain.”"
    )
    desktop = watched_page(browser, live_server, errors, viewport=DESKTOP)
    browser_log_in(desktop, "ana@example.org")
    desktop.goto(ana.url)
    desktop.screenshot(path=str(screenshots / "memory-1280.png"), full_page=True)
    desktop.goto(f"/t/{timeline_id}")
    desktop.screenshot(path=str(screenshots / "timeline-1280.png"), full_page=True)
    assert errors == []


def test_paging_a_filter_and_a_search(browser: Browser, live_server: str):
    timeline_id, _ = couple_with_history(live_server, memories=35)
    errors: list[str] = []
    page = watched_page(browser, live_server, errors)
    browser_log_in(page, "ana@example.org")
    page.goto(f"/t/{timeline_id}")
    expect(page.locator(".memory-card")).to_have_count(30)
    expect(page.locator(".year-heading").first).to_have_text("2012")

    page.get_by_role("link", name="Older memories").click()
    expect(page.locator(".memory-card")).to_have_count(5)
    expect(page.locator(".memory-card h4").last).to_have_text("Sunday walk 0")

    page.goto(f"/t/{timeline_id}")
    page.get_by_role("navigation", name="Years").get_by_role("link", name="2011").click()
    expect(page.locator(".memory-card")).to_have_count(12)
    expect(page.locator(".year-heading")).to_have_text(["2011"])

    page.get_by_label("Search memories").fill("walk 17")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".memory-card h4").first).to_contain_text("Sunday walk 17")
    expect(page.locator(".memory-card mark").first).to_have_text("walk")
    no_sideways_scroll(page)
    assert errors == []
