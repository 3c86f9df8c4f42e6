"""Where photo objects live: one interface, a local folder or an S3 bucket behind it."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Protocol, TypeVar
from urllib.parse import urlsplit

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.client import Config
from botocore.exceptions import BotoCoreError, ClientError

from media.errors import MissingObject, StorageUnavailable
from media.signing import URL_LIFETIME, UrlSigner

# Keys are made by us ("photos/<uuid>/display.webp"); anything else is refused outright, so
# no key can climb out of the folder or the bucket prefix.
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_.-]*)*$")
# S3's DeleteObjects takes at most this many keys per request.
DELETE_BATCH = 1000
T = TypeVar("T")
log = logging.getLogger("remember_when.storage")


def check_key(key: str) -> str:
    if not _KEY.match(key) or ".." in key:
        raise ValueError(f"not a storage key: {key!r}")
    return key


class Storage(Protocol):
    """Store, read and delete objects by key, and hand out short-lived links to them."""

    async def put(self, key: str, data: bytes | BinaryIO, content_type: str) -> None: ...

    async def open(self, key: str) -> BinaryIO:
        """A readable file of the object; the caller closes it. `MissingObject` when no
        object has that key."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object; removing a missing one is not an error."""
        ...

    async def delete_many(self, keys: Sequence[str]) -> None:
        """Remove these objects in as few requests as the store allows; missing ones are not
        an error."""
        ...

    async def exists(self, key: str) -> bool: ...

    async def keys(self, prefix: str) -> list[str]:
        """Every key in the folder `prefix` and below."""
        ...

    def signed_url(self, key: str, now: datetime) -> str:
        """A URL anyone holding it can GET for about an hour, and not after; a path on this
        site (local folder) or an absolute URL (S3)."""
        ...

    async def answers(self) -> bool:
        """True when the backend can be reached."""
        ...


async def _off_loop(call: Callable[[], T]) -> T:
    return await asyncio.to_thread(call)


class FileStorage:
    """Objects as files under a folder; links are HMAC-signed paths (`/media/…`) the app
    serves, relative to the site so pages work under any host name."""

    def __init__(self, root: Path, *, signer: UrlSigner) -> None:
        self.root = root
        self.signer = signer

    def path_of(self, key: str) -> Path:
        return self.root / check_key(key)

    async def put(self, key: str, data: bytes | BinaryIO, content_type: str) -> None:
        await _off_loop(functools.partial(self._write, self.path_of(key), data))

    @staticmethod
    def _write(path: Path, data: bytes | BinaryIO) -> None:
        """Write to a temporary file beside the target, then rename: readers never see half."""
        temporary: Path | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
            temporary = Path(name)
            with os.fdopen(fd, "wb") as out:
                if isinstance(data, bytes):
                    out.write(data)
                else:
                    data.seek(0)
                    while chunk := data.read(1 << 20):
                        out.write(chunk)
            temporary.replace(path)
        except OSError as error:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    temporary.unlink()
            raise StorageUnavailable(f"Could not store the photo ({error.strerror}).") from None

    async def open(self, key: str) -> BinaryIO:
        try:
            return await _off_loop(functools.partial(self.path_of(key).open, "rb"))
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            # A folder, or a path through a file, holds no object either.
            raise MissingObject(key) from None

    async def delete(self, key: str) -> None:
        await self.delete_many([key])

    async def delete_many(self, keys: Sequence[str]) -> None:
        paths = [self.path_of(key) for key in keys]

        def unlink_all() -> None:
            for path in paths:
                path.unlink(missing_ok=True)

        # One thread hop for the lot, as S3 takes them in one request.
        await _off_loop(unlink_all)

    async def exists(self, key: str) -> bool:
        return await _off_loop(self.path_of(key).is_file)

    async def keys(self, prefix: str) -> list[str]:
        def walk() -> list[str]:
            base = self.root / check_key(prefix)
            if not base.is_dir():
                return []
            return sorted(
                str(p.relative_to(self.root))
                for p in base.rglob("*")
                if p.is_file() and not p.name.startswith(".incoming-")
            )

        return await _off_loop(walk)

    def signed_url(self, key: str, now: datetime) -> str:
        path = f"/media/{check_key(key)}"
        return f"{path}?{self.signer.signed_query(path, now)}"

    async def answers(self) -> bool:
        def writable() -> bool:
            self.root.mkdir(parents=True, exist_ok=True)
            return os.access(self.root, os.W_OK)

        return await _off_loop(writable)


class S3Storage:
    """Objects in an S3 bucket (AWS, MinIO, …) under a prefix; links are presigned GETs.

    boto3 blocks, so every call runs in a worker thread; the client is built once, here,
    because clients are thread-safe and sessions are not."""

    def __init__(self, bucket: str, prefix: str, *, endpoint_url: str | None) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url,
            config=Config(
                # Without s3v4, presigned URLs fall back to SigV2 on custom endpoints.
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                max_pool_connections=32,
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=5,
                read_timeout=30,
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )
        # Originals above 8 MB go up in parts.
        self.transfer = TransferConfig(multipart_threshold=8 * 1024 * 1024)

    def _name(self, key: str) -> str:
        return f"{self.prefix}/{check_key(key)}" if self.prefix else check_key(key)

    async def _call(self, call: Callable[[], T], *, reading: str | None = None) -> T:
        """Run `call` off the loop; a failure is `StorageUnavailable`, or `MissingObject`
        when the key it is `reading` is not there."""
        try:
            return await _off_loop(call)
        except ClientError as error:
            if reading is not None and _is_missing(error):
                raise MissingObject(reading) from None
            raise StorageUnavailable(f"The photo store did not answer ({error}).") from None
        except BotoCoreError as error:
            raise StorageUnavailable(f"The photo store did not answer ({error}).") from None

    async def put(self, key: str, data: bytes | BinaryIO, content_type: str) -> None:
        def upload() -> None:
            body = io.BytesIO(data) if isinstance(data, bytes) else data
            body.seek(0)
            self.client.upload_fileobj(
                body,
                self.bucket,
                self._name(key),
                ExtraArgs={"ContentType": content_type},
                Config=self.transfer,
            )

        await self._call(upload)

    async def open(self, key: str) -> BinaryIO:
        def download() -> BinaryIO:
            # Spooled: small objects stay in memory, big originals go to disk. The caller
            # closes it.
            out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
            try:
                self.client.download_fileobj(self.bucket, self._name(key), out)
            except BaseException:
                out.close()
                raise
            out.seek(0)
            return out

        return await self._call(download, reading=key)

    async def delete(self, key: str) -> None:
        await self.delete_many([key])

    async def delete_many(self, keys: Sequence[str]) -> None:
        names = [self._name(key) for key in keys]

        def delete_batch(batch: list[str]) -> None:
            # Quiet: only the keys that could not be deleted come back.
            answer = self.client.delete_objects(
                Bucket=self.bucket,
                Delete={"Objects": [{"Key": name} for name in batch], "Quiet": True},
            )
            if errors := answer.get("Errors"):
                first = errors[0]
                raise StorageUnavailable(
                    f"The photo store kept {len(errors)} of {len(batch)} objects "
                    f"({first.get('Code')}: {first.get('Message')})."
                )

        # Every batch is tried, so one refusal does not leave the others behind; the
        # refusals are told together at the end.
        refused: list[StorageUnavailable] = []
        for start in range(0, len(names), DELETE_BATCH):
            batch = names[start : start + DELETE_BATCH]
            try:
                await self._call(functools.partial(delete_batch, batch))
            except StorageUnavailable as error:
                refused.append(error)
        if refused:
            raise StorageUnavailable(" ".join(str(error) for error in refused))

    async def exists(self, key: str) -> bool:
        name = self._name(key)

        def head() -> bool:
            try:
                self.client.head_object(Bucket=self.bucket, Key=name)
            except ClientError as error:
                if _is_missing(error):
                    return False
                raise
            return True

        return await self._call(head)

    async def keys(self, prefix: str) -> list[str]:
        start = self._name(prefix) + "/"
        strip = len(self.prefix) + 1 if self.prefix else 0

        def listing() -> list[str]:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=start
            )
            return sorted(o["Key"][strip:] for page in pages for o in page.get("Contents", []))

        return await self._call(listing)

    def signed_url(self, key: str, now: datetime) -> str:
        # Presigning is local HMAC work: no thread, no network.
        return self.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": self._name(key)},
            ExpiresIn=int(URL_LIFETIME.total_seconds()),
        )

    async def answers(self) -> bool:
        try:
            await self._call(lambda: self.client.head_bucket(Bucket=self.bucket))
        except StorageUnavailable:
            return False
        return True


def _is_missing(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound")


async def delete_folders(storage: Storage, folders: Iterable[str]) -> None:
    """Remove every object in these folders, in as few requests as the store allows. A store
    that fails is logged with the folders it left behind, never raised: nothing names those
    objects any more, and the orphan sweep removes what is left of photos later."""
    keys: list[str] = []
    listed: list[str] = []
    for folder in folders:
        # One folder that cannot be listed does not keep the others.
        try:
            found = await storage.keys(folder)
        except StorageUnavailable as error:
            log.warning("objects left for the sweep in %s: %s", folder, error)
            continue
        keys += found
        listed += [folder] if found else []
    if not keys:
        return
    try:
        await storage.delete_many(keys)
    except StorageUnavailable as error:
        log.warning("objects left for the sweep in %s: %s", ", ".join(listed), error)


def storage_from_url(url: str, *, endpoint_url: str | None, signer: UrlSigner) -> Storage:
    """The backend `MEDIA_STORAGE` names: `file://path` or `s3://bucket/prefix`."""
    parts = urlsplit(url)
    if parts.scheme == "s3":
        return S3Storage(parts.netloc, parts.path, endpoint_url=endpoint_url)
    return FileStorage(Path(parts.netloc + parts.path), signer=signer)
