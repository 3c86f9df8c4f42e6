"""Recap pages: the couple's page of a year, the links they share with family, and what
someone holding such a link sees (the recap, and nothing else)."""

from __future__ import annotations

from datetime import timedelta

from tests.support import (
    csrf_token,
    page_soup,
    rate_memory,
    submit,
    visible_text,
    web_log_in,
    write_memory,
)


async def a_year_to_share(client, couple):
    """Year 7 of Ana and Sam (12 June 2025 to 11 June 2026) with a close moment and notes;
    year 6 with a memory of its own. Ana is logged in on the web."""
    ana, sam, timeline_id = await couple()
    lake = await write_memory(
        client, ana, timeline_id, "Swim in the lake", "2025-07-01", place="Annecy"
    )
    for member, note in ((ana, "Your scream in the cold water"), (sam, "Ana went first")):
        await rate_memory(client, member, lake, 5, note)
    await write_memory(client, sam, timeline_id, "First snow together", "2025-12-03", kind="first")
    await write_memory(client, ana, timeline_id, "Market mornings", "2026-03-08")
    await write_memory(client, ana, timeline_id, "Secret of year six", "2025-01-10")
    await web_log_in(client, ana.email)
    return ana, sam, timeline_id


async def share_link(client, timeline_id, year=7, days="") -> str:
    path = f"/t/{timeline_id}/recap/{year}"
    made = await submit(client, path, f"{path}/share", {"expires_in_days": days})
    assert made.status_code == 200, made.text
    return page_soup(made.text).select_one("#new-link")["value"]


async def test_the_couple_sees_their_year_with_its_moments_notes_and_firsts(client, couple):
    _, _, timeline_id = await a_year_to_share(client, couple)

    page = page_soup((await client.get(f"/t/{timeline_id}/recap/7")).text)

    assert visible_text(page.select_one("h1")) == "Year 7 of us"
    assert visible_text(page.select_one(".lead")) == "12 June 2025 – 11 June 2026"
    assert visible_text(page.select_one(".recap-stats")) == "3 memories 0 photos 1 place"
    assert [visible_text(h) for h in page.select(".moment h3")] == ["Swim in the lake"]
    assert [visible_text(q) for q in page.select(".quote")] == [
        "Your scream in the cold water Ana, about Swim in the lake",
        "Ana went first Sam, about Swim in the lake",
    ]
    assert "First snow together" in visible_text(page.select_one("#firsts-title").parent)
    assert page.select_one('meta[name="robots"]')["content"] == "noindex, nofollow"
    assert "Secret of year six" not in page.text


async def test_the_timeline_lists_the_years_and_the_one_in_progress(client, couple):
    _, _, timeline_id = await a_year_to_share(client, couple)

    page = page_soup((await client.get(f"/t/{timeline_id}")).text)
    years = [visible_text(a) for a in page.select("nav[aria-labelledby=years-together] a")]

    assert years[:3] == ["Year 8 so far · 2026–27", "Year 7 · 2025–26", "Year 6 · 2024–25"]
    assert len(years) == 8
    assert (
        page.select_one("nav[aria-labelledby=years-together] a")["href"]
        == f"/t/{timeline_id}/recap/8"
    )


async def test_a_thin_year_invites_the_couple_to_add_memories(client, couple):
    _, _, timeline_id = await a_year_to_share(client, couple)

    page = page_soup((await client.get(f"/t/{timeline_id}/recap/2")).text)

    assert visible_text(page.select_one(".thin-year h2")) == "This year's story is still short"
    assert page.select_one(".thin-year a")["href"] == f"/t/{timeline_id}/new"
    assert page.select_one(".recap-stats") is None


async def test_family_sees_the_shared_year_and_nothing_beyond_it(client, couple):
    ana, sam, timeline_id = await a_year_to_share(client, couple)
    link = await share_link(client, timeline_id)
    await client.post("/logout", data={"_csrf_token": csrf_token((await client.get("/")).text)})
    client.cookies.clear()

    shared = await client.get(link.removeprefix("http://testserver.local"))
    page = page_soup(shared.text)

    assert shared.status_code == 200
    assert shared.headers["x-robots-tag"] == "noindex, nofollow"
    assert visible_text(page.select_one("h1")) == "Year 7 of us"
    assert [visible_text(h) for h in page.select(".moment h3")] == ["Swim in the lake"]
    for private in (ana.email, sam.email, "Secret of year six", "Settings", "Log out"):
        assert private not in shared.text
    assert page.select("form") == []
    assert page.select("a[href^='/m/']") == []
    assert page.select(".recap-nav") == []


async def test_a_link_stops_working_when_it_expires_or_is_revoked(client, couple, clock):
    _, _, timeline_id = await a_year_to_share(client, couple)
    weekly = await share_link(client, timeline_id, days="7")
    clock.advance(timedelta(minutes=1))
    lasting = await share_link(client, timeline_id)
    html = (await client.get(f"/t/{timeline_id}/recap/7")).text
    recap = page_soup(html)
    listed = [visible_text(li) for li in recap.select("#sharing li")]
    first_revoke = recap.select_one("#sharing li form")["action"]

    revoked = await client.post(first_revoke, data={"_csrf_token": csrf_token(html)})
    after_revoke = await client.get(lasting.removeprefix("http://testserver.local"))
    still_weekly = await client.get(weekly.removeprefix("http://testserver.local"))
    clock.advance(timedelta(days=8))
    expired = await client.get(weekly.removeprefix("http://testserver.local"))

    assert len(listed) == 2
    assert listed[0].startswith("Made 15 June 2026 by Ana, works until you end it")
    assert revoked.status_code == 303
    assert after_revoke.status_code == 404
    assert still_weekly.status_code == 200
    assert expired.status_code == 404
    assert (
        page_soup((await client.get(f"/t/{timeline_id}/recap/7")).text).select("#sharing li") == []
    )


async def test_revoking_through_the_api_ends_every_link_of_the_year(client, couple):
    ana, _, timeline_id = await a_year_to_share(client, couple)
    path = f"/api/v1/timelines/{timeline_id}/recaps/7/share"
    made = await client.post(path, json={"expires_in_days": 30}, headers=ana.auth)
    body = made.json()

    before = await client.get(f"/r/{body['token']}")
    revoked = await client.delete(path, headers=ana.auth)
    after = await client.get(f"/r/{body['token']}")

    assert made.status_code == 201
    assert body["url"] == f"http://testserver.local/r/{body['token']}"
    assert len(body["token"]) >= 22  # at least 128 bits, base64url
    assert (before.status_code, revoked.status_code, after.status_code) == (200, 204, 404)


async def test_too_many_unknown_links_from_one_address_are_throttled(client, couple):
    _, _, timeline_id = await a_year_to_share(client, couple)
    working = await share_link(client, timeline_id)

    misses = [(await client.get(f"/r/not-a-token-{n}")).status_code for n in range(20)]
    throttled = await client.get(working.removeprefix("http://testserver.local"))

    assert set(misses) == {404}
    assert throttled.status_code == 429
    assert "Retry-After" in throttled.headers


async def test_a_bad_expiry_is_explained_beside_the_share_form(client, couple):
    _, _, timeline_id = await a_year_to_share(client, couple)
    path = f"/t/{timeline_id}/recap/7"

    refused = await submit(client, path, f"{path}/share", {"expires_in_days": "1000"})

    assert refused.status_code == 422
    assert visible_text(page_soup(refused.text).select_one("#sharing .error")).startswith(
        "A link can last from 1 to 365 days"
    )


async def test_the_couple_keeps_their_dates_in_settings(client, couple):
    _, _, timeline_id = await a_year_to_share(client, couple)

    await submit(
        client,
        "/settings",
        f"/settings/timelines/{timeline_id}/milestones",
        {"kind": "wedding", "occurred_on": "2022-09-17", "date_precision": "day", "label": ""},
    )
    refused = await submit(
        client,
        "/settings",
        f"/settings/timelines/{timeline_id}/milestones",
        {"kind": "custom", "occurred_on": "2021-05-01", "date_precision": "day", "label": ""},
    )
    moved = await submit(
        client,
        "/settings",
        f"/settings/timelines/{timeline_id}/together-since",
        {"together_since": "2019-06-10"},
    )
    settings = page_soup((await client.get("/settings")).text)
    recap = page_soup((await client.get(f"/t/{timeline_id}/recap/7")).text)

    unnamed_and_undated = await submit(
        client,
        "/settings",
        f"/settings/timelines/{timeline_id}/milestones",
        {"kind": "custom", "occurred_on": "someday", "date_precision": "day", "label": ""},
    )

    assert refused.status_code == 422
    for answer in (refused, unnamed_and_undated):
        assert visible_text(
            page_soup(answer.text).select_one(f"#dates-{timeline_id} .error")
        ).startswith("Name the milestone")
    assert moved.status_code == 303
    assert settings.select_one(f"#since-{timeline_id}")["value"] == "2019-06-10"
    assert [visible_text(li) for li in settings.select(f"#dates-{timeline_id} li")] == [
        "Your wedding: 17 September 2022 Remove"
    ]
    assert visible_text(recap.select_one(".lead")) == "10 June 2025 – 9 June 2026"
    assert [visible_text(li) for li in recap.select(".milestones li")] == [
        "3 years since your wedding"
    ]


async def test_another_couples_recap_page_and_links_are_not_found(client, couple, sign_up):
    _, _, timeline_id = await a_year_to_share(client, couple)
    await share_link(client, timeline_id)
    share_id = page_soup((await client.get(f"/t/{timeline_id}/recap/7")).text).select_one(
        "#sharing li form"
    )["action"]
    eve = await sign_up("Eve")
    client.cookies.clear()
    await web_log_in(client, eve.email)
    html = (await client.get("/settings")).text

    page = await client.get(f"/t/{timeline_id}/recap/7")
    revoke = await client.post(share_id, data={"_csrf_token": csrf_token(html)})

    assert page.status_code == revoke.status_code == 404
