"""A zip archive written as it is sent: each entry's bytes pass through once, and nothing
is held beyond the chunk being written (the archive uses data descriptors, so it needs no
seeking back)."""

from __future__ import annotations

import zipfile
from collections.abc import AsyncIterator
from datetime import datetime

from timeline.portability.export import Entry

# Photos are compressed already; deflating them would spend CPU for nothing.
STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".avif")


class _Pipe:
    """A write-only file that hands over what was written since the last `take`."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._written = 0

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        self._written += len(data)
        return len(data)

    def tell(self) -> int:
        return self._written

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


async def zip_stream(entries: AsyncIterator[Entry], when: datetime) -> AsyncIterator[bytes]:
    """The archive of `entries`, piece by piece, every file dated `when`."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", allowZip64=True) as archive:
        async for entry in entries:
            info = zipfile.ZipInfo(entry.name, date_time=when.timetuple()[:6])
            stored = entry.name.lower().endswith(STORED_SUFFIXES)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as target:
                async for chunk in entry.chunks:
                    target.write(chunk)
                    yield pipe.take()
            yield pipe.take()
    yield pipe.take()
