"""Hundreds of broken uploads: photos with flipped bytes, cut short, under another format's
header, or declaring sizes no photo has. Each gets an answer below 500, and a refused one
leaves no photo row and no stored object behind."""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections import Counter

from PIL import Image

from tests import images
from tests.support import write_memory

MUTANTS = 300


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 140, 200)).save(out, "PNG")
    return out.getvalue()


def declared_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels (its CRC kept valid)."""
    data = bytearray(png(8, 8))
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


def mutants(seed: int = 7) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    seeds = [images.large_jpeg(320, 240), png(64, 48), images.animated_gif(), images.heic()]
    made = []
    for n in range(MUTANTS):
        original = seeds[n % len(seeds)]
        way = n % 6
        data = bytearray(original)
        if way == 0:
            for _ in range(rng.randint(1, 40)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            made.append(("flipped bytes", bytes(data)))
        elif way == 1:
            made.append(("cut short", bytes(data[: rng.randrange(1, len(data))])))
        elif way == 2:
            other = seeds[(n + 1) % len(seeds)]
            made.append(("another format's header", other[:32] + bytes(data[32:])))
        elif way == 3:
            side = rng.choice([65_535, 100_000, 1_000_000, 2**31 - 1])
            made.append(("huge declared size", declared_png(side, rng.choice([side, 1, 50_000]))))
        elif way == 4:
            made.append(("noise", rng.randbytes(rng.randint(0, 5000))))
        else:
            start = rng.randrange(len(data))
            data[start : start + rng.randint(1, 400)] = b"\x00" * 400
            made.append(("zeroed run", bytes(data)))
    return made


async def test_broken_uploads_are_refused_plainly_and_leave_nothing_behind(
    client, couple, count_rows
):
    ana, _, timeline_id = await couple()
    memory = await write_memory(client, ana, timeline_id, "Fuzz", "2020-01-01")
    storage = client.app.state.storage
    answers: Counter[tuple[str, int]] = Counter()
    accepted = 0

    for kind, data in mutants():
        rows_before = count_rows("photo")
        objects_before = client.blocking_portal.call(storage.keys, "photos")
        response = await client.post(
            f"/api/v1/memories/{memory['id']}/photos",
            files={"file": ("upload.jpg", data, "image/jpeg")},
            headers=ana.auth,
        )
        answers[kind, response.status_code] += 1
        assert response.status_code < 500, (kind, response.text)
        if response.status_code in (200, 201):
            # 200: the same bytes came before (two mutations can agree) and are kept once.
            accepted += not response.json()["duplicate"]
            continue
        assert response.json()["detail"], (kind, response.status_code, response.text)
        assert count_rows("photo") == rows_before, kind
        assert client.blocking_portal.call(storage.keys, "photos") == objects_before, kind

    print(f"\n{MUTANTS} mutated uploads: {dict(sorted(answers.items()))}")
    assert count_rows("photo") == accepted
    refused = sum(n for (_, status), n in answers.items() if status >= 400)
    assert refused > MUTANTS // 2
