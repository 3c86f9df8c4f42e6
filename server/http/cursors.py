"""Opaque paging cursors: the (date, id) key of the last memory a page showed."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from uuid import UUID

from timeline.core.errors import InvalidInput


def encode_cursor(key: tuple[date, UUID] | None) -> str | None:
    if key is None:
        return None
    return base64.urlsafe_b64encode(f"{key[0].isoformat()}|{key[1]}".encode()).decode()


def decode_cursor(cursor: str | None) -> tuple[date, UUID] | None:
    if not cursor:
        return None
    try:
        day, memory_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return date.fromisoformat(day), UUID(memory_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("This cursor is not one we gave out.", field="cursor") from None
