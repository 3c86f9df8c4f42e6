"""A timeline page asked again: a browser holding it hears 304 Not Modified, and a page asked
again is sent as rendered before, for as long as nothing it shows has changed. Whatever
changes, whoever changes it, the next view shows it."""

from __future__ import annotations

from datetime import timedelta

from tests.support import page_soup, rate_memory, submit, web_log_in, write_memory


async def logged_in(client, email: str) -> None:
    """Log in as a browser does, landing on the home page, which shows "Welcome back."."""
    landed = await web_log_in(client, email)
    assert landed.headers["location"] == "/"
    assert "Welcome back." in (await client.get("/")).text


async def test_a_page_the_browser_holds_is_not_sent_again(client, couple):
    ana, _, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Picnic", "2025-11-08")
    await logged_in(client, ana.email)

    first = await client.get(f"/t/{timeline_id}")
    again = await client.get(f"/t/{timeline_id}", headers={"If-None-Match": first.headers["etag"]})

    assert first.status_code == 200
    assert first.headers["etag"].startswith('W/"')
    assert first.headers["cache-control"] == "private, no-cache"
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]


async def test_a_page_asked_again_is_the_same_page(client, couple):
    ana, _, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Picnic", "2025-11-08")
    await logged_in(client, ana.email)

    first = await client.get(f"/t/{timeline_id}")
    again = await client.get(f"/t/{timeline_id}")

    assert again.status_code == 200
    assert again.headers["content-type"].startswith("text/html")
    assert again.text == first.text


async def test_whatever_the_partner_changes_shows_on_the_next_view(client, couple):
    ana, sam, timeline_id = await couple()
    picnic = await write_memory(client, ana, timeline_id, "Picnic", "2025-11-08")
    await logged_in(client, ana.email)

    def titles(html: str) -> list[str]:
        return [t.text for t in page_soup(html).select(".tile-title")]

    async def view() -> str:
        seen = await client.get(f"/t/{timeline_id}", headers={"If-None-Match": etag[0]})
        assert seen.status_code == 200, "a change must not be answered 304"
        etag[0] = seen.headers["etag"]
        return seen.text

    etag = [(await client.get(f"/t/{timeline_id}")).headers["etag"]]
    await write_memory(client, sam, timeline_id, "Ski week", "2025-11-01")
    assert titles(await view()) == ["Picnic", "Ski week"]
    await rate_memory(client, sam, picnic, 5)
    assert "♥♥♥♥♥" in page_soup(await view()).select(".tile-foot")[0].text
    renamed = await client.patch("/api/v1/me", json={"display_name": "Samuel"}, headers=sam.auth)
    assert renamed.status_code == 200, renamed.text
    assert "Samuel" in await view()
    gone = await client.delete(f"/api/v1/memories/{picnic['id']}", headers=sam.auth)
    assert gone.status_code == 204
    assert titles(await view()) == ["Ski week"]


async def test_a_page_is_kept_for_its_reader_alone(client, couple):
    ana, sam, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Picnic", "2025-11-08")
    await logged_in(client, ana.email)
    anas = await client.get(f"/t/{timeline_id}")

    await logged_in(client, sam.email)
    sams = await client.get(f"/t/{timeline_id}", headers={"If-None-Match": anas.headers["etag"]})

    assert sams.status_code == 200
    assert sams.headers["etag"] != anas.headers["etag"]
    assert page_soup(sams.text).select_one("[data-member]")["data-member"] == str(sam.id)


async def test_media_links_are_signed_again_before_a_kept_page_could_outlive_them(
    client, couple, clock
):
    ana, _, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Picnic", "2025-11-08")
    await logged_in(client, ana.email)
    first = await client.get(f"/t/{timeline_id}")

    clock.advance(timedelta(minutes=15))
    later = await client.get(f"/t/{timeline_id}", headers={"If-None-Match": first.headers["etag"]})

    assert later.status_code == 200
    assert later.headers["etag"] != first.headers["etag"]


async def test_a_page_with_a_message_is_not_kept(client, couple):
    ana, _, timeline_id = await couple()
    memory = await write_memory(client, ana, timeline_id, "Picnic", "2025-11-08")
    await logged_in(client, ana.email)
    await client.get(f"/t/{timeline_id}")
    trashed = await submit(client, f"/m/{memory['id']}", f"/m/{memory['id']}/delete", {})
    assert trashed.headers["location"] == f"/t/{timeline_id}"

    shown = await client.get(f"/t/{timeline_id}")
    again = await client.get(f"/t/{timeline_id}")

    assert "Moved to the trash." in shown.text
    assert "etag" not in shown.headers
    assert "Moved to the trash." not in again.text


async def test_an_app_holding_the_list_hears_not_modified_until_it_changes(client, couple):
    ana, sam, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Picnic", "2025-11-08")
    url = f"/api/v1/timelines/{timeline_id}/memories"
    first = await client.get(url, headers=ana.auth)

    same = await client.get(url, headers={**ana.auth, "If-None-Match": first.headers["etag"]})
    again = await client.get(url, headers=ana.auth)
    await write_memory(client, sam, timeline_id, "Ski week", "2025-11-01")
    changed = await client.get(url, headers={**ana.auth, "If-None-Match": first.headers["etag"]})
    sams = await client.get(url, headers={**sam.auth, "If-None-Match": changed.headers["etag"]})

    assert same.status_code == 304
    assert again.content == first.content
    assert again.headers["content-type"] == "application/json"
    assert changed.status_code == 200
    assert [m["title"] for m in changed.json()["items"]] == ["Picnic", "Ski week"]
    assert sams.status_code == 200, "each reader has their own ETag"


async def test_on_this_day_shows_what_was_written_a_moment_ago(client, couple):
    ana, sam, timeline_id = await couple()
    url = f"/api/v1/timelines/{timeline_id}/on-this-day"
    today = (await client.get(url, headers=ana.auth)).json()["date"]
    assert (await client.get(url, headers=ana.auth)).json()["items"] == []

    years_ago = f"{int(today[:4]) - 3}{today[4:]}"
    memory = await write_memory(client, sam, timeline_id, "Lake swim", years_ago)
    shown = (await client.get(url, headers=ana.auth)).json()["items"]
    await client.delete(f"/api/v1/memories/{memory['id']}", headers=sam.auth)
    gone = (await client.get(url, headers=ana.auth)).json()["items"]

    assert [(g["years_ago"], [m["title"] for m in g["memories"]]) for g in shown] == [
        (3, ["Lake swim"])
    ]
    assert gone == []


async def test_a_memory_page_is_kept_until_the_partner_answers(client, couple):
    ana, sam, timeline_id = await couple()
    picnic = await write_memory(client, ana, timeline_id, "Picnic", "2025-11-08")
    await logged_in(client, ana.email)
    first = await client.get(f"/m/{picnic['id']}")

    same = await client.get(f"/m/{picnic['id']}", headers={"If-None-Match": first.headers["etag"]})
    replied = await client.post(
        f"/api/v1/memories/{picnic['id']}/replies", json={"text": "Again soon"}, headers=sam.auth
    )
    assert replied.status_code == 201
    answered = await client.get(
        f"/m/{picnic['id']}", headers={"If-None-Match": first.headers["etag"]}
    )

    assert same.status_code == 304
    assert answered.status_code == 200
    assert "Again soon" in page_soup(answered.text).select_one(".reply").text


async def test_the_home_page_is_kept_until_the_partner_does_something(client, couple, clock):
    ana, sam, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Picnic", "2025-11-08")
    await logged_in(client, ana.email)
    first = await client.get("/")

    same = await client.get("/", headers={"If-None-Match": first.headers["etag"]})
    await write_memory(client, sam, timeline_id, "Ski week", "2025-11-01")
    told = await client.get("/", headers={"If-None-Match": first.headers["etag"]})
    clock.advance(timedelta(hours=1))
    later = await client.get("/", headers={"If-None-Match": told.headers["etag"]})

    assert same.status_code == 304
    assert told.status_code == 200
    assert "Ski week" in page_soup(told.text).select_one(".lately").text
    assert later.status_code == 200, "what happened this week is looked at again each hour"
