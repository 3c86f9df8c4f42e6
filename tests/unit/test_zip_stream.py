"""The archive is written as it is sent: what comes out follows what goes in, piece by piece."""

from __future__ import annotations

import asyncio
import io
import zipfile
from datetime import UTC, datetime

from server.files.zip_stream import zip_stream
from timeline.portability.export import Entry

MEGABYTE = 1024 * 1024


async def pieces(count: int, size: int):
    for n in range(count):
        yield bytes([n]) * size


async def collect(entries) -> list[bytes]:
    return [piece async for piece in zip_stream(entries, datetime(2026, 6, 15, tzinfo=UTC))]


def test_each_piece_goes_out_as_it_comes_in_and_the_archive_is_whole():
    async def entries():
        yield Entry("timeline.json", pieces(1, 1000))
        yield Entry("photos/big.jpg", pieces(8, MEGABYTE))

    out = asyncio.run(collect(entries()))

    # Nothing larger than one input piece (plus headers) is ever held.
    assert max(len(piece) for piece in out) < MEGABYTE + 4096
    assert sum(1 for piece in out if piece) >= 8
    archive = zipfile.ZipFile(io.BytesIO(b"".join(out)))
    assert archive.testzip() is None
    assert archive.read("photos/big.jpg") == b"".join(bytes([n]) * MEGABYTE for n in range(8))
    assert archive.getinfo("photos/big.jpg").compress_type == zipfile.ZIP_STORED
    assert archive.getinfo("timeline.json").compress_type == zipfile.ZIP_DEFLATED
