"""What the timeline page shows: memory cards, grouped under year and month headings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from litestar.datastructures import State

from media.images import THUMB_EDGE, fitted_size
from server.files.links import thumb_url
from timeline.models import Connection, Memory, Photo, User

EXCERPT = 180
COVERS = 3


@dataclass(frozen=True)
class Cover:
    photo: Photo
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class Rating:
    """One partner's connection on a card; `score` is None until they rate."""

    member: User
    score: int | None
    is_me: bool


@dataclass(frozen=True)
class Card:
    memory: Memory
    covers: list[Cover]
    more_photos: int
    ratings: list[Rating]


@dataclass
class MonthGroup:
    heading: str
    cards: list[Card] = field(default_factory=list)


@dataclass
class YearGroup:
    year: int
    months: list[MonthGroup] = field(default_factory=list)


def cards_for(
    state: State, memories: list[Memory], members: list[User], me: User, now: datetime
) -> list[Card]:
    """Cards for memories whose photos and connections were prefetched."""
    cards = []
    for memory in memories:
        photos = sorted(memory.photos, key=lambda p: p.position)
        scores: dict[UUID, Connection] = {c.user_id: c for c in memory.connections}
        cards.append(
            Card(
                memory=memory,
                covers=[_cover(state, p, now) for p in photos[:COVERS]],
                more_photos=max(0, len(photos) - COVERS),
                ratings=[
                    Rating(
                        member=m,
                        score=scores[m.id].score if m.id in scores else None,
                        is_me=m.id == me.id,
                    )
                    for m in members
                ],
            )
        )
    return cards


def _cover(state: State, photo: Photo, now: datetime) -> Cover:
    width, height = fitted_size(photo.width, photo.height, THUMB_EDGE)
    return Cover(photo=photo, url=thumb_url(state, photo, now), width=width, height=height)


def group_by_month(cards: list[Card]) -> list[YearGroup]:
    """Consecutive cards under their year, then their month; a memory known only to the
    year goes under "Sometime in <year>". Order is kept as given (newest first)."""
    years: list[YearGroup] = []
    for card in cards:
        memory = card.memory
        if not years or years[-1].year != memory.occurred_on.year:
            years.append(YearGroup(memory.occurred_on.year))
        heading = (
            f"Sometime in {memory.occurred_on.year}"
            if memory.date_precision == Memory.YEAR
            else f"{memory.occurred_on:%B}"
        )
        months = years[-1].months
        if not months or months[-1].heading != heading:
            months.append(MonthGroup(heading))
        months[-1].cards.append(card)
    return years
