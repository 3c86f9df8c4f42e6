"""Answering a letter from its links: "Not this one" in one press with no log-in (a mail
scanner that opens the link changes nothing; a forged link or a member who left finds
nothing), a pick's "Let's recreate it" and "Not now" confirmed on their own page after
logging in, and "Write back" landing on the memory's reply form."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from server.common.links import not_this_one_url, unsubscribe_url
from tests.support import (
    PASSWORD,
    csrf_token,
    page_soup,
    picnic_three_years_ago,
    rate_memory,
    text_of,
    visible_text,
    web_log_in,
    write_memory,
)

NOT_FOUND_WORDS = "This link no longer opens a memory of yours. Nothing was changed."


def link_path(url: str) -> str:
    """A letter's link as a path on the test client's server."""
    return url.removeprefix("http://testserver.local")


async def log_in_where_sent(client, response, email: str):
    """Follow a redirect to the log-in page and log in there as a person would (the form
    carries where to go next); the answer to the log-in."""
    login = await client.get(response.headers["location"])
    form = page_soup(login.text).select_one("form[action='/login']")
    fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    return await client.post("/login", data={**fields, "email": email, "password": PASSWORD})


async def todays_pick(client, member, timeline_id) -> dict:
    """Today's pick, as the API gives it."""
    pick = await client.get(
        f"/api/v1/timelines/{timeline_id}/resurfacing/today", headers=member.auth
    )
    assert pick.status_code == 200, pick.text
    return pick.json()


async def post_form(client, response, selector: str = "form.pick-actions", **fields: str):
    """Press the button of the form of the page `response` holds, found by `selector`, as a
    browser would: its hidden fields, the button's name and value, and `fields` typed."""
    form = page_soup(response.text).select_one(selector)
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    button = form.select_one("button[name]")
    if button is not None:
        data[button["name"]] = button["value"]
    return await client.post(form["action"], data={**data, **fields})


# --- "Not this one" -------------------------------------------------------------------------


async def test_not_this_one_asks_first_then_keeps_it_away_for_both_until_brought_back(
    client, couple, clock, settings, count_rows
):
    ana, sam, timeline_id = await couple()
    hard = await write_memory(
        client, ana, timeline_id, "The hospital summer", "2023-06-16", place="Lyon"
    )
    swim = await write_memory(client, ana, timeline_id, "Swim at dawn", "2022-06-16")
    for member in (ana, sam):
        await rate_memory(client, member, hard, 5)
        await rate_memory(client, member, swim, 5)
    cherries = await write_memory(client, sam, timeline_id, "Cherries on the balcony", "2024-06-16")
    # A 2 is "not a moment to bring back": never the pick, still on this day.
    await rate_memory(client, sam, cherries, 2)
    link = link_path(not_this_one_url(settings, UUID(ana.id), UUID(hard["id"])))

    # Nobody is logged in: the link is enough. A scanner opens it, then Ana does.
    scanned = await client.get(link)
    asked = await client.get(link)
    after_opening = count_rows("memory", id=hard["id"], never_resurface=True)
    form = page_soup(asked.text).select_one("form[method=post]")
    done = await client.post(form.get("action") or link)

    assert scanned.status_code == asked.status_code == 200
    assert after_opening == 0
    assert text_of(asked.text, ".pick-eyebrow") == "Not this one?"
    assert text_of(asked.text, "h1") == "The hospital summer"
    assert text_of(asked.text, ".pick-meta") == "16 June 2023"
    said = page_soup(asked.text).select_one(".what-it-does")
    assert visible_text(said) == (
        "We won't bring it back: not as the day's pick, not on this day, not in a letter. "
        "It stays on your timeline. This is for both of you, and either of you can undo it "
        "in Settings."
    )
    assert said.select_one("a")["href"] == "/settings#never-shown"
    assert visible_text(form.select_one("button")) == "Don't bring this back"
    assert "private" in asked.headers["cache-control"]
    assert done.status_code == 200
    assert text_of(done.text, "h1") == "Done"
    assert text_of(done.text, "#kept-away") == "We won't bring back “The hospital summer”."
    assert page_soup(done.text).select_one("a[href='/settings#never-shown']")
    assert count_rows("memory", id=hard["id"], never_resurface=True) == 1

    # The next day, neither partner sees it: not as the pick, not on this day.
    clock.advance(timedelta(days=1))
    for member in (ana, sam):
        await web_log_in(client, member.email)
        home = page_soup((await client.get("/")).text)
        assert visible_text(home.select_one(".pick-hero h2")) == "Swim at dawn"
        assert [visible_text(p) for p in home.select(".otd-words")] == [
            "2 years ago Cherries on the balcony"
        ]
        # (What the partner did this week still says it: that is not bringing it back.)
        assert "The hospital summer" not in visible_text(home.select_one(".pick-hero"))

    # Listed in Settings for Sam too (no pick ever showed it: nobody is named), and undone.
    listed = await client.get("/settings")
    row = page_soup(listed.text).select_one("#never-shown .memory-row")
    assert visible_text(row.select_one(".row-words")) == "The hospital summer 16 June 2023 · Lyon"
    await client.post(
        row.select_one("form")["action"], data={"_csrf_token": csrf_token(listed.text)}
    )
    home = page_soup((await client.get("/")).text)
    assert [visible_text(p) for p in home.select(".otd-words")] == [
        "2 years ago Cherries on the balcony",
        "3 years ago The hospital summer",
    ]
    # Opened again, the link offers to keep it away again.
    assert text_of((await client.get(link)).text, ".pick-eyebrow") == "Not this one?"


async def test_not_this_one_on_a_pick_says_who_asked_on_home_and_in_settings(
    client, couple, settings
):
    ana, sam, timeline_id, picnic = await picnic_three_years_ago(client, couple)
    for member in (ana, sam):
        await rate_memory(client, member, picnic, 5)
    await todays_pick(client, sam, timeline_id)
    link = link_path(not_this_one_url(settings, UUID(ana.id), UUID(picnic["id"])))

    await client.post(link)
    opened_again = await client.get(link)
    await web_log_in(client, sam.email)
    home = page_soup((await client.get("/")).text)
    never_shown = page_soup((await client.get("/settings")).text).select_one("#never-shown")

    assert text_of(opened_again.text, ".pick-eyebrow") == "Already kept away"
    assert page_soup(opened_again.text).select_one("form") is None
    assert home.select_one(".pick-hero") is None
    assert visible_text(home.select_one(".pick-rested p")) == (
        "Ana asked never to bring back Picnic at the lake. It won't come back."
    )
    assert visible_text(never_shown.select_one(".row-note")) == "Ana asked on 15 June 2026"


async def test_a_forged_or_altered_not_this_one_link_finds_nothing_and_changes_nothing(
    client, couple, settings, count_rows
):
    ana, _, timeline_id = await couple()
    hard = await write_memory(client, ana, timeline_id, "The hospital summer", "2023-07-01")
    other = await write_memory(client, ana, timeline_id, "Sunday crosswords", "2024-03-08")
    real = link_path(not_this_one_url(settings, UUID(ana.id), UUID(hard["id"])))
    signature = real.rsplit(".", 1)[1]
    altered = real[:-1] + ("A" if real[-1] != "A" else "B")
    other_memory = f"/not-this-one/{ana.id}.{other['id']}.{signature}"
    unsubscribe = (
        "/not-this-one/"
        + link_path(unsubscribe_url(settings, UUID(ana.id), "on_this_day")).rsplit("/", 1)[1]
    )

    not_ascii = real[:-1] + "%C3%A9"
    answers = []
    for path in (altered, other_memory, unsubscribe, "/not-this-one/hello", real + ".", not_ascii):
        answers += [await client.get(path), await client.post(path)]

    assert [a.status_code for a in answers] == [404] * 12
    for answered in answers:
        assert text_of(answered.text, "h1") == "We could not find that"
        assert NOT_FOUND_WORDS in answered.text
        assert "The hospital summer" not in answered.text
    assert count_rows("memory", never_resurface=True) == 0


async def test_a_member_who_left_finds_nothing_behind_their_old_link(
    client, couple, settings, count_rows
):
    ana, sam, timeline_id = await couple()
    hard = await write_memory(client, ana, timeline_id, "The hospital summer", "2023-07-01")
    sams = link_path(not_this_one_url(settings, UUID(sam.id), UUID(hard["id"])))
    left = await client.delete(f"/api/v1/timelines/{timeline_id}/membership", headers=sam.auth)

    opened = await client.get(sams)
    pressed = await client.post(sams)

    assert left.status_code == 204
    assert opened.status_code == pressed.status_code == 404
    assert "The hospital summer" not in opened.text + pressed.text
    assert text_of(opened.text, "h1") == "We could not find that"
    assert count_rows("memory", id=hard["id"], never_resurface=False) == 1
    anas = link_path(not_this_one_url(settings, UUID(ana.id), UUID(hard["id"])))
    assert (await client.get(anas)).status_code == 200


# --- "Let's recreate it" and "Not now" ------------------------------------------------------


async def test_lets_recreate_it_from_a_letter_logs_in_then_plans_it_named(client, couple):
    ana, sam, timeline_id, picnic = await picnic_three_years_ago(client, couple)
    for member in (ana, sam):
        await rate_memory(client, member, picnic, 5)
    pick = await todays_pick(client, ana, timeline_id)
    path = f"/s/{pick['suggestion_id']}/recreate"

    logged_out = await client.get(path)
    logged_in = await log_in_where_sent(client, logged_out, ana.email)
    shown = await client.get(path)
    planned = await post_form(client, shown, planned_on="2026-06-20")
    after = await client.get(planned.headers["location"])

    assert logged_out.status_code in (302, 303)
    assert logged_out.headers["location"] == f"/login?next={path}"
    assert logged_in.headers["location"] == path
    assert shown.status_code == 200
    hero = page_soup(shown.text).select_one(".pick-hero")
    image = hero.select_one(".pick-photo img")
    assert image["src"].startswith("/media/")
    assert "display" in image["src"]
    assert image["alt"] == "Picnic at the lake"
    assert visible_text(hero.select_one("h1")) == "Picnic at the lake"
    assert visible_text(hero.select_one(".pick-meta")) == "15 June 2023 · Annecy"
    assert visible_text(hero.select_one(".prompt-text")) == pick["prompt"]
    form = hero.select_one("form.pick-actions")
    assert form["action"] == f"/s/{pick['suggestion_id']}/answer"
    assert form.select_one("input[name=planned_on]")["type"] == "date"
    assert [visible_text(b) for b in form.select("button")] == ["Let's recreate it"]
    assert page_soup(shown.text).select_one("a[href='/']")
    assert planned.status_code == 303
    assert planned.headers["location"] == path
    assert text_of(after.text, ".flash") == "Lovely. It is in your plans."
    assert text_of(after.text, ".plan-line") == (
        "You planned to recreate this on Saturday 20 June."
    )
    assert page_soup(after.text).select_one("form.pick-actions") is None

    # Sam's letter had the same link: Sam sees Ana's answer, by name, and what to do next.
    await web_log_in(client, sam.email)
    sams = page_soup((await client.get(path)).text)
    assert visible_text(sams.select_one(".plan-line")) == (
        "Ana planned to recreate this on Saturday 20 June."
    )
    assert visible_text(sams.select_one(".plan-actions a")) == "We did it"
    assert sams.select_one("form.pick-actions") is None
    home = page_soup((await client.get("/")).text)
    assert visible_text(home.select_one(".plan-line")) == (
        "Ana planned to recreate this on Saturday 20 June."
    )


async def test_not_now_from_a_letter_rests_the_pick_and_says_who(client, couple):
    ana, sam, timeline_id, picnic = await picnic_three_years_ago(client, couple)
    for member in (ana, sam):
        await rate_memory(client, member, picnic, 5)
    pick = await todays_pick(client, ana, timeline_id)
    path = f"/s/{pick['suggestion_id']}/not-now"
    await web_log_in(client, sam.email)

    shown = await client.get(path)
    rested = await post_form(client, shown)
    after = await client.get(rested.headers["location"])

    form = page_soup(shown.text).select_one("form.pick-actions")
    assert [visible_text(b) for b in form.select("button")] == ["Not now"]
    assert text_of(shown.text, "h1") == "Picnic at the lake"
    assert rested.headers["location"] == path
    assert text_of(after.text, ".flash") == "Not now, then. It will wait a month."
    assert text_of(after.text, ".pick-answered p") == (
        "You said not now to this: it rests for a month."
    )
    today = await todays_pick(client, ana, timeline_id)
    assert today["action"] == "snooze"

    # Ana opens her letter's "Let's recreate it": Sam's answer, and a way to undo it.
    await web_log_in(client, ana.email)
    recreate = f"/s/{pick['suggestion_id']}/recreate"
    anas = await client.get(recreate)
    assert text_of(anas.text, ".pick-answered p") == (
        "Sam said not now to this: it rests for a month."
    )
    assert page_soup(anas.text).select_one("form.pick-actions") is None
    undone = await post_form(client, anas, ".pick-answered form")
    again = await client.get(undone.headers["location"])
    assert undone.headers["location"] == recreate
    assert text_of(again.text, ".flash") == "Done: it is today's pick again."
    assert page_soup(again.text).select_one("form.pick-actions button[value=recreate]")


async def test_a_pick_of_another_couple_is_not_found(client, couple, sign_up):
    ana, sam, timeline_id, picnic = await picnic_three_years_ago(client, couple)
    for member in (ana, sam):
        await rate_memory(client, member, picnic, 5)
    pick = await todays_pick(client, ana, timeline_id)
    eve = await sign_up("Eve")
    await web_log_in(client, eve.email)
    token = csrf_token((await client.get("/settings")).text)
    sid = pick["suggestion_id"]

    answers = [
        await client.get(f"/s/{sid}/recreate"),
        await client.get(f"/s/{sid}/not-now"),
        await client.post(
            f"/s/{sid}/answer",
            data={"action": "snooze", "back": "not-now", "_csrf_token": token},
        ),
    ]

    assert [a.status_code for a in answers] == [404] * 3
    assert "Picnic at the lake" not in "".join(a.text for a in answers)
    assert (await todays_pick(client, ana, timeline_id))["action"] is None


# --- "Write back" ---------------------------------------------------------------------------


async def test_write_back_lands_on_the_memorys_reply_form_after_logging_in(client, couple):
    _, sam, _, picnic = await picnic_three_years_ago(client, couple)
    path = f"/m/{picnic['id']}"

    logged_out = await client.get(f"{path}/write-back")
    logged_in = await log_in_where_sent(client, logged_out, sam.email)
    back = await client.get(logged_in.headers["location"])
    memory = await client.get(path)

    assert logged_out.headers["location"] == f"/login?next={path}/write-back"
    assert logged_in.headers["location"] == f"{path}/write-back"
    # The fragment a log-in form would lose comes after it, from the server.
    assert back.headers["location"] == f"{path}#write-back"
    write_back = page_soup(memory.text).select_one("#write-back")
    assert write_back.name == "form"
    assert write_back["action"] == f"{path}/replies"
    assert write_back.select_one("textarea[name=text]") is not None
    # The replies keep their own anchor, which the home page links to.
    assert page_soup(memory.text).select_one("#replies #write-back") is not None
