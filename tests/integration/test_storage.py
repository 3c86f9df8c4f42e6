"""The storage contract, the same for the local folder and a real S3 endpoint; and what an
upload does when the body is too big or the store is down."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from litestar.testing import AsyncTestClient

from media import storage as storage_module
from media.errors import MissingObject, StorageUnavailable
from media.signing import UrlSigner
from media.storage import S3Storage, check_key, delete_folders, storage_from_url
from server.app import create_app
from tests import images
from tests.support import PASSWORD
from timeline.memories.photos import sweep_orphans

NOW = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)


@pytest.fixture(params=["file", "s3"])
def storage(request, tmp_path):
    signer = UrlSigner(b"k" * 32)
    if request.param == "s3":
        bucket = request.getfixturevalue("s3_bucket")
        endpoint = request.getfixturevalue("s3_endpoint")
        return storage_from_url(f"s3://{bucket}/media", endpoint_url=endpoint, signer=signer)
    return storage_from_url(f"file://{tmp_path}/media", endpoint_url=None, signer=signer)


async def test_put_open_exists_keys_delete(storage):
    await storage.put("photos/a/one.webp", b"first", "image/webp")
    await storage.put("photos/a/two.jpg", io.BytesIO(b"second"), "image/jpeg")
    await storage.put("photos/b/three.webp", b"third", "image/webp")

    opened = await storage.open("photos/a/two.jpg")
    assert opened.read() == b"second"
    opened.close()
    assert await storage.exists("photos/a/one.webp")
    assert await storage.keys("photos/a") == ["photos/a/one.webp", "photos/a/two.jpg"]
    assert len(await storage.keys("photos")) == 3

    await storage.delete("photos/a/one.webp")
    await storage.delete("photos/a/one.webp")

    assert not await storage.exists("photos/a/one.webp")
    assert await storage.keys("photos/a") == ["photos/a/two.jpg"]
    assert await storage.answers()


async def test_a_missing_object_is_missing_object_on_either_backend(storage):
    await storage.put("photos/a/one.webp", b"first", "image/webp")

    for absent in ("photos/a/two.webp", "photos/a", "photos/a/one.webp/more"):
        with pytest.raises(MissingObject):
            await storage.open(absent)


def delete_requests(storage) -> list[int]:
    """The number of keys in each delete request the store receives from now on (S3 only:
    the local folder makes no requests)."""
    sizes: list[int] = []
    if isinstance(storage, S3Storage):

        def record(params, **_) -> None:
            sizes.append(len(params["Delete"]["Objects"]))

        storage.client.meta.events.register("before-parameter-build.s3.DeleteObjects", record)
    return sizes


async def test_many_objects_go_in_batches_of_a_thousand(storage, monkeypatch):
    assert storage_module.DELETE_BATCH == 1000
    # A smaller batch shows the splitting without storing thousands of objects.
    monkeypatch.setattr(storage_module, "DELETE_BATCH", 2)
    keys = [f"photos/a/{n}.webp" for n in range(5)]
    for key in [*keys, "photos/b/kept.webp"]:
        await storage.put(key, b"x", "image/webp")
    sizes = delete_requests(storage)

    await storage.delete_many([*keys, "photos/a/never-stored.webp"])

    assert await storage.keys("photos") == ["photos/b/kept.webp"]
    if isinstance(storage, S3Storage):
        assert sizes == [2, 2, 2]


async def test_a_batch_the_store_refuses_does_not_stop_the_others(
    s3_bucket, s3_endpoint, monkeypatch
):
    storage = storage_from_url(
        f"s3://{s3_bucket}/media", endpoint_url=s3_endpoint, signer=UrlSigner(b"k" * 32)
    )
    monkeypatch.setattr(storage_module, "DELETE_BATCH", 2)
    keys = [f"photos/a/{n}.webp" for n in range(6)]
    for key in keys:
        await storage.put(key, b"x", "image/webp")
    sizes = delete_requests(storage)
    answers = iter([{"Key": "media/photos/a/0.webp", "Code": "AccessDenied", "Message": "no"}])

    def refuse_first(parsed, **_) -> None:
        if (error := next(answers, None)) is not None:
            parsed["Errors"] = [error]

    storage.client.meta.events.register("after-call.s3.DeleteObjects", refuse_first)

    with pytest.raises(
        StorageUnavailable, match=re.escape("kept 1 of 2 objects (AccessDenied: no)")
    ):
        await storage.delete_many(keys)

    # The store only said it refused the first batch: every later batch was still sent.
    assert sizes == [2, 2, 2]
    assert await storage.keys("photos") == []


async def test_folders_are_deleted_in_one_request(storage):
    for folder in ("photos/a", "photos/b"):
        for name in ("original.jpg", "display.webp", "thumb.webp"):
            await storage.put(f"{folder}/{name}", b"x", "image/webp")
    await storage.put("photos/c/original.jpg", b"x", "image/jpeg")
    sizes = delete_requests(storage)

    await delete_folders(storage, ["photos/a", "photos/b", "photos/empty"])

    assert await storage.keys("photos") == ["photos/c/original.jpg"]
    if isinstance(storage, S3Storage):
        assert sizes == [6]


class StoreDownAfterWrites:
    """A store that lists but fails every delete, as a store going down would."""

    def __init__(self, storage) -> None:
        self.storage = storage

    async def delete_many(self, keys) -> None:
        raise StorageUnavailable("The photo store did not answer (test).")

    def __getattr__(self, name):
        return getattr(self.storage, name)


async def test_a_failed_folder_delete_is_logged_with_what_it_left(storage, caplog):
    await storage.put("photos/a/original.jpg", b"x", "image/jpeg")

    with caplog.at_level(logging.WARNING, logger="remember_when.storage"):
        await delete_folders(StoreDownAfterWrites(storage), ["photos/a"])

    assert await storage.keys("photos") == ["photos/a/original.jpg"]
    assert "photos/a" in caplog.text
    assert "did not answer (test)" in caplog.text


@pytest.mark.parametrize("key", ["../etc/passwd", "photos/../../x", "/abs", "Photos/A", "a//b", ""])
def test_keys_that_could_escape_are_refused(key):
    with pytest.raises(ValueError, match="not a storage key"):
        check_key(key)


async def test_a_signed_link_can_be_fetched(storage, s3_endpoint):
    await storage.put("photos/a/one.webp", b"first", "image/webp")

    url = storage.signed_url("photos/a/one.webp", NOW)

    if url.startswith("/"):
        assert url.startswith("/media/photos/a/one.webp?exp=")
    else:
        async with httpx.AsyncClient() as client:
            response = await client.get(url)
        assert (response.status_code, response.content) == (200, b"first")
        assert response.headers["content-type"] == "image/webp"


async def test_the_sweep_removes_old_objects_no_photo_claims(storage, db):
    old = f"photos/{(NOW - timedelta(days=1)):%Y%m%d%H%M%S}-abcdef"
    young = f"photos/{(NOW - timedelta(minutes=5)):%Y%m%d%H%M%S}-012345"
    await storage.put(f"{old}/display.webp", b"x", "image/webp")
    await storage.put(f"{young}/display.webp", b"x", "image/webp")

    removed = await sweep_orphans(storage, now=NOW)

    assert removed == 1
    assert await storage.keys("photos") == [f"{young}/display.webp"]


async def test_an_unreachable_s3_store_is_a_503_that_leaves_no_row(
    settings, clock, count_rows, monkeypatch
):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "k")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s")
    down = replace(settings, media_storage="s3://gone/media", s3_endpoint_url="http://127.0.0.1:9")
    async with AsyncTestClient(create_app(down, clock=clock)) as client:
        token, memory_id = await _member_with_memory(client)

        response = await client.post(
            f"/api/v1/memories/{memory_id}/photos",
            files={"file": ("a.jpg", images.cmyk_jpeg(), "image/jpeg")},
            headers={"Authorization": f"Bearer {token}"},
        )
        ready = await client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["detail"].startswith("The photo store did not answer")
    assert count_rows("photo") == 0
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "ok", "storage": "down"}


async def test_a_body_over_max_upload_mb_is_413_before_it_is_read(settings, clock, count_rows):
    small = replace(settings, max_upload_mb=1)
    async with AsyncTestClient(create_app(small, clock=clock)) as client:
        token, memory_id = await _member_with_memory(client)

        response = await client.post(
            f"/api/v1/memories/{memory_id}/photos",
            files={"file": ("big.jpg", b"\xff" * (2 * 1024 * 1024), "image/jpeg")},
            headers={"Authorization": f"Bearer {token}"},
        )

    assert response.status_code == 413
    assert response.json()["status_code"] == 413
    assert count_rows("photo") == 0


async def _member_with_memory(client) -> tuple[str, str]:
    signup = await client.post(
        "/api/v1/auth/signup",
        json={"email": "ana@example.org", "password": PASSWORD, "display_name": "Ana"},
    )
    token = signup.json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    timeline = await client.post("/api/v1/timelines", json={"name": "Us"}, headers=auth)
    memory = await client.post(
        f"/api/v1/timelines/{timeline.json()['id']}/memories",
        json={"title": "Lake", "occurred_on": "2019-07-14"},
        headers=auth,
    )
    return token, memory.json()["id"]
