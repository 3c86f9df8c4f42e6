"""The timeline in a real browser: at 1280 px the photos fill the width in rows that keep each
photo's shape, and a photo opens the viewer; on a phone the first memory is in the first
screen; older memories join the page as you scroll; a new couple's page. No console errors,
no sideways scrolling. Screenshots: timeline-375/1280, timeline-empty-375/1280.

One server and one couple for the module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser import (
    DESKTOP,
    browser_log_in,
    no_sideways_scroll,
    viewer_opened,
    watched_page,
)
from tests.images import scenery
from tests.support import clean_environment, free_port, served, signed_up

PHONE_SCREEN = {"width": 375, "height": 812}
# The newest month: memories with photos of several shapes, one with six photos.
RECENT = [
    ("Picnic by the Seine", "2026-05-24", [(1600, 1200)]),
    (
        "Lisbon, all of it",
        "2026-05-17",
        [(1200, 1600), (1600, 1067), (1600, 1200), (1200, 1200), (1200, 1600), (1600, 900)],
    ),
    ("Sunday pancakes", "2026-05-10", []),
    ("The long walk home", "2026-05-03", [(1600, 900), (1200, 1600)]),
    ("First swim of the year", "2026-05-01", [(1600, 1067)]),
    ("Rainy cinema night", "2026-04-18", [(1200, 1600)]),
]
OLDER = 34  # text-only memories in 2010-2012: the page shows 30 at a time


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Ana and Sam's timeline (photos this spring, 34 memories in 2010-2012 behind them, some
    rated by Ana) and Kai's new timeline with nothing in it yet."""
    folder, port = tmp_path_factory.mktemp("timeline"), free_port()
    env = clean_environment(DATA_DIR=str(folder / "var"), BASE_URL=f"http://127.0.0.1:{port}")
    with served(env, folder, port) as base_url, httpx.Client(base_url=base_url) as client:
        ana, sam, kai = (signed_up(client, name) for name in ("Ana", "Sam", "Kai"))
        made = client.post(
            "/api/v1/timelines",
            json={"name": "Ana & Sam", "together_since": "2019-06-12"},
            headers=ana,
        )
        timeline = made.json()["id"]
        invite = client.post(f"/api/v1/timelines/{timeline}/invites", headers=ana).json()
        client.post(f"/api/v1/invites/{invite['token']}/accept", headers=sam)
        memories = f"/api/v1/timelines/{timeline}/memories"
        for n, (title, day, photos) in enumerate(RECENT):
            body = "We talked about nothing for two hours and it was the best part of the week."
            memory = client.post(
                memories, json={"title": title, "occurred_on": day, "body": body}, headers=ana
            ).json()["id"]
            for m, (width, height) in enumerate(photos):
                photo = client.post(
                    f"/api/v1/memories/{memory}/photos",
                    files={"file": ("photo.jpg", scenery(width, height, 10 * n + m), "image/jpeg")},
                    headers=ana,
                )
                assert photo.status_code == 201, photo.text
            if n % 2 == 0:
                client.put(
                    f"/api/v1/memories/{memory}/connection", json={"score": 5 - n % 3}, headers=ana
                )
        walks = []
        for n in range(OLDER):
            # Walks 10 and 9 share November 2010, which the first page ends in the middle of.
            day = "2010-11-03" if n == 9 else f"20{10 + n // 12}-{n % 12 + 1:02}-07"
            walk = {"title": f"Sunday walk {n}", "occurred_on": day}
            walks.append(client.post(memories, json=walk, headers=sam).json()["id"])
        photo = client.post(  # the oldest walk, on the second page, has a photo
            f"/api/v1/memories/{walks[0]}/photos",
            files={"file": ("walk.jpg", scenery(800, 600, 99), "image/jpeg")},
            headers=sam,
        )
        assert photo.status_code == 201, photo.text
        empty = client.post("/api/v1/timelines", json={"name": "Kai & Robin"}, headers=kai)
        yield {"url": base_url, "timeline": f"/t/{timeline}", "empty": f"/t/{empty.json()['id']}"}


def logged_in(
    browser: Browser, site: dict[str, str], errors: list[str], email: str, viewport
) -> Page:
    page = watched_page(browser, site["url"], errors, viewport=viewport)
    browser_log_in(page, email)
    return page


def photos_loaded(page: Page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('.tile-photos img')].slice(0, 8)"
        ".every((img) => img.complete && img.naturalWidth > 0)"
    )


def test_photos_fill_the_width_at_1280_in_their_own_shapes(
    browser: Browser, site: dict[str, str], screenshots: Path
):
    errors: list[str] = []
    page = logged_in(browser, site, errors, "sam@example.org", DESKTOP)
    page.goto(site["timeline"])
    photos_loaded(page)

    main = page.locator("main").evaluate(
        "m => { const s = getComputedStyle(m), r = m.getBoundingClientRect();"
        " return r.width - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) }"
    )
    boxes = (
        page.locator(".month-group")
        .first.locator(".tile-photos img")
        .evaluate_all(
            "imgs => imgs.map((i) => { const r = i.getBoundingClientRect();"
            " return [r.left, r.right, r.width / r.height, i.naturalWidth / i.naturalHeight] })"
        )
    )
    span = max(right for _, right, _, _ in boxes) - min(left for left, _, _, _ in boxes)
    assert span >= 0.85 * main, f"the photos span {span:.0f} of {main:.0f} px"
    for _, _, shown, natural in boxes:
        assert abs(shown / natural - 1) < 0.06, "each photo keeps its shape (no sliver crops)"
    page.screenshot(path=str(screenshots / "timeline-1280.png"), full_page=True)

    lisbon = page.locator(".tile", has_text="Lisbon, all of it")
    lisbon.locator(".tile-photos a:not([hidden])").nth(1).click()
    viewer = page.locator(".pswp")
    # All six photos, the two behind "+2" included.
    expect(viewer.locator(".pswp__counter")).to_have_text("2 / 6")
    assert page.url.endswith(site["timeline"]), "the viewer opens in place of the memory page"
    viewer_opened(page)
    page.keyboard.press("Escape")
    expect(page.locator(".pswp")).to_have_count(0)
    assert errors == []


def test_the_first_memory_is_in_a_phones_first_screen(
    browser: Browser, site: dict[str, str], screenshots: Path
):
    errors: list[str] = []
    page = logged_in(browser, site, errors, "sam@example.org", PHONE_SCREEN)
    page.goto(site["timeline"])
    photos_loaded(page)

    first = page.locator(".tile").first.bounding_box()
    assert first["y"] + first["height"] / 2 <= PHONE_SCREEN["height"], "half of it shows at least"
    expect(page.locator(".tile").first.locator(".prompt")).to_have_text("How close did you feel?")
    no_sideways_scroll(page)
    page.screenshot(path=str(screenshots / "timeline-375.png"), full_page=True)
    assert errors == []


def test_older_memories_join_the_page_as_you_scroll(browser: Browser, site: dict[str, str]):
    errors: list[str] = []
    page = logged_in(browser, site, errors, "ana@example.org", PHONE_SCREEN)
    page.goto(site["timeline"])
    tiles = page.locator("#memories .tile")
    expect(tiles).to_have_count(30)

    page.get_by_role("link", name="Older memories").scroll_into_view_if_needed()

    expect(tiles).to_have_count(len(RECENT) + OLDER)
    expect(page.get_by_role("link", name="Older memories")).to_have_count(0)
    expect(tiles.last.locator(".tile-title")).to_have_text("Sunday walk 0")
    months = page.locator(".month-group").evaluate_all("ms => ms.map((m) => m.dataset.month)")
    assert len(months) == len(set(months)), "a month that carries on is not shown twice"
    november = page.locator(".month-group[data-month='2010-11'] .tile-title")
    expect(november).to_have_text(["Sunday walk 10", "Sunday walk 9"])
    assert page.url.endswith(site["timeline"])
    # The viewer knows the photos that arrived with the next page.
    tiles.last.locator(".tile-photos a").click()
    expect(page.locator(".pswp")).to_be_visible()
    assert errors == []


def test_a_new_couples_page_at_both_widths(
    browser: Browser, site: dict[str, str], screenshots: Path
):
    errors: list[str] = []
    for name, viewport in (("375", PHONE_SCREEN), ("1280", DESKTOP)):
        page = logged_in(browser, site, errors, "kai@example.org", viewport)
        page.goto(site["empty"])
        expect(page.get_by_role("link", name="Add your first memory")).to_be_in_viewport()
        no_sideways_scroll(page)
        page.screenshot(path=str(screenshots / f"timeline-empty-{name}.png"), full_page=True)
    assert errors == []
