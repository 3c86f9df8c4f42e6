"""Recap pages: the couple's page of a year, the links they share with family, and what
someone holding such a link sees (the recap, and nothing else). Ana and Sam got together
on 12 June 2019; the clock reads 15 June 2026, three days into year 8."""

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
    """Year 7 of Ana and Sam (12 June 2025 to 11 June 2026) with a close moment and notes
    among three memories; year 6 with their first memory, alone in it. Ana is logged in on
    the web."""
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


async def share_link(client, timeline_id, year=7, days="", message="") -> str:
    """Make a link from the recap page as a browser would (the form, then its redirect);
    the link the page then shows as new."""
    path = f"/t/{timeline_id}/recap/{year}"
    made = await submit(
        client, path, f"{path}/share", {"expires_in_days": days, "message": message}
    )
    assert made.status_code == 303, made.text
    shown = await client.get(made.headers["location"])
    return page_soup(shown.text).select_one("#new-link")["value"]


async def test_the_couple_sees_their_year_with_its_moments_notes_and_firsts(client, couple):
    _, _, timeline_id = await a_year_to_share(client, couple)

    page = page_soup((await client.get(f"/t/{timeline_id}/recap/7")).text)

    assert visible_text(page.select_one("h1")) == "Year 7 of us"
    assert visible_text(page.select_one(".lead")) == "12 June 2025 – 11 June 2026"
    assert visible_text(page.select_one(".recap-stats")) == "3 memories 0 photos 1 place"
    assert [visible_text(h) for h in page.select(".moment h3")] == ["Swim in the lake"]
    assert [visible_text(q) for q in page.select(".moment .love-note")] == [
        "Your scream in the cold water Ana",
        "Ana went first Sam",
    ]
    # Their words about the closest moments are in the story, not said twice below it.
    assert page.select(".quote") == []
    assert "First snow together" in visible_text(page.select_one("#firsts-title").parent)
    assert page.select_one('meta[name="robots"]')["content"] == "noindex, nofollow"
    assert "Secret of year six" not in page.text


async def test_the_timeline_lists_the_years_and_the_one_in_progress(client, couple):
    _, _, timeline_id = await a_year_to_share(client, couple)

    page = page_soup((await client.get(f"/t/{timeline_id}")).text)
    years = [visible_text(a) for a in page.select("nav[aria-labelledby=years-together] a")]

    # From the year of the first memory: the years before it have nothing to tell.
    assert years == [
        "Year 8 so far · 2026–27 · still being written",
        "Year 7 · 2025–26",
        "Year 6 · 2024–25 · still being written",
    ]
    assert (
        page.select_one("nav[aria-labelledby=years-together] a")["href"]
        == f"/t/{timeline_id}/recap/8"
    )


async def test_a_year_still_being_written_invites_the_couple_and_offers_no_link(client, couple):
    _, _, timeline_id = await a_year_to_share(client, couple)

    six = page_soup((await client.get(f"/t/{timeline_id}/recap/6")).text)
    eight = page_soup((await client.get(f"/t/{timeline_id}/recap/8")).text)

    assert visible_text(six.select_one(".thin-year h2")) == "This year is still being written"
    assert visible_text(six.select_one(".thin-year p")).startswith("Only 1 memory so far.")
    assert six.select_one(".thin-year a")["href"] == f"/t/{timeline_id}/new"
    assert visible_text(six.select_one(".recap-stats")) == "1 memory 0 photos 0 places"
    assert eight.select_one(".recap-stats") is None
    for page in (six, eight):
        assert page.select_one("#sharing") is None
        assert visible_text(page.select_one(".thin-year p")).endswith(
            "With three memories or more, you can share it with family."
        )


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


async def test_a_year_before_the_first_memory_is_not_found_and_says_where_the_story_begins(
    client, couple
):
    _, _, timeline_id = await a_year_to_share(client, couple)

    before = await client.get(f"/t/{timeline_id}/recap/2")
    page = page_soup(before.text)

    assert before.status_code == 404
    assert visible_text(page.select_one("h1")) == "Year 2 came before your first memory"
    assert page.select_one(".recap-missing a.button")["href"] == f"/t/{timeline_id}/recap/6"
    assert visible_text(page.select_one(".recap-missing a.button")) == "See year 6"


async def test_a_couple_without_memories_has_no_year_to_see(client, couple):
    ana, _, timeline_id = await couple()
    await web_log_in(client, ana.email)

    page = await client.get(f"/t/{timeline_id}/recap/8")

    assert page.status_code == 404
    assert visible_text(page_soup(page.text).select_one("h1")) == (
        "Your years fill in as you add memories"
    )


async def test_the_recap_lists_our_years_from_the_first_memory(client, couple):
    _, _, timeline_id = await a_year_to_share(client, couple)

    page = page_soup((await client.get(f"/t/{timeline_id}/recap/7")).text)
    years = page.select(".recap-nav .years a")

    assert [visible_text(a) for a in years] == [
        "Year 6 · still being written",
        "Year 7",
        "Year 8 · still being written",
    ]
    assert [a.get("aria-current") for a in years] == [None, "page", None]


async def test_reloading_the_page_after_making_a_link_makes_no_second_link(client, couple):
    _, _, timeline_id = await a_year_to_share(client, couple)
    path = f"/t/{timeline_id}/recap/7"

    made = await submit(client, path, f"{path}/share", {"expires_in_days": "", "message": ""})
    shown = await client.get(made.headers["location"])
    reloaded = await client.get(made.headers["location"])
    link = page_soup(shown.text).select_one("#new-link")["value"]
    listed = page_soup(reloaded.text).select("#sharing .share-links li")

    assert made.status_code == 303
    assert made.headers["location"].startswith(f"{path}?shared=")
    assert link.split("/r/")[1] not in made.headers["location"]
    assert (shown.status_code, reloaded.status_code) == (200, 200)
    assert len(listed) == 1
    assert page_soup(reloaded.text).select_one("#new-link")["value"] == link
    assert (await client.get(link.removeprefix("http://testserver.local"))).status_code == 200


async def test_the_couple_can_copy_a_working_link_again_later(client, couple, clock):
    _, _, timeline_id = await a_year_to_share(client, couple)
    link = await share_link(client, timeline_id)
    clock.advance(timedelta(days=2))

    page = page_soup((await client.get(f"/t/{timeline_id}/recap/7")).text)

    assert page.select_one("#new-link") is None
    assert [i["value"] for i in page.select("#sharing .share-url")] == [link]


async def test_family_opens_the_page_to_the_couples_own_words(client, couple):
    _, _, timeline_id = await a_year_to_share(client, couple)
    form = page_soup((await client.get(f"/t/{timeline_id}/recap/7")).text)
    link = await share_link(
        client, timeline_id, message="Our seventh year, for Grandma and everyone at home"
    )
    client.cookies.clear()

    page = page_soup((await client.get(link.removeprefix("http://testserver.local"))).text)
    note = page.select_one(".recap-head .family-note")

    assert form.select_one("#message")["value"]  # a line is suggested, theirs to change
    assert visible_text(note) == "Our seventh year, for Grandma and everyone at home Ana & Sam"
    assert visible_text(note.select_one("figcaption")) == "Ana & Sam"


async def test_a_message_on_two_lines_or_too_long_is_refused_beside_its_field(client, couple):
    _, _, timeline_id = await a_year_to_share(client, couple)
    path = f"/t/{timeline_id}/recap/7"

    two_lines = await submit(
        client, path, f"{path}/share", {"expires_in_days": "30", "message": "Hello\nfamily"}
    )
    too_long = await submit(client, path, f"{path}/share", {"message": "So much love " * 20})
    page = page_soup(two_lines.text)

    assert (two_lines.status_code, too_long.status_code) == (422, 422)
    assert visible_text(page.select_one("#message + .error")) == (
        "The message must be one line, without control characters."
    )
    assert page.select_one("#message")["value"] == "Hello\nfamily"
    assert page.select_one("#message")["aria-invalid"] == "true"
    assert page.select_one("#expires_in_days option[selected]")["value"] == "30"
    assert visible_text(page_soup(too_long.text).select_one("#message + .error")).startswith(
        "Keep the message to one short line"
    )
    assert page.select("#sharing .share-links li") == []


async def test_a_year_with_too_little_to_share_is_refused_on_the_web(client, couple):
    _, _, timeline_id = await a_year_to_share(client, couple)
    html = (await client.get(f"/t/{timeline_id}/recap/7")).text

    thin = await client.post(
        f"/t/{timeline_id}/recap/6/share", data={"_csrf_token": csrf_token(html)}
    )
    before = await client.post(
        f"/t/{timeline_id}/recap/2/share", data={"_csrf_token": csrf_token(html)}
    )

    assert thin.status_code == 409
    assert visible_text(page_soup(thin.text).select_one("#sharing .error")) == (
        "Year 6 is still being written: you can share it once it holds at least 3 memories."
    )
    assert before.status_code == 404


async def test_the_story_of_the_closest_moments_runs_in_date_order_with_their_words(client, couple):
    ana, sam, timeline_id = await couple()
    for title, day, score, note in (
        ("Night train", "2025-09-09", 5, "The bunk beds"),
        ("Lake", "2025-07-01", 4, "Your scream"),
        ("Market", "2026-03-08", 5, "The bunk beds"),
    ):
        memory = await write_memory(client, ana, timeline_id, title, day)
        await rate_memory(client, ana, memory, score, note)
        await rate_memory(client, sam, memory, score)
    await web_log_in(client, ana.email)

    page = page_soup((await client.get(f"/t/{timeline_id}/recap/7")).text)

    assert [visible_text(h) for h in page.select(".recap-story .moment h3")] == [
        "Lake",
        "Night train",
        "Market",
    ]
    # The same words said twice are quoted once: with the closest moment they were said of.
    assert [visible_text(n) for n in page.select(".recap-story .love-note")] == [
        "Your scream Ana",
        "The bunk beds Ana",
    ]
    assert [t["datetime"] for t in page.select(".recap-story .meta time")] == [
        "2025-07-01",
        "2025-09-09",
        "2026-03-08",
    ]


async def test_a_memory_known_to_its_month_or_year_is_never_given_a_day_or_a_month(client, couple):
    ana, _, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Lake", "2025-07-01")
    await write_memory(
        client, ana, timeline_id, "Dancing lessons", "2025-11-01", date_precision="month"
    )
    await write_memory(
        client, ana, timeline_id, "Learning Portuguese", "2026-01-01", date_precision="year"
    )
    await write_memory(
        client,
        ana,
        timeline_id,
        "Our first concert",
        "2026-01-01",
        date_precision="year",
        kind="first",
    )
    await web_log_in(client, ana.email)

    page = page_soup((await client.get(f"/t/{timeline_id}/recap/7")).text)
    months = [visible_text(li) for li in page.select(".months li")]

    assert months == [
        "Jul 2025 1 memory",
        "Nov 2025 1 memory",
        "Sometime in 2026 2 memories",
    ]
    assert [t["datetime"] for t in page.select(".months time")] == ["2025-07", "2025-11", "2026"]
    assert visible_text(page.select_one(".firsts li")) == "Our first concert · 2026"
    assert page.select_one(".firsts time")["datetime"] == "2026"
    assert "Jan 2026" not in page.text


async def test_firsts_are_told_once_and_talk_needs_three_replies(client, couple):
    ana, sam, timeline_id = await couple()
    for day in ("2025-08-01", "2025-10-01", "2026-02-01"):
        await write_memory(
            client, ana, timeline_id, "Our first concert together", day, kind="first"
        )
    talked = await write_memory(client, ana, timeline_id, "Night train", "2025-09-09")
    await client.post(
        f"/api/v1/memories/{talked['id']}/replies", json={"text": "Again?"}, headers=sam.auth
    )
    await web_log_in(client, ana.email)

    once = page_soup((await client.get(f"/t/{timeline_id}/recap/7")).text)
    for text in ("The bunk beds", "The sunrise"):
        await client.post(
            f"/api/v1/memories/{talked['id']}/replies", json={"text": text}, headers=ana.auth
        )
    thrice = page_soup((await client.get(f"/t/{timeline_id}/recap/7")).text)

    assert [visible_text(li) for li in once.select(".firsts li")] == [
        "Our first concert together · 1 August 2025"
    ]
    assert once.select_one("#answered-title") is None
    assert visible_text(thrice.select_one("#answered-title").parent) == (
        "The memory you talked about most Night train · 3 replies"
    )


async def test_a_milestone_is_named_as_the_couple_typed_it(client, couple):
    ana, _, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Lake", "2025-07-01")
    await client.post(
        f"/api/v1/timelines/{timeline_id}/milestones",
        json={"kind": "custom", "label": "Moved to Porto", "occurred_on": "2021-10-02"},
        headers=ana.auth,
    )
    await web_log_in(client, ana.email)

    page = page_soup((await client.get(f"/t/{timeline_id}/recap/7")).text)

    assert [visible_text(li) for li in page.select(".milestones li")] == [
        "4 years since Moved to Porto"
    ]
