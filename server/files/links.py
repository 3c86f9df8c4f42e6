"""Links to photos: short-lived signed URLs for each variant and for the full-size photo."""

from __future__ import annotations

from datetime import datetime

from litestar.datastructures import State

from timeline.memories.drafts import draft_thumb_key
from timeline.memories.photos import variant_key
from timeline.models import Photo, ShareDraftPhoto


def original_path(photo_id: object) -> str:
    return f"/photos/{photo_id}/original"


def thumb_url(state: State, photo: Photo, now: datetime) -> str:
    """The signed link to the thumb alone, for cards (a page signs one link per photo)."""
    return state.storage.signed_url(variant_key(photo, "thumb"), now)


def draft_thumb_url(state: State, photo: ShareDraftPhoto, now: datetime) -> str:
    """The signed link to the thumb of a photo waiting in a share draft."""
    return state.storage.signed_url(draft_thumb_key(photo), now)


def photo_urls(state: State, photo: Photo, now: datetime, *, absolute: bool) -> dict[str, str]:
    """`thumb`, `display` and `original` links; `absolute` for API clients and e-mails,
    site-relative for pages (so they work under whatever host name the browser used)."""
    storage, signer = state.storage, state.signer
    original = original_path(photo.id)
    urls = {
        "thumb": storage.signed_url(variant_key(photo, "thumb"), now),
        "display": storage.signed_url(variant_key(photo, "display"), now),
        "original": f"{original}?{signer.signed_query(original, now)}",
    }
    if absolute:
        urls = {name: absolute_url(state, url) for name, url in urls.items()}
    return urls


def absolute_url(state: State, url: str) -> str:
    """`url` as a link that works outside the site: a path on the app gets `BASE_URL`."""
    return f"{state.settings.base_url}{url}" if url.startswith("/") else url
