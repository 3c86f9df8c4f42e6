"""Making a memory from photos, and editing its photos, in a real browser: two photos chosen
show as two thumbnails at once; the first photo's date and place are proposed beside their
fields (and can be undone); a form the server refuses shows why beside the field and keeps
the photos chosen; photos reorder from the keyboard before saving; each photo shows
its upload progress while a slow connection sends it; the memory then shows them in that
order with their captions. A photo chosen before the page's script has arrived is not lost.
On the edit page, photos move by keyboard and by drag, and the
order holds after a reload. No console errors, no sideways scrolling.
Screenshots: new-memory-375/1280 (two photos chosen), edit-memory-375/1280.

One server and one couple for the module."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import ExifTags, Image
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser import DESKTOP, PHONE, a_context, browser_log_in, no_sideways_scroll
from tests.images import scenery_image
from tests.support import clean_environment, free_port, served, signed_up

# XMP as a phone or a photo library writes a place name (photoshop:City).
CITY_XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="Annecy"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def scenery(
    width: int, height: int, seed: int, taken: str | None = None, xmp: bytes = b""
) -> bytes:
    """A photo-like JPEG (a sky, a sun, hills in colours of its own), with the camera's
    DateTimeOriginal (`taken`, "YYYY:MM:DD HH:MM:SS") and `xmp` when given."""
    image = scenery_image(width, height, seed)
    # Grain, so the file weighs what a photo of this size weighs (the upload takes a moment).
    image = Image.blend(image, Image.effect_noise((width, height), 60).convert("RGB"), 0.12)
    exif = Image.Exif()
    if taken:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif, **({"xmp": xmp} if xmp else {}))
    return out.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The served app with Ana and Sam's timeline, a memory with three photos to edit, and
    two photos on disk to choose (the first taken on 14 July 2019 in Annecy)."""
    folder, port = tmp_path_factory.mktemp("compose"), free_port()
    env = clean_environment(DATA_DIR=str(folder / "var"), BASE_URL=f"http://127.0.0.1:{port}")
    with served(env, folder, port) as base_url, httpx.Client(base_url=base_url) as client:
        ana, sam = signed_up(client, "Ana"), signed_up(client, "Sam")
        mine = client.get("/api/v1/me", headers=ana).json().get("timelines") or [
            client.post("/api/v1/timelines", json={"name": "Ana & Sam"}, headers=ana).json()
        ]
        timeline = mine[0]["id"]
        invite = client.post(f"/api/v1/timelines/{timeline}/invites", headers=ana).json()
        client.post(f"/api/v1/invites/{invite['token']}/accept", headers=sam)
        memory = client.post(
            f"/api/v1/timelines/{timeline}/memories",
            json={"title": "Lisbon, all of it", "occurred_on": "2025-05-17"},
            headers=ana,
        ).json()["id"]
        for n, (width, height) in enumerate([(1600, 1200), (1200, 1600), (1600, 900)]):
            client.post(
                f"/api/v1/memories/{memory}/photos",
                files={"file": (f"{n}.jpg", scenery(width, height, 40 + n), "image/jpeg")},
                headers=ana,
            ).raise_for_status()
        lake, bread = folder / "lake.jpg", folder / "bread.jpg"
        lake.write_bytes(scenery(1600, 1200, 1, taken="2019:07:14 18:30:05", xmp=CITY_XMP))
        bread.write_bytes(scenery(1200, 1600, 2))
        yield {
            "url": base_url,
            "timeline": timeline,
            "memory": memory,
            "lake": str(lake),
            "bread": str(bread),
        }


def signed_in(browser: Browser, site: dict[str, str], viewport, errors: list[str]) -> Page:
    page = a_context(browser, base_url=site["url"], viewport=viewport).new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    browser_log_in(page, "ana@example.org")
    return page


def chosen_names(page: Page) -> list[str]:
    return page.locator("[data-chosen] .photo-card img").evaluate_all(
        "imgs => imgs.map(i => i.alt)"
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_two_photos_chosen_show_at_once_and_the_first_proposes_its_date_and_place(
    browser: Browser, site: dict[str, str], screenshots: Path, viewport
):
    errors: list[str] = []
    page = signed_in(browser, site, viewport, errors)
    page.goto(f"/t/{site['timeline']}/new")

    page.get_by_label("Choose photos").set_input_files([site["lake"], site["bread"]])

    thumbnails = page.locator("[data-chosen] .photo-card img")
    expect(thumbnails).to_have_count(2)
    thumbnails.evaluate_all("imgs => Promise.all(imgs.map(i => i.decode()))")
    assert chosen_names(page) == ["lake.jpg", "bread.jpg"]
    expect(page.get_by_label("When")).to_have_value("2019-07-14")
    expect(page.locator("#occurred_on-proposal")).to_have_text(
        "From your photo: 14 July 2019 · undo"
    )
    expect(page.get_by_label("the exact day")).to_be_checked()
    expect(page.get_by_label("Place")).to_have_value("Annecy")
    expect(page.locator("#place-proposal")).to_have_text("From your photo: Annecy · undo")
    page.get_by_label("Title").fill("Picnic at the lake")
    page.get_by_label("Describe photo 1").fill("Ana at the water's edge")
    no_sideways_scroll(page)
    page.screenshot(path=str(screenshots / f"new-memory-{viewport['width']}.png"), full_page=True)

    page.locator("#occurred_on-proposal").get_by_role("button", name="undo").click()
    expect(page.get_by_label("When")).to_have_value("")
    expect(page.locator("#occurred_on-proposal")).to_be_empty()

    # Refused by the server: the reason beside its field, the photos still chosen.
    page.get_by_label("When").fill("2999-01-01")
    page.get_by_role("button", name="Save this memory").click()
    expect(page.locator("#occurred_on-error")).to_have_text("A memory cannot be in the future.")
    expect(page.get_by_label("When")).to_have_attribute("aria-invalid", "true")
    expect(thumbnails).to_have_count(2)
    assert page.get_by_label("Describe photo 1").input_value() == "Ana at the water's edge"
    # Chromium logs the refused request itself; nothing else may have gone wrong.
    assert all("status of 422" in error for error in errors), errors


def test_photos_reorder_by_keyboard_and_upload_with_a_progress_bar_each(
    browser: Browser, site: dict[str, str]
):
    errors: list[str] = []
    page = signed_in(browser, site, PHONE, errors)
    page.goto(f"/t/{site['timeline']}/new")
    page.get_by_label("Choose photos").set_input_files([site["lake"], site["bread"]])
    page.get_by_label("Title").fill("Picnic at the lake")
    page.get_by_label("Describe photo 1").fill("The lake")
    page.get_by_label("Describe photo 2").fill("The bread")

    page.get_by_role("button", name="Move photo 1 later").focus()
    page.keyboard.press("Enter")

    assert chosen_names(page) == ["bread.jpg", "lake.jpg"]
    # Focus stays with the photo that moved: it is last now, so on its Move earlier.
    assert page.evaluate("document.activeElement.textContent") == "Move photo 2 earlier"
    # A slow connection (600 KB/s up): the two photos (850 KB) take about 1.5 s to send.
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    network.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 600_000},
    )
    page.get_by_role("button", name="Save this memory").click()
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-chosen] progress')]
             .some(bar => !bar.hidden && bar.value > 0 && bar.value < 100)"""
    )
    expect(page.locator("[data-chosen] progress")).to_have_count(2)

    expect(page.get_by_role("heading", level=1)).to_have_text("Picnic at the lake")
    alts = page.locator(".photos img").evaluate_all("imgs => imgs.map(i => i.alt)")
    assert alts == ["The bread", "The lake"]
    assert errors == []


def test_a_photo_chosen_before_the_script_arrives_still_shows_and_is_saved(
    browser: Browser, site: dict[str, str], tmp_path: Path
):
    # A photo of its own: the same bytes already in the timeline stay with their memory.
    early = tmp_path / "early.jpg"
    early.write_bytes(scenery(1200, 900, 7))
    errors: list[str] = []
    page = signed_in(browser, site, PHONE, errors)
    # The form's script is held until the photo is chosen. Playwright tells of a held request
    # before it reaches the route, and of both before it answers any later call.
    held = []
    page.route("**/compose*.js", lambda route: held.append(route))
    with page.expect_request("**/compose*.js"):
        page.goto(f"/t/{site['timeline']}/new", wait_until="commit")

    page.get_by_label("Choose photos").set_input_files([str(early)])
    (script,) = held
    script.continue_()

    expect(page.locator("[data-chosen] .photo-card img")).to_have_count(1)
    page.get_by_label("Title").fill("Bread, early")
    page.get_by_label("When").fill("2024-03-02")
    page.get_by_role("button", name="Save this memory").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bread, early")
    expect(page.locator(".photos img")).to_have_count(1)
    assert errors == []


def card_captions(page: Page) -> list[str]:
    return page.locator("ol[data-sortable] .photo-card .caption").evaluate_all(
        "inputs => inputs.map(i => i.value)"
    )


def test_the_edit_page_moves_photos_by_keyboard_and_by_drag(
    browser: Browser, site: dict[str, str], screenshots: Path
):
    errors: list[str] = []
    page = signed_in(browser, site, DESKTOP, errors)
    page.goto(f"/m/{site['memory']}/edit")
    for n, caption in enumerate(["Tram 28", "Tiles", "The river"], 1):
        page.get_by_label(f"Describe photo {n}").fill(caption)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lisbon, all of it")
    page.goto(f"/m/{site['memory']}/edit")

    with page.expect_response(lambda r: r.url.endswith("/photos/order")):
        page.get_by_role("button", name="Move photo 1 later").focus()
        page.keyboard.press("Enter")
    assert card_captions(page) == ["Tiles", "Tram 28", "The river"]
    frames = page.locator("ol[data-sortable] .photo-frame")
    with page.expect_response(lambda r: r.url.endswith("/photos/order")):
        frames.nth(2).drag_to(frames.nth(0))
    assert card_captions(page) == ["The river", "Tiles", "Tram 28"]
    page.reload()

    assert card_captions(page) == ["The river", "Tiles", "Tram 28"]
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        page.evaluate("window.scrollTo(0, 0)")
        no_sideways_scroll(page)
        page.evaluate("Promise.all([...document.images].map(i => i.decode().catch(() => null)))")
        page.screenshot(
            path=str(screenshots / f"edit-memory-{viewport['width']}.png"), full_page=True
        )
    assert errors == []
