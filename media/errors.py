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
    """No object is stored under the key asked for, whichever the backend (404)."""
