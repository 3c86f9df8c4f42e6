"""Writing, reading and editing memories through the pages, photos included."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests import images
from tests.support import csrf_token, page_soup, post_memory, stored_keys, text_of, web_log_in


@pytest.fixture
async def signed_in_couple(client, couple):
    ana, sam, timeline_id = await couple()
    await web_log_in(client, ana.email)
    return ana, sam, timeline_id


LAKE = {
    "title": "Picnic at the lake",
    "occurred_on": "2019-07-14",
    "date_precision": "month",
    "kind": "date",
    "place": "Annecy",
    "body": "You forgot the bread.\nWe laughed anyway.",
    "tags": "summer, Lake",
}


async def test_a_memory_with_two_photos_is_shown_as_written(client, signed_in_couple, clock):
    _, _, timeline_id = signed_in_couple

    response = await post_memory(
        client,
        timeline_id,
        LAKE,
        photos=[("a.jpg", images.rotated_jpeg_with_gps()), ("b.heic", images.heic())],
    )

    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert text_of(page.text, "h1") == "Picnic at the lake"
    assert text_of(page.text, ".meta") == "July 2019 · Annecy · A date · added by Ana"
    assert [li.text for li in page_soup(page.text).select(".tags li")] == ["#lake", "#summer"]
    assert (
        page_soup(page.text).select_one(".story").text
        == "You forgot the bread.\nWe laughed anyway."
    )
    shown = [
        (img["width"], img["height"], img["alt"])
        for img in page_soup(page.text).select(".photos img")
    ]
    assert shown == [("400", "600", "Picnic at the lake"), ("640", "480", "Picnic at the lake")]
    first = page_soup(page.text).select_one(".photos img")["src"]
    assert (await client.get(first)).headers["content-type"] == "image/webp"
    assert text_of(page.text, "#connection .invite") == "What did it feel like for you, Ana?"


async def test_a_refused_form_keeps_what_was_typed_and_says_why_beside_the_field(
    client, signed_in_couple, count_rows
):
    _, _, timeline_id = signed_in_couple

    response = await post_memory(client, timeline_id, {**LAKE, "occurred_on": "2031-01-01"})

    assert response.status_code == 422
    page = page_soup(response.text)
    assert page.select_one("#occurred_on-error").text == "A memory cannot be in the future."
    assert page.select_one("#occurred_on")["aria-invalid"] == "true"
    assert page.select_one("#title")["value"] == "Picnic at the lake"
    assert page.select_one("#body").text == LAKE["body"]
    assert page.select_one("#tags")["value"] == "summer, Lake"
    assert page.select_one("input[name=date_precision][checked]")["value"] == "month"
    assert count_rows("memory") == 0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({}, "title", "Give the memory a title."),
        ({"title": "", "occurred_on": "soon"}, "title", "Give the memory a title."),
        ({"kind": "dream", "occurred_on": "soon"}, "kind", "Unknown kind"),
        ({"tags": "," * 90, "occurred_on": "soon"}, "tags", "Use at most 20 tags."),
    ],
)
async def test_a_form_wrong_in_several_ways_names_the_same_field_as_the_api(
    client, signed_in_couple, fields, field, message
):
    _, _, timeline_id = signed_in_couple
    sent = {"title": "Picnic", **fields} if fields else {}

    response = await post_memory(client, timeline_id, sent)

    assert response.status_code == 422
    assert page_soup(response.text).select_one(f"#{field}-error").text.startswith(message)


async def test_a_refused_photo_leaves_no_memory_and_no_file(client, signed_in_couple, count_rows):
    _, _, timeline_id = signed_in_couple

    response = await post_memory(
        client,
        timeline_id,
        LAKE,
        photos=[("good.jpg", images.cmyk_jpeg()), ("diary.jpg", images.text_named_jpg())],
    )

    assert response.status_code == 415
    assert text_of(response.text, "#photos-error").startswith(
        "This file is not a photo we can read"
    )
    assert page_soup(response.text).select_one("#title")["value"] == "Picnic at the lake"
    assert count_rows("memory") == 0
    assert count_rows("photo") == 0
    assert stored_keys(client, "photos") == []


async def test_connection_appreciation_and_replies_from_the_page(client, signed_in_couple):
    _, _, timeline_id = signed_in_couple
    memory_path = (await post_memory(client, timeline_id, LAKE)).headers["location"]
    page = await client.get(memory_path)
    token = csrf_token(page.text)

    await client.post(
        f"{memory_path}/connection",
        data={"score": "5", "appreciation": "Your laugh", "_csrf_token": token},
    )
    await client.post(f"{memory_path}/replies", data={"text": "Again?", "_csrf_token": token})
    refused = await client.post(
        f"{memory_path}/connection", data={"score": "9", "_csrf_token": token}
    )

    assert refused.status_code == 422
    page = await client.get(memory_path)
    assert page_soup(page.text).select_one("input[name=score][checked]")["value"] == "5"
    assert page_soup(page.text).select_one("#appreciation").text == "Your laugh"
    assert text_of(page.text, ".reply p") == "Again?"
    assert text_of(page.text, ".reply footer") == "Ana, 15 June 2026"


async def test_editing_keeps_the_story_and_adds_a_photo(client, signed_in_couple):
    _, _, timeline_id = signed_in_couple
    memory_path = (await post_memory(client, timeline_id, LAKE)).headers["location"]
    form = await client.get(f"{memory_path}/edit")
    assert page_soup(form.text).select_one("#tags")["value"] == "lake, summer"

    response = await client.post(
        f"{memory_path}/edit",
        data={
            **LAKE,
            "title": "Picnic by the lake",
            "date_precision": "year",
            "_csrf_token": csrf_token(form.text),
        },
        files=[("photos", ("c.png", images.png_with_alpha(), "image/png"))],
    )

    assert response.status_code == 303
    page = await client.get(memory_path)
    assert text_of(page.text, "h1") == "Picnic by the lake"
    assert text_of(page.text, ".meta").startswith("2019 · Annecy")
    assert len(page_soup(page.text).select(".photos img")) == 1


async def test_edit_and_trash_sit_side_by_side_outside_any_paragraph(client, signed_in_couple):
    _, _, timeline_id = signed_in_couple
    memory_path = (await post_memory(client, timeline_id, LAKE)).headers["location"]

    page = page_soup((await client.get(memory_path)).text)

    # A browser closes a paragraph before a form, splitting the row: no form may sit in a p.
    assert page.select("p form") == []
    actions = page.select_one(".actions")
    assert [a.text for a in actions.select("a, button")] == ["Edit", "Move to trash"]


async def test_trash_and_restore_from_the_page(client, signed_in_couple, clock):
    _, _, timeline_id = signed_in_couple
    memory_path = (await post_memory(client, timeline_id, LAKE)).headers["location"]
    token = csrf_token((await client.get(memory_path)).text)

    await client.post(f"{memory_path}/delete", data={"_csrf_token": token})
    trashed = await client.get(memory_path)
    timeline = await client.get(f"/t/{timeline_id}")

    assert text_of(trashed.text, "#trash-title") == "This memory is in the trash"
    assert "Picnic at the lake" not in timeline.text
    clock.advance(timedelta(days=2))
    await client.post(f"{memory_path}/restore", data={"_csrf_token": token})
    assert text_of((await client.get(memory_path)).text, ".flash") == "Restored from the trash."
    assert "Picnic at the lake" in (await client.get(f"/t/{timeline_id}")).text


async def test_the_timeline_lists_memories_with_their_cover(client, signed_in_couple):
    _, _, timeline_id = signed_in_couple
    await post_memory(client, timeline_id, LAKE, photos=[("a.jpg", images.rotated_jpeg_with_gps())])
    await post_memory(
        client,
        timeline_id,
        {**LAKE, "title": "First snow", "occurred_on": "2020-01-05", "date_precision": "day"},
    )

    page = await client.get(f"/t/{timeline_id}")

    cards = page_soup(page.text).select(".tile")
    assert [text_of(str(c), ".tile-title") for c in cards] == ["First snow", "Picnic at the lake"]
    assert [text_of(str(c), ".tile-meta") for c in cards] == [
        "5 January 2020 · Annecy",
        "July 2019 · Annecy",
    ]
    cover = cards[1].select_one("img")
    assert (cover["width"], cover["height"]) == ("267", "400")


async def test_a_photo_is_removed_from_the_edit_page(client, signed_in_couple):
    _, _, timeline_id = signed_in_couple
    created = await post_memory(client, timeline_id, LAKE, photos=[("a.jpg", images.cmyk_jpeg())])
    memory_path = created.headers["location"]
    edit = await client.get(f"{memory_path}/edit")
    remove = page_soup(edit.text).select_one("form.photo-remove")

    response = await client.post(remove["action"], data={"_csrf_token": csrf_token(edit.text)})

    assert response.status_code == 303
    assert response.headers["location"] == f"{memory_path}/edit"
    assert page_soup((await client.get(memory_path)).text).select(".photos img") == []
    assert stored_keys(client, "photos") == []
