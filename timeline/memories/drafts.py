"""Drafts of photos shared from a phone's gallery (the share target): taken in through the
photo pipeline's checks before anything is stored, kept a day for their member (or, shared
before logging in, for whoever holds the draft's secret), turned into a memory's photos, and
cleaned away with their stored files when saved, dropped or expired."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import BinaryIO
from uuid import UUID

from tortoise.transactions import in_transaction

from media.errors import StorageUnavailable
from media.image_threads import in_image_thread
from media.images import ProcessedImage, check_decode_budget, preview
from media.storage import Storage, delete_folders
from timeline.core.errors import InvalidInput, NotFound, Throttled
from timeline.memories.photos import (
    EXTENSIONS,
    NewPhoto,
    create_memory_with_photos,
    sweep_unclaimed,
)
from timeline.memories.writing import MAX_BODY, MAX_TITLE, ConnectionDraft, MemoryDraft
from timeline.models import Memory, ShareDraft, ShareDraftPhoto, User

DRAFTS = "drafts"
# Long enough to log in (or sign up) on the phone and write the memory; short enough that
# photos nobody came back for do not linger.
DRAFT_LIFETIME = timedelta(days=1)
# One share sheet's worth: more photos than a memory shows well, and (with the request's
# MAX_UPLOAD_MB and the decoding budget) a bound on what one share may store.
MAX_SHARED_PHOTOS = 20
# Shares made before logging in, waiting at once: what strangers can make us store is
# bounded (with MAX_UPLOAD_MB, 3 GB at the default), however many addresses they share from.
MAX_WAITING_ANONYMOUS = 100
_TOO_MANY_WAITING = "Many shared photos are waiting for someone to log in. Log in, then share."
_MISSING = "These shared photos are no longer here: they are kept for a day. Share them again."


@dataclass(frozen=True)
class StartedDraft:
    """A draft just made, and the secret that claims it (for a sharer not logged in yet)."""

    draft: ShareDraft
    secret: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def draft_original_key(photo: ShareDraftPhoto) -> str:
    return f"{photo.storage_key}/original.{EXTENSIONS[photo.original_type]}"


def draft_thumb_key(photo: ShareDraftPhoto) -> str:
    """The thumb of a shared photo: WebP, upright, with no metadata, as photos' thumbs are."""
    return f"{photo.storage_key}/thumb.webp"


async def start_draft(
    user: User | None,
    sources: list[BinaryIO],
    storage: Storage,
    *,
    now: datetime,
    title: str = "",
    text: str = "",
) -> StartedDraft:
    """A draft of the shared photos, in the order given, for `user` (None: not logged in
    yet; the returned secret claims it). Every photo is checked (count, format, pixels,
    the decoding budget together, then decoded for its thumb) before anything is stored, so
    a refused share stores nothing; a store that fails takes back what it had stored."""
    check_shared_count(len(sources))
    if user is None and (
        await ShareDraft.filter(user_id=None, expires_at__gt=now).count() >= MAX_WAITING_ANONYMOUS
    ):
        raise Throttled(_TOO_MANY_WAITING, retry_after=3600)
    await asyncio.to_thread(check_decode_budget, sources)
    previews = [await in_image_thread(_preview_from_start, source) for source in sources]
    folders: list[str] = []
    try:
        for source, shown in zip(sources, previews, strict=True):
            folder = f"{DRAFTS}/{now:%Y%m%d%H%M%S}-{secrets.token_hex(8)}"
            folders.append(folder)
            await _store(storage, folder, source, shown)
        secret = secrets.token_urlsafe(32)
        async with in_transaction():
            draft = await ShareDraft.create(
                user=user,
                token_hash=_hash(secret),
                title=_one_line(title)[:MAX_TITLE],
                body=_shared_words(text)[:MAX_BODY],
                created_at=now,
                expires_at=now + DRAFT_LIFETIME,
            )
            await ShareDraftPhoto.bulk_create(
                [
                    ShareDraftPhoto(
                        draft=draft,
                        storage_key=folder,
                        original_type=shown.original_type,
                        width=shown.width,
                        height=shown.height,
                        taken_on=_day_of(shown),
                        placeholder=shown.placeholder,
                        position=position,
                    )
                    for position, (folder, shown) in enumerate(zip(folders, previews, strict=True))
                ]
            )
    except BaseException:
        await delete_folders(storage, folders)
        raise
    return StartedDraft(draft, secret)


def check_shared_count(count: int) -> None:
    """`InvalidInput` for a share with no photos, or more than one draft takes."""
    if not count:
        raise InvalidInput("Nothing came with this share: share one or more photos.", "photos")
    if count > MAX_SHARED_PHOTOS:
        raise InvalidInput(
            f"That is {count} photos: share up to {MAX_SHARED_PHOTOS} at a time.", field="photos"
        )


def _preview_from_start(source: BinaryIO) -> ProcessedImage:
    source.seek(0)
    return preview(source)


async def _store(storage: Storage, folder: str, source: BinaryIO, shown: ProcessedImage) -> None:
    try:
        extension = EXTENSIONS[shown.original_type]
        await storage.put(f"{folder}/original.{extension}", source, shown.original_type)
        for variant in shown.variants:
            await storage.put(
                f"{folder}/{variant.name}.{variant.extension}", variant.data, variant.content_type
            )
    except StorageUnavailable:
        await delete_folders(storage, [folder])
        raise


def _day_of(shown: ProcessedImage) -> date | None:
    """The day on the camera's own clock (a time with an offset is kept in it)."""
    return shown.taken_at.date() if shown.taken_at else None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _shared_words(text: str) -> str:
    """What came with the photos as a story: kept as written, without control characters."""
    kept = "".join(c for c in text if c in "\n\t" or c.isprintable())
    return kept.strip()


async def claim_draft(
    user: User, draft_id: UUID, secret: str | None, *, now: datetime
) -> ShareDraft:
    """The draft for `user`: one of their own, or one shared before logging in whose secret
    they hold (it becomes theirs). Anything else is `NotFound`, whoever's it is."""
    draft = await ShareDraft.get_or_none(id=draft_id, expires_at__gt=now)
    if draft is None:
        raise NotFound(_MISSING)
    if draft.user_id == user.id:
        return draft
    if draft.user_id is None and secret and hmac.compare_digest(_hash(secret), draft.token_hash):
        # Claimed once: a second browser holding the same secret finds it taken.
        claimed = await ShareDraft.filter(id=draft.id, user_id__isnull=True).update(user_id=user.id)
        if claimed:
            draft.user_id = user.id
            return draft
    raise NotFound(_MISSING)


async def draft_of(user: User, draft_id: UUID, *, now: datetime) -> ShareDraft:
    """One of `user`'s drafts that has not expired, its photos loaded in their order."""
    draft = await ShareDraft.get_or_none(id=draft_id, user_id=user.id, expires_at__gt=now)
    if draft is None:
        raise NotFound(_MISSING)
    draft.shared = await ShareDraftPhoto.filter(draft=draft).order_by("position")
    return draft


def proposed_day(draft: ShareDraft, *, today: date) -> date | None:
    """The earliest day the draft's photos were taken on, by their EXIF; none in the future
    (a camera's clock can be wrong)."""
    days = [p.taken_on for p in draft.shared if p.taken_on and p.taken_on <= today]
    return min(days, default=None)


async def drop_draft_photo(
    user: User, draft_id: UUID, photo_id: UUID, storage: Storage, *, now: datetime
) -> ShareDraft:
    """Leave one shared photo out of the draft: its row, then its files."""
    draft = await draft_of(user, draft_id, now=now)
    photo = next((p for p in draft.shared if p.id == photo_id), None)
    if photo is None:
        raise NotFound("That photo is not in this draft any more.")
    await photo.delete()
    await delete_folders(storage, [photo.storage_key])
    return draft


async def create_memory_from_draft(
    user: User,
    timeline_id: UUID,
    draft_id: UUID,
    memory: MemoryDraft,
    captions: dict[UUID, str],
    photos: list[NewPhoto],
    storage: Storage,
    *,
    now: datetime,
    connection: ConnectionDraft | None = None,
) -> Memory:
    """A new memory whose photos are the draft's (in the draft's order, each with its caption
    from `captions`, by shared photo id), then `photos`, all through the same pipeline as
    any upload; the draft then goes, rows and files. Refused, nothing is made and the draft
    stays as it was."""
    draft = await draft_of(user, draft_id, now=now)
    sources: list[BinaryIO] = []
    try:
        for shared in draft.shared:
            sources.append(await storage.open(draft_original_key(shared)))
        from_draft = [
            NewPhoto(source, captions.get(shared.id, ""))
            for shared, source in zip(draft.shared, sources, strict=True)
        ]
        made = await create_memory_with_photos(
            user,
            timeline_id,
            memory,
            [*from_draft, *photos],
            storage,
            now=now,
            connection=connection,
        )
    finally:
        for source in sources:
            source.close()
    await discard_draft(draft, storage)
    return made


async def discard_draft(draft: ShareDraft, storage: Storage) -> None:
    """The draft's rows, then its files (a crash in between leaves files for the sweep)."""
    folders = await ShareDraftPhoto.filter(draft=draft).values_list("storage_key", flat=True)
    await ShareDraft.filter(id=draft.id).delete()
    await delete_folders(storage, folders)


async def purge_expired_drafts(storage: Storage, *, now: datetime) -> int:
    """The daily cleanup: drafts past their day go with their files, and draft folders no
    row claims (a crash between storing and recording) once they are older than the grace
    period. Returns how many drafts went."""
    expired = await ShareDraft.filter(expires_at__lte=now).values_list("id", flat=True)
    if expired:
        folders = await ShareDraftPhoto.filter(draft_id__in=expired).values_list(
            "storage_key", flat=True
        )
        await ShareDraft.filter(id__in=expired).delete()
        await delete_folders(storage, folders)
    claimed = set(await ShareDraftPhoto.all().values_list("storage_key", flat=True))
    await sweep_unclaimed(storage, DRAFTS, claimed, now=now)
    return len(expired)
