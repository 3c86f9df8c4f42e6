"""The trash a couple can find (list, restore, empty now after seeing what goes), moving a
memory there only after saying yes, the trash in the API, and the memories either partner
asked never to bring back, each one undoable from Settings."""

from __future__ import annotations

from datetime import timedelta

from tests import images
from tests.support import (
    csrf_token,
    page_soup,
    stored_keys,
    text_of,
    upload_photo,
    visible_text,
    web_log_in,
    write_memory,
)


async def _trashed(client, member, timeline_id, title, occurred_on, photo=None) -> dict:
    """A memory written (with `photo`, if given) and moved to the trash, through the API."""
    memory = await write_memory(client, member, timeline_id, title, occurred_on)
    if photo:
        uploaded = await upload_photo(client, member, memory["id"], photo)
        assert uploaded.status_code == 201, uploaded.text
    answer = await client.delete(f"/api/v1/memories/{memory['id']}", headers=member.auth)
    assert answer.status_code == 204, answer.text
    return memory


async def _veto(client, member, timeline_id) -> None:
    """`member` answers today's pick with "never show this"."""
    pick = await client.get(
        f"/api/v1/timelines/{timeline_id}/resurfacing/today", headers=member.auth
    )
    assert pick.status_code == 200, pick.text
    answer = await client.post(
        f"/api/v1/suggestions/{pick.json()['suggestion_id']}/feedback",
        json={"action": "never"},
        headers=member.auth,
    )
    assert answer.status_code == 200, answer.text


async def test_moving_a_memory_to_the_trash_asks_first_then_leads_to_the_trash(
    client, couple, clock
):
    ana, _, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Sunday crosswords", "2024-03-08")
    picnic = await write_memory(client, ana, timeline_id, "Picnic", "2023-06-14")
    await web_log_in(client, ana.email)

    memory_page = page_soup((await client.get(f"/m/{picnic['id']}")).text)
    ask = memory_page.select_one(".memory-actions a.trash-link")
    question = await client.get(ask["href"])
    still_there = await client.get(f"/t/{timeline_id}")
    form = page_soup(question.text).select_one("form[action$='/delete']")
    moved = await client.post(form["action"], data={"_csrf_token": csrf_token(question.text)})
    timeline = await client.get(moved.headers["location"])

    assert visible_text(ask) == "Move to trash"
    assert text_of(question.text, "h1") == "Move “Picnic” to the trash?"
    assert "You can restore it from the trash for 30 days" in text_of(question.text, ".lead")
    assert "Picnic" in text_of(still_there.text, "#memories")
    assert moved.status_code == 303
    assert moved.headers["location"] == f"/t/{timeline_id}"
    flash = page_soup(timeline.text).select_one(".flash")
    assert visible_text(flash) == (
        "Moved to the trash. You can restore it from the trash for 30 days. Open the trash"
    )
    assert flash.select_one("a")["href"] == f"/t/{timeline_id}/trash"
    assert "Picnic" not in timeline.text
    assert page_soup(timeline.text).select_one(f".timeline-foot a[href='/t/{timeline_id}/trash']")


async def test_a_trashed_memory_is_restored_from_the_trash_page(client, couple, clock):
    ana, _, timeline_id = await couple()
    picnic = await write_memory(
        client, ana, timeline_id, "Picnic", "2019-07-14", date_precision="month"
    )
    await upload_photo(client, ana, picnic["id"], images.rotated_jpeg_with_gps())
    await client.delete(f"/api/v1/memories/{picnic['id']}", headers=ana.auth)
    clock.advance(timedelta(days=2))
    await web_log_in(client, ana.email)

    trash = await client.get(f"/t/{timeline_id}/trash")
    row = page_soup(trash.text).select_one(".memory-row")
    restored = await client.post(
        row.select_one("form")["action"], data={"_csrf_token": csrf_token(trash.text)}
    )
    after = await client.get(restored.headers["location"])
    reloaded = await client.get(restored.headers["location"])

    assert trash.status_code == 200
    assert visible_text(row.select_one(".row-words")) == (
        # Trashed at 11:30 in Paris on 15 June 2026: gone for good 30 days later.
        "Picnic July 2019 Deleted for good on 15 July 2026, with 1 photo"
    )
    assert row.select_one("img.row-thumb")["src"]
    assert visible_text(row.select_one("button")) == "Restore “Picnic”"
    assert restored.status_code == 303
    assert restored.headers["location"] == f"/t/{timeline_id}/trash"
    assert text_of(after.text, ".flash") == "Restored. It is back on your timeline."
    assert text_of(after.text, ".trash-empty h2") == "The trash is empty"
    assert page_soup(reloaded.text).select_one(".flash") is None
    assert "Picnic" in text_of((await client.get(f"/t/{timeline_id}")).text, "#memories")


async def test_emptying_the_trash_shows_what_goes_then_deletes_it_with_its_photos(
    client, couple, clock, count_rows
):
    ana, _, timeline_id = await couple()
    kept = await write_memory(client, ana, timeline_id, "Sunday crosswords", "2024-03-08")
    ferry = await _trashed(
        client,
        ana,
        timeline_id,
        "The ferry in the rain",
        "2024-10-01",
        images.rotated_jpeg_with_gps(),
    )
    clock.advance(timedelta(minutes=1))
    await _trashed(client, ana, timeline_id, "Burnt pancakes", "2025-01-12")
    await web_log_in(client, ana.email)

    trash = page_soup((await client.get(f"/t/{timeline_id}/trash")).text)
    confirm = await client.get(trash.select_one(".trash-foot a")["href"])
    # Trashed after the couple looked at what goes: it stays.
    clock.advance(timedelta(minutes=1))
    late = await _trashed(client, ana, timeline_id, "Late night fries", "2025-02-01")
    form = page_soup(confirm.text).select_one("form.confirm-actions")
    emptied = await client.post(
        form["action"],
        data={
            "_csrf_token": csrf_token(confirm.text),
            "trashed_until": form.select_one("[name=trashed_until]")["value"],
        },
    )
    after = await client.get(emptied.headers["location"])

    assert confirm.status_code == 200
    assert text_of(confirm.text, "h1") == "Empty the trash?"
    assert text_of(confirm.text, ".lead") == (
        "These 2 memories and 1 photo will be deleted for good, now, for both of you. "
        "This cannot be undone."
    )
    listed = [visible_text(t) for t in page_soup(confirm.text).select(".memory-row .row-title")]
    assert listed == ["Burnt pancakes", "The ferry in the rain"]
    assert emptied.status_code == 303
    assert text_of(after.text, ".flash").startswith("The trash is empty.")
    titles = [visible_text(t) for t in page_soup(after.text).select(".memory-row .row-title")]
    assert titles == ["Late night fries"]
    assert count_rows("memory", id=ferry["id"]) == 0
    assert count_rows("memory", id=late["id"]) == count_rows("memory", id=kept["id"]) == 1
    assert stored_keys(client, "photos") == []


async def test_the_api_lists_the_trash_with_the_day_each_memory_goes_for_good(client, couple):
    ana, sam, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Sunday crosswords", "2024-03-08")
    pancakes = await _trashed(client, ana, timeline_id, "Burnt pancakes", "2025-01-12")

    answer = await client.get(f"/api/v1/timelines/{timeline_id}/trash", headers=sam.auth)

    assert answer.status_code == 200
    (item,) = answer.json()["items"]
    assert item["id"] == pancakes["id"]
    assert item["title"] == "Burnt pancakes"
    assert item["occurred_on"] == "2025-01-12"
    assert item["purge_on"] == "2026-07-15"
    # The couple was made at 09:35 UTC on 15 June 2026 (11:35 in Paris, where Sam lives).
    assert item["deleted_at"].startswith("2026-06-15T09:35:00")
    assert item["purge_at"].startswith("2026-07-15T09:35:00")


async def test_a_member_of_another_timeline_finds_no_trash_of_theirs(client, couple, sign_up):
    ana, _, timeline_id = await couple()
    pancakes = await _trashed(client, ana, timeline_id, "Burnt pancakes", "2025-01-12")
    live = await write_memory(client, ana, timeline_id, "Sunday crosswords", "2024-03-08")
    eve = await sign_up("Eve")
    await web_log_in(client, eve.email)
    token = csrf_token((await client.get("/settings")).text)
    trash = f"/t/{timeline_id}/trash"

    answers = [
        await client.get(trash),
        await client.get(f"{trash}/empty"),
        await client.post(f"{trash}/empty", data={"_csrf_token": token}),
        await client.post(f"{trash}/{pancakes['id']}/restore", data={"_csrf_token": token}),
        await client.get(f"/m/{live['id']}/trash"),
        await client.get(f"/api/v1/timelines/{timeline_id}/trash", headers=eve.auth),
    ]

    assert [a.status_code for a in answers] == [404] * 6
    assert "Burnt pancakes" not in "".join(a.text for a in answers)
    still = await client.get(f"/api/v1/timelines/{timeline_id}/trash", headers=ana.auth)
    assert [m["title"] for m in still.json()["items"]] == ["Burnt pancakes"]


async def test_a_memory_is_restored_only_through_its_own_timelines_trash(client, couple):
    ana, _, timeline_id = await couple()
    other = await client.post("/api/v1/timelines", json={"name": "Ana's own"}, headers=ana.auth)
    pancakes = await _trashed(client, ana, timeline_id, "Burnt pancakes", "2025-01-12")
    await web_log_in(client, ana.email)
    token = csrf_token((await client.get("/settings")).text)

    wrong = await client.post(
        f"/t/{other.json()['id']}/trash/{pancakes['id']}/restore", data={"_csrf_token": token}
    )

    assert wrong.status_code == 404


async def test_a_memory_never_to_be_shown_again_is_listed_in_settings_and_brought_back(
    client, couple, count_rows
):
    ana, sam, timeline_id = await couple()
    hard = await write_memory(client, ana, timeline_id, "The hospital summer", "2023-07-01")
    for member in (ana, sam):
        await client.put(
            f"/api/v1/memories/{hard['id']}/connection", json={"score": 5}, headers=member.auth
        )
    await _veto(client, sam, timeline_id)
    await web_log_in(client, ana.email)

    settings = await client.get("/settings")
    section = page_soup(settings.text).select_one("#never-shown")
    row = section.select_one(".memory-row")
    undone = await client.post(
        row.select_one("form")["action"], data={"_csrf_token": csrf_token(settings.text)}
    )
    after = page_soup((await client.get("/settings")).text)

    assert visible_text(section.select_one("h2")) == "Never brought back"
    assert visible_text(row.select_one(".row-words")) == (
        "The hospital summer 1 July 2023 Sam asked on 15 June 2026"
    )
    assert visible_text(row.select_one("button")) == "Bring it back: “The hospital summer”"
    assert undone.status_code == 303
    assert undone.headers["location"] == "/settings#never-shown"
    assert visible_text(after.select_one(".flash")) == "It may come back again, some day."
    assert after.select_one("#never-shown .memory-row") is None
    assert visible_text(after.select_one("#never-shown .empty-note")).startswith("Nothing here.")
    assert count_rows("memory", id=hard["id"], never_resurface=False) == 1


async def test_a_member_of_another_timeline_cannot_bring_back_a_memory(
    client, couple, sign_up, count_rows
):
    ana, _, timeline_id = await couple()
    hard = await write_memory(client, ana, timeline_id, "The hospital summer", "2023-07-01")
    await client.put(
        f"/api/v1/memories/{hard['id']}/connection", json={"score": 5}, headers=ana.auth
    )
    await _veto(client, ana, timeline_id)
    eve = await sign_up("Eve")
    await web_log_in(client, eve.email)
    settings = await client.get("/settings")

    answer = await client.post(
        f"/settings/never-shown/{hard['id']}/undo", data={"_csrf_token": csrf_token(settings.text)}
    )

    assert answer.status_code == 404
    assert "The hospital summer" not in settings.text
    assert count_rows("memory", id=hard["id"], never_resurface=True) == 1


async def test_settings_come_in_sections_with_one_time_zone_field_and_quiet_buttons(client, couple):
    ana, _, timeline_id = await couple()
    await web_log_in(client, ana.email)

    page = page_soup((await client.get("/settings")).text)

    sections = [(s["id"], visible_text(s.select_one("h2"))) for s in page.select("section.card")]
    assert sections == [
        ("you", "You"),
        ("us", "The two of you"),
        ("emails", "Letters"),
        ("notifications", "Notifications"),
        ("quiet-times", "Quiet times"),
        ("never-shown", "Never brought back"),
        ("danger-zone", "Danger zone"),
    ]
    assert [a["href"] for a in page.select(".settings-nav a")] == [
        f"#{section}" for section, _ in sections
    ]
    (zone,) = page.select("input[name=timezone]")
    assert zone["value"] == "Europe/Paris"
    options = [o["value"] for o in page.select(f"datalist#{zone['list']} option")]
    assert "Europe/Lisbon" in options
    assert "America/Los_Angeles" in options
    # Red only where the danger is real, and folded away until asked for.
    assert [visible_text(b) for b in page.select("button.danger")] == [
        "Leave “Ana & Sam”",
        "Delete my account",
    ]
    assert all(b.find_parent("details", class_="danger-zone") for b in page.select("button.danger"))
    assert page.select_one(f"#dates-{timeline_id} #since-{timeline_id}") is not None
    assert page.select_one(f"#us a[href='/t/{timeline_id}/trash']") is not None


async def test_a_time_zone_that_does_not_exist_is_refused_beside_it_and_kept(client, couple):
    ana, _, _ = await couple()
    await web_log_in(client, ana.email)

    refused = await client.post(
        "/settings/profile",
        data={
            "display_name": "Ana",
            "timezone": "Mars/Olympus",
            "_csrf_token": csrf_token((await client.get("/settings")).text),
        },
    )
    page = page_soup(refused.text)
    me = await client.get("/api/v1/me", headers=ana.auth)

    assert refused.status_code == 422
    assert "Unknown time zone 'Mars/Olympus'" in visible_text(page.select_one("#you [role=alert]"))
    assert page.select_one("#timezone")["value"] == "Mars/Olympus"
    assert page.select_one("#timezone")["aria-invalid"] == "true"
    assert me.json()["timezone"] == "Europe/Paris"


async def test_e_mail_choices_are_saved_in_the_time_zone_set_under_you(client, couple):
    ana, _, _ = await couple()
    await web_log_in(client, ana.email)
    token = csrf_token((await client.get("/settings")).text)

    await client.post(
        "/settings/profile",
        data={"display_name": "Ana", "timezone": "Europe/Lisbon", "_csrf_token": token},
    )
    saved = await client.post(
        "/settings/emails",
        data={"weekly": "true", "hour": "7", "weekly_day": "4", "weekly_hour": "18"}
        | {"_csrf_token": token},
    )
    prefs = await client.get("/api/v1/me/email-preferences", headers=ana.auth)

    assert saved.status_code == 303
    assert saved.headers["location"] == "/settings#emails"
    assert prefs.json()["timezone"] == "Europe/Lisbon"
    assert prefs.json()["weekly"] is True
