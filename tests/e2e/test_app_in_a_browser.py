"""The site as an installed app, in Chromium with a profile of its own (a normal Playwright
context counts as incognito, where nothing is installable): the manifest every page links
parses and its icons load at their stated sizes; Chromium finds nothing stopping an install;
the service worker takes control; offline, a page the member opened shows again with a note
saying so, any other page shows our offline page, and a form sent says saving needs a
connection with the words still in it; log-out leaves nothing of the member's in the caches,
and another member on the same browser never sees the first one's pages.

Screenshots of the app as installed (display-mode standalone) land in build/screenshots/app.

One server and one couple for the module; each test has a fresh browser profile."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.browser import DESKTOP, PHONE, browser_log_in, every_image_loaded
from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path
from tests.images import scenery
from tests.support import PASSWORD, clean_environment, free_port, served, signed_up

MEMORIES = [
    ("Breakfast on the balcony", "2026-05-24", (1600, 1200)),
    ("The long walk home", "2026-05-03", (1200, 1600)),
    ("Sunday pancakes", "2026-04-12", None),
]
OFFLINE_HEADING = "You’re offline"
OFFLINE_NOTE = "You’re offline — this is the page as you last saw it."
# Every URL the caches hold, cache by cache.
CACHED_URLS = """async () => {
  const held = {};
  for (const name of await caches.keys()) {
    held[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
  }
  return held;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Ana and Sam's timeline with three memories (two with a photo); Noa's, with one."""
    folder, port = tmp_path_factory.mktemp("app"), free_port()
    env = clean_environment(DATA_DIR=str(folder / "var"), BASE_URL=f"http://127.0.0.1:{port}")
    with served(env, folder, port) as base_url, httpx.Client(base_url=base_url) as client:
        ana, sam, noa = (signed_up(client, name) for name in ("Ana", "Sam", "Noa"))
        timeline = client.post(
            "/api/v1/timelines",
            json={"name": "Ana & Sam", "together_since": "2019-06-12"},
            headers=ana,
        ).json()["id"]
        invite = client.post(f"/api/v1/timelines/{timeline}/invites", headers=ana).json()
        client.post(f"/api/v1/invites/{invite['token']}/accept", headers=sam)
        ids = []
        for n, (title, day, size) in enumerate(MEMORIES):
            memory = client.post(
                f"/api/v1/timelines/{timeline}/memories",
                json={"title": title, "occurred_on": day, "body": "The light was soft."},
                headers=ana,
            ).json()["id"]
            ids.append(memory)
            if size:
                photo = client.post(
                    f"/api/v1/memories/{memory}/photos",
                    files={"file": ("photo.jpg", scenery(*size, n), "image/jpeg")},
                    headers=ana,
                )
                assert photo.status_code == 201, photo.text
        noa_timeline = client.get("/api/v1/me", headers=noa).json()["timelines"]
        noa_timeline = (
            noa_timeline[0]["id"]
            if noa_timeline
            else client.post("/api/v1/timelines", json={"name": "Noa & Eli"}, headers=noa).json()[
                "id"
            ]
        )
        client.post(
            f"/api/v1/timelines/{noa_timeline}/memories",
            json={"title": "Noa's first kite", "occurred_on": "2025-08-01"},
            headers=noa,
        )
        yield {
            "url": base_url,
            "timeline": f"/t/{timeline}",
            "memory": f"/m/{ids[0]}",
            "noa_timeline": f"/t/{noa_timeline}",
        }


@pytest.fixture
def app(browser: Browser, site: dict[str, str], tmp_path: Path) -> Iterator[BrowserContext]:
    """Chromium with a profile folder of its own: service workers and installability behave
    as they do for a person (a throwaway context is incognito)."""
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile",
        executable_path=chromium_path(),
        args=CHROMIUM_ARGS,
        base_url=site["url"],
        viewport=PHONE,
    )
    yield context
    context.close()


def worker_ready(page: Page) -> None:
    """Wait until the page's service worker is installed (the shell kept) and active."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def signed_in_with_worker(context: BrowserContext, email: str) -> Page:
    """A page logged in as `email`, whose service worker is active and controls it."""
    page = context.pages[0] if context.pages else context.new_page()
    page.goto("/login")
    worker_ready(page)
    browser_log_in(page, email)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    return page


def until(page: Page, condition: str, arg: object = None) -> None:
    """Wait until `condition`, a JavaScript function of `arg` that may answer a promise,
    holds (Playwright's wait_for_function takes a promise for a truthy answer)."""
    page.evaluate(
        f"""async (arg) => {{
          const condition = {condition};
          const deadline = Date.now() + 15000;
          while (!(await condition(arg))) {{
            if (Date.now() > deadline) throw new Error("timed out waiting for " + condition);
            await new Promise((wake) => setTimeout(wake, 50));
          }}
        }}""",
        arg,
    )


def kept(page: Page, path: str) -> None:
    """Wait until the worker has kept the page at `path` (it keeps it after answering)."""
    until(
        page,
        "(path) => caches.match(new URL(path, location.href).href, {cacheName: 'pages'})",
        path,
    )


def photos_kept(page: Page, count: int) -> None:
    """Wait until the worker has kept `count` photos (it keeps each as it passes)."""
    until(
        page, "(n) => caches.open('photos').then((c) => c.keys()).then((k) => k.length >= n)", count
    )


# --- installable ----------------------------------------------------------------------------


def test_every_page_links_the_manifest_and_its_icons_load_at_their_sizes(
    app: BrowserContext, site: dict[str, str]
):
    page = app.new_page()
    page.goto("/login")
    manifest_link = page.locator('link[rel="manifest"]')
    assert manifest_link.get_attribute("href") == "/manifest.webmanifest"
    browser_log_in(page, "ana@example.org")
    page.goto(site["timeline"])
    assert page.locator('link[rel="manifest"]').get_attribute("href") == "/manifest.webmanifest"

    answer = app.request.get("/manifest.webmanifest")
    assert answer.headers["content-type"].startswith("application/manifest+json")
    manifest = answer.json()
    assert manifest["name"] == "Remember When"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    purposes = {icon["purpose"] for icon in manifest["icons"]}
    assert purposes == {"any", "maskable"}
    for icon in manifest["icons"]:
        image = app.request.get(icon["src"])
        assert image.ok, icon
        assert image.headers["content-type"] == "image/png", icon
        with Image.open(io.BytesIO(image.body())) as png:
            assert png.format == "PNG"
            assert f"{png.width}x{png.height}" == icon["sizes"], icon


def test_chromium_finds_nothing_stopping_an_install(app: BrowserContext):
    page = app.new_page()
    page.goto("/login")
    worker_ready(page)
    page.reload()
    cdp = app.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors") == {"installabilityErrors": []}
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [], manifest["errors"]


def test_service_worker_takes_control_after_one_reload(app: BrowserContext):
    page = app.new_page()
    # Asked before the load event, when app.js registers the worker: once loaded, a worker
    # that installs quickly claims the page at once, and the answer would be a race.
    page.goto("/login", wait_until="commit")
    assert page.evaluate("navigator.serviceWorker.controller") is None
    page.wait_for_load_state("load")
    worker_ready(page)
    page.reload()
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/sw.js")
    shell = page.evaluate(CACHED_URLS)
    (kept_files,) = [urls for name, urls in shell.items() if name.startswith("shell-")]
    assert "/offline" in kept_files
    assert any(u.startswith("/static/app.") and u.endswith(".css") for u in kept_files)


# --- offline --------------------------------------------------------------------------------


def test_offline_visitor_sees_cached_timeline_and_our_page_for_the_rest(
    app: BrowserContext, site: dict[str, str]
):
    page = signed_in_with_worker(app, "ana@example.org")
    page.goto(site["timeline"])
    kept(page, site["timeline"])
    photos_kept(page, 2)

    app.set_offline(True)
    page.reload()
    expect(page.get_by_role("status").filter(has_text="You’re offline")).to_have_text(OFFLINE_NOTE)
    for title, _, _ in MEMORIES:
        expect(page.get_by_text(title, exact=True).first).to_be_visible()
    every_image_loaded(page)
    assert page.evaluate(
        "[...document.querySelectorAll('main img')].every((i) => i.naturalWidth > 0)"
    ), "a kept thumbnail did not show offline"

    # A page kept before an update names the files of its day: it gets today's.
    stale = re.sub(
        r"\.[0-9a-f]{12}\.css",
        ".000000000000.css",
        page.evaluate("document.querySelector('link[rel=stylesheet]').getAttribute('href')"),
    )
    assert page.evaluate("(url) => fetch(url).then((r) => r.text())", stale).startswith("/*")

    page.goto("/settings")  # never opened on this device
    expect(page.get_by_role("heading", level=1)).to_have_text(OFFLINE_HEADING)
    page.goto(site["memory"])
    expect(page.get_by_role("heading", level=1)).to_have_text(OFFLINE_HEADING)


def test_a_form_sent_offline_says_saving_needs_a_connection_and_keeps_the_words(
    app: BrowserContext, site: dict[str, str]
):
    page = signed_in_with_worker(app, "ana@example.org")
    page.goto(site["memory"])
    words = "I still think about the croissants."
    page.get_by_label("Your reply").fill(words)

    app.set_offline(True)
    page.get_by_role("button", name="Reply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Not saved yet: you’re offline")
    page.get_by_role("link", name="Go back to the form").click()
    expect(page.get_by_label("Your reply")).to_have_value(words)


def test_a_kept_photo_is_shown_offline_only_while_its_link_is_valid(
    app: BrowserContext, site: dict[str, str]
):
    page = signed_in_with_worker(app, "ana@example.org")
    page.goto(site["timeline"])
    photos_kept(page, 2)
    thumb = page.locator("main img").first.get_attribute("src")
    # The same photo as kept under a link that expired (its `exp` in 1970).
    expired = re.sub(r"exp=\d+", "exp=1000", thumb)
    page.evaluate(
        "(url) => caches.open('photos').then((c) => c.put(url, new Response('kept')))", expired
    )

    app.set_offline(True)
    loads = "(src) => fetch(src).then((r) => r.ok, () => false)"
    assert page.evaluate(loads, thumb) is True
    assert page.evaluate(loads, expired) is False
    assert expired.split("?")[0] in page.evaluate(CACHED_URLS)["photos"]  # the valid one
    assert page.evaluate("(url) => caches.match(url).then(Boolean)", expired) is False


# --- nothing of one member for another ------------------------------------------------------


def test_logging_out_leaves_nothing_of_the_member_in_the_caches(
    app: BrowserContext, site: dict[str, str]
):
    page = signed_in_with_worker(app, "ana@example.org")
    page.goto(site["timeline"])
    kept(page, site["timeline"])
    photos_kept(page, 2)
    page.evaluate("localStorage.setItem('left-behind', 'yes')")

    page.locator("header.site summary").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    # Chromium acted on the answer's Clear-Site-Data: storage is empty.
    assert page.evaluate("localStorage.getItem('left-behind')") is None
    worker_ready(page)  # registered again by the log-in page, for whoever comes next
    held = page.evaluate(CACHED_URLS)
    every_url = [url for urls in held.values() for url in urls]
    assert not [u for u in every_url if u.startswith(("/t/", "/m/", "/media/"))], held
    assert "pages" not in held or held["pages"] == []

    app.set_offline(True)
    page.goto(site["timeline"])
    expect(page.get_by_role("heading", level=1)).to_have_text(OFFLINE_HEADING)


def test_another_member_on_the_same_browser_never_sees_the_first_ones_pages(
    app: BrowserContext, site: dict[str, str]
):
    page = signed_in_with_worker(app, "ana@example.org")
    page.goto(site["timeline"])
    kept(page, site["timeline"])

    # Ana's session ends without a log-out (the cookie is gone), and Noa's begins: no page
    # for nobody in between.
    with httpx.Client(base_url=site["url"]) as client:
        form = client.get("/login")
        fields = {
            "email": "noa@example.org",
            "password": PASSWORD,
            "_csrf_token": client.cookies["rw_csrf"],
        }
        assert client.post("/login", data=fields).status_code == 303
        session = client.cookies["rw_session"]
        assert form.status_code == 200
    app.clear_cookies()
    app.add_cookies([{"name": "rw_session", "value": session, "url": site["url"]}])
    page.goto(site["noa_timeline"])
    kept(page, site["noa_timeline"])
    pages = page.evaluate(CACHED_URLS)["pages"]
    assert site["timeline"] not in pages

    app.set_offline(True)
    page.goto(site["timeline"])
    expect(page.get_by_role("heading", level=1)).to_have_text(OFFLINE_HEADING)
    expect(page.get_by_text("Ana & Sam")).to_have_count(0)


# --- Web Push -------------------------------------------------------------------------------


def arrived(page: Page, registrations: list[dict], scope: str) -> dict:
    """The worker's registration, once DevTools has told of it: its events reach Python only
    while Playwright is called, and may come after the page already has its controller (one
    run under load found none), so the page is asked to wait a moment until they do."""
    for _ in range(200):
        found = [r for r in registrations if r["scopeURL"] == scope]
        if found:
            return found[0]
        page.wait_for_timeout(25)
    raise AssertionError(f"DevTools never told of the worker registered for {scope}")


def test_a_push_shows_its_notification_leading_only_to_a_page_of_ours(
    app: BrowserContext, site: dict[str, str]
):
    app.grant_permissions(["notifications"], origin=site["url"])
    page = signed_in_with_worker(app, "ana@example.org")
    cdp = app.new_cdp_session(page)
    registrations: list[dict] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    registration = arrived(page, registrations, site["url"] + "/")
    notifications = """() => navigator.serviceWorker.ready
      .then((r) => r.getNotifications())
      .then((all) => all.map((n) => ({title: n.title, body: n.body, tag: n.tag,
                                      url: n.data.url, icon: n.icon, badge: n.badge})))"""

    for tag, url in [("memory-1", "/m/123"), ("memory-2", "https://elsewhere.example/m/1")]:
        message = {"title": "Sam added a memory", "body": "Picnic", "url": url, "tag": tag}
        shown = f"(tag) => ({notifications})().then((all) => all.some((n) => n.tag === tag))"
        # Under load, headless Chromium once dropped a message delivered over the protocol
        # (no event reached the worker): it is delivered again, as a push service would.
        for attempt in range(3):
            cdp.send(
                "ServiceWorker.deliverPushMessage",
                {
                    "origin": site["url"],
                    "registrationId": registration["registrationId"],
                    "data": json.dumps(message),
                },
            )
            try:
                until(page, shown, tag)
                break
            except PlaywrightError:
                if attempt == 2:
                    raise
    shown = {n["tag"]: n for n in page.evaluate(notifications)}
    assert shown["memory-1"]["title"] == "Sam added a memory"
    assert shown["memory-1"]["body"] == "Picnic"
    assert shown["memory-1"]["url"] == "/m/123"
    assert shown["memory-2"]["url"] == "/"  # another site's link: home instead
    assert "/static/icons/icon-192." in shown["memory-1"]["icon"]
    assert "/static/icons/badge-96." in shown["memory-1"]["badge"]


# --- as installed: screenshots --------------------------------------------------------------


@pytest.fixture(params=["375", "1280"])
def installed(
    request: pytest.FixtureRequest, browser: Browser, site: dict[str, str], tmp_path: Path
) -> Iterator[tuple[BrowserContext, str]]:
    """Chromium showing the site as an app window (`--app`: display-mode standalone, no
    browser buttons), at a phone's width or a laptop's. Emulating the media feature over
    the DevTools protocol does nothing in Chromium 156."""
    width = request.param
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile",
        executable_path=chromium_path(),
        args=[*CHROMIUM_ARGS, f"--app={site['url']}/login"],
        base_url=site["url"],
        viewport=PHONE if width == "375" else DESKTOP,
    )
    yield context, width
    context.close()


def test_screenshots_of_the_installed_app(
    installed: tuple[BrowserContext, str], site: dict[str, str], screenshots: Path
):
    app, width = installed
    folder = screenshots / "app"
    folder.mkdir(exist_ok=True)
    page = signed_in_with_worker(app, "ana@example.org")
    assert page.evaluate("matchMedia('(display-mode: standalone)').matches")
    for name, path in [("home", "/"), ("timeline", site["timeline"])]:
        page.goto(path)
        expect(page.get_by_role("link", name="Back")).to_have_count(0 if path == "/" else 1)
        every_image_loaded(page)
        page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
    kept(page, site["timeline"])
    photos_kept(page, 2)
    app.set_offline(True)
    page.reload()
    expect(page.locator(".offline-note")).to_be_visible()
    every_image_loaded(page)
    page.evaluate("scrollTo(0, 0)")  # a reload keeps where the page was scrolled to
    page.screenshot(path=folder / f"timeline-offline-{width}.png", full_page=True)
    page.goto("/settings")
    expect(page.get_by_role("heading", level=1)).to_have_text(OFFLINE_HEADING)
    page.screenshot(path=folder / f"offline-{width}.png", full_page=True)
