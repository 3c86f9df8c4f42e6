"""A year's recap in a real browser: the couple's page and the page family sees through a
share link, at phone and desktop widths, and the recap printed."""

from __future__ import annotations

import itertools

import httpx
from playwright.sync_api import Browser, expect

from tests import images
from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    browser_log_in,
    every_image_loaded,
    no_sideways_scroll,
    watched_page,
)
from tests.e2e.tools.checkers import (
    INSTALL,
    axe_installed,
    axe_violations,
    described,
    lacking,
    nu_errors,
)
from tests.support import signed_up

MOMENTS = [
    ("Swim in the lake", "2025-07-01", (1600, 1000), 5, "Your scream in the cold water"),
    ("Night train to Vienna", "2025-09-09", (900, 1350), 5, "Bunk beds and a sunrise"),
    ("First snow together", "2025-12-03", (1400, 1000), 4, ""),
    ("Market mornings", "2026-03-08", (1000, 1000), 4, "Those peaches"),
    ("Lighthouse walk", "2026-05-20", (2400, 800), 3, ""),
]


FOR_FAMILY = "Our seventh year, for Grandma and everyone at home. We miss you!"


def year_with_photos(base_url: str) -> tuple[str, str]:
    """Ana and Sam, together since 12 June 2019, with year 7 (June 2025 to June 2026) full of
    rated, photographed moments; the timeline id and a share link to year 7."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        ana, sam = signed_up(client, "Ana"), signed_up(client, "Sam")
        timeline = client.post(
            "/api/v1/timelines",
            json={"name": "Ana & Sam", "together_since": "2019-06-12"},
            headers=ana,
        ).json()
        invite = client.post(f"/api/v1/timelines/{timeline['id']}/invites", headers=ana).json()
        client.post(f"/api/v1/invites/{invite['token']}/accept", headers=sam)
        client.post(
            f"/api/v1/timelines/{timeline['id']}/milestones",
            json={"kind": "wedding", "occurred_on": "2022-09-17"},
            headers=ana,
        )
        for seed, (title, day, size, score, note) in enumerate(MOMENTS):
            memory = client.post(
                f"/api/v1/timelines/{timeline['id']}/memories",
                json={"title": title, "occurred_on": day, "place": "Annecy"},
                headers=ana,
            ).json()
            client.post(
                f"/api/v1/memories/{memory['id']}/photos",
                files={"file": ("photo.jpg", images.scenery(*size, seed), "image/jpeg")},
                headers=ana,
            )
            for member in (ana, sam):
                client.put(
                    f"/api/v1/memories/{memory['id']}/connection",
                    json={"score": score, "appreciation": note if member is sam else ""},
                    headers=member,
                )
        share = client.post(
            f"/api/v1/timelines/{timeline['id']}/recaps/7/share",
            json={"message": FOR_FAMILY},
            headers=ana,
        ).json()
        return timeline["id"], share["url"]


def test_the_recap_and_its_shared_page_at_phone_and_desktop_widths(
    browser: Browser, live_server: str, screenshots
):
    timeline_id, link = year_with_photos(live_server)
    errors: list[str] = []
    for name, viewport in (("375", PHONE), ("1280", DESKTOP)):
        page = watched_page(browser, live_server, errors, viewport=viewport)
        browser_log_in(page, "ana@example.org")
        page.goto(f"/t/{timeline_id}")
        page.get_by_text("Our years").click()
        page.get_by_role("link", name="Year 7 · 2025–26").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Year 7 of us")
        expect(page.locator(".milestones")).to_have_text("3 years since your wedding")
        expect(page.locator(".moment h3")).to_have_count(5)
        # The story runs in date order, one moment under the other.
        expect(page.locator(".moment h3")).to_have_text([m[0] for m in MOMENTS])
        boxes = [b.bounding_box() for b in page.locator(".moment h3").all()]
        assert all(a["y"] < b["y"] for a, b in itertools.pairwise(boxes))
        collage = page.locator(".collage img")
        expect(collage).to_be_visible()
        assert collage.evaluate("img => img.complete && img.naturalWidth") == 1600
        no_sideways_scroll(page)
        every_image_loaded(page)
        page.screenshot(path=str(screenshots / f"recap-{name}.png"), full_page=True)

        family = watched_page(browser, live_server, errors, viewport=viewport)
        family.goto(link)
        expect(family.get_by_role("heading", level=1)).to_have_text("Year 7 of us")
        expect(family.locator(".family-note")).to_have_text(f"{FOR_FAMILY} Ana & Sam")
        expect(family.locator(".moment-words").first).to_contain_text(
            "Your scream in the cold water"
        )
        expect(family.locator("form")).to_have_count(0)
        expect(family.locator("header.site nav")).to_have_count(0)
        no_sideways_scroll(family)
        every_image_loaded(family)
        family.screenshot(path=str(screenshots / f"recap-shared-{name}.png"), full_page=True)
    assert errors == []


def test_the_recap_prints_without_navigation_or_controls(
    browser: Browser, live_server: str, screenshots
):
    timeline_id, _ = year_with_photos(live_server)
    page = watched_page(browser, live_server, [], viewport=DESKTOP)
    browser_log_in(page, "ana@example.org")
    page.goto(f"/t/{timeline_id}/recap/7")
    expect(page.locator(".collage img")).to_be_visible()

    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    (screenshots / "recap-print.pdf").write_bytes(pdf)

    for hidden in ("header.site", ".recap-nav", "#sharing", ".collage figcaption"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator(".moment").first).to_be_visible()
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 2 <= pages <= 6, f"the recap printed on {pages} pages"


def test_a_link_made_in_the_browser_survives_a_reload_and_new_states_pass_the_checkers(
    browser: Browser, live_server: str, screenshots, tmp_path
):
    """Ana makes a link with her own words: the page after it shows the link, a reload
    shows the same one link; that page, a year still being written, a year before the first
    memory and the family's page pass axe-core at both widths and the Nu HTML checker."""
    if not axe_installed():
        lacking(f"axe-core is not installed: run {INSTALL} (npm)")
    timeline_id, _ = year_with_photos(live_server)
    errors: list[str] = []
    page = watched_page(browser, live_server, errors, viewport=PHONE)
    browser_log_in(page, "ana@example.org")
    page.goto(f"/t/{timeline_id}/recap/7")
    page.get_by_label("A word for them").fill("For Grandma, with love")
    page.get_by_role("button", name="Create a link").click()
    expect(page.locator("#new-link")).to_be_visible()
    link = page.locator("#new-link").input_value()
    made = page.url
    page.reload()
    expect(page.locator("#sharing .share-links li")).to_have_count(2)  # the API's, and hers
    assert page.locator("#new-link").input_value() == link
    assert "/r/" not in made

    html = tmp_path / "html"
    html.mkdir()
    found: list[str] = []
    states = {
        "recap-link-made": made.split("#")[0],
        "recap-still-being-written": f"/t/{timeline_id}/recap/8",
        "recap-before-the-story": f"/t/{timeline_id}/recap/3",
        "recap-shared-with-words": link,
    }
    for state, url in states.items():
        response = page.goto(url)
        assert response is not None
        (html / f"{state}.html").write_bytes(response.body())
        for width, viewport in (("375", PHONE), ("1280", DESKTOP)):
            page.set_viewport_size(viewport)
            found += described(axe_violations(page), f"{state} at {width} px")
            every_image_loaded(page)
            page.screenshot(path=str(screenshots / f"{state}-{width}.png"), full_page=True)
    assert found == []
    assert {name: e for name, e in nu_errors(html).items() if e} == {}
    assert [e for e in errors if "404" not in e] == []
