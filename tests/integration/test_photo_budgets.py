"""What photos may cost the server: the full-size link of a huge photo is at most 16 MP, built
once however many ask, two builds at a time, and leaves the process small; photos over their
pixel budget, alone or together in one form, are refused from their headers."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
import threading

import pytest
from PIL import Image

from tests import images
from tests.support import (
    ROOT,
    csrf_token,
    fetch,
    post_memory,
    upload_photo,
    web_log_in,
    write_memory,
)
from timeline.memories import photos
from timeline.models import Photo


@pytest.fixture(scope="module")
def huge_jpeg() -> bytes:
    """A 1.4 MB JPEG of 14,400 x 14,400 pixels, made in another process: making it takes
    830 MB, and the memory measured here should be the app's alone."""
    made = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from tests.images import huge_jpeg as h; sys.stdout.buffer.write(h())",
        ],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return made.stdout


@pytest.fixture
async def memory(client, couple):
    ana, _, timeline_id = await couple()
    lake = await write_memory(client, ana, timeline_id, "Lake", "2019-07-14")
    return ana, timeline_id, lake["id"]


def build_full_sizes(client, photo_ids: list[str]) -> None:
    """Ask for the full size of each photo at once, as simultaneous requests would."""
    storage = client.app.state.storage

    async def at_once() -> None:
        rows = [await Photo.get(id=photo_id) for photo_id in photo_ids]
        await asyncio.gather(*(photos.ensure_full_size(row, storage) for row in rows))

    client.blocking_portal.call(at_once)


class BuildSpy:
    """Wraps the full-size build: how many ran, and how many at most at the same time."""

    def __init__(self) -> None:
        self.real = photos.full_size_jpeg
        self.calls = self.running = self.most = 0
        self.lock = threading.Lock()

    def __call__(self, source):
        with self.lock:
            self.calls += 1
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            return self.real(source)
        finally:
            with self.lock:
                self.running -= 1


async def test_the_original_link_of_a_huge_photo_serves_at_most_16_megapixels(
    client, memory, huge_jpeg
):
    ana, _, memory_id = memory
    photo = (await upload_photo(client, ana, memory_id, huge_jpeg)).json()

    served = await fetch(client, photo["urls"]["original"])

    image = Image.open(io.BytesIO(served.content))
    assert (photo["width"], photo["height"]) == (14_400, 14_400)
    assert (image.format, image.size) == ("JPEG", (3600, 3600))


async def test_requests_during_a_full_size_build_share_that_build(client, memory, monkeypatch):
    ana, _, memory_id = memory
    photo = (await upload_photo(client, ana, memory_id, images.large_jpeg(3000, 2000))).json()
    spy = BuildSpy()
    monkeypatch.setattr(photos, "full_size_jpeg", spy)

    build_full_sizes(client, [photo["id"]] * 3)
    build_full_sizes(client, [photo["id"]])

    assert spy.calls == 1
    served = await fetch(client, photo["urls"]["original"])
    assert Image.open(io.BytesIO(served.content)).size == (3000, 2000)


async def test_no_more_than_two_photos_are_built_at_once(client, memory, monkeypatch):
    ana, _, memory_id = memory
    picture = images.large_jpeg(2400, 1600)
    # Bytes after the image's end make each upload new to the duplicate check.
    ids = [
        (await upload_photo(client, ana, memory_id, picture + bytes([n]))).json()["id"]
        for n in range(4)
    ]
    spy = BuildSpy()
    monkeypatch.setattr(photos, "full_size_jpeg", spy)

    build_full_sizes(client, ids)

    assert spy.calls == 4
    assert spy.most <= 2


MEASURE = """
import asyncio, json, re, sys
from pathlib import Path
from types import SimpleNamespace
from media.signing import UrlSigner
from media.storage import FileStorage
from timeline.memories.photos import ensure_full_size

def status():
    text = Path("/proc/self/status").read_text()
    return {k: int(re.search(k + r":\\s+(\\d+)", text)[1]) // 1024 for k in ("VmRSS", "VmHWM")}

async def main():
    storage = FileStorage(Path(sys.argv[1]), signer=UrlSigner(b"k" * 32))
    await storage.put("photos/huge/original.jpg", sys.stdin.buffer.read(), "image/jpeg")
    photo = SimpleNamespace(storage_key="photos/huge", original_type="image/jpeg")
    before = status()
    await ensure_full_size(photo, storage)
    print(json.dumps({"before": before, "after": status()}))

asyncio.run(main())
"""


def test_building_a_huge_photos_full_size_leaves_the_process_small(huge_jpeg, tmp_path):
    measured = subprocess.run(
        [sys.executable, "-c", MEASURE, str(tmp_path)],
        input=huge_jpeg,
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    figures = json.loads(measured.stdout)
    before, after = figures["before"], figures["after"]

    assert after["VmHWM"] - before["VmRSS"] < 400, figures
    assert after["VmRSS"] - before["VmRSS"] < 100, figures


async def test_a_png_over_50_megapixels_is_refused_before_it_is_decoded(client, memory, count_rows):
    ana, _, memory_id = memory

    response = await upload_photo(client, ana, memory_id, images.black_png(7100, 7100))

    assert response.status_code == 413
    assert response.json()["detail"] == (
        "This image has more than 50 million pixels; we cannot take it."
    )
    assert count_rows("photo") == 0


@pytest.fixture(scope="module")
def forty_megapixels() -> bytes:
    return images.black_png(6325, 6325)


async def test_a_new_memory_whose_photos_are_too_large_together_is_refused_whole(
    client, memory, count_rows, forty_megapixels
):
    ana, timeline_id, _ = memory
    await web_log_in(client, ana.email)

    response = await post_memory(
        client,
        timeline_id,
        {"title": "Four posters", "occurred_on": "2024-05-01"},
        photos=[(f"{n}.png", forty_megapixels) for n in range(4)],
    )

    assert response.status_code == 413
    assert "These photos are too large to add all at once" in response.text
    assert count_rows("memory") == 1
    assert count_rows("photo") == 0


async def test_photos_added_to_a_memory_too_large_together_are_refused_and_nothing_changes(
    client, memory, count_rows, forty_megapixels
):
    ana, _, memory_id = memory
    await web_log_in(client, ana.email)
    form = await client.get(f"/m/{memory_id}/edit")

    response = await client.post(
        f"/m/{memory_id}/edit",
        data={
            "title": "A new title",
            "occurred_on": "2019-07-14",
            "_csrf_token": csrf_token(form.text),
        },
        files=[("photos", (f"{n}.png", forty_megapixels, "image/png")) for n in range(4)],
    )

    assert response.status_code == 413
    assert "These photos are too large to add all at once" in response.text
    assert count_rows("photo") == 0
    assert count_rows("memory", title="A new title") == 0
