"""Photos through the API, on the local folder and on a real S3 endpoint: what is served is
upright, sRGB and carries no metadata; bad uploads leave no row and no object behind."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from tests import images
from tests.support import fetch, stored_keys, upload_photo, write_memory

pytestmark = pytest.mark.parametrize("media_storage", ["file", "s3"], indirect=True)


@pytest.fixture
async def memory(client, couple):
    ana, sam, timeline_id = await couple()
    lake = await write_memory(client, ana, timeline_id, "Lake", "2019-07-14")
    return ana, sam, lake["id"]


async def test_a_sideways_photo_with_gps_is_served_upright_with_no_metadata(client, memory):
    ana, _, memory_id = memory

    response = await upload_photo(client, ana, memory_id, images.rotated_jpeg_with_gps())

    assert response.status_code == 201
    photo = response.json()
    assert (photo["width"], photo["height"]) == (400, 600)
    taken_at = datetime.fromisoformat(photo["taken_at"])
    assert taken_at == datetime(2019, 7, 14, 18, 30, 5, tzinfo=timezone(timedelta(hours=2)))
    assert photo["duplicate"] is False
    for name, size in [("display", (400, 600)), ("thumb", (267, 400))]:
        served = await fetch(client, photo["urls"][name])
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/webp"
        image = Image.open(io.BytesIO(served.content))
        assert image.size == size
        assert dict(image.getexif()) == {}
        assert "xmp" not in image.info
        assert "exif" not in image.info
        red, green, _ = image.convert("RGB").getpixel((size[0] - 5, 5))
        assert (red > 180, green < 80) == (True, True), "the red corner is top-right when upright"


async def test_the_original_link_gives_the_full_photo_upright_without_metadata(client, memory):
    ana, _, memory_id = memory
    photo = (await upload_photo(client, ana, memory_id, images.rotated_jpeg_with_gps())).json()

    served = await fetch(client, photo["urls"]["original"])

    image = Image.open(io.BytesIO(served.content))
    assert (image.format, image.size) == ("JPEG", (400, 600))
    assert dict(image.getexif()) == {}


def metadata_in(data: bytes) -> list[str]:
    """The metadata a served JPEG or WebP carries, by walking its segments or chunks, and any
    trace of the test photo's metadata anywhere in the bytes."""
    found = [
        name
        for name, trace in [
            ("the comment", images.COMMENT),
            ("EXIF", b"Exif"),
            ("XMP", b"http://ns.adobe.com/xap"),
            ("ICC", b"ICC_PROFILE"),
            ("the P3 profile", "Display P3".encode("utf-16-be")),
        ]
        if trace in data
    ]
    if data.startswith(b"\xff\xd8"):
        found += [f"JPEG segment {marker:#x}" for marker in _jpeg_markers(data) if marker != 0xE0]
    else:
        assert data[:4] + data[8:12] == b"RIFFWEBP"
        found += [
            f"WebP chunk {c!r}" for c in _webp_chunks(data) if c in (b"EXIF", b"XMP ", b"ICCP")
        ]
    return found


def _jpeg_markers(data: bytes) -> list[int]:
    """The markers of the segments before the pixels (APPn, COM, tables, frame)."""
    markers, at = [], 2
    while data[at + 1] != 0xDA:
        markers.append(data[at + 1])
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return [m for m in markers if 0xE0 <= m <= 0xEF or m == 0xFE]


def _webp_chunks(data: bytes) -> list[bytes]:
    chunks, at = [], 12
    while at < len(data):
        size = int.from_bytes(data[at + 4 : at + 8], "little")
        chunks.append(data[at : at + 4])
        at += 8 + size + size % 2
    return chunks


@pytest.mark.parametrize(
    ("kinds", "source"),
    [
        (("exif",), "JPEG"),
        (("xmp",), "JPEG"),
        (("comment",), "JPEG"),
        (("icc_profile",), "JPEG"),
        (images.METADATA, "JPEG"),
        (images.METADATA, "PNG"),
    ],
    ids=["exif-gps", "xmp", "comment", "p3-profile", "all", "png-all"],
)
async def test_no_served_or_mailed_image_carries_metadata(client, memory, kinds, source):
    ana, _, memory_id = memory
    original = images.photo_with_metadata(*kinds, format=source)
    assert set(kinds) <= {key.lower() for key in Image.open(io.BytesIO(original)).info}
    photo = (await upload_photo(client, ana, memory_id, original)).json()

    served = {
        name: (await fetch(client, photo["urls"][name])).content
        for name in ("thumb", "display", "original")
    }
    storage = client.app.state.storage
    (mail_key,) = [key for key in stored_keys(client, "photos") if key.endswith("/mail.jpg")]
    mail = client.blocking_portal.call(storage.open, mail_key)
    served["mail"] = mail.read()
    mail.close()

    assert {name: metadata_in(data) for name, data in served.items()} == {
        "thumb": [],
        "display": [],
        "original": [],
        "mail": [],
    }


@pytest.mark.parametrize(
    ("make", "size", "mode"),
    [
        (images.cmyk_jpeg, (500, 300), "RGB"),
        (images.png_with_alpha, (300, 200), "RGBA"),
        (images.png_16_bit, (256, 256), "RGB"),
        (images.heic, (640, 480), "RGB"),
        (images.animated_gif, (120, 80), "RGB"),
    ],
)
async def test_every_accepted_format_becomes_a_webp_variant(client, memory, make, size, mode):
    ana, _, memory_id = memory

    response = await upload_photo(client, ana, memory_id, make(), name="anything.bin")

    assert response.status_code == 201, response.text
    display = Image.open(
        io.BytesIO((await fetch(client, response.json()["urls"]["display"])).content)
    )
    assert (display.format, display.size, display.mode) == ("WEBP", size, mode)


async def test_a_16_bit_png_keeps_its_greys(client, memory):
    ana, _, memory_id = memory
    photo = (await upload_photo(client, ana, memory_id, images.png_16_bit())).json()

    display = Image.open(io.BytesIO((await fetch(client, photo["urls"]["display"])).content))

    grey = display.convert("L")
    top, bottom = grey.getpixel((128, 5)), grey.getpixel((128, 250))
    assert top < 30
    assert bottom > 225


async def test_an_animated_gif_keeps_its_first_frame(client, memory):
    ana, _, memory_id = memory
    photo = (await upload_photo(client, ana, memory_id, images.animated_gif())).json()

    display = Image.open(io.BytesIO((await fetch(client, photo["urls"]["display"])).content))

    assert display.convert("RGB").getpixel((60, 40))[0] > 240


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (images.truncated_jpeg(), 422, "This image is damaged or incomplete"),
        (images.decompression_bomb(), 413, "This image claims far more pixels than any photo."),
        (images.text_named_jpg(), 415, "This file is not a photo we can read"),
        (b"", 415, "This file is not a photo we can read"),
    ],
)
async def test_bad_uploads_get_a_clear_4xx_and_leave_nothing(
    client, memory, count_rows, data, status, message
):
    ana, _, memory_id = memory

    response = await upload_photo(client, ana, memory_id, data)

    assert response.status_code == status
    assert response.json()["detail"].startswith(message)
    assert count_rows("photo") == 0
    assert stored_keys(client, "photos") == []


async def test_the_same_bytes_twice_are_stored_once(client, memory, count_rows):
    ana, sam, memory_id = memory
    data = images.rotated_jpeg_with_gps()
    first = await upload_photo(client, ana, memory_id, data)

    second = await upload_photo(client, sam, memory_id, data, name="copy.jpg")

    assert second.status_code == 200
    assert second.json()["duplicate"] is True
    assert second.json()["id"] == first.json()["id"]
    assert count_rows("photo") == 1
    # The original, the display and thumb WebPs and the e-mail JPEG: one photo's worth.
    assert len(stored_keys(client, "photos")) == 4


async def test_deleting_a_photo_removes_its_objects(client, memory, count_rows):
    ana, sam, memory_id = memory
    photo = (await upload_photo(client, ana, memory_id, images.cmyk_jpeg())).json()
    await fetch(client, photo["urls"]["original"])
    assert len(stored_keys(client, "photos")) == 5

    response = await client.delete(f"/api/v1/photos/{photo['id']}", headers=sam.auth)

    assert response.status_code == 204
    assert count_rows("photo") == 0
    assert stored_keys(client, "photos") == []
    memory_json = (await client.get(f"/api/v1/memories/{memory_id}", headers=ana.auth)).json()
    assert memory_json["photos"] == []


async def test_an_original_gone_from_the_store_is_a_404_on_either_backend(client, memory):
    ana, _, memory_id = memory
    photo = (await upload_photo(client, ana, memory_id, images.cmyk_jpeg())).json()
    originals = [key for key in stored_keys(client, "photos") if "/original." in key]
    client.blocking_portal.call(client.app.state.storage.delete_many, originals)

    response = await fetch(client, photo["urls"]["original"])

    assert response.status_code == 404


async def test_photos_appear_on_their_memory_in_order(client, memory):
    ana, _, memory_id = memory
    await upload_photo(client, ana, memory_id, images.cmyk_jpeg())
    await upload_photo(client, ana, memory_id, images.heic())

    photos = (await client.get(f"/api/v1/memories/{memory_id}", headers=ana.auth)).json()["photos"]

    assert [(p["position"], p["width"]) for p in photos] == [(0, 500), (1, 640)]


async def test_purging_a_memory_removes_its_objects(client, memory, clock):
    from timeline.memories.writing import purge_trash

    ana, _, memory_id = memory
    await upload_photo(client, ana, memory_id, images.cmyk_jpeg())
    await client.delete(f"/api/v1/memories/{memory_id}", headers=ana.auth)
    clock.advance(timedelta(days=31))

    storage = client.app.state.storage
    client.blocking_portal.call(lambda: purge_trash(storage, now=clock()))

    assert stored_keys(client, "photos") == []


async def test_a_photo_link_expires_and_cannot_be_altered(client, memory, clock, media_storage):
    ana, _, memory_id = memory
    photo = (await upload_photo(client, ana, memory_id, images.cmyk_jpeg())).json()
    display = photo["urls"]["display"]

    if media_storage["MEDIA_STORAGE"].startswith("s3://"):
        # moto does not check presigned signatures; check what we sign instead.
        query = parse_qs(urlsplit(display).query)
        assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
        assert query["X-Amz-Expires"] == ["3600"]
        return
    tampered = display.replace("display.webp", "thumb.webp")
    assert (await fetch(client, tampered)).status_code == 403
    forged = display[: display.index("sig=") + 4] + "A" * 43
    assert (await fetch(client, forged)).status_code == 403
    clock.advance(timedelta(hours=1, minutes=16))
    expired = await fetch(client, display)
    assert expired.status_code == 403
    assert "This link has expired or is not valid." in expired.text


async def test_a_served_photo_is_private_and_revalidates(client, memory, media_storage):
    if media_storage["MEDIA_STORAGE"].startswith("s3://"):
        pytest.skip("S3 answers for its own objects")
    ana, _, memory_id = memory
    photo = (await upload_photo(client, ana, memory_id, images.cmyk_jpeg())).json()

    served = await fetch(client, photo["urls"]["thumb"])
    again = await client.get(
        photo["urls"]["thumb"].removeprefix("http://testserver.local"),
        headers={"if-none-match": served.headers["etag"]},
    )

    assert served.headers["cache-control"].startswith("private, max-age=")
    assert again.status_code == 304
