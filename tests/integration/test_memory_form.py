"""The memory form as a browser sends it: photos with a caption each (the alt text the memory
page shows), the author's rating and words given with a new memory, refusals that leave
nothing behind and keep what was typed, and photos captioned, moved and reordered from the
edit page."""

from __future__ import annotations

import pytest

from tests import images
from tests.support import csrf_token, page_soup, stored_keys, text_of, web_log_in

LAKE = {"title": "Picnic at the lake", "occurred_on": "2019-07-14", "date_precision": "day"}
# Three photos with bytes of their own (the same bytes are stored once per timeline).
PHOTOS = {
    "lake.jpg": images.cmyk_jpeg(),
    "bread.png": images.png_with_alpha(),
    "sunset.heic": images.heic(),
}
TYPES = {"jpg": "image/jpeg", "png": "image/png", "heic": "image/heic"}


@pytest.fixture
async def timeline_id(client, couple):
    ana, _, timeline_id = await couple()
    await web_log_in(client, ana.email)
    return timeline_id


def _file(name: str) -> tuple[str, tuple[str, bytes, str]]:
    return ("photos", (name, PHOTOS[name], TYPES[name.rsplit(".", 1)[1]]))


async def send_new(client, timeline_id, fields: dict, photos=(), captions=None):
    """Post the new-memory form from its page: `photos` by name, and `captions` in their
    order as the page's script sends them (None: as a browser without JavaScript does)."""
    page = await client.get(f"/t/{timeline_id}/new")
    data = {**fields, "_csrf_token": csrf_token(page.text)}
    if captions is not None:
        data["captions"] = captions
    files = [_file(name) for name in photos] or [("photos", ("", b"", "application/octet-stream"))]
    return await client.post(f"/t/{timeline_id}/memories", data=data, files=files)


def alts(html: str) -> list[str]:
    """The alt text of the memory page's photos, in the order they show."""
    return [img["alt"] for img in page_soup(html).select(".photos img")]


def as_form(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Name-value pairs as the client posts them (a repeated name keeps its order)."""
    form: dict[str, list[str]] = {}
    for name, value in pairs:
        form.setdefault(name, []).append(value)
    return form


def edit_fields(html: str) -> list[tuple[str, str]]:
    """What the edit page's memory form sends without JavaScript: its own fields and those
    outside it that name it (form="memory-form"), file inputs aside."""
    soup = page_soup(html)
    form = soup.select_one("form#memory-form")
    fields = [*form.select("input, textarea, select"), *soup.select('[form="memory-form"]')]
    sent = []
    for field in fields:
        kind = field.get("type", "")
        if not field.get("name") or kind == "file":
            continue
        if kind in ("radio", "checkbox") and not field.has_attr("checked"):
            continue
        if field.name == "textarea":
            sent.append((field["name"], field.text))
        elif field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            sent.append((field["name"], chosen["value"]))
        else:
            sent.append((field["name"], field.get("value", "")))
    return sent


async def test_the_form_without_javascript_still_creates_a_memory_with_photos(client, timeline_id):
    page = page_soup((await client.get(f"/t/{timeline_id}/new")).text)
    chooser = page.select_one("input[type=file]")
    form = page.select_one(f"form#{chooser['form']}")
    assert (chooser["name"], chooser["accept"], chooser.has_attr("multiple")) == (
        "photos",
        "image/*,.heic,.heif",
        True,
    )
    assert form["enctype"] == "multipart/form-data"
    assert form["action"] == f"/t/{timeline_id}/memories"

    created = await send_new(client, timeline_id, LAKE, photos=["lake.jpg", "bread.png"])

    assert created.status_code == 303
    memory = await client.get(created.headers["location"])
    assert alts(memory.text) == ["Picnic at the lake", "Picnic at the lake"]


async def test_captions_are_stored_in_order_and_shown_as_alt_text(client, timeline_id):
    created = await send_new(
        client,
        timeline_id,
        LAKE,
        photos=["lake.jpg", "bread.png"],
        captions=["Ana at the water's edge", "The forgotten bread, found"],
    )

    memory_path = created.headers["location"]
    assert alts((await client.get(memory_path)).text) == [
        "Ana at the water's edge",
        "The forgotten bread, found",
    ]
    edit = page_soup((await client.get(f"{memory_path}/edit")).text)
    assert [i["value"] for i in edit.select(".photo-card input.caption")] == [
        "Ana at the water's edge",
        "The forgotten bread, found",
    ]


async def test_a_caption_with_a_control_character_is_refused_naming_the_field(
    client, timeline_id, count_rows
):
    refused = await send_new(
        client,
        timeline_id,
        LAKE,
        photos=["lake.jpg", "bread.png"],
        captions=["By the lake", "Bread\nBcc: x@example.org"],
    )

    assert refused.status_code == 422
    assert (
        text_of(refused.text, "#captions-error")
        == "The caption of photo 2 must be one line, without control characters."
    )
    assert page_soup(refused.text).select_one("#title")["value"] == "Picnic at the lake"
    assert count_rows("memory") == 0
    assert stored_keys(client, "photos") == []


async def test_the_author_rates_and_says_what_they_appreciated_with_a_new_memory(
    client, timeline_id
):
    created = await send_new(
        client, timeline_id, {**LAKE, "score": "4", "appreciation": "You laughed at the rain."}
    )

    memory = await client.get(created.headers["location"])
    note = page_soup(memory.text).select_one(".love-note")
    assert "4 of 5" in note.get_text()
    assert text_of(str(note), "blockquote") == "You laughed at the rain."


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"score": "9", "appreciation": "You laughed."}, "The score goes from 1"),
        ({"score": "", "appreciation": "You laughed."}, "Choose how close you felt"),
    ],
)
async def test_a_bad_score_leaves_no_memory_and_no_stored_file_and_keeps_the_words(
    client, timeline_id, count_rows, answer, message
):
    refused = await send_new(
        client, timeline_id, {**LAKE, **answer}, photos=["lake.jpg"], captions=["By the lake"]
    )

    assert refused.status_code == 422
    assert text_of(refused.text, "#score-error").startswith(message)
    page = page_soup(refused.text)
    assert page.select_one("#appreciation").text == "You laughed."
    assert page.select_one("#title")["value"] == "Picnic at the lake"
    assert count_rows("memory") == 0
    assert count_rows("photo") == 0
    assert stored_keys(client, "photos") == []


async def test_photos_move_earlier_and_later_from_the_edit_page(client, timeline_id):
    created = await send_new(
        client,
        timeline_id,
        LAKE,
        photos=["lake.jpg", "bread.png", "sunset.heic"],
        captions=["lake", "bread", "sunset"],
    )
    memory_path = created.headers["location"]
    edit = await client.get(f"{memory_path}/edit")
    token = csrf_token(edit.text)
    cards = page_soup(edit.text).select(".photo-card")
    move = {
        card.select_one("input.caption")["value"]: card.select_one("form.photo-move")["action"]
        for card in cards
    }

    moved = await client.post(move["lake"], data={"direction": "later", "_csrf_token": token})
    await client.post(move["sunset"], data={"direction": "earlier", "_csrf_token": token})
    await client.post(move["bread"], data={"direction": "earlier", "_csrf_token": token})

    assert moved.status_code == 303
    lake_id = move["lake"].split("/")[2]
    assert moved.headers["location"] == f"{memory_path}/edit#photo-{lake_id}"
    # lake, bread, sunset -> bread, lake, sunset -> bread, sunset, lake -> bread stays first.
    assert alts((await client.get(memory_path)).text) == ["bread", "sunset", "lake"]


async def test_the_edit_page_sends_captions_and_its_script_a_new_order(client, timeline_id):
    created = await send_new(
        client, timeline_id, LAKE, photos=["lake.jpg", "bread.png"], captions=["lake", ""]
    )
    memory_path = created.headers["location"]
    edit = await client.get(f"{memory_path}/edit")
    fields = edit_fields(edit.text)
    ids = [value for name, value in fields if name == "photo_ids"]
    captions = iter(["The lake at noon", "The bread"])
    sent = [(n, next(captions) if n == "photo_captions" else v) for n, v in fields]

    saved = await client.post(
        f"{memory_path}/edit",
        data=as_form(sent),
        files=[("photos", ("", b"", "application/octet-stream"))],
    )
    order = page_soup(edit.text).select_one("[data-order-url]")["data-order-url"]
    reordered = await client.post(
        order, data={"photo_ids": [ids[1], ids[0]], "_csrf_token": csrf_token(edit.text)}
    )

    assert saved.status_code == 303
    assert reordered.status_code == 303
    assert alts((await client.get(memory_path)).text) == ["The bread", "The lake at noon"]


async def test_a_refused_caption_on_the_edit_page_changes_nothing_and_is_shown_beside_it(
    client, timeline_id, count_rows
):
    created = await send_new(client, timeline_id, LAKE, photos=["lake.jpg"], captions=["lake"])
    memory_path = created.headers["location"]
    edit = await client.get(f"{memory_path}/edit")
    sent = [
        (n, {"title": "Picnic by the lake", "photo_captions": "lake\u2028shore"}.get(n, v))
        for n, v in edit_fields(edit.text)
    ]

    refused = await client.post(
        f"{memory_path}/edit",
        data=as_form(sent),
        files=[("photos", ("", b"", "application/octet-stream"))],
    )

    assert refused.status_code == 422
    photo_id = dict(sent)["photo_ids"]
    page = page_soup(refused.text)
    assert page.select_one(f"#caption-{photo_id}-error").text == (
        "The caption of photo 1 must be one line, without control characters."
    )
    assert page.select_one(f"#caption-{photo_id}")["value"] == "lake\u2028shore"
    assert page.select_one("#title")["value"] == "Picnic by the lake"
    assert count_rows("memory", title="Picnic at the lake") == 1


async def test_a_photo_added_after_others_were_removed_comes_last(client, timeline_id):
    created = await send_new(
        client,
        timeline_id,
        LAKE,
        photos=["lake.jpg", "bread.png", "sunset.heic"],
        captions=["lake", "bread", "sunset"],
    )
    memory_path = created.headers["location"]
    for _ in range(2):
        edit = await client.get(f"{memory_path}/edit")
        remove = page_soup(edit.text).select_one("form.photo-remove")["action"]
        await client.post(remove, data={"_csrf_token": csrf_token(edit.text)})

    await client.post(
        f"{memory_path}/edit",
        data={"captions": "road home", "_csrf_token": csrf_token(edit.text)},
        files=[("photos", ("road.jpg", images.rotated_jpeg_with_gps(), "image/jpeg"))],
    )

    assert alts((await client.get(memory_path)).text) == ["sunset", "road home"]
