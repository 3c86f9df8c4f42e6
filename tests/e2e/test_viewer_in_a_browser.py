"""The memory page in a real browser: the photo viewer opens from it, goes to the next photo
by arrow key or swipe, shows the caption and closes with Escape; the heart selector works
from the keyboard; the page does not jump while slow photos arrive (CLS < 0.02 at 375 px).
Screenshots: memory-375/1280 (three photos of mixed shapes, both partners' words) and
viewer-375/1280.

One server and one couple for the module."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    a_context,
    browser_log_in,
    no_sideways_scroll,
    viewer_opened,
)
from tests.images import scenery
from tests.support import clean_environment, free_port, served, signed_up

# A landscape, a portrait, a wide one.
PHOTOS = [(1600, 1200), (1200, 1600), (1600, 900)]
SAMS_WORDS = "How you turned a soggy baguette into the best afternoon of that summer"
ANAS_WORDS = "Your laugh when the rain came."
# Every layout shift the page makes, summed as CLS counts them (not those after input).
WATCH_SHIFTS = """() => {
  window.shifts = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.shifts += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
}"""
ON_SCREEN_PHOTOS_ARRIVED = """() => [...document.querySelectorAll("main img")]
  .filter((img) => img.getBoundingClientRect().top < innerHeight)
  .every((img) => img.complete)"""
# Two frames, so what changed has been laid out and painted. A page Chromium does not paint
# (in the background) gets no frames: the timer keeps `evaluate`, which has no timeout of its
# own, from waiting for ever.
TWO_FRAMES = """() => new Promise((r) => {
  requestAnimationFrame(() => requestAnimationFrame(r));
  setTimeout(r, 1000);
})"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The served app with Ana and Sam: a picnic with three photos that both rated and wrote
    about, with a reply; and a memory Ana has not rated yet."""
    folder, port = tmp_path_factory.mktemp("viewer"), free_port()
    env = clean_environment(DATA_DIR=str(folder / "var"), BASE_URL=f"http://127.0.0.1:{port}")
    with served(env, folder, port) as base_url, httpx.Client(base_url=base_url) as client:
        ana, sam = signed_up(client, "Ana"), signed_up(client, "Sam")
        mine = client.get("/api/v1/me", headers=ana).json().get("timelines") or [
            client.post("/api/v1/timelines", json={"name": "Ana & Sam"}, headers=ana).json()
        ]
        timeline = mine[0]["id"]
        invite = client.post(f"/api/v1/timelines/{timeline}/invites", headers=ana).json()
        client.post(f"/api/v1/invites/{invite['token']}/accept", headers=sam)

        def memory(title: str, day: str, **fields: object) -> str:
            made = client.post(
                f"/api/v1/timelines/{timeline}/memories",
                json={"title": title, "occurred_on": day, **fields},
                headers=ana,
            )
            return made.json()["id"]

        picnic = memory(
            "Picnic by the Seine",
            "2024-06-15",
            place="Paris",
            kind="date",
            tags=["summer", "paris"],
            body="The bread got wet, the wine did not.\nWe stayed until the lamps came on.",
        )
        for n, (width, height) in enumerate(PHOTOS):
            photo = client.post(
                f"/api/v1/memories/{picnic}/photos",
                files={"file": ("photo.jpg", scenery(width, height, n), "image/jpeg")},
                headers=ana,
            )
            assert photo.status_code == 201, photo.text
        for member, score, words in ((sam, 5, SAMS_WORDS), (ana, 4, ANAS_WORDS)):
            client.put(
                f"/api/v1/memories/{picnic}/connection",
                json={"score": score, "appreciation": words},
                headers=member,
            )
        client.post(
            f"/api/v1/memories/{picnic}/replies",
            json={"text": "Same bench next June?"},
            headers=sam,
        )
        client.post(
            f"/api/v1/memories/{picnic}/replies",
            json={"text": "Only if you bring dry bread."},
            headers=ana,
        )
        unrated = memory("First snow", "2024-12-03")
        yield {"url": base_url, "picnic": f"/m/{picnic}", "unrated": f"/m/{unrated}"}


@pytest.fixture(scope="module")
def ana_contexts(browser: Browser, site: dict[str, str]) -> Iterator[dict[str, BrowserContext]]:
    """Ana logged in on a phone (asking for reduced motion) and on a laptop."""
    # Without the service worker (as every context of a_context): photos come from the
    # network, where `page.route` can hold them back.
    contexts = {
        "375": a_context(browser, base_url=site["url"], viewport=PHONE, reduced_motion="reduce"),
        "1280": a_context(browser, base_url=site["url"], viewport=DESKTOP),
    }
    for context in contexts.values():
        page = context.new_page()
        browser_log_in(page, "ana@example.org")
        page.close()
    yield contexts
    for context in contexts.values():
        context.close()


def watched(context: BrowserContext, errors: list[str]) -> Page:
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


def photos_loaded(page: Page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('main img')]"
        ".every((img) => img.complete && img.naturalWidth > 0)"
    )


@pytest.mark.parametrize("width", ["375", "1280"])
def test_the_viewer_opens_from_the_memory_page_and_goes_through_the_photos(
    ana_contexts: dict[str, BrowserContext], site: dict[str, str], screenshots: Path, width: str
):
    errors: list[str] = []
    page = watched(ana_contexts[width], errors)
    page.goto(site["picnic"])
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    photos_loaded(page)
    page.evaluate("window.scrollTo(0, 0)")
    no_sideways_scroll(page)
    page.screenshot(path=str(screenshots / f"memory-{width}.png"), full_page=True)

    page.locator(".memory-photos a").first.click()
    viewer = page.locator(".pswp")
    expect(viewer).to_be_visible()
    expect(viewer.locator(".pswp__counter")).to_have_text("1 / 3")
    # No caption written: the photo's alt text, the memory's title.
    expect(viewer.locator(".pswp__caption")).to_have_text("Picnic by the Seine")
    expect(viewer.get_by_role("link", name="Full size")).to_have_attribute(
        "href", re.compile(r"^/photos/[0-9a-f-]+/original\?")
    )
    # Opened, and the photo has arrived.
    viewer_opened(page)
    page.wait_for_function(
        "() => document.querySelector('.pswp__item[aria-hidden=false] img.pswp__img')?.complete"
    )
    page.screenshot(path=str(screenshots / f"viewer-{width}.png"))

    if width == "375":
        page.keyboard.press("ArrowRight")
    else:  # a swipe to the left, as a finger or a mouse drags
        box = page.viewport_size
        # Well past half the width: PhotoSwipe turns the page on a drag that leaves less
        # than half the photo in view whatever its speed, but on one of half the width only
        # if it is fast, which a busy machine may not report.
        page.mouse.move(box["width"] * 0.85, box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["width"] * 0.15, box["height"] / 2, steps=8)
        page.mouse.up()
    expect(viewer.locator(".pswp__counter")).to_have_text("2 / 3")

    page.keyboard.press("Escape")
    expect(viewer).to_have_count(0)
    assert errors == []
    page.close()


def test_the_heart_selector_works_by_keyboard(
    ana_contexts: dict[str, BrowserContext], site: dict[str, str]
):
    errors: list[str] = []
    page = watched(ana_contexts["375"], errors)
    page.goto(site["unrated"])
    expect(page.get_by_role("heading", name="What did it feel like for you, Ana?")).to_be_visible()

    page.get_by_role("group", name="How close did you feel?").get_by_role("radio").first.focus()
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="4 of 5")).to_be_checked()
    filled = page.locator(".heart-option svg").evaluate_all(
        "svgs => svgs.map(s => getComputedStyle(s).fill !== 'rgba(0, 0, 0, 0)')"
    )
    assert filled == [True, True, True, True, False]
    assert (
        page.locator(".heart-option")
        .nth(3)
        .evaluate("label => getComputedStyle(label).outlineStyle")
        == "solid"
    ), "the focused heart shows no focus ring"

    page.keyboard.press("Tab")
    page.keyboard.type("The quiet of the street.")
    page.get_by_role("button", name="Save").click()
    note = page.locator("#connection .love-note")
    expect(note).to_contain_text("Ana · ♥♥♥♥♥ 4 of 5")
    expect(note.locator("blockquote")).to_have_text("The quiet of the street.")
    assert errors == []
    page.close()


def test_the_page_does_not_jump_while_slow_photos_arrive(
    ana_contexts: dict[str, BrowserContext], site: dict[str, str]
):
    page = ana_contexts["375"].new_page()
    page.bring_to_front()
    held: list[Route] = []
    released = False

    def slow(route: Route) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    # The photos wait until the page is laid out, painted and watched: the worst slow network.
    page.route(re.compile(r"\.webp(\?|$)"), slow)
    page.goto(site["picnic"], wait_until="domcontentloaded")
    page.evaluate(WATCH_SHIFTS)
    page.evaluate(TWO_FRAMES)
    assert held, "no photo was asked for before the page was painted"
    released = True
    while held:
        held.pop().continue_()
    # Read down the page as a person would, each screen's photos arriving while it is seen.
    height, screen = page.evaluate("[document.body.scrollHeight, innerHeight]")
    for top in range(0, height, screen // 2):
        page.evaluate(f"window.scrollTo(0, {top})")
        page.wait_for_function(ON_SCREEN_PHOTOS_ARRIVED)
        page.evaluate(TWO_FRAMES)
    photos_loaded(page)

    shifts = page.evaluate("window.shifts")
    assert shifts < 0.02, f"the page jumped as photos arrived: CLS {shifts:.3f}"
    page.close()
