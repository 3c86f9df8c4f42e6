"""Where photo objects live: one interface, a local folder or an S3 bucket behind it."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import os
import re
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Protocol, TypeVar
from urllib.parse import urlsplit

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.client import Config
from botocore.exceptions import BotoCoreError, ClientError

from media.errors import StorageUnavailable
from media.signing import URL_LIFETIME, UrlSigner

# Keys are made by us ("photos/<uuid>/display.webp"); anything else is refused outright, so
# no key can climb out of the folder or the bucket prefix.
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_.-]*)*$")
T = TypeVar("T")


def check_key(key: str) -> str:
    if not _KEY.match(key) or ".." in key:
        raise ValueError(f"not a storage key: {key!r}")
    return key


class Storage(Protocol):
    """Store, read and delete objects by key, and hand out short-lived links to them."""

    async def put(self, key: str, data: bytes | BinaryIO, content_type: str) -> None: ...

    async def open(self, key: str) -> BinaryIO:
        """A readable file of the object; the caller closes it."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object; removing a missing one is not an error."""
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
        return await _off_loop(functools.partial(self.path_of(key).open, "rb"))

    async def delete(self, key: str) -> None:
        await _off_loop(functools.partial(self.path_of(key).unlink, missing_ok=True))

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

    async def _call(self, call: Callable[[], T]) -> T:
        try:
            return await _off_loop(call)
        except (BotoCoreError, ClientError) as error:
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
            self.client.download_fileobj(self.bucket, self._name(key), out)
            out.seek(0)
            return out

        return await self._call(download)

    async def delete(self, key: str) -> None:
        name = self._name(key)
        await self._call(lambda: self.client.delete_object(Bucket=self.bucket, Key=name))

    async def exists(self, key: str) -> bool:
        name = self._name(key)

        def head() -> bool:
            try:
                self.client.head_object(Bucket=self.bucket, Key=name)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
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


async def delete_folder(storage: Storage, folder: str) -> None:
    """Remove every object in `folder`, as far as the store lets us: what a failure leaves
    behind is an orphan for the sweep."""
    try:
        for key in await storage.keys(folder):
            await storage.delete(key)
    except StorageUnavailable:
        pass


def storage_from_url(url: str, *, endpoint_url: str | None, signer: UrlSigner) -> Storage:
    """The backend `MEDIA_STORAGE` names: `file://path` or `s3://bucket/prefix`."""
    parts = urlsplit(url)
    if parts.scheme == "s3":
        return S3Storage(parts.netloc, parts.path, endpoint_url=endpoint_url)
    return FileStorage(Path(parts.netloc + parts.path), signer=signer)
