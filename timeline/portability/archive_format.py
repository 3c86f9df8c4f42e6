"""The archive's `timeline.json` (format remember-when/1) as one typed schema: the export
writes these structures and the import reads them back strictly, so the two cannot drift.

The schema settles shapes and types (an unknown field, a number where a memory belongs, a
date that is no date are refused here); the rules on values (lengths, kinds, scores, one
line) are the domain's own checks, which the import runs as the API does."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

from timeline.core.errors import InvalidInput

FORMAT = "remember-when/1"
DOCUMENT = "timeline.json"
# How a member reference names someone who has left the timeline since.
FORMER_PARTNER = "former partner"

# Instants the export writes always carry their offset; one without is no export of ours.
Instant = Annotated[datetime, msgspec.Meta(tz=True)]
# Suggestions have no domain check of their own (the daily pick writes them): their few
# free-text values are bounded here.
Reason = Annotated[str, msgspec.Meta(max_length=300)]


class _Entry(msgspec.Struct, forbid_unknown_fields=True):
    """A part of the document: fields it does not know are refused, not ignored."""


class TimelineEntry(_Entry, kw_only=True):
    name: str
    together_since: date | None = None
    timezone: str | None = None


class MemberEntry(_Entry, kw_only=True):
    id: UUID
    display_name: str


class PhotoEntry(_Entry, kw_only=True):
    file: str
    caption: str = ""
    position: Annotated[int, msgspec.Meta(ge=0, le=100_000)] = 0
    # What the original held when exported; the import works them out again from the bytes.
    taken_at: datetime | None = None
    width: int | None = None
    height: int | None = None
    sha256: str | None = None


class ConnectionEntry(_Entry, kw_only=True):
    member: str | None
    score: int
    appreciation: str = ""
    updated_at: Instant


class ReplyEntry(_Entry, kw_only=True):
    member: str | None
    text: str
    at: Instant


class MemoryEntry(_Entry, kw_only=True):
    id: UUID
    title: str
    body: str = ""
    occurred_on: date
    date_precision: str = "day"
    place: str = ""
    kind: str = "everyday"
    tags: list[str] = []
    author: str | None = None
    recreates: UUID | None = None
    never_resurface: bool = False
    created_at: Instant
    updated_at: Instant
    deleted_at: Instant | None = None
    photos: list[PhotoEntry] = []
    connections: list[ConnectionEntry] = []
    replies: list[ReplyEntry] = []


class MilestoneEntry(_Entry, kw_only=True):
    kind: str
    label: str = ""
    occurred_on: date
    date_precision: str = "day"


class QuietRuleEntry(_Entry, kw_only=True):
    tag: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    yearly: bool = False


class SuggestionEntry(_Entry, kw_only=True):
    local_date: date
    memory: UUID
    score: float
    reasons: Annotated[list[Reason], msgspec.Meta(max_length=20)] = []
    prompt: Annotated[str, msgspec.Meta(max_length=500)] = ""
    action: str | None = None
    snoozed_until: date | None = None
    planned_on: date | None = None
    answered_by: str | None = None


class Archive(_Entry, kw_only=True):
    format: str
    exported_at: Instant
    timeline: TimelineEntry
    members: list[MemberEntry]
    milestones: list[MilestoneEntry] = []
    quiet_rules: list[QuietRuleEntry] = []
    suggestions: list[SuggestionEntry] = []
    memories: list[MemoryEntry] = []


class _Header(msgspec.Struct):
    """Just enough of any JSON document to tell whether it claims to be ours."""

    format: str | None = None


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(Archive, strict=True)


def encode(archive: Archive) -> bytes:
    """`timeline.json`'s bytes: UTF-8, indented for people who open it."""
    return msgspec.json.format(_encoder.encode(archive), indent=2)


def decode(data: bytes) -> Archive:
    """The archive `data` describes, or `InvalidInput` naming where it breaks the schema
    ("memories[3].title: Expected `str`, got `int`")."""
    try:
        archive = _decoder.decode(data)
    except msgspec.ValidationError as error:
        _refuse_other_formats(data)
        raise InvalidInput(_located(str(error))) from None
    except msgspec.DecodeError as error:
        raise InvalidInput(f"{DOCUMENT}: {error}") from None
    if archive.format != FORMAT:
        raise _not_ours()
    return archive


def _refuse_other_formats(data: bytes) -> None:
    """A document of another format or version fails the schema in ways that say little:
    say what it is instead."""
    try:
        header = msgspec.json.decode(data, type=_Header)
    except msgspec.MsgspecError:
        return
    if header.format != FORMAT:
        raise _not_ours()


def _not_ours() -> InvalidInput:
    return InvalidInput(f"{DOCUMENT} is not a Remember When archive ({FORMAT}).")


def _located(message: str) -> str:
    """msgspec's "Expected `int`, got `str` - at `$.memories[0].title`" as
    "memories[0].title: Expected `int`, got `str`"."""
    text, separator, where = message.rpartition(" - at `")
    if not separator:
        return f"{DOCUMENT}: {message}"
    path = where.rstrip("`").removeprefix("$").removeprefix(".")
    return f"{path or DOCUMENT}: {text}"
