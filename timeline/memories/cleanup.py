"""Deleting rows together with the stored objects of their photos, in the one safe order."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from typing import Any, Protocol

from tortoise.queryset import QuerySet

from media.storage import Storage, delete_folders
from timeline.models import Photo


class Deletable(Protocol):
    """A model instance or a query set: something whose rows `delete()` removes."""

    def delete(self) -> Awaitable[Any]: ...


async def delete_with_photos(
    rows: Deletable,
    photos: QuerySet[Photo],
    storage: Storage,
    *,
    also: Iterable[str] = (),
) -> None:
    """Delete `rows`, then the stored objects of `photos` (the photos those rows take with
    them) and the folders named in `also`. The photos are read first, as deleting the rows
    cascades to them; rows go before objects, so a crash in between leaves orphans for the
    sweep, never a row pointing at nothing. A store that fails is logged, not raised."""
    folders = await photos.values_list("storage_key", flat=True)
    await rows.delete()
    await delete_folders(storage, [*folders, *also])
