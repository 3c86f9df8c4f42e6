"""Taking a timeline away: a zip with timeline.json and every original photo, byte for
byte, under readable names; from the API, the timeline page and the command line."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import zipfile

import httpx
import pytest

from tests import images
from tests.support import (
    CLI,
    PASSWORD,
    clean_environment,
    rate_memory,
    served,
    upload_photo,
    web_log_in,
    write_memory,
)

pytestmark = pytest.mark.parametrize("media_storage", ["file", "s3"], indirect=True)


async def a_timeline_with_everything(client, couple):
    ana, sam, timeline_id = await couple()
    lake = await write_memory(
        client, ana, timeline_id, "Camping by the lake", "2019-07-14", place="Annecy", tags=["tent"]
    )
    originals = [images.rotated_jpeg_with_gps(), images.heic()]
    for data in originals:
        upload = await upload_photo(client, ana, lake["id"], data)
        assert upload.status_code == 201, upload.text
    await rate_memory(client, sam, lake, 5, "Your laugh in the rain")
    await client.post(
        f"/api/v1/memories/{lake['id']}/replies", json={"text": "Same lake?"}, headers=ana.auth
    )
    await client.post(
        f"/api/v1/timelines/{timeline_id}/milestones",
        json={"kind": "wedding", "occurred_on": "2022-09-17"},
        headers=ana.auth,
    )
    await write_memory(client, sam, timeline_id, "Été à Paris / 2020", "2020-08-01")
    return ana, sam, timeline_id, originals


def same_instance(settings) -> dict[str, str]:
    """The environment of a command run against the app under test."""
    return clean_environment(
        DATA_DIR=str(settings.data_dir),
        DATABASE_URL=settings.database_url,
        MEDIA_STORAGE=settings.media_storage,
        SECRET_KEY=settings.secret_key,
        **({"S3_ENDPOINT_URL": settings.s3_endpoint_url} if settings.s3_endpoint_url else {}),
    )


def read_archive(data: bytes) -> tuple[dict, dict[str, bytes]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("timeline.json")), files


async def test_the_archive_holds_every_memory_and_the_original_photos(client, couple):
    _, sam, timeline_id, originals = await a_timeline_with_everything(client, couple)

    response = await client.get(f"/api/v1/timelines/{timeline_id}/export", headers=sam.auth)
    document, photos = read_archive(response.content)

    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith('attachment; filename="ana-sam-')
    assert document["format"] == "remember-when/1"
    assert document["timeline"]["together_since"] == "2019-06-12"
    assert [m["display_name"] for m in document["members"]] == ["Ana", "Sam"]
    assert document["milestones"] == [
        {"kind": "wedding", "label": "", "occurred_on": "2022-09-17", "date_precision": "day"}
    ]
    lake, paris = document["memories"]
    assert (lake["title"], lake["place"], lake["tags"]) == (
        "Camping by the lake",
        "Annecy",
        ["tent"],
    )
    assert lake["connections"][0]["appreciation"] == "Your laugh in the rain"
    assert lake["connections"][0]["member"] == sam.id
    assert [r["text"] for r in lake["replies"]] == ["Same lake?"]
    assert [p["file"] for p in lake["photos"]] == [
        "photos/2019-07-14 Camping by the lake 1.jpg",
        "photos/2019-07-14 Camping by the lake 2.heic",
    ]
    assert [photos[p["file"]] for p in lake["photos"]] == originals
    assert paris["title"] == "Été à Paris / 2020"
    assert set(photos) == {p["file"] for p in lake["photos"]}


async def test_photos_are_named_by_their_date_only_as_precisely_as_it_is_known(client, couple):
    ana, sam, timeline_id = await couple()
    for seed, (title, day, precision) in enumerate(
        (
            ("Learning Portuguese", "2022-05-20", "year"),
            ("Dancing lessons", "2022-03-17", "month"),
            ("Lake", "2022-07-14", "day"),
        )
    ):
        memory = await write_memory(client, ana, timeline_id, title, day, date_precision=precision)
        upload = await upload_photo(client, ana, memory["id"], images.scenery(480, 320, seed))
        assert upload.status_code == 201, upload.text

    response = await client.get(f"/api/v1/timelines/{timeline_id}/export", headers=sam.auth)
    _, photos = read_archive(response.content)

    assert sorted(photos) == [
        "photos/2022 Learning Portuguese 1.jpg",
        "photos/2022-03 Dancing lessons 1.jpg",
        "photos/2022-07-14 Lake 1.jpg",
    ]


async def test_the_timeline_page_and_the_command_line_export_the_same(
    client, couple, settings, tmp_path
):
    ana, _, timeline_id, _ = await a_timeline_with_everything(client, couple)
    await web_log_in(client, ana.email)

    page = await client.get(f"/t/{timeline_id}")
    download = await client.get(f"/t/{timeline_id}/export")
    out = tmp_path / "ours.zip"
    env = same_instance(settings)
    done = await asyncio.to_thread(
        subprocess.run,
        [*CLI, "export", "--timeline", timeline_id, "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
    )

    assert f'href="/t/{timeline_id}/export"' in page.text
    assert done.returncode == 0, done.stderr
    from_page, from_cli = read_archive(download.content), read_archive(out.read_bytes())
    assert from_page[1] == from_cli[1]
    assert from_page[0]["memories"] == from_cli[0]["memories"]


async def test_another_couples_timeline_cannot_be_exported(client, couple, sign_up):
    _, _, timeline_id, _ = await a_timeline_with_everything(client, couple)
    stranger = await sign_up("Eve")

    response = await client.get(f"/api/v1/timelines/{timeline_id}/export", headers=stranger.auth)

    assert response.status_code == 404


def comparable(document: dict) -> dict:
    """The document with what an import changes by nature left out: ids, the moment of the
    export, member references (new accounts) and photo hashes' order of storage."""
    members = {m["id"]: n for n, m in enumerate(document["members"])}
    memories = {m["id"]: n for n, m in enumerate(document["memories"])}

    def person(ref):
        return members.get(ref, ref)

    out = json.loads(json.dumps(document))
    out.pop("exported_at")
    out["members"] = [m["display_name"] for m in out["members"]]
    for memory in out["memories"]:
        memory.pop("id")
        memory["author"] = person(memory["author"])
        memory["recreates"] = memories.get(memory["recreates"])
        for connection in memory["connections"]:
            connection["member"] = person(connection["member"])
        for reply in memory["replies"]:
            reply["member"] = person(reply["member"])
    for suggestion in out["suggestions"]:
        suggestion["memory"] = memories.get(suggestion["memory"])
        suggestion["answered_by"] = person(suggestion["answered_by"])
    return out


async def test_export_then_import_into_an_empty_instance_then_export_gives_the_same(
    client, couple, tmp_path
):
    _, sam, timeline_id, _ = await a_timeline_with_everything(client, couple)
    first = await client.get(f"/api/v1/timelines/{timeline_id}/export", headers=sam.auth)
    archive = tmp_path / "ours.zip"
    archive.write_bytes(first.content)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = clean_environment(DATA_DIR=str(elsewhere / "var"), SCHEDULER="off")

    with served(env, elsewhere) as url:
        other = httpx.AsyncClient(base_url=url)
        tokens = []
        for name in ("Ana", "Sam"):
            body = {"email": f"{name}@else.example", "password": PASSWORD, "display_name": name}
            tokens.append((await other.post("/api/v1/auth/signup", json=body)).json()["token"])
        done = await asyncio.to_thread(
            subprocess.run,
            [
                *CLI,
                "import",
                str(archive),
                "--owner",
                "ana@else.example",
                "--partner",
                "sam@else.example",
            ],
            env=env,
            cwd=elsewhere,
            capture_output=True,
            text=True,
        )
        auth = {"Authorization": f"Bearer {tokens[1]}"}
        (imported,) = (await other.get("/api/v1/me", headers=auth)).json()["timelines"]
        again = await other.get(f"/api/v1/timelines/{imported['id']}/export", headers=auth)
        await other.aclose()

    assert done.returncode == 0, done.stderr
    before, photos_before = read_archive(first.content)
    after, photos_after = read_archive(again.content)
    for was, now in zip(comparable(before)["memories"], comparable(after)["memories"], strict=True):
        assert now == was
    assert comparable(after) == comparable(before)
    assert photos_after == photos_before


def camera_photo(taken: str, colour: tuple[int, int, int]) -> bytes:
    """A JPEG whose EXIF says when it was taken ("2019:07:14 18:30:00")."""
    from PIL import Image

    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = taken
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, "JPEG", exif=exif)
    return out.getvalue()


async def test_a_camera_roll_becomes_one_memory_per_day_and_bad_files_are_listed(
    client, couple, settings, tmp_path
):
    ana, _, timeline_id, _ = await a_timeline_with_everything(client, couple)
    roll = tmp_path / "roll"
    roll.mkdir()
    (roll / "IMG_0001.JPG").write_bytes(camera_photo("2021:05:01 09:00:00", (200, 30, 30)))
    (roll / "IMG_0002.JPG").write_bytes(camera_photo("2021:05:01 19:45:00", (30, 200, 30)))
    (roll / "IMG_0003.JPG").write_bytes(camera_photo("2021:08:20 12:00:00", (30, 30, 200)))
    (roll / "notes.txt").write_text("not a photo")
    (roll / "IMG_0004.JPG").write_bytes(images.truncated_jpeg())
    env = same_instance(settings)

    done = await asyncio.to_thread(
        subprocess.run,
        [*CLI, "import", str(roll), "--owner", ana.email, "--timeline", timeline_id],
        env=env,
        capture_output=True,
        text=True,
    )
    listed = await client.get(
        f"/api/v1/timelines/{timeline_id}/memories", params={"year": 2021}, headers=ana.auth
    )

    assert done.returncode == 0, done.stderr
    assert "Imported 3 photos into 2 memories" in done.stderr
    assert "Could not read 2 files:" in done.stderr
    assert "  notes.txt: " in done.stderr
    assert "  IMG_0004.JPG: " in done.stderr
    assert [(m["title"], m["occurred_on"], len(m["photos"])) for m in listed.json()["items"]] == [
        ("20 August 2021", "2021-08-20", 1),
        ("1 May 2021", "2021-05-01", 2),
    ]
