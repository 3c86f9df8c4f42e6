"""The "Remember when..." loop on the pages: the pick on the home page, a plan to recreate
it, "We did it", and then and now side by side."""

from __future__ import annotations

from tests.support import (
    csrf_token,
    page_soup,
    rate_memory,
    visible_text,
    web_log_in,
    write_memory,
)


async def close_memory(client, couple):
    ana, sam, timeline_id = await couple()
    picnic = await write_memory(
        client, ana, timeline_id, "Picnic", "2023-06-14", body="You forgot the bread."
    )
    for member in (ana, sam):
        await rate_memory(client, member, picnic, 5)
    await web_log_in(client, ana.email)
    return timeline_id, picnic["id"]


async def test_home_shows_the_pick_with_reasons_and_a_prompt(client, couple):
    await close_memory(client, couple)

    pick = page_soup((await client.get("/")).text).select_one(".pick-hero")

    assert visible_text(pick.select_one(".pick-eyebrow")) == "Remember when…"
    assert visible_text(pick.select_one("h2")) == "Picnic"
    assert visible_text(pick.select_one(".pick-meta")) == "14 June 2023"
    assert visible_text(pick.select_one(".pick-why")) == (
        "You both said it was one of your closest days."
    )
    assert pick.select_one(".prompt-text").text.endswith("?")


async def test_planning_then_doing_it_shows_then_and_now(client, couple):
    timeline_id, picnic_id = await close_memory(client, couple)
    home = await client.get("/")
    form = page_soup(home.text).select_one(".pick-actions")

    planned = await client.post(
        form["action"],
        data={
            "action": "recreate",
            "planned_on": "2026-07-01",
            "_csrf_token": csrf_token(home.text),
        },
    )
    assert planned.headers["location"] == f"/#pick-{timeline_id}"
    home = page_soup((await client.get("/")).text)
    assert visible_text(home.select_one(".plan-line")) == (
        "You planned to recreate this on Wednesday 1 July."
    )
    new_form_path = home.select_one(".plan-actions a")["href"]

    form_page = await client.get(new_form_path)
    created = await client.post(
        f"/t/{timeline_id}/memories",
        data={
            "title": "Picnic, again",
            "occurred_on": "2026-06-15",
            "body": "This time we brought the bread.",
            "suggestion": page_soup(form_page.text).select_one("input[name=suggestion]")["value"],
            "_csrf_token": csrf_token(form_page.text),
        },
        files=[("photos", ("", b"", "application/octet-stream"))],
    )

    assert created.status_code == 303
    now_page = page_soup((await client.get(created.headers["location"])).text)
    assert visible_text(now_page.select_one(".recreates")) == "Recreating Picnic (14 June 2023)"
    assert visible_text(now_page.select_one(".story")) == "This time we brought the bread."
    original = page_soup((await client.get(f"/m/{picnic_id}")).text)
    assert (
        visible_text(original.select_one(".recreated")) == "Recreated: Picnic, again (15 June 2026)"
    )
    timeline = page_soup((await client.get(f"/t/{timeline_id}")).text)
    card = next(c for c in timeline.select(".tile") if "Picnic, again" in c.text)
    assert card.select_one(".badge").text == "Recreated"


async def test_not_now_takes_the_pick_off_the_page_at_once(client, couple):
    await close_memory(client, couple)
    home = await client.get("/")
    form = page_soup(home.text).select_one(".pick-actions")

    await client.post(
        form["action"], data={"action": "snooze", "_csrf_token": csrf_token(home.text)}
    )

    home = page_soup((await client.get("/")).text)
    assert visible_text(home.select_one(".flash")) == "Not now, then. It will wait a month."
    assert home.select_one(".pick-hero") is None
    assert visible_text(home.select_one(".pick-rested p")) == (
        "You said not now to Picnic: it rests for a month."
    )


async def test_quiet_rules_are_kept_and_removed_on_the_settings_page(client, couple):
    await close_memory(client, couple)
    page = await client.get("/settings")
    token = csrf_token(page.text)
    timeline_id = page_soup(page.text).select_one("input[name=timeline_id]")["value"]

    await client.post(
        "/settings/quiet-rules",
        data={"timeline_id": timeline_id, "tag": "Hospital", "_csrf_token": token},
    )
    await client.post(
        "/settings/quiet-rules",
        data={
            "timeline_id": timeline_id,
            "starts_on": "2000-03-03",
            "ends_on": "2000-03-10",
            "yearly": "true",
            "_csrf_token": token,
        },
    )
    refused = await client.post(
        "/settings/quiet-rules", data={"timeline_id": timeline_id, "_csrf_token": token}
    )

    assert refused.status_code == 422
    assert visible_text(page_soup(refused.text).select_one("[role=alert]")) == (
        "Give a tag, or both ends of a span of dates."
    )
    page = page_soup((await client.get("/settings")).text)
    rules = [visible_text(li).removesuffix(" Remove") for li in page.select(".rules li")]
    assert rules == ["Tag #hospital", "Every year, 3 March to 10 March"]
    await client.post(page.select_one(".rules form")["action"], data={"_csrf_token": token})
    assert len(page_soup((await client.get("/settings")).text).select(".rules li")) == 1


async def test_email_choices_are_saved_from_the_settings_page(client, couple):
    ana, _, _ = await couple()
    await web_log_in(client, ana.email)
    token = csrf_token((await client.get("/settings")).text)

    saved = await client.post(
        "/settings/emails",
        data={
            "on_this_day": "true",
            "hour": "7",
            "weekly_day": "4",
            "weekly_hour": "18",
            "timezone": "America/Los_Angeles",
            "_csrf_token": token,
        },
    )
    # The page's one time-zone field is under You; e-mails go out in it.
    refused = await client.post(
        "/settings/profile",
        data={"display_name": "Ana", "timezone": "Mars/Olympus", "_csrf_token": token},
    )

    assert saved.status_code == 303
    page = page_soup((await client.get("/settings")).text)
    form = page.select_one("#emails form")
    assert form.select_one("[name=on_this_day]").has_attr("checked")
    assert not form.select_one("[name=weekly]").has_attr("checked")
    assert not form.select_one("[name=anniversary]").has_attr("checked")
    assert form.select_one("#hour option[selected]").get_text() == "07:00"
    assert form.select_one("#weekly_day option[selected]").get_text() == "Friday"
    assert form.select_one("#weekly_hour option[selected]").get_text() == "18:00"
    assert form.select_one("[name=timezone]") is None
    assert page.select_one("#you #timezone")["value"] == "America/Los_Angeles"
    assert refused.status_code == 422
    refused_page = page_soup(refused.text)
    assert "Unknown time zone 'Mars/Olympus'" in visible_text(
        refused_page.select_one("#you [role=alert]")
    )
    assert refused_page.select_one("#timezone")["value"] == "Mars/Olympus"
    api = await client.get("/api/v1/me/email-preferences", headers=ana.auth)
    assert api.json() == {
        "on_this_day": True,
        "weekly": False,
        "anniversary": False,
        "hour": 7,
        "weekly_day": 4,
        "weekly_hour": 18,
        "timezone": "America/Los_Angeles",
    }
