"""Creating a timeline, inviting the partner and joining, through the pages."""

from __future__ import annotations

from datetime import timedelta

from tests.support import (
    csrf_token,
    page_soup,
    submit,
    text_of,
    visible_text,
    web_log_in,
    web_sign_up,
)


async def create_timeline(client, name: str = "Ana & Sam", since: str = "2019-06-12"):
    return await submit(client, "/t/new", "/t", {"name": name, "together_since": since})


async def invite_link(client, timeline_path: str) -> str:
    page = await client.get(timeline_path)
    made = await client.post(
        f"{timeline_path}/invites", data={"_csrf_token": csrf_token(page.text)}
    )
    assert made.status_code == 303
    response = await client.get(made.headers["location"])
    return page_soup(response.text).select_one("#invite-link")["value"]


async def test_anonymous_visitors_are_sent_to_log_in_and_back(client):
    response = await client.get("/t/new")

    assert response.status_code == 302
    assert response.headers["location"] == "/login?next=/t/new"


async def test_creating_a_timeline_shows_it_with_the_anniversary(client):
    await web_sign_up(client, "Ana", "ana@example.org")

    response = await create_timeline(client)

    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert text_of(page.text, ".brand").endswith("Ana & Sam")
    assert text_of(page.text, ".timeline-head") == "Ana & Sam together since 12 June 2019"
    assert text_of(page.text, ".flash") == (
        "Your timeline is ready. Invite your partner when you like."
    )
    home = await client.get("/")
    names = {visible_text(h) for h in page_soup(home.text).select(".today-timeline > h2")}
    assert names == {"Ana & …", "Ana & Sam"}


async def test_a_bad_timeline_form_is_explained_and_keeps_what_was_typed(client):
    await web_sign_up(client, "Ana", "ana@example.org")

    response = await create_timeline(client, name="Us", since="12/06/2019")

    assert response.status_code == 422
    assert text_of(response.text, "[role=alert]") == (
        "Enter the date as YYYY-MM-DD, for example 2019-06-12."
    )
    assert page_soup(response.text).select_one("#name")["value"] == "Us"


async def test_partner_signs_up_through_the_invite_link_and_joins(client, clock):
    await web_sign_up(client, "Ana", "ana@example.org")
    timeline_path = (await create_timeline(client)).headers["location"]
    link = await invite_link(client, timeline_path)
    invite_path = link.removeprefix("http://testserver.local")
    client.cookies.clear()
    clock.advance(timedelta(days=1))

    landing = await client.get(invite_path)
    assert text_of(landing.text, "h1") == "Ana invited you"
    signup_href = page_soup(landing.text).select_one("#join-signup")["href"]
    assert signup_href == f"/signup?next={invite_path}"

    signup_page = await client.get(signup_href)
    assert text_of(signup_page.text, "h1") == "Join Ana’s timeline"
    assert text_of(signup_page.text, "form button") == "Create my account and join"

    # The sign-up button is the consent: no second "Join" to press.
    joined = await web_sign_up(client, "Sam", "sam@example.org", next=invite_path)

    assert joined.status_code == 303
    assert joined.headers["location"] == timeline_path
    timeline_page = await client.get(timeline_path)
    # The couple named it themselves: it keeps its name.
    assert text_of(timeline_page.text, ".timeline-head h1") == "Ana & Sam"
    assert text_of(timeline_page.text, ".flash") == "You're in. This is your shared timeline."
    assert "Invite your partner" not in timeline_page.text
    # One timeline: home is its today, named in the header.
    home = await client.get("/")
    assert text_of(home.text, ".brand") == "♥ Ana & Sam"
    assert page_soup(home.text).select(".today-timeline") == []


async def test_signing_up_starts_a_timeline_named_for_two_once_the_partner_joins(client):
    started = await web_sign_up(client, "Maya", "maya@example.org")
    timeline_path = started.headers["location"]
    assert timeline_path.startswith("/t/")
    first = await client.get(timeline_path)
    assert text_of(first.text, ".brand") == "♥ Maya & …"
    assert "Add your first memory" in first.text
    link = local_path(await invite_link(client, timeline_path))
    client.cookies.clear()

    await web_sign_up(client, "Leo", "leo@example.org", next=link)

    joined = await client.get(timeline_path)
    assert text_of(joined.text, ".brand") == "♥ Maya & Leo"


async def test_the_partner_who_joined_opens_the_link_again_and_is_told_they_are_in(client):
    started = await web_sign_up(client, "Maya", "maya@example.org")
    timeline_path = started.headers["location"]
    link = local_path(await invite_link(client, timeline_path))
    client.cookies.clear()
    await web_sign_up(client, "Leo", "leo@example.org", next=link)

    again = await client.get(link)

    assert again.status_code == 200
    assert text_of(again.text, "h1") == "You’re already in “Maya & Leo”"
    assert page_soup(again.text).select_one(".invitation a.button")["href"] == timeline_path
    client.cookies.clear()
    stranger = await client.get(link)
    assert stranger.status_code == 404
    assert "was already used, or has expired" in stranger.text


async def test_logging_in_from_an_invite_joins_at_once(client, sign_up):
    sam = await sign_up("Sam")
    started = await web_sign_up(client, "Ana", "ana@example.org")
    link = local_path(await invite_link(client, started.headers["location"]))
    client.cookies.clear()

    response = await submit(
        client,
        f"/login?next={link}",
        "/login",
        {"email": sam.email, "password": "a long and happy walk", "next": link},
    )

    assert response.headers["location"] == started.headers["location"]
    page = await client.get(response.headers["location"])
    assert text_of(page.text, ".brand") == "♥ Ana & Sam"


async def test_a_used_or_expired_invite_link_shows_a_kind_404(client, clock):
    await web_sign_up(client, "Ana", "ana@example.org")
    timeline_path = (await create_timeline(client)).headers["location"]
    invite_path = (await invite_link(client, timeline_path)).removeprefix("http://testserver.local")

    clock.advance(timedelta(days=8))
    client.cookies.clear()
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
    assert text_of(home.text, ".brand") == "♥ Ana & …"
    assert (await client.get(timeline_path)).status_code == 404


async def test_logging_in_from_a_dead_invite_says_it_no_longer_works(client, sign_up):
    sam = await sign_up("Sam")

    response = await submit(
        client,
        "/login?next=/i/abc",
        "/login",
        {"email": sam.email, "password": "a long and happy walk", "next": "/i/abc"},
    )

    assert response.headers["location"] == "/"
    home = await client.get("/")
    assert text_of(home.text, ".flash") == (
        "That invitation link no longer works. Ask your partner for a new one."
    )


def local_path(link: str) -> str:
    return link.removeprefix("http://testserver.local")


def waiting_links(html: str) -> list[str]:
    items = page_soup(html).select("#invites .pending-invites li")
    return [visible_text(item) for item in items]


async def test_a_link_made_before_the_partner_joined_dies_when_they_join(client):
    await web_sign_up(client, "Ana", "ana@example.org")
    timeline_path = (await create_timeline(client)).headers["location"]
    first = local_path(await invite_link(client, timeline_path))
    second = local_path(await invite_link(client, timeline_path))
    client.cookies.clear()
    await web_sign_up(client, "Sam", "sam@example.org")
    await submit(client, first, first, {})
    left = await submit(client, timeline_path, f"{timeline_path}/leave", {})
    assert left.headers["location"] == "/"
    client.cookies.clear()
    await web_sign_up(client, "Kim", "kim@example.org")

    landing = await client.get(second)
    joined = await client.post(
        second, data={"_csrf_token": csrf_token((await client.get("/t/new")).text)}
    )

    assert landing.status_code == joined.status_code == 404
    assert "was already used, or has expired" in landing.text
    assert (await client.get(timeline_path)).status_code == 404


async def test_a_member_sees_the_links_waiting_and_ends_one(client, clock):
    await web_sign_up(client, "Ana", "ana@example.org")
    timeline_path = (await create_timeline(client)).headers["location"]
    ended = local_path(await invite_link(client, timeline_path))
    clock.advance(timedelta(hours=2, minutes=15))
    kept = local_path(await invite_link(client, timeline_path))
    page = await client.get(timeline_path)
    assert waiting_links(page.text) == [
        "Made 15 June 2026 at 13:45, works until 22 June 2026 End this link "
        "made 15 June 2026 at 13:45",
        "Made 15 June 2026 at 11:30, works until 22 June 2026 End this link "
        "made 15 June 2026 at 11:30",
    ]
    revoke = page_soup(page.text).select("#invites .pending-invites form")[1]

    response = await client.post(revoke["action"], data={"_csrf_token": csrf_token(page.text)})

    assert response.status_code == 303
    assert response.headers["location"] == f"{timeline_path}#invites"
    after = await client.get(timeline_path)
    assert text_of(after.text, ".flash") == "That invitation link no longer works."
    assert waiting_links(after.text) == [
        "Made 15 June 2026 at 13:45, works until 22 June 2026 End this link "
        "made 15 June 2026 at 13:45"
    ]
    client.cookies.clear()
    assert (await client.get(ended)).status_code == 404
    assert text_of((await client.get(kept)).text, "h1") == "Ana invited you"


async def test_ending_a_link_needs_the_form_of_the_page(client):
    await web_sign_up(client, "Ana", "ana@example.org")
    timeline_path = (await create_timeline(client)).headers["location"]
    link = local_path(await invite_link(client, timeline_path))
    page = await client.get(timeline_path)
    action = page_soup(page.text).select_one("#invites .pending-invites form")

    forged = await client.post(action["action"])

    assert forged.status_code == 403
    assert (await client.get(link)).status_code == 200


async def test_another_couples_link_cannot_be_ended_from_the_page(client):
    await web_sign_up(client, "Kim", "kim@example.org")
    kims_path = (await create_timeline(client, name="Kim & Lee")).headers["location"]
    kims_link = local_path(await invite_link(client, kims_path))
    kims_page = await client.get(kims_path)
    kims_revoke = page_soup(kims_page.text).select_one("#invites .pending-invites form")["action"]
    client.cookies.clear()
    await web_sign_up(client, "Ana", "ana@example.org")
    anas_path = (await create_timeline(client)).headers["location"]
    anas_page = await client.get(anas_path)
    token = csrf_token(anas_page.text)
    invite_id = kims_revoke.split("/")[-2]

    through_kims_timeline = await client.post(kims_revoke, data={"_csrf_token": token})
    through_anas_timeline = await client.post(
        f"{anas_path}/invites/{invite_id}/revoke", data={"_csrf_token": token}
    )

    assert through_kims_timeline.status_code == through_anas_timeline.status_code == 404
    assert text_of(through_anas_timeline.text, "h1") == "We could not find that"
    client.cookies.clear()
    await web_log_in(client, "kim@example.org")
    assert len(waiting_links((await client.get(kims_path)).text)) == 1
    assert (await client.get(kims_link)).status_code == 200


async def test_the_couple_renames_their_timeline_in_settings_and_it_keeps_that_name(client):
    started = await web_sign_up(client, "Maya", "maya@example.org")
    timeline_path = started.headers["location"]
    timeline_id = timeline_path.removeprefix("/t/")

    renamed = await submit(
        client, "/settings", f"/settings/timelines/{timeline_id}/name", {"name": "Porto days"}
    )

    assert renamed.headers["location"] == f"/settings#dates-{timeline_id}"
    link = local_path(await invite_link(client, timeline_path))
    client.cookies.clear()
    await web_sign_up(client, "Leo", "leo@example.org", next=link)
    assert text_of((await client.get(timeline_path)).text, ".brand") == "♥ Porto days"


async def test_the_invitation_comes_with_a_message_naming_who_and_what(client):
    started = await web_sign_up(client, "Maya", "maya@example.org")
    page = await client.get(started.headers["location"])
    made = await client.post(
        f"{started.headers['location']}/invites", data={"_csrf_token": csrf_token(page.text)}
    )

    soup = page_soup((await client.get(made.headers["location"])).text)
    link = soup.select_one("#invite-link")["value"]
    message = soup.select_one("#invite-message").text
    assert message.startswith("Maya invited you to “Maya & …”, our shared timeline")
    assert message.endswith(link)
    # Copy and Share need JavaScript: hidden until it runs, so no dead buttons without it.
    assert all(b.has_attr("hidden") for b in soup.select("[data-copy], [data-share]"))


async def test_reloading_the_invitation_shows_the_same_link_and_makes_no_other(client):
    started = await web_sign_up(client, "Maya", "maya@example.org")
    timeline_path = started.headers["location"]
    link = await invite_link(client, timeline_path)

    again = await client.get(f"{timeline_path}/invite")

    assert page_soup(again.text).select_one("#invite-link")["value"] == link
    waiting = text_of((await client.get(timeline_path)).text, ".pending summary")
    assert waiting == "Links waiting for your partner (1)"


async def test_the_invitation_page_is_kept_by_no_cache_and_needs_its_own_token(client):
    started = await web_sign_up(client, "Maya", "maya@example.org")
    timeline_path = started.headers["location"]
    await invite_link(client, timeline_path)
    shown = await client.get(f"{timeline_path}/invite")
    invite_id = client.cookies.get("rw_invite").partition(".")[0]

    client.cookies.set("rw_invite", f"{invite_id}.made-up", path=f"{timeline_path}/invite")
    forged = await client.get(f"{timeline_path}/invite")

    assert shown.headers["cache-control"] == "private, no-store"
    assert forged.status_code == 303
