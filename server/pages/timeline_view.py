"""What the timeline page shows: memory tiles in a justified grid, under month headings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from litestar.datastructures import State

from media.images import DISPLAY_EDGE, THUMB_EDGE, fitted_size
from server.files.links import photo_urls
from timeline.models import Connection, Memory, Photo, User

# A tile shows a memory's first photos: the first large, up to three more in a strip below
# it (the last with "+N" when there are more); every photo is in the viewer.
SHOWN = 4
# A text-only memory's card stands in the grid as if it were a photo of this shape.
TEXT_SHAPE = 1.1


@dataclass(frozen=True)
class Shown:
    """A photo as a tile shows it: the thumb in the grid, the display variant in the viewer."""

    photo: Photo
    thumb: str
    display: str
    original: str
    width: int
    height: int
    display_width: int
    display_height: int

    @property
    def shape(self) -> float:
        """Width over height, which the grid keeps."""
        return self.width / self.height


@dataclass(frozen=True)
class Rating:
    """One partner's connection on a card; `score` is None until they rate."""

    member: User
    score: int | None
    is_me: bool


@dataclass(frozen=True)
class Card:
    memory: Memory
    photos: list[Shown]
    ratings: list[Rating]

    @property
    def cover(self) -> Shown | None:
        return self.photos[0] if self.photos else None

    @property
    def strip(self) -> list[Shown]:
        """The photos under the first one, in one row; two photos stand side by side instead."""
        return self.photos[1:SHOWN] if len(self.photos) > 2 else []

    @property
    def more(self) -> int:
        """How many photos the tile does not show ("+N")."""
        return max(0, len(self.photos) - SHOWN)

    @property
    def shape(self) -> float:
        """The photos' box, width over height, so the justified grid gives each photo its own
        shape: one photo's shape; two side by side add up; a strip under the first photo, as
        wide as it, adds its height (one over the strip's shapes added up)."""
        if not self.photos:
            return TEXT_SHAPE
        if len(self.photos) <= 2:
            return round(sum(p.shape for p in self.photos), 4)
        return round(1 / (1 / self.photos[0].shape + 1 / sum(p.shape for p in self.strip)), 4)


@dataclass
class MonthGroup:
    """The memories of one month (or of a year known only to the year), newest first;
    `key` lets the next page's first month join the last month already shown."""

    key: str
    heading: str
    cards: list[Card] = field(default_factory=list)


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
                photos=[shown_photo(state, p, now) for p in photos],
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


def shown_photo(state: State, photo: Photo, now: datetime) -> Shown:
    """A photo as a tile or a list row shows it, its links signed for now."""
    urls = photo_urls(state, photo, now, absolute=False)
    width, height = fitted_size(photo.width, photo.height, THUMB_EDGE)
    display_width, display_height = fitted_size(photo.width, photo.height, DISPLAY_EDGE)
    return Shown(
        photo=photo,
        thumb=urls["thumb"],
        display=urls["display"],
        original=urls["original"],
        width=width,
        height=height,
        display_width=display_width,
        display_height=display_height,
    )


def group_by_month(cards: list[Card]) -> list[MonthGroup]:
    """Consecutive cards under their month ("June 2024"); a memory known only to its year
    goes under "Sometime in 2021". Order is kept as given (newest first)."""
    months: list[MonthGroup] = []
    for card in cards:
        memory = card.memory
        day = memory.occurred_on
        if memory.date_precision == Memory.YEAR:
            key, heading = f"{day.year}", f"Sometime in {day.year}"
        else:
            key, heading = f"{day:%Y-%m}", f"{day:%B %Y}"
        if not months or months[-1].key != key:
            months.append(MonthGroup(key, heading))
        months[-1].cards.append(card)
    return months
