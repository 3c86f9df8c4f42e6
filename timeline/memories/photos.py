"""Photos of memories: taking them in through the pipeline within a decoding budget, storing
each whole or not at all, their captions and order, building the full size once, removing
them, and sweeping stored objects that no photo row claims."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import BinaryIO
from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from media.errors import MediaError, StorageUnavailable
from media.image_threads import in_image_thread
from media.images import (
    ProcessedImage,
    check_decode_budget,
    full_size_jpeg,
    letter_jpeg_from,
    letter_jpeg_is_small,
    process,
)
from media.storage import Storage, delete_folders
from timeline.core.errors import DomainError, InvalidInput, NotFound
from timeline.core.text import check_one_line
from timeline.memories.cleanup import delete_with_photos
from timeline.memories.notices import announce_memory
from timeline.memories.writing import (
    ConnectionDraft,
    MemoryChanges,
    MemoryDraft,
    check_connection,
    create_memory,
    set_connection,
    update_memory,
)
from timeline.models import Memory, Photo, User
from timeline.timelines.access import live_memory, photo_for

PHOTOS = "photos"
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "image/heic": "heic",
    "image/avif": "avif",
}
# Named for how it is made: full sizes built before they were capped at 16 MP and stripped of
# JPEG comments ("full.jpg") are never served again; each is built anew on first request.
FULL_SIZE = "full-16mp.jpg"
# A caption is the photo's alt text: one line, as long as the photo table's column holds.
MAX_CAPTION = 300
# Objects of an upload (or a share) in progress exist before their row; the sweep leaves
# young ones be.
SWEEP_GRACE = timedelta(hours=6)
# Full-size builds under way in this process, by storage key: a request for a photo already
# being built awaits that build instead of starting another.
_full_size_builds: dict[str, asyncio.Task[None]] = {}


@dataclass(frozen=True)
class AddedPhoto:
    photo: Photo
    duplicate: bool


@dataclass(frozen=True)
class NewPhoto:
    """A photo as it arrives with a memory's form: its bytes and what it shows, in words."""

    source: BinaryIO
    caption: str = ""


def check_caption(text: str, *, field: str = "caption", label: str = "The caption") -> str:
    """A caption trimmed; `InvalidInput` naming `field` when it is too long or holds a line
    break or another control character. `label` names it in a sentence."""
    caption = text.strip()
    if len(caption) > MAX_CAPTION:
        raise InvalidInput(f"{label} can hold up to {MAX_CAPTION} characters.", field=field)
    return check_one_line(caption, field=field, label=label)


def variant_key(photo: Photo, name: str) -> str:
    """The storage key of a photo's `display` or `thumb` variant (WebP), or of its `mail`
    thumb (JPEG)."""
    return f"{photo.storage_key}/{name}.{'jpg' if name == 'mail' else 'webp'}"


def original_key(photo: Photo) -> str:
    return f"{photo.storage_key}/original.{EXTENSIONS[photo.original_type]}"


def full_size_key(photo: Photo) -> str:
    return f"{photo.storage_key}/{FULL_SIZE}"


async def add_photo(
    user: User,
    memory_id: UUID,
    source: BinaryIO,
    storage: Storage,
    *,
    now: datetime,
    caption: str = "",
) -> AddedPhoto:
    """Run an upload through the pipeline and store it after the memory's other photos; the
    same bytes already in the timeline are not stored again (nor captioned). A row exists
    only once every object is stored. `caption` is checked by the caller (`check_caption`)."""
    memory = await live_memory(user, memory_id)
    sha256 = await asyncio.to_thread(_sha256, source)
    existing = await Photo.filter(timeline_id=memory.timeline_id, sha256=sha256).first()
    if existing:
        return AddedPhoto(existing, duplicate=True)
    processed = await in_image_thread(_process_from_start, source)
    folder = f"{PHOTOS}/{now:%Y%m%d%H%M%S}-{secrets.token_hex(8)}"
    await _store_all(storage, folder, source, processed)
    # After the last one: a count would repeat a position once a photo has been removed.
    last = (
        await Photo.filter(memory=memory)
        .order_by("-position")
        .first()
        .values_list("position", flat=True)
    )
    position = 0 if last is None else last + 1
    try:
        photo = await Photo.create(
            memory=memory,
            timeline_id=memory.timeline_id,
            storage_key=folder,
            original_type=processed.original_type,
            sha256=sha256,
            width=processed.width,
            height=processed.height,
            taken_at=processed.taken_at,
            placeholder=processed.placeholder,
            position=position,
            caption=caption,
            created_at=now,
        )
    except IntegrityError:
        # The same bytes arrived twice at once; the other upload won.
        await delete_folders(storage, [folder])
        existing = await Photo.get(timeline_id=memory.timeline_id, sha256=sha256)
        return AddedPhoto(existing, duplicate=True)
    return AddedPhoto(photo, duplicate=False)


def _sha256(source: BinaryIO) -> str:
    source.seek(0)
    digest = hashlib.sha256()
    while chunk := source.read(1 << 20):
        digest.update(chunk)
    return digest.hexdigest()


def _process_from_start(source: BinaryIO) -> ProcessedImage:
    source.seek(0)
    return process(source)


async def _store_all(
    storage: Storage, folder: str, source: BinaryIO, processed: ProcessedImage
) -> None:
    """Store the original and the variants, or, when one write fails, none of them."""
    extension = EXTENSIONS[processed.original_type]
    try:
        await storage.put(f"{folder}/original.{extension}", source, processed.original_type)
        for variant in processed.variants:
            await storage.put(
                f"{folder}/{variant.name}.{variant.extension}", variant.data, variant.content_type
            )
    except StorageUnavailable:
        await delete_folders(storage, [folder])
        raise


async def delete_photo(user: User, photo_id: UUID, storage: Storage) -> Photo:
    """Remove a photo: its row first (so nothing links to it), then its objects. Returns
    what was removed."""
    photo = await photo_for(user, photo_id)
    await delete_with_photos(photo, Photo.filter(id=photo.id), storage)
    return photo


async def photo_by_signed_link(photo_id: UUID) -> Photo:
    """The photo a signed link names. The signature, checked by the caller, is the
    permission: whoever holds a valid link may see that one photo, member or not."""
    photo = await Photo.get_or_none(id=photo_id)
    if photo is None:
        raise NotFound("No such photo.")
    return photo


async def update_memory_with_photos(
    user: User,
    memory_id: UUID,
    changes: MemoryChanges,
    photos: list[NewPhoto],
    storage: Storage,
    *,
    now: datetime,
    captions: dict[UUID, str] | None = None,
) -> None:
    """An edit that also adds photos after the others and changes the captions of those it
    has: photos over the decoding budget together, or a caption that breaks a rule, are
    refused before anything changes, so a refused form changes nothing."""
    captions = {pid: check_caption(text) for pid, text in (captions or {}).items()}
    for photo in photos:
        check_caption(photo.caption)
    await asyncio.to_thread(check_decode_budget, [photo.source for photo in photos])
    await update_memory(user, memory_id, changes, now=now)
    if captions:
        await set_captions(user, memory_id, captions)
    for photo in photos:
        await add_photo(user, memory_id, photo.source, storage, now=now, caption=photo.caption)


async def set_captions(user: User, memory_id: UUID, captions: dict[UUID, str]) -> None:
    """Caption the memory's photos named in `captions` (photo id to text); ids that are not
    the memory's photos (removed meanwhile, or never its own) are passed over."""
    memory = await live_memory(user, memory_id)
    checked = {pid: check_caption(text) for pid, text in captions.items()}
    photos = await Photo.filter(memory=memory, id__in=list(checked))
    changed = [photo for photo in photos if photo.caption != checked[photo.id]]
    for photo in changed:
        photo.caption = checked[photo.id]
    if changed:
        await Photo.bulk_update(changed, fields=["caption"])


async def reorder_photos(user: User, memory_id: UUID, order: list[UUID]) -> list[Photo]:
    """Put the memory's photos in `order` (photo ids, first first). Ids that are not the
    memory's photos are passed over; its photos `order` does not name (added meanwhile) keep
    their turn after those it names. Returns the photos in their new order."""
    memory = await live_memory(user, memory_id)
    photos = await Photo.filter(memory=memory).order_by("position", "created_at", "id")
    rank = {pid: n for n, pid in enumerate(dict.fromkeys(order))}
    # A stable sort: those not named keep their order, after the named ones.
    ordered = sorted(photos, key=lambda photo: rank.get(photo.id, len(rank)))
    await _number(ordered)
    return ordered


async def move_photo(user: User, photo_id: UUID, step: int) -> Photo:
    """Move a photo one place earlier (`step` -1) or later (+1) among its memory's photos;
    the first stays first, the last stays last. Returns the photo."""
    photo = await photo_for(user, photo_id)
    memory = await live_memory(user, photo.memory_id)
    if step not in (-1, 1):
        raise InvalidInput("A photo moves one place earlier or later.", field="direction")
    photos = await Photo.filter(memory=memory).order_by("position", "created_at", "id")
    at = next(n for n, p in enumerate(photos) if p.id == photo.id)
    to = at + step
    if 0 <= to < len(photos):
        photos[at], photos[to] = photos[to], photos[at]
    await _number(photos)
    return photo


async def _number(photos: list[Photo]) -> None:
    """Positions 0, 1, 2… in the order given (only those that change are written)."""
    changed = []
    for position, photo in enumerate(photos):
        if photo.position != position:
            photo.position = position
            changed.append(photo)
    if changed:
        async with in_transaction():
            await Photo.bulk_update(changed, fields=["position"])


async def letter_jpeg(photo: Photo, storage: Storage) -> bytes:
    """The photo's JPEG for letters. One stored before letters showed photos at their
    column's width is made again from the display variant, and kept: once per photo."""
    key = variant_key(photo, "mail")
    data = await _read_all(storage, key)
    if not letter_jpeg_is_small(data, max(photo.width, photo.height)):
        return data
    try:
        display = await storage.open(variant_key(photo, "display"))
        try:
            larger = await in_image_thread(letter_jpeg_from, display)
        finally:
            display.close()
        await storage.put(key, larger, "image/jpeg")
    except (MediaError, OSError):
        # The small one still shows: better than none; the next letter tries again.
        return data
    return larger


async def _read_all(storage: Storage, key: str) -> bytes:
    source = await storage.open(key)
    try:
        return await asyncio.to_thread(source.read)
    finally:
        source.close()


async def ensure_full_size(photo: Photo, storage: Storage) -> str:
    """The key of the photo at full size with no metadata, made from the original the
    first time someone asks (most photos are never opened at full size).

    Built once: in this process, a request arriving during the build awaits it; across
    processes, the stored object is the result (looked for first, written whole)."""
    key = full_size_key(photo)
    build = _full_size_builds.get(key)
    if build is None:
        build = asyncio.ensure_future(_store_full_size(photo, storage, key))
        _full_size_builds[key] = build
        build.add_done_callback(functools.partial(_forget_build, key))
    # Shielded: a requester who goes away does not cancel the build others await.
    await asyncio.shield(build)
    return key


async def _store_full_size(photo: Photo, storage: Storage, key: str) -> None:
    if await storage.exists(key):
        return
    original = await storage.open(original_key(photo))
    try:
        jpeg = await in_image_thread(full_size_jpeg, original)
    finally:
        original.close()
    await storage.put(key, jpeg, "image/jpeg")


def _forget_build(key: str, _build: asyncio.Task[None]) -> None:
    # The object is stored by now (or the build failed): later requests look for it afresh.
    del _full_size_builds[key]


async def sweep_orphans(storage: Storage, *, now: datetime) -> int:
    """Remove stored objects no photo row claims (left by a crash mid-upload or a failed
    delete), sparing folders younger than the grace period. Returns objects removed."""
    claimed = set(await Photo.all().values_list("storage_key", flat=True))
    return await sweep_unclaimed(storage, PHOTOS, claimed, now=now)


async def sweep_unclaimed(
    storage: Storage, prefix: str, claimed: set[str], *, now: datetime
) -> int:
    """Remove the objects under `prefix` in folders (`prefix/<written>-<random>`) that are
    not `claimed`, once older than the grace period. Returns objects removed."""
    pattern = re.compile(rf"^{re.escape(prefix)}/(\d{{14}})-[0-9a-f]+$")
    orphans = []
    for key in await storage.keys(prefix):
        folder = key.rsplit("/", 1)[0]
        match = pattern.match(folder)
        if folder in claimed or not match:
            continue
        written = datetime.strptime(match[1], "%Y%m%d%H%M%S").replace(tzinfo=now.tzinfo)
        if now - written > SWEEP_GRACE:
            orphans.append(key)
    await storage.delete_many(orphans)
    return len(orphans)


async def create_memory_with_photos(
    user: User,
    timeline_id: UUID,
    draft: MemoryDraft,
    photos: list[NewPhoto],
    storage: Storage,
    *,
    now: datetime,
    connection: ConnectionDraft | None = None,
) -> Memory:
    """A new memory with its photos (in the order given, each with its caption) and, when
    given, how close its author felt; all or nothing: a caption or a score that breaks a
    rule, or photos over the decoding budget together, are refused before anything is made;
    when a photo is refused, the memory and the photos already stored go too, and the
    refusal is raised."""
    for photo in photos:
        check_caption(photo.caption)
    if connection is not None:
        check_connection(connection.score, connection.appreciation)
    await asyncio.to_thread(check_decode_budget, [photo.source for photo in photos])
    # The partner hears of it once, when it is whole.
    memory = await create_memory(user, timeline_id, draft, now=now, announce=False)
    try:
        for photo in photos:
            await add_photo(user, memory.id, photo.source, storage, now=now, caption=photo.caption)
    except (MediaError, DomainError):
        await discard_memory(memory, storage)
        raise
    if connection is not None:
        await set_connection(
            user, memory.id, connection.score, connection.appreciation, now=now, announce=False
        )
    await announce_memory(user, memory, now=now)
    return memory


async def discard_memory(memory: Memory, storage: Storage) -> None:
    """Delete a memory outright (not to the trash), with its photos' objects."""
    await delete_with_photos(memory, Photo.filter(memory=memory), storage)
