"""A recap's collage, kept in storage under a key derived from what it is made of (its title
and photos, in order), so it is built once and rebuilt only when those change."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from uuid import UUID

from media.collage import make_collage
from media.storage import Storage
from timeline.memories.photos import variant_key
from timeline.models import Photo

RECAPS = "recaps"
# Bumped when the layout changes, so collages made by older code are rebuilt.
LAYOUT = "2"
# One build per key at a time in this process; other processes may race, harmlessly:
# they write the same bytes under the same key.
_building: dict[str, asyncio.Lock] = {}


@dataclass(frozen=True)
class CollageKeys:
    webp: str
    jpeg: str


def collage_keys(timeline_id: UUID, year: int, title: str, photos: list[Photo]) -> CollageKeys:
    """Where the collage of these photos under this title is kept."""
    inputs = "\n".join([LAYOUT, title, *(p.storage_key for p in photos)])
    name = hashlib.sha256(inputs.encode()).hexdigest()[:32]
    folder = f"{RECAPS}/{timeline_id}/{year}"
    return CollageKeys(f"{folder}/{name}.webp", f"{folder}/{name}.jpg")


async def ensure_collage(
    timeline_id: UUID, year: int, title: str, photos: list[Photo], storage: Storage
) -> CollageKeys | None:
    """The keys of the collage, built now (off the event loop) if it is not stored yet;
    None for a year without photos. Collages of earlier inputs for this year are removed."""
    if not photos:
        return None
    keys = collage_keys(timeline_id, year, title, photos)
    lock = _building.setdefault(keys.jpeg, asyncio.Lock())
    async with lock:
        if not await storage.exists(keys.jpeg):
            await _build(keys, title, photos, storage)
    _building.pop(keys.jpeg, None)
    return keys


async def _build(keys: CollageKeys, title: str, photos: list[Photo], storage: Storage) -> None:
    sources = [await _read(storage, variant_key(photo, "display")) for photo in photos]
    collage = await asyncio.to_thread(make_collage, sources, title)
    folder = keys.jpeg.rsplit("/", 1)[0]
    await storage.delete_many(await storage.keys(folder))
    await storage.put(keys.webp, collage.webp, "image/webp")
    # Written last: its presence says the collage is complete.
    await storage.put(keys.jpeg, collage.jpeg, "image/jpeg")


async def _read(storage: Storage, key: str) -> bytes:
    source = await storage.open(key)
    try:
        return await asyncio.to_thread(source.read)
    finally:
        source.close()
