"""Page forms: the Structs Litestar decodes them into, what was typed (shown again), dates.

Litestar decodes a form into the handler's Struct: a field missing from the body takes its
default, a repeated one is a 400, and fields the Struct does not name (the CSRF token,
which the CSRF middleware reads) are left out. Where a person types free text (dates,
numbers), the Struct keeps a `str`, so a typo comes back beside its field, never as a 400:
the page converts it with the domain's own parsers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, TypeVar

import msgspec
from litestar.enums import RequestEncodingType
from litestar.params import Body

from timeline.core.errors import InvalidInput

T = TypeVar("T")

# `data: Annotated[SomeForm, FORM]`: a URL-encoded form; `MULTIPART` when it carries files.
FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
MULTIPART = Body(media_type=RequestEncodingType.MULTI_PART)


def typed(form: msgspec.Struct) -> dict[str, Any]:
    """The fields of `form` that were sent, by name, for a form shown again."""
    return {
        name: value
        for name in form.__struct_fields__
        if (value := getattr(form, name)) is not msgspec.UNSET
    }


def optional_date(text: str, *, message: str, field: str | None = None) -> date | None:
    """A date typed as YYYY-MM-DD, or None when the field was left empty; `message` tells
    the person how to write one, beside `field`."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(message, field=field) from None


async def read_form(read: Callable[[], T], access: Callable[[], Awaitable[object]]) -> T:
    """What `read()` makes of a form. When the form cannot be read, `access()` answers
    first (the domain checks it anyway on success): a stranger gets 404 and learns nothing
    from how their form was read, and a memory in the trash says so before a typo does."""
    try:
        return read()
    except InvalidInput:
        await access()
        raise
