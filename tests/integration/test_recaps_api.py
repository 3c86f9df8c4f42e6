"""The recap of a relationship year through the API: which memories belong to which year,
what the year's highlights are, and that nothing of another year or timeline leaks in."""

from __future__ import annotations

from datetime import timedelta

from tests.support import rate_memory, write_memory

# The couple fixture got together on 12 June 2019 and the clock reads 15 June 2026: year 8
# began three days ago, year 7 ran from 12 June 2025 to 11 June 2026.


async def recap(client, member, timeline_id, year):
    response = await client.get(
        f"/api/v1/timelines/{timeline_id}/recaps/{year}", headers=member.auth
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_year_runs_from_one_anniversary_to_the_day_before_the_next(client, couple):
    ana, _, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Eve of the anniversary", "2025-06-11")
    await write_memory(client, ana, timeline_id, "Anniversary dinner", "2025-06-12")
    await write_memory(client, ana, timeline_id, "Last day of year seven", "2026-06-11")
    await write_memory(client, ana, timeline_id, "Anniversary again", "2026-06-12")

    seven = await recap(client, ana, timeline_id, 7)
    eight = await recap(client, ana, timeline_id, 8)

    assert (seven["starts_on"], seven["ends_on"], seven["so_far"]) == (
        "2025-06-12",
        "2026-06-11",
        False,
    )
    assert seven["title"] == "Year 7 · 2025–2026"
    assert seven["memories"] == 2
    assert (eight["starts_on"], eight["so_far"], eight["memories"]) == ("2026-06-12", True, 1)
    assert [m["month"] for m in eight["months"]] == ["2026-06"]
    assert [m["month"] for m in seven["months"]] == ["2025-06", "2026-06"]


async def test_a_year_that_has_not_begun_is_not_found_and_year_zero_is_no_year(client, couple):
    ana, _, timeline_id = await couple()

    nine = await client.get(f"/api/v1/timelines/{timeline_id}/recaps/9", headers=ana.auth)
    zero = await client.get(f"/api/v1/timelines/{timeline_id}/recaps/0", headers=ana.auth)

    assert nine.status_code == 404
    assert nine.json()["detail"] == "Year 9 of your story has not begun."
    assert zero.status_code == 400


async def test_an_empty_year_after_the_first_memory_is_a_recap_with_nothing_in_it(client, couple):
    ana, _, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Our first picnic", "2021-08-01")

    empty = await recap(client, ana, timeline_id, 4)

    assert (empty["memories"], empty["photos"], empty["place_count"]) == (0, 0, 0)
    assert empty["moments"] == empty["quotes"] == empty["firsts"] == []
    assert empty["collage"] is None
    assert empty["months"] == []


async def test_a_year_before_the_first_memory_is_not_found(client, couple):
    ana, _, timeline_id = await couple()
    none_yet = await client.get(f"/api/v1/timelines/{timeline_id}/recaps/3", headers=ana.auth)
    await write_memory(client, ana, timeline_id, "Our first picnic", "2021-08-01")

    before = await client.get(f"/api/v1/timelines/{timeline_id}/recaps/2", headers=ana.auth)
    first = await client.get(f"/api/v1/timelines/{timeline_id}/recaps/3", headers=ana.auth)

    assert (none_yet.status_code, before.status_code, first.status_code) == (404, 404, 200)
    assert before.json()["detail"] == (
        "Year 2 came before your first memory: your story begins in year 3."
    )


async def test_a_memory_from_before_they_got_together_opens_year_one(client, couple):
    ana, _, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "The day we met", "2019-03-02")

    one = await client.get(f"/api/v1/timelines/{timeline_id}/recaps/1", headers=ana.auth)

    assert one.status_code == 200
    assert one.json()["memories"] == 0


async def test_months_hold_memories_at_the_precision_they_are_known(client, couple):
    ana, _, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Lake", "2025-07-14")
    await write_memory(client, ana, timeline_id, "Dancing", "2025-11-20", date_precision="month")
    await write_memory(client, ana, timeline_id, "Portuguese", "2026-03-03", date_precision="year")

    seven = await recap(client, ana, timeline_id, 7)

    assert [(m["month"], m["precision"], m["count"]) for m in seven["months"]] == [
        ("2025-07", "month", 1),
        ("2025-11", "month", 1),
        ("2026", "year", 1),
    ]


async def test_only_a_year_with_a_story_can_be_shared(client, couple):
    ana, _, timeline_id = await couple()
    for title, day in (("Lake", "2025-07-01"), ("Train", "2025-09-09"), ("Snow", "2025-12-03")):
        await write_memory(client, ana, timeline_id, title, day)
    await write_memory(client, ana, timeline_id, "Our first picnic", "2024-08-01")

    def share(year):
        return client.post(
            f"/api/v1/timelines/{timeline_id}/recaps/{year}/share",
            json={"message": "For Grandma"},
            headers=ana.auth,
        )

    before, thin, full, not_begun = [await share(year) for year in (5, 6, 7, 9)]

    assert (before.status_code, before.json()["detail"]) == (
        409,
        "Year 5 came before your first memory: there is nothing to share.",
    )
    assert (thin.status_code, thin.json()["detail"]) == (
        409,
        "Year 6 is still being written: you can share it once it holds at least 3 memories.",
    )
    assert full.status_code == 201
    assert full.json()["message"] == "For Grandma"
    assert not_begun.status_code == 404


async def test_a_share_message_is_one_short_line(client, couple):
    ana, _, timeline_id = await couple()
    for title, day in (("Lake", "2025-07-01"), ("Train", "2025-09-09"), ("Snow", "2025-12-03")):
        await write_memory(client, ana, timeline_id, title, day)
    path = f"/api/v1/timelines/{timeline_id}/recaps/7/share"

    answers = [
        await client.post(path, json={"message": text}, headers=ana.auth)
        for text in ("Hello\nfamily", "Tab\there", "x" * 161, "  With love  ")
    ]

    assert [a.status_code for a in answers] == [422, 422, 422, 201]
    assert answers[0].json()["detail"] == (
        "The message must be one line, without control characters."
    )
    assert answers[3].json()["message"] == "With love"


async def test_the_five_moments_are_those_both_partners_felt_closest_in(client, couple):
    ana, sam, timeline_id = await couple()
    scores = {
        "Both fives": (5, 5),
        "Five and four": (5, 4),
        "Both fours": (4, 4),
        "Five and three": (5, 3),
        "Both threes": (3, 3),
        "Only Ana's four": (4, None),
        "Not rated": (None, None),
    }
    for n, (title, (mine, theirs)) in enumerate(scores.items()):
        memory = await write_memory(client, ana, timeline_id, title, f"2025-08-{n + 1:02d}")
        if mine:
            await rate_memory(client, ana, memory, mine)
        if theirs:
            await rate_memory(client, sam, memory, theirs)
    quiet = await write_memory(
        client, ana, timeline_id, "Quiet fives", "2025-09-01", tags=["hospital"]
    )
    trashed = await write_memory(client, ana, timeline_id, "Trashed fives", "2025-09-02")
    other_year = await write_memory(client, ana, timeline_id, "Fives of year six", "2024-09-01")
    for memory in (quiet, trashed, other_year):
        await rate_memory(client, ana, memory, 5)
        await rate_memory(client, sam, memory, 5)
    await client.delete(f"/api/v1/memories/{trashed['id']}", headers=ana.auth)
    await client.post(
        f"/api/v1/timelines/{timeline_id}/quiet-rules", json={"tag": "hospital"}, headers=ana.auth
    )

    seven = await recap(client, ana, timeline_id, 7)

    assert [m["title"] for m in seven["moments"]] == [
        "Both fives",
        "Five and four",
        "Both fours",
        "Five and three",
        "Only Ana's four",
    ]
    assert seven["memories"] == 8  # the quiet one counts; the trashed one does not


async def test_quotes_are_both_partners_notes_about_that_years_memories_only(client, couple):
    ana, sam, timeline_id = await couple()
    lake = await write_memory(client, ana, timeline_id, "Lake", "2025-07-01")
    market = await write_memory(client, ana, timeline_id, "Market", "2025-10-01")
    before = await write_memory(client, ana, timeline_id, "Year six picnic", "2025-06-01")
    await rate_memory(client, ana, lake, 5, "The cold water and your scream")
    await rate_memory(client, sam, lake, 5, "Ana swimming first")
    await rate_memory(client, sam, market, 4, "Those peaches")
    await rate_memory(client, ana, market, 4)
    await rate_memory(client, ana, before, 5, "Said in year six")

    quotes = (await recap(client, sam, timeline_id, 7))["quotes"]

    assert [(q["author_name"], q["text"]) for q in quotes] == [
        ("Ana", "The cold water and your scream"),
        ("Sam", "Ana swimming first"),
        ("Sam", "Those peaches"),
    ]
    assert {q["memory_id"] for q in quotes} == {lake["id"], market["id"]}


async def test_firsts_places_the_most_answered_and_then_and_now(client, couple, clock):
    ana, sam, timeline_id = await couple()
    picnic = await write_memory(client, ana, timeline_id, "Picnic", "2023-06-14", place="Annecy")
    for member in (ana, sam):
        await rate_memory(client, member, picnic, 5)
    # Today's pick, while the picnic is the only memory to pick from.
    suggestion = (
        await client.get(f"/api/v1/timelines/{timeline_id}/resurfacing/today", headers=ana.auth)
    ).json()
    await write_memory(client, ana, timeline_id, "First snow together", "2025-12-03", kind="first")
    await write_memory(client, ana, timeline_id, "First fight", "2024-12-03", kind="first")
    talked = await write_memory(
        client, ana, timeline_id, "Night train", "2025-09-09", place="Vienna"
    )
    await write_memory(client, sam, timeline_id, "Bakery", "2025-09-10", place="Vienna ")
    for text in ("The bunk beds", "The sunrise", "Again?"):
        await client.post(
            f"/api/v1/memories/{talked['id']}/replies", json={"text": text}, headers=sam.auth
        )
    again = await write_memory(
        client, sam, timeline_id, "Picnic, again", "2026-06-14", place="Annecy"
    )
    await client.post(
        f"/api/v1/suggestions/{suggestion['suggestion_id']}/feedback",
        json={"action": "done", "memory_id": again["id"]},
        headers=sam.auth,
    )

    seven = await recap(client, ana, timeline_id, 7)
    eight = await recap(client, ana, timeline_id, 8)

    assert [m["title"] for m in seven["firsts"]] == ["First snow together"]
    assert seven["places"] == [{"place": "Vienna", "count": 2}]
    assert seven["place_count"] == 1
    assert seven["most_answered"]["title"] == "Night train"
    assert seven["recreated"] == []
    assert [(p["then"]["title"], p["now"]["title"]) for p in eight["recreated"]] == [
        ("Picnic", "Picnic, again")
    ]


async def test_milestones_are_kept_and_counted_in_the_year_they_come_round(client, couple):
    ana, sam, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Lake", "2025-07-01")
    path = f"/api/v1/timelines/{timeline_id}/milestones"
    first = await client.post(
        path, json={"kind": "first_date", "occurred_on": "2019-05-01"}, headers=ana.auth
    )
    wedding = await client.post(
        path, json={"kind": "wedding", "occurred_on": "2022-09-17"}, headers=sam.auth
    )
    moved = await client.post(
        path,
        json={
            "kind": "custom",
            "label": "Moved in together",
            "occurred_on": "2020-03-01",
            "date_precision": "month",
        },
        headers=ana.auth,
    )
    assert [r.status_code for r in (first, wedding, moved)] == [201, 201, 201]
    assert moved.json()["name"] == "Moved in together"

    listed = (await client.get(path, headers=sam.auth)).json()
    seven = await recap(client, ana, timeline_id, 7)

    assert [m["name"] for m in listed] == ["your first date", "Moved in together", "your wedding"]
    assert [m["words"] for m in seven["milestones"]] == [
        "3 years since your wedding",
        "6 years since Moved in together",
        "7 years since your first date",
    ]


async def test_bad_milestones_are_refused_plainly(client, couple, sign_up):
    ana, _, timeline_id = await couple()
    path = f"/api/v1/timelines/{timeline_id}/milestones"
    await client.post(path, json={"kind": "wedding", "occurred_on": "2022-09-17"}, headers=ana.auth)

    second = await client.post(
        path, json={"kind": "wedding", "occurred_on": "2023-09-17"}, headers=ana.auth
    )
    unnamed = await client.post(
        path, json={"kind": "custom", "occurred_on": "2023-09-17"}, headers=ana.auth
    )
    future = await client.post(
        path, json={"kind": "first_date", "occurred_on": "2030-01-01"}, headers=ana.auth
    )
    unknown = await client.post(
        path, json={"kind": "divorce", "occurred_on": "2023-09-17"}, headers=ana.auth
    )
    stranger = await sign_up("Eve")
    theirs = await client.post(
        path, json={"kind": "first_date", "occurred_on": "2020-01-01"}, headers=stranger.auth
    )

    assert (second.status_code, second.json()["detail"]) == (
        409,
        "You already keep your wedding. Remove it first to change it.",
    )
    assert unnamed.status_code == future.status_code == unknown.status_code == 422
    assert unnamed.json()["detail"].startswith("Name the milestone")
    assert theirs.status_code == 404


async def test_a_couple_together_since_29_february_turns_the_year_on_28_february(client, couple):
    ana, _, timeline_id = await couple()
    changed = await client.patch(
        f"/api/v1/timelines/{timeline_id}", json={"together_since": "2020-02-29"}, headers=ana.auth
    )
    assert changed.json()["together_since"] == "2020-02-29"
    await write_memory(client, ana, timeline_id, "Last day of year six", "2026-02-27")
    await write_memory(client, ana, timeline_id, "Anniversary in a common year", "2026-02-28")

    six = await recap(client, ana, timeline_id, 6)
    seven = await recap(client, ana, timeline_id, 7)

    assert (six["starts_on"], six["ends_on"], six["memories"]) == ("2025-02-28", "2026-02-27", 1)
    assert (seven["starts_on"], seven["ends_on"], seven["so_far"]) == (
        "2026-02-28",
        "2027-02-27",
        True,
    )
    assert seven["memories"] == 1


async def test_without_an_anniversary_there_are_no_years(client, couple):
    ana, _, timeline_id = await couple()
    await client.patch(
        f"/api/v1/timelines/{timeline_id}", json={"together_since": None}, headers=ana.auth
    )

    response = await client.get(f"/api/v1/timelines/{timeline_id}/recaps/1", headers=ana.auth)

    assert response.status_code == 404
    assert response.json()["detail"].startswith("Set the day you got together")


async def test_another_couples_recap_and_links_are_not_found(client, couple, sign_up):
    _, _, timeline_id = await couple()
    stranger = await sign_up("Eve")
    base = f"/api/v1/timelines/{timeline_id}/recaps/7"

    answers = [
        await client.get(base, headers=stranger.auth),
        await client.post(f"{base}/share", json={}, headers=stranger.auth),
        await client.delete(f"{base}/share", headers=stranger.auth),
        await client.patch(
            f"/api/v1/timelines/{timeline_id}", json={"name": "Mine"}, headers=stranger.auth
        ),
    ]

    assert [a.status_code for a in answers] == [404, 404, 404, 404]


async def test_a_viewed_recap_follows_every_change_to_its_year(client, couple, clock):
    # Each change comes a minute after the last, as changes do: the recap's version is
    # made of counts and latest change times.
    ana, sam, timeline_id = await couple()
    lake = await write_memory(client, ana, timeline_id, "Lake", "2025-07-01", place="Annecy")
    train = await write_memory(client, ana, timeline_id, "Train", "2025-08-01")
    for memory, score in ((lake, 4), (train, 3)):
        await rate_memory(client, ana, memory, score)
        await rate_memory(client, sam, memory, score)

    def moments(body):
        return [m["title"] for m in body["moments"]]

    assert moments(await recap(client, ana, timeline_id, 7)) == ["Lake", "Train"]
    clock.advance(timedelta(minutes=1))

    await rate_memory(client, sam, train, 5, "The bunk beds")
    await rate_memory(client, ana, train, 5)
    assert moments(await recap(client, ana, timeline_id, 7)) == ["Train", "Lake"]
    assert [q["text"] for q in (await recap(client, ana, timeline_id, 7))["quotes"]] == [
        "The bunk beds"
    ]
    clock.advance(timedelta(minutes=1))

    await client.patch(
        f"/api/v1/memories/{train['id']}", json={"title": "Night train"}, headers=ana.auth
    )
    assert moments(await recap(client, ana, timeline_id, 7)) == ["Night train", "Lake"]
    clock.advance(timedelta(minutes=1))

    await client.delete(f"/api/v1/memories/{train['id']}", headers=ana.auth)
    assert moments(await recap(client, ana, timeline_id, 7)) == ["Lake"]
    clock.advance(timedelta(minutes=1))

    await client.post(f"/api/v1/memories/{train['id']}/restore", headers=ana.auth)
    for text in ("Again!", "Next summer?", "Yes!"):
        await client.post(
            f"/api/v1/memories/{lake['id']}/replies", json={"text": text}, headers=sam.auth
        )
    body = await recap(client, ana, timeline_id, 7)
    assert moments(body) == ["Night train", "Lake"]
    assert body["most_answered"]["title"] == "Lake"
    clock.advance(timedelta(minutes=1))

    await client.post(
        f"/api/v1/timelines/{timeline_id}/milestones",
        json={"kind": "wedding", "occurred_on": "2022-09-17"},
        headers=sam.auth,
    )
    await client.patch(
        f"/api/v1/memories/{lake['id']}", json={"tags": ["hospital"]}, headers=ana.auth
    )
    await client.post(
        f"/api/v1/timelines/{timeline_id}/quiet-rules", json={"tag": "hospital"}, headers=ana.auth
    )
    body = await recap(client, ana, timeline_id, 7)
    assert moments(body) == ["Night train"]
    assert [m["words"] for m in body["milestones"]] == ["3 years since your wedding"]
    assert body["memories"] == 2


async def test_a_photo_gone_from_the_store_is_our_failure_not_a_missing_year(client, couple):
    from tests import images
    from tests.support import stored_keys, upload_photo

    ana, _, timeline_id = await couple()
    memory = await write_memory(client, ana, timeline_id, "Lake", "2025-07-01")
    await upload_photo(client, ana, memory["id"], images.cmyk_jpeg())
    displays = [key for key in stored_keys(client, "photos") if "/display." in key]
    client.blocking_portal.call(client.app.state.storage.delete_many, displays)

    response = await client.get(f"/api/v1/timelines/{timeline_id}/recaps/7", headers=ana.auth)

    assert displays
    assert response.status_code == 500
    assert response.json()["detail"] == "Something went wrong on our side."
