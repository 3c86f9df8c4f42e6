"""The recap's collage, on the local folder and on a real S3 endpoint: the year's best photos
under a title band, built once, rebuilt only when what it is made of changes."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests import images
from tests.support import (
    fetch,
    page_soup,
    rate_memory,
    stored_keys,
    upload_photo,
    web_log_in,
    write_memory,
)

pytestmark = pytest.mark.parametrize("media_storage", ["file", "s3"], indirect=True)


async def photographed(client, member, partner, timeline_id, title, day, size, score):
    memory = await write_memory(client, member, timeline_id, title, day)
    upload = await upload_photo(client, member, memory["id"], images.large_jpeg(*size))
    assert upload.status_code == 201, upload.text
    for rater in (member, partner):
        await rate_memory(client, rater, memory, score)
    return memory


async def collage_of(client, member, timeline_id) -> dict:
    response = await client.get(f"/api/v1/timelines/{timeline_id}/recaps/7", headers=member.auth)
    assert response.status_code == 200, response.text
    return response.json()["collage"]


async def test_the_collage_shows_the_years_photos_under_a_title_band(client, couple):
    ana, sam, timeline_id = await couple()
    await photographed(client, ana, sam, timeline_id, "Lake", "2025-07-01", (1200, 800), 5)
    await photographed(client, ana, sam, timeline_id, "Tower", "2025-08-01", (600, 900), 4)

    collage = await collage_of(client, ana, timeline_id)
    jpeg = await fetch(client, collage["jpeg"])
    webp = await fetch(client, collage["webp"])

    assert jpeg.status_code == webp.status_code == 200
    picture = Image.open(io.BytesIO(jpeg.content))
    assert picture.format == "JPEG"
    assert picture.width == 1600
    # The band (120 px) and one row of both photos side by side, each in its own shape.
    assert 400 < picture.height < 900
    assert not picture.getexif()
    assert Image.open(io.BytesIO(webp.content)).size == picture.size


async def test_the_recap_page_gives_the_collage_its_size_before_it_arrives(client, couple):
    ana, sam, timeline_id = await couple()
    await photographed(client, ana, sam, timeline_id, "Lake", "2025-07-01", (1200, 800), 5)
    await photographed(client, ana, sam, timeline_id, "Tower", "2025-08-01", (600, 900), 4)
    await photographed(client, ana, sam, timeline_id, "Ridge", "2025-09-01", (3000, 1000), 4)
    await web_log_in(client, ana.email)

    page = page_soup((await client.get(f"/t/{timeline_id}/recap/7")).text)
    shown = page.select_one(".collage img")
    src = (
        shown["src"]
        if shown["src"].startswith("http")
        else f"http://testserver.local{shown['src']}"
    )
    collage = Image.open(io.BytesIO((await fetch(client, src)).content))

    assert (int(shown["width"]), int(shown["height"])) == collage.size


async def test_the_same_photos_are_not_built_again_but_a_new_best_one_is(client, couple):
    ana, sam, timeline_id = await couple()
    await photographed(client, ana, sam, timeline_id, "Lake", "2025-07-01", (1200, 800), 4)
    first = await collage_of(client, ana, timeline_id)
    built = stored_keys(client, f"recaps/{timeline_id}/7")
    storage = client.app.state.storage
    # Mark the stored collage: a rebuild would overwrite the mark.
    (jpeg_key,) = [key for key in built if key.endswith(".jpg")]
    client.blocking_portal.call(storage.put, jpeg_key, b"marked", "image/jpeg")

    again = await collage_of(client, ana, timeline_id)
    marked = await fetch(client, again["jpeg"])
    await photographed(client, ana, sam, timeline_id, "Summit", "2025-09-01", (900, 900), 5)
    rebuilt = await collage_of(client, ana, timeline_id)

    assert again["jpeg"].split("?")[0] == first["jpeg"].split("?")[0]
    assert marked.content == b"marked"
    assert rebuilt["jpeg"].split("?")[0] != first["jpeg"].split("?")[0]
    assert len(stored_keys(client, f"recaps/{timeline_id}/7")) == 2
    assert Image.open(io.BytesIO((await fetch(client, rebuilt["jpeg"])).content)).width == 1600
