"""Notifications as a member turns them on, in Chromium with a profile of its own: Settings
offers the button once the service worker runs, the browser is asked only when it is pressed,
and from then on the partner's reply reaches this browser's push service, signed, encrypted
and naming them. Without a script, the page says what notifications need.

Chromium here cannot reach a real push service (Google's), so the test stands in for the one
part that talks to it: `PushManager.subscribe` answers with an endpoint on a push service of
the test's own and keys the test holds. Everything else is the product as it runs: the page's
script, the settings route, the app process's own scheduler sending the notification.

Screenshots of the Notifications section land in build/screenshots/notifications."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.e2e.browser import DESKTOP, PHONE, browser_log_in
from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path
from tests.support import (
    PushKeys,
    PushService,
    a_browser,
    a_push_service,
    clean_environment,
    free_port,
    served,
    signed_up,
    unb64url,
    wait_until,
)

# What the page gets from PushManager: the subscription a browser would make, on the test's
# push service; the options it was asked with are kept for the test to read.
STAND_IN = """(() => {
  const endpoint = %(endpoint)s, keys = %(keys)s;
  let subscribed = false;
  const subscription = {
    endpoint,
    toJSON: () => ({ endpoint, keys }),
    unsubscribe: async () => { subscribed = false; return true; },
  };
  PushManager.prototype.subscribe = async function (options) {
    window.subscribedWith = Array.from(new Uint8Array(options.applicationServerKey));
    subscribed = true;
    return subscription;
  };
  PushManager.prototype.getSubscription = async function () {
    return subscribed ? subscription : null;
  };
})();"""


@pytest.fixture(scope="module")
def push_service() -> Iterator[PushService]:
    with a_push_service() as service:
        yield service


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, push_service: PushService
) -> Iterator[dict[str, str]]:
    """Ana and Sam's timeline with one memory, served with its scheduler running."""
    folder, port = tmp_path_factory.mktemp("notifications"), free_port()
    env = clean_environment(
        DATA_DIR=str(folder / "var"),
        BASE_URL=f"http://127.0.0.1:{port}",
        PUSH_ALLOW_PRIVATE_ENDPOINTS="1",
    )
    with served(env, folder, port) as base_url, httpx.Client(base_url=base_url) as client:
        ana, sam = signed_up(client, "Ana"), signed_up(client, "Sam")
        timeline = client.post("/api/v1/timelines", json={"name": "Ana & Sam"}, headers=ana).json()[
            "id"
        ]
        invite = client.post(f"/api/v1/timelines/{timeline}/invites", headers=ana).json()
        client.post(f"/api/v1/invites/{invite['token']}/accept", headers=sam)
        memory = client.post(
            f"/api/v1/timelines/{timeline}/memories",
            json={"title": "Picnic by the river", "occurred_on": "2023-06-15"},
            headers=ana,
        ).json()["id"]
        yield {"url": base_url, "memory": memory, "ana": ana["Authorization"]}


def with_stand_in(
    browser: Browser, path: Path, url: str, keys: PushKeys, endpoint: str, viewport: dict
) -> BrowserContext:
    context = browser.browser_type.launch_persistent_context(
        path,
        executable_path=chromium_path(),
        args=CHROMIUM_ARGS,
        base_url=url,
        viewport=viewport,
    )
    context.grant_permissions(["notifications"], origin=url)
    context.add_init_script(
        STAND_IN % {"endpoint": json.dumps(endpoint), "keys": json.dumps(keys.keys)}
    )
    return context


def test_member_turns_notifications_on_and_hears_of_the_partners_reply(
    browser: Browser, site: dict[str, str], push_service: PushService, tmp_path: Path
):
    keys = a_browser()
    app = with_stand_in(
        browser, tmp_path / "profile", site["url"], keys, f"{push_service.url}/sam", PHONE
    )
    page = app.new_page()
    browser_log_in(page, "sam@example.org")
    page.goto("/settings#notifications")
    turn_on = page.get_by_role("button", name="Turn on notifications here")

    turn_off = page.get_by_role("button", name="Turn them off here")

    expect(turn_on).to_be_visible()
    expect(turn_off).to_be_hidden()
    expect(page.locator("[data-push-unsupported]")).to_be_hidden()
    turn_on.click()
    expect(page.locator("[data-push-status]")).to_have_text(
        "Notifications are on on this device. You will hear when your partner writes."
    )
    expect(turn_on).to_be_hidden()
    expect(turn_off).to_be_visible()
    server_key = httpx.get(f"{site['url']}/api/v1/push/key").json()["public_key"]
    assert bytes(page.evaluate("window.subscribedWith")) == unb64url(server_key)
    httpx.post(
        f"{site['url']}/api/v1/memories/{site['memory']}/replies",
        json={"text": "Again next summer?"},
        headers={"Authorization": site["ana"]},
    )
    # The app's scheduler runs on its own clock: between Sam's morning hour and the evening,
    # its minute's pass may also tell Sam of today's pick, and CI failed once on that. So the
    # reply's notification is looked for among what reached Sam: the pick's opens the
    # timeline ("/"), the reply's the memory.
    wait_until(
        lambda: opening(f"/m/{site['memory']}", push_service, keys),
        "the reply's notification",
        30,
    )
    app.close()

    [message] = opening(f"/m/{site['memory']}", push_service, keys)
    assert message["title"] == "Ana replied to “Picnic by the river”"


def opening(url: str, push_service: PushService, keys: PushKeys) -> list[dict]:
    """The notifications that reached Sam's browser so far and open `url`, decrypted as the
    browser would."""
    received = [keys.read(r.body) for r in push_service.received if r.path == "/sam"]
    return [message for message in received if message["url"] == url]


def test_without_a_script_the_page_says_what_notifications_need(
    browser: Browser, site: dict[str, str]
):
    context = browser.new_context(base_url=site["url"], java_script_enabled=False)
    page = context.new_page()
    browser_log_in(page, "ana@example.org")
    page.goto("/settings")

    expect(page.locator("[data-push]")).to_be_hidden()
    expect(page.locator("[data-push-unsupported]")).to_contain_text("Add to Home Screen")
    expect(page.get_by_label("replies")).to_be_checked()
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_screenshots_of_the_notifications_settings(
    browser: Browser,
    site: dict[str, str],
    push_service: PushService,
    tmp_path: Path,
    screenshots: Path,
    viewport: dict,
):
    app = with_stand_in(
        browser, tmp_path / "profile", site["url"], a_browser(), push_service.url, viewport
    )
    page = app.new_page()
    browser_log_in(page, "ana@example.org")
    page.goto("/settings#notifications")
    expect(page.get_by_role("button", name="Turn on notifications here")).to_be_visible()
    folder = screenshots / "notifications"
    folder.mkdir(exist_ok=True)
    # Below the sticky header, as a member arriving from the settings menu sees it.
    page.locator("#notifications").evaluate("(section) => scrollTo(0, section.offsetTop - 70)")
    page.screenshot(path=folder / f"settings-{viewport['width']}.png")
    app.close()
