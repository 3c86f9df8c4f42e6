"""An archive's zip read within limits: each entry's size and compression ratio are checked
in the zip's directory before it is read, and the size again while it is read, so a header
that lies cannot make the import inflate more than the limit."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from timeline.core.errors import InvalidInput
from timeline.portability.archive_format import DOCUMENT

MB = 1024 * 1024
# A memory with a photo, a rating and a reply is about 1.4 KB of timeline.json: 50 MB holds
# some 35,000 of them, and decodes in a fraction of a second.
MAX_DOCUMENT = 50 * MB
# Deflate shrinks a run of one byte about 1,000 times; an export's JSON shrinks 20 to 35
# times (its ids and instants do not repeat) and photos hardly at all. An entry under
# RATIO_FROM is harmless whatever its ratio.
MAX_RATIO = 100
RATIO_FROM = MB
CHUNK = MB
# Our exports store photos and deflate the document: other methods (and encryption) are
# no export of ours, and each brings decoders of its own.
_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError)


class ArchiveZip:
    """The entries of an export's zip: `timeline.json` and photos no larger than
    `max_photo_bytes` (the upload limit), each read within its limit."""

    def __init__(self, path: Path, *, max_photo_bytes: int) -> None:
        try:
            self._zip = zipfile.ZipFile(path)
        except OSError as error:
            raise InvalidInput(f"{path}: {error.strerror or error}.") from None
        except _DAMAGED as error:
            raise InvalidInput(f"{path.name} is not a zip archive ({error}).") from None
        self._max_photo = max_photo_bytes
        names = self._zip.namelist()
        if len(set(names)) != len(names):
            self._zip.close()
            # Zip tools disagree on which of two same-named entries is the real one.
            raise InvalidInput("The archive holds two files under one name.")

    def __enter__(self) -> ArchiveZip:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._zip.close()

    def document(self) -> bytes:
        """The bytes of `timeline.json`."""
        info = self._entry(DOCUMENT, MAX_DOCUMENT)
        with io.BytesIO() as copy:
            self._copy(info, MAX_DOCUMENT, copy)
            return copy.getvalue()

    def check_photo(self, name: str) -> None:
        """`InvalidInput` unless `name` is an entry within a photo's limits."""
        self._entry(name, self._max_photo)

    def copy_photo(self, name: str, target: BinaryIO) -> None:
        """Copy the photo `name` into `target`."""
        self._copy(self._entry(name, self._max_photo), self._max_photo, target)

    def _entry(self, name: str, limit: int) -> zipfile.ZipInfo:
        """The directory's record of `name`, refused when it says the entry is too large,
        packed too tightly, encrypted or compressed in a way exports never are."""
        try:
            info = self._zip.getinfo(name)
        except KeyError:
            raise InvalidInput(f"{name}: no such file in the archive.") from None
        if info.flag_bits & 0x1:
            raise InvalidInput(f"{name}: encrypted, which exports never are.")
        if info.compress_type not in _METHODS:
            raise InvalidInput(f"{name}: compressed in a way exports never are.")
        if info.file_size > limit:
            raise InvalidInput(
                f"{name}: {_megabytes(info.file_size)} unpacked, over the"
                f" {_megabytes(limit)} allowed."
            )
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * info.compress_size:
            ratio = info.file_size // max(info.compress_size, 1)
            raise InvalidInput(
                f"{name}: packed {ratio:,} to 1, beyond the {MAX_RATIO} to 1 of any export."
            )
        return info

    def _copy(self, info: zipfile.ZipInfo, limit: int, target: BinaryIO) -> None:
        """Copy an entry in chunks, stopping as soon as it passes `limit`: the directory's
        sizes are what the zip claims, not what its data inflates to."""
        copied = 0
        try:
            with self._zip.open(info) as source:
                while chunk := source.read(CHUNK):
                    copied += len(chunk)
                    if copied > limit:
                        raise InvalidInput(
                            f"{info.filename}: over the {_megabytes(limit)} allowed,"
                            " more than the archive's directory says."
                        )
                    target.write(chunk)
        except _DAMAGED as error:
            raise InvalidInput(f"{info.filename}: the archive is damaged ({error}).") from None


def _megabytes(size: int) -> str:
    return f"{size / MB:,.1f} MB".replace(".0 MB", " MB")
