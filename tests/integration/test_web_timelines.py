"""Creating a timeline, inviting the partner and joining, through the pages."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup

from tests.support import csrf_token, submit, web_sign_up


def text_of(html: str, selector: str) -> str:
    found = BeautifulSoup(html, "html.parser").select_one(selector)
    assert found is not None, f"nothing matches {selector}"
    return " ".join(found.get_text().split())


async def create_timeline(client, name: str = "Ana & Sam", since: str = "2019-06-12"):
    return await submit(client, "/t/new", "/t", {"name": name, "together_since": since})


async def invite_link(client, timeline_path: str) -> str:
    page = await client.get(timeline_path)
    response = await client.post(
        f"{timeline_path}/invites", data={"_csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 201
    return BeautifulSoup(response.text, "html.parser").select_one("#invite-link")["value"]


async def test_anonymous_visitors_are_sent_to_log_in_and_back(client):
    response = await client.get("/t/new")

    assert response.status_code == 302
    assert response.headers["location"] == "/login?next=/t/new"


async def test_creating_a_timeline_shows_it_with_the_anniversary(client):
    await web_sign_up(client, "Ana", "ana@example.org")

    response = await create_timeline(client)

    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert text_of(page.text, "h1") == "Ana & Sam"
    assert text_of(page.text, ".timeline-head .quiet") == "Ana · together since 12 June 2019"
    assert text_of(page.text, ".flash") == (
        "Your timeline is ready. Invite your partner when you like."
    )
    home = await client.get("/")
    assert text_of(home.text, ".cards h2") == "Ana & Sam"


async def test_a_bad_timeline_form_is_explained_and_keeps_what_was_typed(client):
    await web_sign_up(client, "Ana", "ana@example.org")

    response = await create_timeline(client, name="Us", since="12/06/2019")

    assert response.status_code == 422
    assert text_of(response.text, "[role=alert]") == (
        "Enter the date as YYYY-MM-DD, for example 2019-06-12."
    )
    assert BeautifulSoup(response.text, "html.parser").select_one("#name")["value"] == "Us"


async def test_partner_signs_up_through_the_invite_link_and_joins(client, clock):
    await web_sign_up(client, "Ana", "ana@example.org")
    timeline_path = (await create_timeline(client)).headers["location"]
    link = await invite_link(client, timeline_path)
    invite_path = link.removeprefix("http://testserver.local")
    client.cookies.clear()
    clock.advance(timedelta(days=1))

    landing = await client.get(invite_path)
    assert text_of(landing.text, "h1") == "Ana invited you"
    signup_href = BeautifulSoup(landing.text, "html.parser").select_one("#join-signup")["href"]
    assert signup_href == f"/signup?next={invite_path}"

    signed_up = await web_sign_up(client, "Sam", "sam@example.org", next=invite_path)
    assert signed_up.headers["location"] == invite_path
    page = await client.get(invite_path)
    joined = await client.post(invite_path, data={"_csrf_token": csrf_token(page.text)})

    assert joined.status_code == 303
    assert joined.headers["location"] == timeline_path
    timeline_page = await client.get(timeline_path)
    assert text_of(timeline_page.text, ".timeline-head .quiet").startswith("Ana & Sam")
    assert text_of(timeline_page.text, ".flash") == "You joined the timeline."
    assert "Invite your partner" not in timeline_page.text


async def test_a_used_or_expired_invite_link_shows_a_kind_404(client, clock):
    await web_sign_up(client, "Ana", "ana@example.org")
    timeline_path = (await create_timeline(client)).headers["location"]
    invite_path = (await invite_link(client, timeline_path)).removeprefix("http://testserver.local")

    clock.advance(timedelta(days=8))
    response = await client.get(invite_path)

    assert response.status_code == 404
    assert text_of(response.text, "h1") == "We could not find that"
    assert "was already used, or has expired" in response.text


async def test_leaving_through_the_page_removes_the_timeline_from_home(client):
    await web_sign_up(client, "Ana", "ana@example.org")
    timeline_path = (await create_timeline(client)).headers["location"]
    page = await client.get(timeline_path)

    response = await client.post(
        f"{timeline_path}/leave", data={"_csrf_token": csrf_token(page.text)}
    )

    assert response.status_code == 303
    home = await client.get("/")
    assert text_of(home.text, ".flash") == "You left the timeline."
    assert "Create your shared timeline" in home.text
    assert (await client.get(timeline_path)).status_code == 404


async def test_logging_in_from_an_invite_returns_to_it(client, sign_up):
    sam = await sign_up("Sam")

    response = await submit(
        client,
        "/login?next=/i/abc",
        "/login",
        {"email": sam.email, "password": "a long and happy walk", "next": "/i/abc"},
    )

    assert response.headers["location"] == "/i/abc"
