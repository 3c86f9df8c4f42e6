"""Photos shared from a phone's gallery (the manifest's share target, POST /share): they
become a draft that opens in the new-memory form with their thumbnails and the day the
earliest was taken; saving makes them the memory's photos and the draft goes, files and
all. A member of two timelines chooses one; someone not logged in logs in first and finds
the photos waiting; nobody else ever sees a draft. Refused shares store nothing, and drafts
nobody came back for go with the daily cleanup."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import timedelta

import pytest
from litestar.testing import AsyncTestClient
from PIL import Image

from server.app import create_app
from tests import images
from tests.support import (
    PASSWORD,
    csrf_token,
    fetch,
    page_soup,
    stored_keys,
    submit,
    text_of,
    web_log_in,
    web_sign_up,
)
from timeline.memories import drafts
from timeline.memories.drafts import MAX_SHARED_PHOTOS, purge_expired_drafts

DRAFT_FORM = re.compile(r"^/t/([0-9a-f-]{36})/new\?draft=([0-9a-f-]{36})$")


# Taken on two days; the later one comes first, as a gallery may order them.
SUNSET = images.photo_taken("2019:07:15 21:40:00", seed=1)
LAKE = images.photo_taken("2019:07:14 18:30:05", seed=2)


def as_shared(*photos: tuple[str, bytes, str]) -> list[tuple[str, tuple[str, bytes, str]]]:
    """The multipart parts a phone's share sheet sends: one `photos` part per file."""
    return [("photos", photo) for photo in photos]


async def share(client, *photos, title: str = "", text: str = "", url: str = ""):
    """POST /share as the share sheet does: no CSRF token, the manifest's fields."""
    photos = photos or (("sunset.jpg", SUNSET, "image/jpeg"), ("lake.jpg", LAKE, "image/jpeg"))
    return await client.post(
        "/share",
        data={"title": title, "text": text, "url": url},
        files=as_shared(*photos),
        headers={"Accept": "text/html"},
    )


@pytest.fixture
async def ana(client, couple):
    """Ana, logged in on the web, in her one timeline with Sam; (Ana, Sam, timeline id)."""
    ana, sam, timeline_id = await couple()
    await web_log_in(client, ana.email)
    return ana, sam, timeline_id


def shared_cards(html: str) -> list:
    return page_soup(html).select(".shared-photos .photo-card")


def shared_ids(html: str) -> list[str]:
    """The shared photos' ids as the form sends them, in their order."""
    return [c.select_one('input[name="draft_photo_ids"]')["value"] for c in shared_cards(html)]


async def test_shared_photos_open_as_a_draft_with_their_date(client, ana):
    _, _, timeline_id = ana

    shared = await share(client)

    assert shared.status_code == 303
    form_path = shared.headers["location"]
    match = DRAFT_FORM.match(form_path)
    assert match, form_path
    assert match[1] == timeline_id
    form = await client.get(form_path)
    assert form.status_code == 200
    cards = shared_cards(form.text)
    assert len(cards) == 2
    soup = page_soup(form.text)
    assert soup.select_one("#occurred_on")["value"] == "2019-07-14"
    assert text_of(form.text, "#occurred_on-proposal") == "From your photos: 14 July 2019"
    assert soup.select_one('input[name="date_precision"][value="day"]').has_attr("checked")
    assert soup.select_one('form#memory-form input[name="draft"]')["value"] == match[2]
    # More can still be added, from the camera or the library.
    file_input = soup.select_one('input[type="file"][name="photos"]')
    assert file_input.has_attr("multiple")
    assert "image/*" in file_input["accept"].split(",")
    assert ".heic" in file_input["accept"].split(",")
    # Each thumbnail, in the order shared: a signed link to a small WebP with no metadata.
    for card, original in zip(cards, (SUNSET, LAKE), strict=True):
        img = card.select_one("img")
        served = await fetch(client, f"http://testserver.local{img['src']}")
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/webp"
        thumb = Image.open(io.BytesIO(served.content))
        assert max(thumb.size) == 400
        assert not thumb.getexif()
        assert len(served.content) < len(original)
        assert (int(img["width"]), int(img["height"])) == thumb.size


async def test_saving_the_draft_makes_a_memory_of_the_shared_photos(client, ana, count_rows):
    _, _, timeline_id = ana
    form_path = (await share(client)).headers["location"]
    form = await client.get(form_path)
    ids = shared_ids(form.text)

    saved = await client.post(
        f"/t/{timeline_id}/memories",
        data={
            "_csrf_token": csrf_token(form.text),
            "title": "The lake, then the sunset",
            "occurred_on": "2019-07-14",
            "date_precision": "day",
            "draft": DRAFT_FORM.match(form_path)[2],
            "draft_photo_ids": ids,
            "draft_captions": ["The sun going down", "Our swim"],
        },
        files=[("photos", ("", b"", "application/octet-stream"))],
    )

    assert saved.status_code == 303, saved.text
    memory = await client.get(saved.headers["location"])
    assert [img["alt"] for img in page_soup(memory.text).select(".photos img")] == [
        "The sun going down",
        "Our swim",
    ]
    assert count_rows("photo") == 2
    # The draft went, rows and files; the photos' own files are all that is stored.
    assert count_rows("share_draft") == 0
    assert count_rows("share_draft_photo") == 0
    assert stored_keys(client, "drafts") == []
    assert len({key.rsplit("/", 1)[0] for key in stored_keys(client, "photos")}) == 2
    # Opening the draft again finds nothing.
    assert (await client.get(form_path)).status_code == 404


async def test_new_photos_chosen_in_the_form_come_after_the_shared_ones(client, ana, count_rows):
    _, _, timeline_id = ana
    form_path = (await share(client, ("lake.jpg", LAKE, "image/jpeg"))).headers["location"]
    form = await client.get(form_path)

    saved = await client.post(
        f"/t/{timeline_id}/memories",
        data={
            "_csrf_token": csrf_token(form.text),
            "title": "At the lake",
            "occurred_on": "2019-07-14",
            "draft": DRAFT_FORM.match(form_path)[2],
        },
        files=[("photos", ("bread.png", images.png_with_alpha(), "image/png"))],
    )

    assert saved.status_code == 303, saved.text
    memory = await client.get(saved.headers["location"])
    assert [img["alt"] for img in page_soup(memory.text).select(".photos img")] == [
        "At the lake",
        "At the lake",
    ]
    shapes = [(img["width"], img["height"]) for img in page_soup(memory.text).select(".photos img")]
    assert shapes[0] == ("800", "600")  # the lake (800 x 600) first, the PNG after it
    assert count_rows("photo") == 2
    assert stored_keys(client, "drafts") == []


async def test_a_refused_form_keeps_the_shared_photos(client, ana, count_rows):
    _, _, timeline_id = ana
    form_path = (await share(client)).headers["location"]
    form = await client.get(form_path)
    ids = shared_ids(form.text)

    refused = await client.post(
        f"/t/{timeline_id}/memories",
        data={
            "_csrf_token": csrf_token(form.text),
            "title": "",
            "occurred_on": "2019-07-14",
            "draft": DRAFT_FORM.match(form_path)[2],
            "draft_photo_ids": ids,
            "draft_captions": ["The sun going down", ""],
        },
        files=[("photos", ("", b"", "application/octet-stream"))],
    )

    assert refused.status_code == 422
    assert text_of(refused.text, "#title-error") == "Give the memory a title."
    cards = shared_cards(refused.text)
    assert len(cards) == 2
    assert cards[0].select_one(".caption")["value"] == "The sun going down"
    assert page_soup(refused.text).select_one('input[name="draft"]')["value"]
    assert count_rows("memory") == 0
    assert count_rows("share_draft_photo") == 2
    assert len(stored_keys(client, "drafts")) == 4  # each photo's original and thumb


async def test_a_shared_photo_can_be_left_out(client, ana, count_rows):
    _, _, timeline_id = ana
    form_path = (await share(client)).headers["location"]
    form = await client.get(form_path)
    leave_out = shared_cards(form.text)[0].select_one("form.photo-remove")

    left = await client.post(
        leave_out["action"],
        data={"_csrf_token": csrf_token(form.text), "timeline": timeline_id},
    )

    assert left.status_code == 303
    assert left.headers["location"] == form_path
    cards = shared_cards((await client.get(form_path)).text)
    assert [card.select_one("img")["width"] for card in cards] == ["400"]
    assert count_rows("share_draft_photo") == 1
    assert len(stored_keys(client, "drafts")) == 2


async def test_a_member_of_two_timelines_chooses_one(client, ana):
    member, _, timeline_id = ana
    other = await client.post(
        "/api/v1/timelines", json={"name": "Ana & the choir"}, headers=member.auth
    )

    shared = await share(client)

    assert shared.status_code == 303
    choose_path = shared.headers["location"]
    assert re.fullmatch(r"/share/[0-9a-f-]{36}", choose_path)
    choose = await client.get(choose_path)
    assert choose.status_code == 200
    assert text_of(choose.text, "h1") == "Which timeline are these photos for?"
    assert len(page_soup(choose.text).select(".shared-strip img")) == 2
    choices = {
        text_of(str(a), ".timeline-choice-name"): a["href"]
        for a in page_soup(choose.text).select("a.timeline-choice")
    }
    draft_id = choose_path.rsplit("/", 1)[1]
    assert choices == {
        "Ana & Sam": f"/t/{timeline_id}/new?draft={draft_id}",
        "Ana & the choir": f"/t/{other.json()['id']}/new?draft={draft_id}",
    }
    form = await client.get(choices["Ana & the choir"])
    assert len(shared_cards(form.text)) == 2


async def test_shared_before_logging_in_the_photos_wait_for_the_log_in(client, couple, count_rows):
    ana, _, timeline_id = await couple()

    shared = await share(client)

    assert shared.status_code == 303
    draft_id = shared.headers["location"].removeprefix("/login?next=/share/")
    assert re.fullmatch(r"[0-9a-f-]{36}", draft_id)
    cookie = next(c for c in shared.headers.get_list("set-cookie") if c.startswith("rw_share="))
    assert f"Path=/share/{draft_id}" in cookie
    assert "HttpOnly" in cookie
    assert count_rows("share_draft") == 1
    login = await client.get(shared.headers["location"])
    assert "your photos will be waiting" in login.text

    logged_in = await submit(
        client,
        shared.headers["location"],
        "/login",
        {"email": ana.email, "password": PASSWORD, "next": f"/share/{draft_id}"},
    )
    assert logged_in.headers["location"] == f"/share/{draft_id}"
    claimed = await client.get(f"/share/{draft_id}")

    assert claimed.headers["location"] == f"/t/{timeline_id}/new?draft={draft_id}"
    assert count_rows("share_draft", user_id=ana.id) == 1
    # The secret has done its work: its cookie goes.
    assert any(
        c.startswith("rw_share=") and "Max-Age=0" in c
        for c in claimed.headers.get_list("set-cookie")
    )
    form = await client.get(claimed.headers["location"])
    assert len(shared_cards(form.text)) == 2


async def test_shares_before_logging_in_are_capped_however_many_addresses_share(
    client, count_rows, monkeypatch
):
    monkeypatch.setattr(drafts, "MAX_WAITING_ANONYMOUS", 2)
    # Fewer shares than one address may make: the cap is on all of them together.
    answers = [(await share(client)).status_code for _ in range(3)]

    assert answers == [303, 303, 429]
    assert count_rows("share_draft") == 2


async def test_shared_before_signing_up_the_photos_wait_in_the_new_timeline(client, count_rows):
    shared = await share(client)
    draft_id = shared.headers["location"].removeprefix("/login?next=/share/")

    signed_up = await web_sign_up(client, "Maya", "maya@example.org", next=f"/share/{draft_id}")

    assert signed_up.headers["location"] == f"/share/{draft_id}"
    opened = await client.get(f"/share/{draft_id}")
    assert DRAFT_FORM.match(opened.headers["location"])
    assert len(shared_cards((await client.get(opened.headers["location"])).text)) == 2


async def test_nobody_else_sees_a_draft(client, couple, count_rows):
    ana, sam, timeline_id = await couple()
    # Shared before logging in: only the browser holding its secret can claim it.
    anonymous = await share(client)
    unclaimed = anonymous.headers["location"].removeprefix("/login?next=/share/")
    client.cookies.clear()
    await web_log_in(client, ana.email)
    own = DRAFT_FORM.match((await share(client)).headers["location"])[2]

    client.cookies.clear()
    await web_log_in(client, sam.email)

    # Sam shares Ana's timeline, yet Ana's draft is not his to open.
    assert (await client.get(f"/share/{own}")).status_code == 404
    assert (await client.get(f"/t/{timeline_id}/new?draft={own}")).status_code == 404
    assert (await client.get(f"/share/{unclaimed}")).status_code == 404
    assert count_rows("share_draft", user_id=sam.id) == 0


@pytest.mark.parametrize(
    ("photos", "status", "words"),
    [
        (
            [("p.jpg", LAKE, "image/jpeg")] * (MAX_SHARED_PHOTOS + 1),
            422,
            f"share up to {MAX_SHARED_PHOTOS} at a time",
        ),
        (
            [("lake.jpg", LAKE, "image/jpeg"), ("notes.jpg", images.text_named_jpg(), "image/*")],
            415,
            "not a photo we can read",
        ),
        (
            [("lake.jpg", LAKE, "image/jpeg"), ("vast.png", images.black_png(7100, 7100), "")],
            413,
            "more than 50 million pixels",
        ),
        ([("cut.jpg", images.truncated_jpeg(), "image/jpeg")], 422, "damaged or incomplete"),
    ],
    ids=["too-many", "not-an-image", "too-many-pixels", "broken"],
)
async def test_a_refused_share_says_why_and_stores_nothing(
    client, ana, count_rows, photos, status, words
):
    refused = await share(client, *photos)

    assert refused.status_code == status
    assert text_of(refused.text, "h1").startswith("We could not take")
    assert words in text_of(refused.text, ".lead")
    assert count_rows("share_draft") == 0
    assert stored_keys(client, "drafts") == []


async def test_a_share_larger_than_max_upload_mb_is_refused_with_words(settings, clock, count_rows):
    small = replace(settings, max_upload_mb=1)
    async with AsyncTestClient(create_app(small, clock=clock)) as client:
        refused = await share(client, ("big.jpg", images.large_jpeg(1600, 1200) * 4, "image/jpeg"))

    assert refused.status_code == 413
    assert "larger than 1 MB" in text_of(refused.text, "main")
    assert count_rows("share_draft") == 0


async def test_drafts_nobody_came_back_for_are_cleaned_with_their_files(
    client, ana, clock, count_rows
):
    form_path = (await share(client)).headers["location"]
    clock.advance(timedelta(hours=20))
    kept = (await share(client, ("lake.jpg", LAKE, "image/jpeg"))).headers["location"]
    clock.advance(timedelta(hours=5))
    storage = client.app.state.storage

    gone = client.blocking_portal.call(lambda: purge_expired_drafts(storage, now=clock()))

    assert gone == 1
    assert count_rows("share_draft") == 1
    assert count_rows("share_draft_photo") == 1
    assert len(stored_keys(client, "drafts")) == 2
    assert (await client.get(form_path)).status_code == 404
    assert len(shared_cards((await client.get(kept)).text)) == 1


async def test_draft_files_no_row_claims_are_swept_once_old(client, ana, clock):
    storage = client.app.state.storage
    stray = f"drafts/{clock():%Y%m%d%H%M%S}-0123456789abcdef/original.jpg"
    client.blocking_portal.call(storage.put, stray, LAKE, "image/jpeg")

    client.blocking_portal.call(lambda: purge_expired_drafts(storage, now=clock()))
    assert stored_keys(client, "drafts") == [stray]  # young: perhaps a share under way
    clock.advance(timedelta(hours=7))
    client.blocking_portal.call(lambda: purge_expired_drafts(storage, now=clock()))

    assert stored_keys(client, "drafts") == []


async def test_an_iphones_heic_is_shared_like_a_jpeg(client, ana):
    shared = await share(
        client, ("IMG_0001.HEIC", images.heic(), "image/heic"), ("lake.jpg", LAKE, "image/jpeg")
    )

    assert shared.status_code == 303
    form = await client.get(shared.headers["location"])
    cards = shared_cards(form.text)
    assert [card.select_one("img")["width"] for card in cards] == ["400", "400"]
    thumb = await client.get(cards[0].select_one("img")["src"])
    assert thumb.headers["content-type"] == "image/webp"
