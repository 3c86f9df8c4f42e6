"""API: a relationship year's recap, and the links that share it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, delete, get, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody, Parameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from server.api.memories import MemoryOut, memory_out
from server.api.photos import PhotoOut, photo_out
from server.common.links import share_url
from server.files.links import absolute_url
from server.http.auth import signed_in
from server.http.dependencies import Member, Now, SettingsDep
from timeline.core.calendar import iso_at, member_today
from timeline.models import Memory
from timeline.recaps.collage import CollageKeys, ensure_collage
from timeline.recaps.recap import Recap, recap_of
from timeline.recaps.shares import create_share, revoke_shares

# Year N of a couple, in paths: anything beyond is no year anyone has lived together.
YearNumber = Annotated[int, Parameter(ge=1, le=150)]


class PlaceOut(msgspec.Struct):
    place: str
    count: int


class MonthOut(msgspec.Struct):
    # "2025-07", or "2025" (precision "year") for the memories known only to their year.
    month: str
    count: int
    photo: PhotoOut | None
    precision: str


class QuoteOut(msgspec.Struct):
    text: str
    author_id: UUID
    author_name: str
    memory_id: UUID


class ThenAndNowOut(msgspec.Struct):
    then: MemoryOut
    now: MemoryOut


class YearsSinceOut(msgspec.Struct):
    milestone_id: UUID
    years: int
    words: str


class CollageOut(msgspec.Struct):
    webp: str
    jpeg: str


class RecapOut(msgspec.Struct):
    timeline_id: UUID
    year: int
    title: str
    starts_on: date
    ends_on: date
    so_far: bool
    memories: int
    photos: int
    place_count: int
    places: list[PlaceOut]
    moments: list[MemoryOut]
    months: list[MonthOut]
    firsts: list[MemoryOut]
    quotes: list[QuoteOut]
    most_answered: MemoryOut | None
    recreated: list[ThenAndNowOut]
    milestones: list[YearsSinceOut]
    collage: CollageOut | None


class ShareIn(msgspec.Struct):
    expires_in_days: int | None = None
    # One line from the couple, shown at the top of the shared page.
    message: str = ""


class ShareOut(msgspec.Struct):
    id: UUID
    url: str
    token: str
    year: int
    expires_at: datetime | None
    message: str


class RecapsController(Controller):
    path = "/api/v1/timelines/{timeline_id:uuid}/recaps/{year:int}"
    tags = ["recaps"]
    guards = [signed_in]

    @get("", operation_id="getRecap")
    async def read(
        self,
        member: Member,
        state: State,
        timeline_id: FromPath[UUID],
        year: FromPath[YearNumber],
        now: Now,
    ) -> RecapOut:
        """Year `year` of the couple (from 1, counted from `together_since`); the year in
        progress is a recap so far. 404 before the year begins, before the year of the
        couple's first memory, or without an anniversary. `months` lists the months that
        hold memories, then any calendar year whose memories are known only to the year."""
        recap = await recap_of(member, timeline_id, year, member_today(member, now))
        return await _out(state, recap, now)

    @post("/share", operation_id="shareRecap")
    async def share(
        self,
        member: Member,
        settings: SettingsDep,
        timeline_id: FromPath[UUID],
        year: FromPath[YearNumber],
        data: JSONBody[ShareIn],
        now: Now,
    ) -> ShareOut:
        """A read-only link to this year's recap for anyone who holds it (201), valid for
        `expires_in_days` (1 to 365) or until revoked, opening with `message` (optional, one
        line, 160 characters at most). 409 for a year with nothing to share yet: one before
        the couple's first memory, or one still being written (fewer than 3 memories)."""
        issued = await create_share(
            member,
            timeline_id,
            year,
            data.expires_in_days,
            key=settings.secret_key.encode(),
            message=data.message,
            now=now,
        )
        return ShareOut(
            id=issued.share.id,
            url=share_url(settings, issued.token),
            token=issued.token,
            year=year,
            expires_at=issued.share.expires_at,
            message=issued.share.message,
        )

    @delete("/share", status_code=HTTP_204_NO_CONTENT, operation_id="revokeRecapShares")
    async def revoke(
        self, member: Member, timeline_id: FromPath[UUID], year: FromPath[YearNumber], now: Now
    ) -> None:
        """Revoke every link to this year's recap."""
        await revoke_shares(member, timeline_id, year, now=now)


async def _out(state: State, recap: Recap, now: datetime) -> RecapOut:
    keys = await ensure_collage(
        recap.timeline.id, recap.year.number, recap.title, recap.collage, state.storage
    )

    def memory(m: Memory) -> MemoryOut:
        return memory_out(state, m, now)

    return RecapOut(
        timeline_id=recap.timeline.id,
        year=recap.year.number,
        title=recap.title,
        starts_on=recap.year.starts_on,
        ends_on=recap.year.ends_on,
        so_far=recap.so_far,
        memories=recap.memories,
        photos=recap.photos,
        place_count=recap.place_count,
        places=[PlaceOut(place, count) for place, count in recap.places],
        moments=[memory(m) for m in recap.moments],
        months=[
            MonthOut(
                iso_at(m.first_day, m.precision),
                m.count,
                photo_out(state, m.photo, now) if m.photo else None,
                m.precision,
            )
            for m in recap.months
        ],
        firsts=[memory(m) for m in recap.firsts],
        quotes=[
            QuoteOut(q.text, q.author.id, q.author.display_name, q.memory.id) for q in recap.quotes
        ],
        most_answered=memory(recap.most_answered) if recap.most_answered else None,
        recreated=[ThenAndNowOut(memory(p.then), memory(p.now)) for p in recap.recreated],
        milestones=[YearsSinceOut(y.milestone.id, y.years, y.words) for y in recap.milestones],
        collage=_collage(state, keys, now) if keys else None,
    )


def _collage(state: State, keys: CollageKeys, now: datetime) -> CollageOut:
    return CollageOut(
        absolute_url(state, state.storage.signed_url(keys.webp, now)),
        absolute_url(state, state.storage.signed_url(keys.jpeg, now)),
    )
