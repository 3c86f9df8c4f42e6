"""Importing an archive is all or nothing: a value the API would refuse, a document of the
wrong shape, an entry too large to unpack or a photo the pipeline refuses stops the command
with one line naming where, and leaves the database and the photo store as they were."""

from __future__ import annotations

import asyncio
import json
import struct
import subprocess
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from media.signing import UrlSigner
from media.storage import FileStorage
from server.common.storage import storage_for
from tests import images
from tests.integration.test_export import a_timeline_with_everything, read_archive, same_instance
from tests.support import CLI, PASSWORD
from timeline.accounts.credentials import sign_up
from timeline.models import Memory, Photo, Timeline
from timeline.portability.archive_format import (
    FORMAT,
    Archive,
    MemberEntry,
    MemoryEntry,
    PhotoEntry,
    TimelineEntry,
    encode,
)
from timeline.portability.archive_zip import ArchiveZip
from timeline.portability.imports import import_archive

TABLES = (
    "timeline",
    "membership",
    "memory",
    "memory_tag",
    "photo",
    "connection",
    "reply",
    "milestone",
    "quiet_rule",
    "suggestion",
)
MB = 1024 * 1024


async def an_export(client, couple):
    """A couple's archive, as the API hands it out: Camping by the lake (two photos, Sam's
    rating, Ana's reply) first, then Été à Paris; and the two partners."""
    ana, sam, timeline_id, _ = await a_timeline_with_everything(client, couple)
    response = await client.get(f"/api/v1/timelines/{timeline_id}/export", headers=sam.auth)
    document, photos = read_archive(response.content)
    return document, photos, ana, sam


def zipped(path: Path, document: dict | bytes, photos: dict[str, bytes]) -> Path:
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("timeline.json", data)
        for name, content in photos.items():
            archive.writestr(name, content)
    return path


async def run_import(settings, archive: Path, ana, sam, **env: str) -> subprocess.CompletedProcess:
    return await asyncio.to_thread(
        subprocess.run,
        [*CLI, "import", str(archive), "--owner", ana.email, "--partner", sam.email],
        env={**same_instance(settings), **env},
        capture_output=True,
        text=True,
    )


async def state(settings, count_rows) -> dict[str, object]:
    """What an import could leave behind: the rows of every table it writes, and every
    stored photo object."""
    counts = {table: count_rows(table) for table in TABLES}
    return {**counts, "objects": await storage_for(settings).keys("photos")}


def assert_refused(done: subprocess.CompletedProcess, message: str) -> None:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert message in done.stderr, done.stderr


def title_of_paris(value: str):
    def change(document: dict) -> None:
        document["memories"][1]["title"] = value

    return change


def field_of_paris(name: str, value: object):
    def change(document: dict) -> None:
        document["memories"][1][name] = value

    return change


def score_of_sams_rating(document: dict) -> None:
    document["memories"][0]["connections"][0]["score"] = 99


def a_number_among_memories(document: dict) -> None:
    document["memories"].append(7)


# Each bad value comes after a memory with photos, a rating and a reply: an import that
# is not all or nothing would keep those.
REFUSED = {
    "a number among the memories": (
        a_number_among_memories,
        "memories[2]: Expected `object`, got `int`",
    ),
    "a 5,000-character title": (
        title_of_paris("x" * 5000),
        "memories[1].title: Keep the title under 120 characters.",
    ),
    "a CRLF title": (
        title_of_paris("Paris\r\nSubject: hello"),
        "memories[1].title: The title must be one line",
    ),
    "kind <script>": (
        field_of_paris("kind", "<script>"),
        "memories[1].kind: Unknown kind '<script>'",
    ),
    "precision zzz": (
        field_of_paris("date_precision", "zzz"),
        "memories[1].date_precision: The date precision is day, month or year.",
    ),
    "score 99": (
        score_of_sams_rating,
        "memories[0].connections[0].score: The score goes from 1 (distant) to 5",
    ),
    "an unknown field": (
        field_of_paris("mood", "sunny"),
        "memories[1]: Object contains unknown field `mood`",
    ),
    "a date in the future": (
        field_of_paris("occurred_on", "2999-01-01"),
        "memories[1].occurred_on: A memory cannot be in the future.",
    ),
    "a member no one knows": (
        field_of_paris("author", "someone else"),
        "memories[1].author: no member 'someone else' in the archive.",
    ),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
async def test_an_archive_with_a_value_the_api_refuses_is_refused_naming_where_and_nothing_is_kept(
    case, client, couple, settings, count_rows, tmp_path
):
    change, message = REFUSED[case]
    document, photos, ana, sam = await an_export(client, couple)
    change(document)
    before = await state(settings, count_rows)

    done = await run_import(settings, zipped(tmp_path / "bad.zip", document, photos), ana, sam)

    assert_refused(done, message)
    assert await state(settings, count_rows) == before


async def test_a_valid_archive_is_imported_beside_the_original(
    client, couple, settings, count_rows, tmp_path
):
    document, photos, ana, sam = await an_export(client, couple)
    before = await state(settings, count_rows)

    done = await run_import(settings, zipped(tmp_path / "ok.zip", document, photos), ana, sam)

    assert done.returncode == 0, done.stderr
    after = await state(settings, count_rows)
    assert after["timeline"] == before["timeline"] + 1
    assert after["memory"] == before["memory"] + 2
    assert after["connection"] == before["connection"] + 1


async def test_without_the_partner_their_words_stay_and_their_ratings_go(
    client, couple, settings, tmp_path
):
    ana, sam, timeline_id, _ = await a_timeline_with_everything(client, couple)
    lake = (await client.get(f"/api/v1/timelines/{timeline_id}/memories", headers=ana.auth)).json()
    lake_id = lake["items"][-1]["id"]
    await client.post(
        f"/api/v1/memories/{lake_id}/replies", json={"text": "Same tent!"}, headers=sam.auth
    )
    exported = await client.get(f"/api/v1/timelines/{timeline_id}/export", headers=ana.auth)
    archive = tmp_path / "ours.zip"
    archive.write_bytes(exported.content)

    done = await asyncio.to_thread(
        subprocess.run,
        [*CLI, "import", str(archive), "--owner", ana.email],
        env=same_instance(settings),
        capture_output=True,
        text=True,
    )

    assert done.returncode == 0, done.stderr
    timelines = (await client.get("/api/v1/me", headers=ana.auth)).json()["timelines"]
    (imported,) = [t for t in timelines if t["id"] != timeline_id]
    again = await client.get(f"/api/v1/timelines/{imported['id']}/export", headers=ana.auth)
    document, _ = read_archive(again.content)
    lake, paris = document["memories"]
    assert [m["display_name"] for m in document["members"]] == ["Ana"]
    assert lake["connections"] == []
    assert [(r["member"], r["text"]) for r in lake["replies"]] == [
        (document["members"][0]["id"], "Same lake?"),
        (None, "Same tent!"),
    ]
    assert paris["author"] is None


@pytest.mark.parametrize("media_storage", ["file", "s3"], indirect=True)
async def test_a_photo_the_pipeline_refuses_takes_back_the_photos_already_stored(
    client, couple, settings, count_rows, tmp_path
):
    document, photos, ana, sam = await an_export(client, couple)
    # Paris gets a photo too, one that is no photo: by then the lake's two are stored.
    document["memories"][1]["photos"] = [{"file": "photos/paris.jpg"}]
    photos["photos/paris.jpg"] = images.text_named_jpg()
    before = await state(settings, count_rows)

    done = await run_import(settings, zipped(tmp_path / "bad.zip", document, photos), ana, sam)

    assert_refused(done, "memories[1].photos[0] (photos/paris.jpg): ")
    assert await state(settings, count_rows) == before


@pytest.mark.parametrize("media_storage", ["file", "s3"], indirect=True)
async def test_a_photo_entry_over_the_upload_limit_is_refused_before_it_is_unpacked(
    client, couple, settings, count_rows, tmp_path
):
    document, photos, ana, sam = await an_export(client, couple)
    name = document["memories"][0]["photos"][1]["file"]
    # A real JPEG followed by zeros: its first bytes decode, its size is what gives it away.
    photos[name] = images.rotated_jpeg_with_gps() + bytes(3 * MB)
    before = await state(settings, count_rows)

    done = await run_import(
        settings, zipped(tmp_path / "big.zip", document, photos), ana, sam, MAX_UPLOAD_MB="2"
    )

    assert_refused(done, f"memories[0].photos[1].file: {name}: 3 MB unpacked, over the 2 MB")
    assert await state(settings, count_rows) == before


def spaces_after(document: dict, size: int) -> bytes:
    """The document, then whitespace up to `size` bytes: valid JSON that deflates ~1,000:1."""
    data = json.dumps(document).encode()
    return data + b" " * (size - len(data))


async def test_a_document_that_inflates_past_the_limit_is_refused_before_it_is_unpacked(
    client, couple, settings, count_rows, tmp_path
):
    document, photos, ana, sam = await an_export(client, couple)
    bomb = zipped(tmp_path / "bomb.zip", spaces_after(document, 51 * MB), photos)
    before = await state(settings, count_rows)

    done = await run_import(settings, bomb, ana, sam)

    assert bomb.stat().st_size < MB
    assert_refused(done, "timeline.json: 51 MB unpacked, over the 50 MB allowed.")
    assert await state(settings, count_rows) == before


async def test_a_document_packed_tighter_than_any_export_is_refused(
    client, couple, settings, count_rows, tmp_path
):
    document, photos, ana, sam = await an_export(client, couple)
    bomb = zipped(tmp_path / "bomb.zip", spaces_after(document, 5 * MB), photos)
    before = await state(settings, count_rows)

    done = await run_import(settings, bomb, ana, sam)

    assert_refused(done, "timeline.json: packed ")
    assert "beyond the 100 to 1 of any export." in done.stderr
    assert await state(settings, count_rows) == before


def with_declared_size(path: Path, name: str, size: int) -> None:
    """Rewrite the size the zip's directory declares for `name`, leaving its data as it is."""
    data = bytearray(path.read_bytes())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length].decode() == name:
            struct.pack_into("<I", data, at + 24, size)
            break
        at += 4
    path.write_bytes(bytes(data))


async def test_a_document_larger_than_its_zip_says_is_refused_and_nothing_is_kept(
    client, couple, settings, count_rows, tmp_path
):
    document, photos, ana, sam = await an_export(client, couple)
    archive = zipped(tmp_path / "lying.zip", spaces_after(document, 2 * MB), photos)
    with_declared_size(archive, "timeline.json", 100_000)
    before = await state(settings, count_rows)

    done = await run_import(settings, archive, ana, sam)

    assert_refused(done, "timeline.json: ")
    assert await state(settings, count_rows) == before


async def test_an_archive_that_is_no_zip_is_refused_in_one_line(client, couple, settings, tmp_path):
    _, _, ana, sam = await an_export(client, couple)
    archive = tmp_path / "notes.zip"
    archive.write_bytes(b"Dear diary")

    done = await run_import(settings, archive, ana, sam)

    assert_refused(done, "notes.zip is not a zip archive")


async def test_a_document_of_another_format_is_refused_as_such(client, couple, settings, tmp_path):
    document, photos, ana, sam = await an_export(client, couple)
    document["format"] = "remember-when/2"
    document["memories"] = {"changed": "shape"}

    done = await run_import(settings, zipped(tmp_path / "v2.zip", document, photos), ana, sam)

    assert_refused(done, "timeline.json is not a Remember When archive (remember-when/1).")


class StorageFailingAt:
    """A photo store whose `n`th write of an original fails the way no one planned for."""

    def __init__(self, storage, n: int) -> None:
        self.storage, self.left = storage, n

    async def put(self, key, data, content_type) -> None:
        if "/original." in key:
            self.left -= 1
            if self.left == 0:
                raise RuntimeError("the disk caught fire")
        await self.storage.put(key, data, content_type)

    def __getattr__(self, name):
        return getattr(self.storage, name)


async def test_an_unexpected_failure_midway_keeps_no_rows_and_no_stored_photos(db, clock, tmp_path):
    ana = await sign_up("ana@example.org", PASSWORD, "Ana", "Europe/Paris", now=clock())
    member, day = uuid.uuid4(), datetime(2020, 5, 1, 12, tzinfo=UTC)
    archive = Archive(
        format=FORMAT,
        exported_at=day,
        timeline=TimelineEntry(name="Ana & Sam"),
        members=[MemberEntry(id=member, display_name="Ana")],
        memories=[
            MemoryEntry(
                id=uuid.uuid4(),
                title="Two photos",
                occurred_on=day.date(),
                author=str(member),
                created_at=day,
                updated_at=day,
                photos=[PhotoEntry(file="photos/1.jpg"), PhotoEntry(file="photos/2.png")],
            )
        ],
    )
    photos = {
        "photos/1.jpg": images.rotated_jpeg_with_gps(),
        "photos/2.png": images.png_with_alpha(),
    }
    path = zipped(tmp_path / "ours.zip", encode(archive), photos)
    storage = FileStorage(tmp_path / "media", signer=UrlSigner(b"key"))

    with pytest.raises(RuntimeError), ArchiveZip(path, max_photo_bytes=30 * MB) as source:
        await import_archive(source, ana, None, StorageFailingAt(storage, 2), now=clock())

    assert [await model.all().count() for model in (Timeline, Memory, Photo)] == [0, 0, 0]
    assert await storage.keys("photos") == []
