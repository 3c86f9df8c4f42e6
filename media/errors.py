"""What can go wrong with a photo or with storage; the web layer maps each to a status code."""

from __future__ import annotations


class MediaError(Exception):
    """Base of the media failures; `str(error)` is a message fit to show a user."""


class UnsupportedImage(MediaError):
    """The bytes are not an image format we read (415)."""


class ImageTooLarge(MediaError):
    """More pixels than the budget: refused before decoding (413)."""


class BrokenImage(MediaError):
    """A known format whose data is damaged or truncated (422)."""


class StorageUnavailable(MediaError):
    """The storage backend did not answer or refused a write (503)."""


class MissingObject(MediaError):
    """No object is stored under the key asked for, whichever the backend. Asked for through
    a photo's link, the photo is gone (404); anywhere else, stored data went missing (500,
    logged with `key`, which the message does not show)."""

    def __init__(self, key: str) -> None:
        super().__init__("A stored photo is missing.")
        self.key = key
