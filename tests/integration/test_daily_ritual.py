"""The daily ritual with both partners in it: home is today (the pick as the hero, on this
day with its photos, what the partner did this week); one pick, two people (what one answers
the other sees by name, either can change, cancel or undo it); a plan in a calendar; "We did
it" opens the form filled from the original."""

from __future__ import annotations

from datetime import timedelta

import icalendar

from tests import images
from tests.support import (
    csrf_token,
    page_soup,
    picnic_three_years_ago,
    rate_memory,
    text_of,
    upload_photo,
    visible_text,
    web_log_in,
    write_memory,
)


async def answer_pick(client, action: str, **fields: str):
    """Answer today's pick from the home page, as its form does."""
    home = await client.get("/")
    form = page_soup(home.text).select_one(".pick-actions")
    data = {"action": action, "_csrf_token": csrf_token(home.text), **fields}
    return await client.post(form["action"], data=data)


async def press(client, selector: str, **fields: str):
    """Send the home page's form found by `selector` (with its hidden fields)."""
    home = await client.get("/")
    form = page_soup(home.text).select_one(selector)
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    return await client.post(form["action"], data={**data, **fields})


async def rated_picnic(client, couple):
    """The picnic three years ago today, with its photo, that both felt close; Sam wrote
    about it."""
    ana, sam, timeline_id, picnic = await picnic_three_years_ago(client, couple)
    await rate_memory(client, ana, picnic, 5)
    await rate_memory(client, sam, picnic, 5, "The cherries, and you laughing at the swans.")
    return ana, sam, timeline_id, picnic


async def test_home_is_today_with_the_pick_as_its_hero(client, couple):
    ana, _, timeline_id, picnic = await rated_picnic(client, couple)
    trams = await write_memory(client, ana, timeline_id, "Lisbon trams", "2024-06-15")
    await upload_photo(client, ana, trams["id"], images.scenery(1200, 900, 2))
    # A 2 is "not a moment to bring back": never the pick, still on this day.
    await rate_memory(client, ana, trams, 2)
    await web_log_in(client, ana.email)

    home = page_soup((await client.get("/")).text)

    assert visible_text(home.select_one("h1")) == "Today, Monday 15 June"
    assert visible_text(home.select_one(".brand")) == "♥ Ana & Sam"
    hero = home.select_one(".pick-hero")
    photo = hero.select_one(".pick-photo a")
    assert photo["href"] == f"/m/{picnic['id']}"
    assert photo.select_one("img")["src"].startswith("/media/")
    assert "display" in photo.select_one("img")["src"]
    assert visible_text(hero.select_one("h2")) == "Picnic at the lake"
    assert visible_text(hero.select_one(".pick-meta")) == "15 June 2023 · Annecy"
    assert visible_text(hero.select_one(".pick-why")) == (
        "You both said it was one of your closest days."
    )
    # The partner's words, in their name; never raw scores.
    assert visible_text(hero.select_one(".love-note")) == (
        "The cherries, and you laughing at the swans. Sam"
    )
    assert "(5 and 5)" not in hero.text
    # On this day, with photos: the others than the pick, which is the hero already.
    on_this_day = home.select_one(".on-this-day")
    assert [visible_text(p) for p in on_this_day.select(".otd-words")] == [
        "2 years ago Lisbon trams"
    ]
    assert on_this_day.select_one("img")["alt"] == "Lisbon trams"


async def test_the_partner_sees_what_was_done_this_week(client, couple, clock):
    ana, sam, _, picnic = await rated_picnic(client, couple)
    clock.advance(timedelta(hours=1))
    await client.post(
        f"/api/v1/memories/{picnic['id']}/replies",
        json={"text": "Same lake next summer?"},
        headers=sam.auth,
    )
    await web_log_in(client, ana.email)

    lately = page_soup((await client.get("/")).text).select_one(".lately")

    assert visible_text(lately.select_one("h2")) == "From Sam this week"
    said = [visible_text(li) for li in lately.select("li")]
    assert said == [
        "Sam replied on Picnic at the lake: Same lake next summer?",
        "Sam felt ♥♥♥♥♥ 5 of 5 about Picnic at the lake and wrote: "
        "The cherries, and you laughing at the swans.",
    ]


async def test_what_one_partner_answers_the_other_sees_by_name(client, couple):
    ana, sam, timeline_id, _ = await rated_picnic(client, couple)
    await web_log_in(client, ana.email)
    await answer_pick(client, "recreate", planned_on="2026-06-20")

    await web_log_in(client, sam.email)
    home = page_soup((await client.get("/")).text)

    assert visible_text(home.select_one(".plan-line")) == (
        "Ana planned to recreate this on Saturday 20 June."
    )
    # "We did it" is Sam's to press too.
    done = home.select_one(".plan-actions a")
    assert visible_text(done) == "We did it"
    assert done["href"].startswith(f"/t/{timeline_id}/new?suggestion=")


async def test_either_partner_changes_or_cancels_the_plan(client, couple):
    ana, sam, _, _ = await rated_picnic(client, couple)
    await web_log_in(client, ana.email)
    await answer_pick(client, "recreate", planned_on="2026-06-20")
    await web_log_in(client, sam.email)

    changed = await press(client, ".plan-form", planned_on="2026-06-27")

    assert changed.status_code == 303
    home = await client.get("/")
    assert text_of(home.text, ".flash") == "The plan has its new day."
    assert text_of(home.text, ".plan-line") == "You planned to recreate this on Saturday 27 June."
    cancel = page_soup(home.text).select_one(".change-plan form[action$='/undo']")
    await client.post(cancel["action"], data={"_csrf_token": csrf_token(home.text)})
    await web_log_in(client, ana.email)
    home = page_soup((await client.get("/")).text)
    assert home.select_one(".plan-line") is None
    assert home.select_one(".pick-hero .pick-actions") is not None


async def test_not_this_one_takes_it_away_for_both_and_undo_brings_it_back(client, couple):
    ana, sam, _, picnic = await rated_picnic(client, couple)
    await web_log_in(client, ana.email)
    await answer_pick(client, "never")

    await web_log_in(client, sam.email)
    home = page_soup((await client.get("/")).text)
    assert home.select_one(".pick-hero") is None
    assert visible_text(home.select_one(".pick-rested p")) == (
        "Ana asked never to bring back Picnic at the lake. It won't come back."
    )
    undone = await press(client, ".pick-rested form")

    assert undone.status_code == 303
    home = page_soup((await client.get("/")).text)
    assert visible_text(home.select_one(".flash")) == "Done: it is today's pick again."
    assert home.select_one(".pick-hero .pick-actions") is not None
    memory = await client.get(f"/api/v1/memories/{picnic['id']}", headers=sam.auth)
    assert memory.status_code == 200
    today = await client.get(
        f"/api/v1/timelines/{memory.json()['timeline_id']}/resurfacing/today", headers=sam.auth
    )
    assert today.json()["action"] is None


async def test_a_plan_lands_in_a_calendar(client, couple, sign_up):
    ana, _, timeline_id, picnic = await rated_picnic(client, couple)
    today = await client.get(f"/api/v1/timelines/{timeline_id}/resurfacing/today", headers=ana.auth)
    suggestion_id = today.json()["suggestion_id"]
    path = f"/api/v1/suggestions/{suggestion_id}/calendar.ics"
    before = await client.get(path, headers=ana.auth)
    await client.post(
        f"/api/v1/suggestions/{suggestion_id}/feedback",
        json={"action": "recreate", "planned_on": "2026-06-20"},
        headers=ana.auth,
    )

    answered = await client.get(path, headers=ana.auth)
    stranger = await sign_up("Zoë")

    assert before.status_code == 409
    assert answered.status_code == 200
    assert answered.headers["content-type"] == "text/calendar; charset=utf-8"
    assert answered.content.endswith(b"END:VCALENDAR\r\n")
    event = icalendar.Calendar.from_ical(answered.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Recreate “Picnic at the lake”"
    assert event.decoded("DTSTART").isoformat() == "2026-06-20"
    assert event.decoded("DTEND").isoformat() == "2026-06-21"
    assert str(event["URL"]) == f"http://testserver.local/m/{picnic['id']}"
    assert (await client.get(path, headers=stranger.auth)).status_code == 404
    # The page offers the same file to the couple, logged in by cookie.
    await web_log_in(client, ana.email)
    home = page_soup((await client.get("/")).text)
    link = home.select_one(".plan-actions a[download]")
    assert visible_text(link) == "Add to my calendar"
    assert (await client.get(link["href"])).content == answered.content


async def test_we_did_it_opens_the_form_filled_from_the_original(client, couple):
    ana, _, _, picnic = await rated_picnic(client, couple)
    await client.patch(
        f"/api/v1/memories/{picnic['id']}",
        json={"tags": ["summer", "lake"], "kind": "date"},
        headers=ana.auth,
    )
    await web_log_in(client, ana.email)
    await answer_pick(client, "recreate")
    home = page_soup((await client.get("/")).text)

    form_page = page_soup((await client.get(home.select_one(".plan-actions a")["href"])).text)

    assert visible_text(form_page.select_one("h1")) == "Now, again"
    assert form_page.select_one("#title")["value"] == "Picnic at the lake again"
    assert form_page.select_one("#place")["value"] == "Annecy"
    assert form_page.select_one("#tags")["value"] == "lake, summer"
    assert form_page.select_one("#occurred_on")["value"] == "2026-06-15"
    assert form_page.select_one("#kind option[selected]")["value"] == "date"
    then = form_page.select_one(".recreating")
    assert visible_text(then.select_one("figcaption")) == "Then Picnic at the lake 15 June 2023"
    assert then.select_one("img")["alt"] == "Picnic at the lake"


async def test_reloading_after_an_answer_repeats_nothing(client, couple):
    ana, _, timeline_id, _ = await rated_picnic(client, couple)
    await web_log_in(client, ana.email)

    answered = await answer_pick(client, "recreate", planned_on="2026-06-20")

    assert answered.status_code == 303
    assert answered.headers["location"] == f"/#pick-{timeline_id}"
    first, reload = await client.get("/"), await client.get("/")
    assert text_of(first.text, ".plan-line") == text_of(reload.text, ".plan-line")


async def test_a_plan_is_for_a_day_from_today_to_two_years_ahead(client, couple):
    ana, _, timeline_id, _ = await rated_picnic(client, couple)
    today = await client.get(f"/api/v1/timelines/{timeline_id}/resurfacing/today", headers=ana.auth)
    feedback = f"/api/v1/suggestions/{today.json()['suggestion_id']}/feedback"

    answers = [
        await client.post(
            feedback, json={"action": "recreate", "planned_on": day}, headers=ana.auth
        )
        for day in ("2026-06-14", "9999-12-31", "2026-06-15")
    ]

    assert [a.status_code for a in answers] == [422, 422, 200]
    assert answers[0].json()["detail"] == "Plan it for a day from today to two years ahead."
