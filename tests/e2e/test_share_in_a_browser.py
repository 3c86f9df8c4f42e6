"""Share → Remember When, in a real browser: the page posts to /share exactly what a phone's
share sheet sends (a navigation POST, multipart/form-data, one `photos` part per JPEG with
its name and type, and the manifest's title, text and url), and the browser ends on the
new-memory form with both thumbnails loaded and the day the earliest was taken in the date
field; saving shows the memory with both photos. A member of two timelines chooses one;
someone not logged in logs in and finds the photos waiting; leaving a shared photo out keeps
what was typed. No console errors, no sideways scrolling.
Screenshots in share/: draft-form-375/1280, choose-timeline-375/1280.

One server for the module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    a_context,
    browser_log_in,
    every_image_loaded,
    no_sideways_scroll,
)
from tests.e2e.test_memories_in_a_browser import scenery
from tests.support import PASSWORD, clean_environment, free_port, served, signed_up

# The share sheet's form, as the manifest's share_target describes it; the photos go into
# its file input (as the share sheet hands them over), then it is sent as a navigation.
SHARE_SHEET = """() => {
  const form = document.createElement("form");
  form.id = "share-sheet";
  form.method = "post";
  form.action = "/share";
  form.enctype = "multipart/form-data";
  for (const name of ["title", "text", "url"]) {
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = name;
    form.append(field);
  }
  const photos = document.createElement("input");
  photos.type = "file";
  photos.name = "photos";
  photos.multiple = true;
  form.append(photos);
  document.body.append(form);
}"""


def share_from_gallery(page: Page, *photos: str) -> None:
    """Post `photos` (paths) to /share as a phone's share sheet does; wait for where it leads."""
    page.evaluate(SHARE_SHEET)
    page.locator("#share-sheet input[type=file]").set_input_files(list(photos))
    with page.expect_navigation():
        page.evaluate("document.getElementById('share-sheet').submit()")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The served app: Ana and Sam's one timeline; Lea in two (with Noor, and her own); two
    photos on disk, the sunset (taken 15 July 2019) first, the lake (14 July 2019) second."""
    folder, port = tmp_path_factory.mktemp("share"), free_port()
    env = clean_environment(DATA_DIR=str(folder / "var"), BASE_URL=f"http://127.0.0.1:{port}")
    with served(env, folder, port) as base_url, httpx.Client(base_url=base_url) as client:
        timelines = {}
        for name, partner, names in (
            ("Ana", "Sam", ["Ana & Sam"]),
            ("Lea", "Noor", ["Lea & Noor", "Lea's family"]),
        ):
            me, other = signed_up(client, name), signed_up(client, partner)
            mine = client.get("/api/v1/me", headers=me).json().get("timelines") or []
            while len(mine) < len(names):
                made = client.post("/api/v1/timelines", json={"name": names[len(mine)]}, headers=me)
                mine.append(made.json())
            invite = client.post(f"/api/v1/timelines/{mine[0]['id']}/invites", headers=me).json()
            client.post(f"/api/v1/invites/{invite['token']}/accept", headers=other)
            timelines[name] = [t["id"] for t in mine]
        yield {
            "url": base_url,
            "folder": str(folder),
            "timeline": timelines["Ana"][0],
            "lea_timelines": timelines["Lea"],
        }


def gallery(site: dict[str, str], seed: int) -> tuple[str, str]:
    """Two photos of their own (a timeline stores the same bytes once): a sunset taken on
    15 July 2019, then a lake taken the day before; their paths."""
    sunset = Path(site["folder"]) / f"sunset-{seed}.jpg"
    lake = Path(site["folder"]) / f"lake-{seed}.jpg"
    sunset.write_bytes(scenery(1200, 1600, seed, taken="2019:07:15 21:40:00"))
    lake.write_bytes(scenery(1600, 1200, seed + 1, taken="2019:07:14 18:30:05"))
    return str(sunset), str(lake)


def watched(browser: Browser, site: dict[str, str], viewport, errors: list[str]) -> Page:
    page = a_context(browser, base_url=site["url"], viewport=viewport).new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


def loaded_widths(page: Page, selector: str) -> list[int]:
    """The natural widths of the images `selector` finds, once each has loaded (0: broken)."""
    images = page.locator(selector)
    images.evaluate_all("imgs => Promise.all(imgs.map(i => i.decode().catch(() => null)))")
    return images.evaluate_all("imgs => imgs.map(i => i.naturalWidth)")


@pytest.fixture(scope="module")
def shots(screenshots: Path) -> Path:
    folder = screenshots / "share"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_shared_photos_open_as_a_draft_with_their_date_and_save_as_a_memory(
    browser: Browser, site: dict[str, str], shots: Path, viewport
):
    errors: list[str] = []
    page = watched(browser, site, viewport, errors)
    browser_log_in(page, "ana@example.org")

    share_from_gallery(page, *gallery(site, seed=viewport["width"]))

    assert page.url.startswith(f"{site['url']}/t/{site['timeline']}/new?draft=")
    thumbnails = ".shared-photos .photo-card img"
    expect(page.locator(thumbnails)).to_have_count(2)
    assert all(width > 0 for width in loaded_widths(page, thumbnails))
    expect(page.get_by_label("When")).to_have_value("2019-07-14")
    expect(page.locator("#occurred_on-proposal")).to_have_text("From your photos: 14 July 2019")
    expect(page.get_by_label("the exact day")).to_be_checked()
    page.get_by_label("Title").fill("The lake, then the sunset")
    page.get_by_label("Describe photo 1").fill("The sun going down")
    no_sideways_scroll(page)
    every_image_loaded(page)
    page.screenshot(path=str(shots / f"draft-form-{viewport['width']}.png"), full_page=True)

    page.get_by_role("button", name="Save this memory").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("The lake, then the sunset")
    photos = ".photos img"
    expect(page.locator(photos)).to_have_count(2)
    assert all(width > 0 for width in loaded_widths(page, photos))
    assert page.locator(photos).first.get_attribute("alt") == "The sun going down"
    assert errors == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_a_member_of_two_timelines_chooses_where_the_photos_go(
    browser: Browser, site: dict[str, str], shots: Path, viewport
):
    errors: list[str] = []
    page = watched(browser, site, viewport, errors)
    browser_log_in(page, "lea@example.org")

    share_from_gallery(page, *gallery(site, seed=20 + viewport["width"]))

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Which timeline are these photos for?"
    )
    assert all(width > 0 for width in loaded_widths(page, ".shared-strip img"))
    no_sideways_scroll(page)
    page.screenshot(path=str(shots / f"choose-timeline-{viewport['width']}.png"), full_page=True)
    page.get_by_role("link", name="Lea's family").click()

    assert page.url.startswith(f"{site['url']}/t/{site['lea_timelines'][1]}/new?draft=")
    expect(page.locator(".shared-photos .photo-card img")).to_have_count(2)
    assert errors == []


def test_shared_before_logging_in_the_photos_wait_for_the_log_in(
    browser: Browser, site: dict[str, str]
):
    errors: list[str] = []
    page = watched(browser, site, PHONE, errors)
    page.goto("/login")

    share_from_gallery(page, gallery(site, seed=30)[1])

    assert "/login?next=/share/" in page.url
    expect(page.get_by_text("your photos will be waiting")).to_be_visible()
    page.get_by_label("E-mail").fill("ana@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation(url=f"**/t/{site['timeline']}/new?draft=*"):
        page.get_by_role("button", name="Log in").click()
    expect(page.locator(".shared-photos .photo-card img")).to_have_count(1)
    expect(page.get_by_label("When")).to_have_value("2019-07-14")
    assert errors == []


def test_leaving_a_shared_photo_out_keeps_what_was_typed(browser: Browser, site: dict[str, str]):
    errors: list[str] = []
    page = watched(browser, site, PHONE, errors)
    browser_log_in(page, "ana@example.org")
    share_from_gallery(page, *gallery(site, seed=40))
    page.get_by_label("Title").fill("At the lake")

    page.get_by_role("button", name="Leave out photo 1").click()

    expect(page.locator(".shared-photos .photo-card")).to_have_count(1)
    expect(page.get_by_role("button", name="Leave out photo 1")).to_be_focused()
    expect(page.get_by_label("Title")).to_have_value("At the lake")
    page.reload()
    expect(page.locator(".shared-photos .photo-card")).to_have_count(1)
    assert errors == []
