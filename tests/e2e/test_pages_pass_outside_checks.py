"""Every page a couple, their family or a visitor can reach, in each state worth seeing (forms
re-shown with an error, an empty timeline, error pages), held to outside checkers: axe-core
finds no violation at 375 and 1280 px, the Nu HTML checker finds no error in the HTML as
served, and a full-page screenshot of each lands in build/screenshots/states.

One server and one couple for the module; each page is visited once per width by the browser
context of the person who sees it, and every check reads what those visits collected."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from uuid import UUID

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response

from server.common.links import not_this_one_url, unsubscribe_url
from server.common.settings import load_settings
from tests import images
from tests.e2e.browser import DESKTOP, PHONE, a_context, every_image_loaded
from tests.e2e.tools.checkers import (
    INSTALL,
    axe_installed,
    axe_violations,
    described,
    lacking,
    nu_errors,
)
from tests.support import PASSWORD, clean_environment, free_port, served, signed_up

WIDTHS = {"375": PHONE, "1280": DESKTOP}
TOGETHER_SINCE = "2019-06-12"
RECAP_YEAR = 6  # 12 June 2024 to 11 June 2025: over, and full of photos
# (title, day, photo size or None, Ana's score, Sam's score, Sam's words)
MEMORIES = [
    ("Swim in the lake", "2024-07-01", (1600, 1000), 5, 5, "Your scream in the cold water"),
    ("Night train to Vienna", "2024-09-09", (900, 1350), 4, 5, "Bunk beds and a sunrise"),
    ("First snow together", "2024-12-03", (1400, 1000), 4, 4, ""),
    ("Sunday crosswords", "2025-03-08", None, 3, 4, "You knew every river"),
]


@dataclass
class Couple:
    """What the module's served app holds, made over HTTP as the couple would."""

    timeline: str = ""
    memory: str = ""  # photos, both partners' words, a reply
    trashed: str = ""
    share_link: str = ""
    invite_link: str = ""  # to Noa's timeline, for someone who is not in yet
    noa_timeline: str = ""  # a new member's empty timeline
    unsubscribe_link: str = ""  # Ana's, from an "on this day" letter
    used_invite: str = ""  # the link Sam joined through, opened again by a member
    lea_timeline: str = ""  # Lea's, where she asked never to see her one memory again
    pick: str = ""  # today's pick of Ana and Sam, which Ana planned to recreate
    not_this_one: str = ""  # Ana's "Not this one" link of a letter, never pressed
    not_this_one_pressed: str = ""  # another, pressed
    kai_pick: str = ""  # Kai's pick today, not answered yet
    ana_draft: str = ""  # photos Ana shared from her gallery: the new-memory form they open
    kai_draft: str = ""  # photos Kai shared; he is in two timelines, so he chooses one


@dataclass
class Visit:
    """One page state at one width: what axe found and the HTML as the server sent it."""

    violations: list[str] = field(default_factory=list)
    dark_contrast: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    html: bytes = b""
    status: int = 0


@pytest.fixture(scope="module")
def served_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder, port = tmp_path_factory.mktemp("checks"), free_port()
    return clean_environment(DATA_DIR=str(folder / "var"), BASE_URL=f"http://127.0.0.1:{port}")


@pytest.fixture(scope="module")
def served_app(served_env: dict[str, str]) -> Iterator[str]:
    folder = Path(served_env["DATA_DIR"]).parent
    port = int(served_env["BASE_URL"].rsplit(":", 1)[1])
    with served(served_env, folder, port) as base_url:
        yield base_url


def _api_timeline(client: httpx.Client, member: dict, name: str, since: str | None) -> str:
    """The member's timeline: the one signing up made, if it made one, else a new one."""
    mine = client.get("/api/v1/me", headers=member).json()["timelines"]
    if mine:
        body = {"together_since": since} if since else {}
        client.patch(f"/api/v1/timelines/{mine[0]['id']}", json=body, headers=member)
        return mine[0]["id"]
    made = client.post(
        "/api/v1/timelines", json={"name": name, "together_since": since}, headers=member
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


@pytest.fixture(scope="module")
def couple(served_app: str, served_env: dict[str, str]) -> Couple:
    """Ana and Sam, together since 2019, with rated, photographed memories (one answered by
    Sam, one in the trash, one from this day three years ago), a recap year shared with
    family; Noa, who just signed up, with an empty timeline and an invitation out; Kai,
    whose one memory is today's pick, not answered yet."""
    made = Couple()
    with httpx.Client(base_url=served_app, timeout=60) as client:
        ana, sam, noa = (signed_up(client, name) for name in ("Ana", "Sam", "Noa"))
        made.timeline = _api_timeline(client, ana, "Ana & Sam", TOGETHER_SINCE)
        ana_id = UUID(client.get("/api/v1/me", headers=ana).json()["id"])
        # The app made its secret key on first start; the letter's link is signed with it.
        made.unsubscribe_link = unsubscribe_url(load_settings(served_env), ana_id, "on_this_day")
        invite = client.post(f"/api/v1/timelines/{made.timeline}/invites", headers=ana).json()
        client.post(f"/api/v1/invites/{invite['token']}/accept", headers=sam)
        made.used_invite = f"/i/{invite['token']}"

        today = date.today()
        on_this_day = today.replace(year=today.year - 3, day=min(today.day, 28)).isoformat()
        memories = [*MEMORIES, ("Picnic by the river", on_this_day, (1200, 900), 4, 0, "")]
        ids = []
        for title, day, size, ana_score, sam_score, words in memories:
            memory = client.post(
                f"/api/v1/timelines/{made.timeline}/memories",
                json={"title": title, "occurred_on": day, "place": "Annecy", "tags": ["us"]},
                headers=ana,
            ).json()
            ids.append(memory["id"])
            if size:
                photo = images.large_jpeg(*size, quality=80)
                client.post(
                    f"/api/v1/memories/{memory['id']}/photos",
                    files={"file": ("photo.jpg", photo, "image/jpeg")},
                    headers=ana,
                )
            for member, score, note in ((ana, ana_score, ""), (sam, sam_score, words)):
                if score:
                    client.put(
                        f"/api/v1/memories/{memory['id']}/connection",
                        json={"score": score, "appreciation": note},
                        headers=member,
                    )
        made.memory = ids[0]
        signed = load_settings(served_env)
        made.not_this_one = not_this_one_url(signed, ana_id, UUID(ids[1]))
        made.not_this_one_pressed = not_this_one_url(signed, ana_id, UUID(ids[3]))
        client.post(
            f"/api/v1/memories/{made.memory}/replies",
            json={"text": "I still hear the loons."},
            headers=sam,
        )
        trashed = client.post(
            f"/api/v1/timelines/{made.timeline}/memories",
            json={"title": "Burnt pancakes", "occurred_on": "2025-01-12"},
            headers=ana,
        ).json()
        client.delete(f"/api/v1/memories/{trashed['id']}", headers=ana)
        made.trashed = trashed["id"]
        ferry = client.post(
            f"/api/v1/timelines/{made.timeline}/memories",
            json={"title": "The ferry in the rain", "occurred_on": "2024-10-01"},
            headers=ana,
        ).json()
        photo = images.large_jpeg(1200, 900, quality=80)
        client.post(
            f"/api/v1/memories/{ferry['id']}/photos",
            files={"file": ("photo.jpg", photo, "image/jpeg")},
            headers=ana,
        )
        client.delete(f"/api/v1/memories/{ferry['id']}", headers=ana)
        share = client.post(
            f"/api/v1/timelines/{made.timeline}/recaps/{RECAP_YEAR}/share", json={}, headers=ana
        )
        made.share_link = share.json()["url"]

        pick = client.get(f"/api/v1/timelines/{made.timeline}/resurfacing/today", headers=ana)
        assert pick.status_code == 200, pick.text
        made.pick = pick.json()["suggestion_id"]
        planned = client.post(
            f"/api/v1/suggestions/{made.pick}/feedback",
            json={"action": "recreate", "planned_on": (today + timedelta(days=7)).isoformat()},
            headers=ana,
        )
        assert planned.status_code == 200, planned.text

        lea = signed_up(client, "Lea")
        made.lea_timeline = _api_timeline(client, lea, "Lea & Max", TOGETHER_SINCE)
        hard = client.post(
            f"/api/v1/timelines/{made.lea_timeline}/memories",
            json={"title": "The hospital summer", "occurred_on": "2023-07-01"},
            headers=lea,
        ).json()
        client.put(f"/api/v1/memories/{hard['id']}/connection", json={"score": 5}, headers=lea)
        pick = client.get(f"/api/v1/timelines/{made.lea_timeline}/resurfacing/today", headers=lea)
        assert pick.status_code == 200, pick.text
        vetoed = client.post(
            f"/api/v1/suggestions/{pick.json()['suggestion_id']}/feedback",
            json={"action": "never"},
            headers=lea,
        )
        assert vetoed.status_code == 200, vetoed.text

        kai = signed_up(client, "Kai")
        kai_timeline = _api_timeline(client, kai, "Kai & Jo", TOGETHER_SINCE)
        lanterns = client.post(
            f"/api/v1/timelines/{kai_timeline}/memories",
            json={"title": "Lanterns on the river", "occurred_on": "2024-11-02", "place": "Hoi An"},
            headers=kai,
        ).json()
        client.post(
            f"/api/v1/memories/{lanterns['id']}/photos",
            files={"file": ("photo.jpg", images.large_jpeg(1200, 900, quality=80), "image/jpeg")},
            headers=kai,
        )
        client.put(f"/api/v1/memories/{lanterns['id']}/connection", json={"score": 5}, headers=kai)
        pick = client.get(f"/api/v1/timelines/{kai_timeline}/resurfacing/today", headers=kai)
        assert pick.status_code == 200, pick.text
        made.kai_pick = pick.json()["suggestion_id"]
        client.post("/api/v1/timelines", json={"name": "Kai's family"}, headers=kai)
        made.kai_draft = _shared_from_gallery(served_app, "kai@example.org")
        made.ana_draft = _shared_from_gallery(served_app, "ana@example.org")

        made.noa_timeline = _api_timeline(client, noa, "Noa & Eli", None)
        invite = client.post(f"/api/v1/timelines/{made.noa_timeline}/invites", headers=noa)
        made.invite_link = invite.json()["url"]
    return made


def _shared_from_gallery(base_url: str, email: str) -> str:
    """Two photos (taken on 14 July 2019) shared from the member's phone to /share, as its
    share sheet posts them; where the answer leads (the form, or the choice of timeline)."""
    with httpx.Client(base_url=base_url, timeout=60) as browser:
        browser.get("/login")
        token = browser.cookies["rw_csrf"]
        fields = {"email": email, "password": PASSWORD, "_csrf_token": token}
        assert browser.post("/login", data=fields).status_code == 303
        photos = [
            ("photos", (f"{n}.jpg", images.photo_taken("2019:07:14 18:30:05", n), "image/jpeg"))
            for n in range(2)
        ]
        shared = browser.post("/share", data={"title": "", "text": "", "url": ""}, files=photos)
        assert shared.status_code == 303, shared.text
        return shared.headers["location"]


def _logged_in(browser: Browser, base_url: str, email: str | None) -> BrowserContext:
    """A browser context logged in as `email` (through the log-in form's request, so the
    check does not depend on how the form looks), or logged out."""
    # No service worker: it would send the page's requests itself, past `page.route`, which
    # `_post` turns into form posts (the worker is checked in test_app_in_a_browser.py).
    context = a_context(browser, base_url=base_url, viewport=PHONE)
    if email:
        context.request.get("/login")
        fields = {"email": email, "password": PASSWORD, "_csrf_token": _cookie(context, "rw_csrf")}
        answer = context.request.post("/login", form=fields)
        assert answer.ok, answer.status
    return context


def _post(page: Page, path: str, fields: dict[str, str], *, multipart: bool = False):
    """Send a form to `path` as the page's browser would, with the page's CSRF token (unless
    `fields` names its own), and show the answer: re-shown forms with their errors."""
    fields = {"_csrf_token": _token(page), **fields}
    if multipart:
        boundary = "outside-checks-boundary"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename=""\r\n'
            "Content-Type: application/octet-stream\r\n\r\n\r\n"
        )
        body = "".join(parts) + f"--{boundary}--\r\n"
        kind = f"multipart/form-data; boundary={boundary}"
    else:
        body, kind = urlencode(fields), "application/x-www-form-urlencoded"

    def as_post(route):
        headers = {**route.request.headers, "content-type": kind}
        route.continue_(method="POST", post_data=body, headers=headers)

    def this_path(url: str) -> bool:
        return url.endswith(path)

    page.route(this_path, as_post)
    try:
        return page.goto(path)
    finally:
        page.unroute(this_path, as_post)


def _token(page: Page) -> str:
    """The CSRF token forms carry: the value of the cookie every page sets."""
    return _cookie(page.context, "rw_csrf")


def _cookie(context: BrowserContext, name: str) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == name)


Go = Callable[[Page, Couple], Response | None]


def _to(path: Callable[[Couple], str] | str) -> Go:
    return lambda page, c: page.goto(path(c) if callable(path) else path)


# Each page state: who sees it (a context: "guest", "ana" or "noa") and how they get there.
STATES: dict[str, tuple[str, Go]] = {
    "welcome": ("guest", _to("/")),
    "sign-up": ("guest", _to("/signup")),
    "sign-up-error": (
        "guest",
        lambda p, c: _post(
            p,
            "/signup",
            {
                "display_name": "Ana",
                "email": "ana@example.org",
                "password": PASSWORD,
                "timezone": "Europe/Lisbon",
                "next": "/",
            },
        ),
    ),
    "log-in": ("guest", _to("/login")),
    "log-in-error": (
        "guest",
        lambda p, c: _post(p, "/login", {"email": "ana@example.org", "password": "not it at all"}),
    ),
    "forgot": ("guest", _to("/forgot")),
    "forgot-sent": ("guest", lambda p, c: _post(p, "/forgot", {"email": "sam@example.org"})),
    "unsubscribe": ("guest", _to(lambda c: c.unsubscribe_link)),
    "unsubscribed": ("guest", lambda p, c: _post(p, c.unsubscribe_link, {})),
    "not-this-one": ("guest", _to(lambda c: c.not_this_one)),
    "not-this-one-done": ("guest", lambda p, c: _post(p, c.not_this_one_pressed, {})),
    "invite-for-partner": ("guest", _to(lambda c: c.invite_link)),
    "sign-up-invited": (
        "guest",
        _to(lambda c: "/signup?" + urlencode({"next": urlsplit(c.invite_link).path})),
    ),
    "already-in": ("ana", _to(lambda c: c.used_invite)),
    "shared-recap": ("guest", _to(lambda c: c.share_link)),
    "home": ("ana", _to("/")),
    "home-new": ("noa", _to("/")),
    "home-not-this-one": ("lea", _to("/")),
    "recreate-form": ("ana", _to(lambda c: f"/t/{c.timeline}/new?suggestion={c.pick}")),
    "pick-recreate": ("kai", _to(lambda c: f"/s/{c.kai_pick}/recreate")),
    "pick-not-now": ("kai", _to(lambda c: f"/s/{c.kai_pick}/not-now")),
    "pick-planned": ("ana", _to(lambda c: f"/s/{c.pick}/recreate")),
    "timeline": ("ana", _to(lambda c: f"/t/{c.timeline}")),
    "timeline-no-match": ("ana", _to(lambda c: f"/t/{c.timeline}?q=zebra")),
    "memory": ("ana", _to(lambda c: f"/m/{c.memory}")),
    "memory-error": ("ana", lambda p, c: _post(p, f"/m/{c.memory}/replies", {"text": " "})),
    "new-memory": ("ana", _to(lambda c: f"/t/{c.timeline}/new")),
    "new-memory-error": (
        "ana",
        lambda p, c: _post(
            p,
            f"/t/{c.timeline}/memories",
            {"title": "", "occurred_on": "2025-05-01", "date_precision": "day"},
            multipart=True,
        ),
    ),
    "edit-memory": ("ana", _to(lambda c: f"/m/{c.memory}/edit")),
    # Photos shared from the gallery: the form they open in, the choice of timeline, and a
    # share refused (nothing came with it).
    "shared-photos-form": ("ana", _to(lambda c: c.ana_draft)),
    "shared-photos-choose": ("kai", _to(lambda c: c.kai_draft)),
    "share-refused": ("guest", lambda p, c: _post(p, "/share", {"title": ""}, multipart=True)),
    "settings": ("ana", _to("/settings")),
    "settings-error": (
        "ana",
        lambda p, c: _post(
            p, "/settings/profile", {"display_name": "Ana", "timezone": "Mars/Olympus"}
        ),
    ),
    "never-shown": ("lea", _to("/settings")),
    "recap": ("ana", _to(lambda c: f"/t/{c.timeline}/recap/{RECAP_YEAR}")),
    "trash": ("ana", _to(lambda c: f"/m/{c.trashed}")),
    "trash-list": ("ana", _to(lambda c: f"/t/{c.timeline}/trash")),
    "trash-confirm": ("ana", _to(lambda c: f"/m/{c.memory}/trash")),
    "trash-empty-confirm": ("ana", _to(lambda c: f"/t/{c.timeline}/trash/empty")),
    "trash-empty": ("noa", _to(lambda c: f"/t/{c.noa_timeline}/trash")),
    "not-found": ("ana", _to("/no-such-page")),
    # What the service worker shows without a connection, served here as it keeps them.
    "offline": ("guest", _to("/offline")),
    "offline-not-saved": ("guest", _to("/offline/not-saved")),
    "forbidden": (
        "ana",
        lambda p, c: _post(p, f"/m/{c.memory}/replies", {"text": "Hi", "_csrf_token": "forged"}),
    ),
    "empty-timeline": ("noa", _to(lambda c: f"/t/{c.noa_timeline}")),
    "invitation": ("noa", lambda p, c: _post(p, f"/t/{c.noa_timeline}/invites", {})),
}
PEOPLE = {
    "guest": None,
    "ana": "ana@example.org",
    "noa": "noa@example.org",
    "lea": "lea@example.org",
    "kai": "kai@example.org",
}


def _console_errors(page: Page, into: list[str]) -> None:
    """Collect the page's console errors and uncaught exceptions (a script the CSP refused
    says so there), but not the one line Chromium logs for a document answered 4xx: an
    error page or a re-shown form is answered so on purpose."""

    def on_console(message) -> None:
        if message.type != "error":
            return
        if (
            message.text.startswith("Failed to load resource")
            and message.location.get("url") == page.url
        ):
            return
        into.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: into.append(str(error)))


@pytest.fixture(scope="module")
def visits(
    browser: Browser, served_app: str, couple: Couple, screenshots: Path
) -> dict[tuple[str, str], Visit]:
    """Every state at both widths, visited once by the person who sees it (one browser
    context each, resized between the widths): axe's findings (and, on the phone, the
    contrast of the dark theme too), console errors, and the HTML as served."""
    if not axe_installed():
        lacking(f"axe-core is not installed: run {INSTALL} (npm)")
    folder = screenshots / "states"
    folder.mkdir(exist_ok=True)
    found: dict[tuple[str, str], Visit] = {}
    errors: list[str] = []
    contexts = {who: _logged_in(browser, served_app, email) for who, email in PEOPLE.items()}
    pages = {who: context.new_page() for who, context in contexts.items()}
    for page in pages.values():
        _console_errors(page, errors)
    for width, viewport in WIDTHS.items():
        for page in pages.values():
            page.set_viewport_size(viewport)
        for state, (who, go) in STATES.items():
            page = pages[who]
            errors.clear()
            response = go(page, couple)
            assert response is not None, f"{state}: no page came back"
            visit = found[state, width] = Visit(status=response.status)
            visit.html = response.body()
            where = f"{state} at {width} px"
            visit.violations = described(axe_violations(page), where)
            if width == "375":
                page.emulate_media(color_scheme="dark")
                dark = axe_violations(page, ["color-contrast"])
                visit.dark_contrast = described(dark, f"{where}, dark theme")
                page.emulate_media(color_scheme="light")
            every_image_loaded(page)
            page.screenshot(path=str(folder / f"{state}-{width}.png"), full_page=True)
            visit.console_errors = list(errors)
    for context in contexts.values():
        context.close()
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("state", STATES)
def test_axe_finds_no_violation(visits: dict[tuple[str, str], Visit], state: str, width: str):
    violations = visits[state, width].violations
    assert not violations, "axe-core found:\n" + "\n".join(violations)


@pytest.mark.parametrize("state", STATES)
def test_dark_theme_keeps_text_readable(visits: dict[tuple[str, str], Visit], state: str):
    contrast = visits[state, "375"].dark_contrast
    assert not contrast, "axe-core found, in the dark theme:\n" + "\n".join(contrast)


@pytest.mark.parametrize("state", STATES)
def test_no_script_error_or_refusal(visits: dict[tuple[str, str], Visit], state: str):
    """No uncaught exception, nothing the CSP refused, no resource missing, at either width."""
    errors = [e for width in WIDTHS for e in visits[state, width].console_errors]
    assert not errors, f"{state}: the console said:\n" + "\n".join(errors)


@pytest.fixture(scope="module")
def nu_report(visits: dict[tuple[str, str], Visit], tmp_path_factory) -> dict[str, list[str]]:
    """The Nu HTML checker's errors in each state's HTML as served (the phone visit's: the
    HTML does not depend on the width), checked in one run."""
    folder = tmp_path_factory.mktemp("served-html")
    for (state, width), visit in visits.items():
        if width == "375":
            (folder / f"{state}.html").write_bytes(visit.html)
    return nu_errors(folder)


@pytest.mark.parametrize("state", STATES)
def test_nu_html_checker_finds_no_error(nu_report: dict[str, list[str]], state: str):
    errors = nu_report[f"{state}.html"]
    assert not errors, f"{state}: the Nu HTML checker found:\n" + "\n".join(errors)


def test_the_states_are_the_ones_named(visits: dict[tuple[str, str], Visit]):
    """Each state is what its name says: error pages and re-shown forms answered as such,
    every other page 200 or 201 (so a check never passes on the wrong page)."""
    expected = {"sign-up-error": 409, "log-in-error": 401, "memory-error": 422}
    expected |= {"new-memory-error": 422, "not-found": 404, "forbidden": 403, "invitation": 200}
    expected |= {"settings-error": 422, "share-refused": 422}
    statuses = {state: visits[state, "375"].status for state in STATES}
    assert statuses == {state: expected.get(state, 200) for state in STATES}
