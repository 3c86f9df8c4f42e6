"""The daily ritual as two partners live it, each in their own browser: Ana opens today's
pick and plans to recreate it; Sam's home says so by name and offers "We did it"; Sam's form
comes filled from the original with its photo in view; the result shows then and now, each
photo once; Ana's home then says Sam recreated it. A new couple's home invites a first step.
Screenshots: home-pick, home-partner-plan, recreate-form, then-and-now and home-new, each at
375 and 1280 px.

One server and one couple for the module; the server runs on the real clock, so the picnic
is dated three years before today."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    a_context,
    browser_log_in,
    browser_sign_up,
    no_sideways_scroll,
)
from tests.images import scenery
from tests.support import clean_environment, free_port, served, signed_up

SAMS_WORDS = "The cherries, and you laughing at the swans."


def lisbon_today() -> date:
    return datetime.now(ZoneInfo("Europe/Lisbon")).date()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Ana and Sam's picnic at the lake three years ago today, with a photo, that both felt
    close; Sam wrote about it. And a photo on disk for the recreation."""
    folder, port = tmp_path_factory.mktemp("ritual"), free_port()
    env = clean_environment(DATA_DIR=str(folder / "var"), BASE_URL=f"http://127.0.0.1:{port}")
    today = lisbon_today()
    with served(env, folder, port) as base_url, httpx.Client(base_url=base_url) as client:
        ana, sam = signed_up(client, "Ana"), signed_up(client, "Sam")
        timeline = client.post("/api/v1/timelines", json={"name": "Ana & Sam"}, headers=ana).json()[
            "id"
        ]
        invite = client.post(f"/api/v1/timelines/{timeline}/invites", headers=ana).json()
        client.post(f"/api/v1/invites/{invite['token']}/accept", headers=sam)
        picnic = client.post(
            f"/api/v1/timelines/{timeline}/memories",
            json={
                "title": "Picnic at the lake",
                "occurred_on": today.replace(year=today.year - 3).isoformat(),
                "place": "Annecy",
                "kind": "date",
                "tags": ["summer"],
            },
            headers=ana,
        ).json()
        client.post(
            f"/api/v1/memories/{picnic['id']}/photos",
            files={"file": ("lake.jpg", scenery(1600, 1100, 3), "image/jpeg")},
            headers=ana,
        )
        for member, words in ((ana, ""), (sam, SAMS_WORDS)):
            client.put(
                f"/api/v1/memories/{picnic['id']}/connection",
                json={"score": 5, "appreciation": words},
                headers=member,
            )
        again = folder / "again.jpg"
        again.write_bytes(scenery(1600, 1100, 11))
        yield {"url": base_url, "picnic": picnic["id"], "again": str(again)}


def member_page(browser: Browser, site: dict[str, str], email: str, viewport) -> Page:
    context: BrowserContext = a_context(browser, base_url=site["url"], viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    browser_log_in(page, email)
    return page


def shoot(page: Page, screenshots: Path, name: str) -> None:
    """The page at 375 px, then at 1280 px."""
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        no_sideways_scroll(page)
        page.screenshot(path=str(screenshots / f"{name}-{viewport['width']}.png"), full_page=True)
    page.set_viewport_size(PHONE)


def test_what_ana_plans_sam_sees_and_recreates_with_the_original_in_view(
    browser: Browser, site: dict[str, str], screenshots: Path
):
    ana = member_page(browser, site, "ana@example.org", PHONE)
    sam = member_page(browser, site, "sam@example.org", PHONE)
    saturday = lisbon_today() + timedelta(days=(5 - lisbon_today().weekday()) % 7 or 7)

    # Ana: today's pick, the photo first, Sam's words in his name.
    hero = ana.locator(".pick-hero")
    expect(hero.get_by_role("heading", level=2)).to_have_text("Picnic at the lake")
    expect(hero.locator(".pick-why")).to_have_text("You both said it was one of your closest days.")
    expect(hero.locator(".love-note")).to_contain_text(SAMS_WORDS)
    expect(hero.locator(".love-note figcaption")).to_have_text("Sam")
    ana.locator(".pick-photo img").evaluate("img => img.decode()")
    shoot(ana, screenshots, "home-pick")
    ana.get_by_label("When would you do it?").fill(saturday.isoformat())
    ana.get_by_role("button", name="Let's recreate it").click()
    expect(ana.get_by_role("status")).to_have_text("Lovely. It is in your plans.")
    expect(ana.locator(".plan-line")).to_have_text(
        f"You planned to recreate this on {saturday:%A} {saturday.day} {saturday:%B}."
    )

    # Sam: the plan, by name; "We did it" is his to press too.
    sam.reload()
    expect(sam.locator(".plan-line")).to_have_text(
        f"Ana planned to recreate this on {saturday:%A} {saturday.day} {saturday:%B}."
    )
    shoot(sam, screenshots, "home-partner-plan")
    sam.get_by_role("link", name="We did it").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("Now, again")
    expect(sam.get_by_label("Title")).to_have_value("Picnic at the lake again")
    expect(sam.get_by_label("Place")).to_have_value("Annecy")
    expect(sam.locator(".recreating figcaption")).to_contain_text("Then Picnic at the lake")
    sam.get_by_label("Choose photos").set_input_files([site["again"]])
    expect(sam.locator("[data-chosen] .photo-card img")).to_have_count(1)
    sam.locator(".recreating img").evaluate("img => img.decode()")
    shoot(sam, screenshots, "recreate-form")
    sam.get_by_role("button", name="Save this memory").click()

    # Then and now: each photo once.
    comparison = sam.locator(".then-and-now")
    expect(comparison).to_be_visible()
    expect(comparison.locator("img")).to_have_count(2)
    expect(sam.locator("main img")).to_have_count(2)
    sam.wait_for_function(
        "() => [...document.querySelectorAll('main img')].every((i) => i.complete)"
    )
    shoot(sam, screenshots, "then-and-now")

    # Ana's home: what Sam did.
    ana.reload()
    expect(ana.locator(".plan-line")).to_have_text("Sam recreated it: see then and now.")
    ana.get_by_role("link", name="see then and now").click()
    expect(ana.locator(".then-and-now")).to_be_visible()
    assert ana.errors == []  # type: ignore[attr-defined]
    assert sam.errors == []  # type: ignore[attr-defined]


def test_a_new_couple_is_invited_to_a_first_step(
    browser: Browser, site: dict[str, str], screenshots: Path
):
    page = a_context(browser, base_url=site["url"], viewport=PHONE).new_page()
    page.goto("/signup")
    browser_sign_up(page, "Maya", "maya@example.org")
    page.goto("/")

    expect(page.get_by_role("heading", name="Your first memory")).to_be_visible()
    expect(page.get_by_role("link", name="Add a memory")).to_be_visible()
    expect(page.get_by_role("heading", name="This timeline is for two")).to_be_visible()
    shoot(page, screenshots, "home-new")
