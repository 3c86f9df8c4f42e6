"""Simulated couples for the resurfacing evaluation: three worlds built on different
assumptions about how ratings, notes, replies, recreations and answers relate to a hidden
closeness.

Each world makes couples with years of memories. Every memory has a hidden closeness in
[0, 1]: how close the couple truly felt. What the engine sees (scores, notes, replies,
recreations, and the answers the couple gives to each day's pick) is drawn from it, in a
way that differs from world to world:

- "steady": the world the engine is tuned on. Both partners read closeness on the whole
  scale with a little noise and a small bias each, and leave a third of their memories
  unrated at random; notes follow high scores, replies follow closeness; close picks are
  planned again, distant ones put off or refused.
- "two scales": partners who rate differently. Each partner has a style (generous, harsh
  or the whole scale) and a habit of rating, and rates strong feelings more often than
  lukewarm ones; notes and replies are mostly habit and chatter; the couple answers two
  picks in five, and "not now" says nothing about closeness.
- "talkers": few ratings, many words, and seasons. Three memories in four go unrated;
  notes and replies follow closeness steeply; trips and firsts are closer, summers fill
  the calendar, and answers are frequent and telling.

Nothing here is read by the engine: it sees only what a couple would have written."""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("date", "trip", "ritual", "everyday", "milestone", "first")
PLACES = ("Lyon", "Annecy", "Home", "Marseille", "Porto", "Berlin", "")
TAGS = ("summer", "walks", "music", "family", "friends", "food", "sea", "snow")
# The simulated year of picks starts here; memories are from the years before.
YEAR_STARTS = date(2026, 1, 1)


@dataclass(frozen=True)
class Moment:
    """A simulated memory: what the couple wrote down, and the hidden closeness."""

    id: uuid.UUID
    occurred_on: date
    precision: str
    kind: str
    place: str
    tags: tuple[str, ...]
    truth: float
    scores: tuple[int | None, int | None]
    # Appreciation notes, one per partner at most, each on a side that rated.
    notes: tuple[bool, bool]
    replies: int
    recreates: uuid.UUID | None = None


Answer = Callable[[Moment, random.Random], str | None]


@dataclass(frozen=True)
class Couple:
    moments: list[Moment]
    # The couple's answer to a pick: "recreate", "snooze", "never" or None (no answer).
    answer: Answer


@dataclass(frozen=True)
class World:
    name: str
    make: Callable[[random.Random], Couple]


def _clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's draw: small means only."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _day(rng: random.Random, years: int, summers: float = 0.0) -> date:
    """A day in the `years` before the simulated year; `summers` of them in June to August,
    a quarter as many in December."""
    first = YEAR_STARTS - timedelta(days=365 * years)
    while True:
        day = first + timedelta(days=rng.randrange(365 * years))
        roll = rng.random()
        if roll < summers:
            if day.month in (6, 7, 8):
                return day
        elif roll < summers * 1.25:
            if day.month == 12:
                return day
        else:
            return day


def _precision(rng: random.Random, day_share: float) -> str:
    roll = rng.random()
    return "day" if roll < day_share else "month" if roll < (1 + day_share) / 2 else "year"


def _with_recreations(
    rng: random.Random,
    moments: list[Moment],
    chance: Callable[[float], float],
    again: Callable[[date], Moment],
) -> list[Moment]:
    """Later memories that recreate earlier ones, likelier the closer the earlier one was.
    They are memories in their own right (their own closeness and ratings come from
    `again`), dated after what they recreate."""
    extra = []
    for original in moments:
        if rng.random() >= chance(original.truth):
            continue
        room = (YEAR_STARTS - timedelta(days=1) - original.occurred_on).days
        if room < 30:
            continue
        later = again(original.occurred_on + timedelta(days=rng.randrange(30, room + 1)))
        extra.append(
            Moment(
                id=later.id,
                occurred_on=later.occurred_on,
                precision="day",
                kind=original.kind,
                place=original.place,
                tags=original.tags,
                truth=later.truth,
                scores=later.scores,
                notes=later.notes,
                replies=later.replies,
                recreates=original.id,
            )
        )
    return moments + extra


# --- steady: the world the engine is tuned on -------------------------------------------


def steady(rng: random.Random) -> Couple:
    years = rng.randint(2, 10)
    count = rng.randint(150, 600)
    bias = (rng.gauss(0, 0.3), rng.gauss(0, 0.3))

    def moment(day: date) -> Moment:
        truth = rng.betavariate(2, 3)
        scores = tuple(
            None
            if rng.random() < 0.35
            else int(_clamp(round(1 + 4 * truth + bias[side] + rng.gauss(0, 0.7)), 1, 5))
            for side in (0, 1)
        )
        notes = tuple(s is not None and rng.random() < (0.3 if s >= 4 else 0.05) for s in scores)
        return Moment(
            id=uuid.UUID(int=rng.getrandbits(128)),
            occurred_on=day,
            precision=_precision(rng, 0.8),
            kind=rng.choice(KINDS),
            place=rng.choice(PLACES),
            tags=tuple(rng.sample(TAGS, rng.randint(0, 2))),
            truth=truth,
            scores=(scores[0], scores[1]),
            notes=(notes[0], notes[1]),
            replies=_poisson(rng, 1.2 * truth),
        )

    moments = [moment(_day(rng, years)) for _ in range(count)]
    moments = _with_recreations(rng, moments, lambda t: 0.1 * t, moment)

    def answer(m: Moment, r: random.Random) -> str | None:
        if m.truth >= 0.7 and r.random() < 0.5:
            return "recreate"
        if m.truth < 0.15:
            return "never"
        if m.truth < 0.35 and r.random() < 0.6:
            return "snooze"
        return None

    return Couple(moments, answer)


# --- two scales: partners who rate differently --------------------------------------------

# Where a partner's feeling crosses from one score to the next.
STYLES = {
    "generous": (-0.2, 0.0, 0.15, 0.35),
    "harsh": (0.3, 0.55, 0.75, 0.9),
    "whole scale": (0.2, 0.4, 0.6, 0.8),
}


def two_scales(rng: random.Random) -> Couple:
    years = rng.randint(2, 10)
    count = rng.randint(150, 600)
    styles = (STYLES[rng.choice(list(STYLES))], STYLES[rng.choice(list(STYLES))])
    rating_habit = (rng.uniform(0.3, 1.0), rng.uniform(0.3, 1.0))
    note_habit = (rng.uniform(0.0, 0.4), rng.uniform(0.0, 0.4))

    def moment(day: date) -> Moment:
        truth = rng.betavariate(1.5, 3.5)
        scores: list[int | None] = []
        notes: list[bool] = []
        for side in (0, 1):
            feeling = _clamp(truth + rng.gauss(0, 0.15))
            strong = 0.5 + abs(feeling - 0.5)
            if rng.random() < rating_habit[side] * strong:
                scores.append(1 + sum(feeling > cut for cut in styles[side]))
                notes.append(rng.random() < note_habit[side] + 0.1 * truth)
            else:
                scores.append(None)
                notes.append(False)
        return Moment(
            id=uuid.UUID(int=rng.getrandbits(128)),
            occurred_on=day,
            precision=_precision(rng, 0.7),
            kind=rng.choice(KINDS),
            place=rng.choice(PLACES),
            tags=tuple(rng.sample(TAGS, rng.randint(0, 2))),
            truth=truth,
            scores=(scores[0], scores[1]),
            notes=(notes[0], notes[1]),
            replies=_poisson(rng, 0.6 + 0.4 * truth),
        )

    moments = [moment(_day(rng, years)) for _ in range(count)]
    moments = _with_recreations(rng, moments, lambda t: 0.05 * t, moment)

    def answer(m: Moment, r: random.Random) -> str | None:
        if r.random() >= 0.4:
            return None
        if m.truth < 0.08:
            return "never"
        if r.random() < m.truth**2:
            return "recreate"
        return "snooze" if r.random() < 0.3 else None

    return Couple(moments, answer)


# --- talkers: few ratings, many words, seasons --------------------------------------------

KIND_CLOSENESS = {"trip": 0.2, "first": 0.15, "milestone": 0.1, "everyday": -0.1}
SUMMER_TAGS = ("summer", "sea", "walks")


def talkers(rng: random.Random) -> Couple:
    years = rng.randint(2, 10)
    count = rng.randint(150, 600)

    def moment(day: date) -> Moment:
        kind = rng.choice(KINDS)
        summer = day.month in (6, 7, 8)
        truth = _clamp(rng.betavariate(2, 4) + KIND_CLOSENESS.get(kind, 0.0) + 0.05 * summer)
        scores = tuple(
            None
            if rng.random() < 0.75
            else int(_clamp(round(1 + 4 * truth + rng.gauss(0, 1.0)), 1, 5))
            for _ in (0, 1)
        )
        notes = tuple(s is not None and rng.random() < 0.8 * truth**2 for s in scores)
        pool = SUMMER_TAGS + TAGS if summer else TAGS
        return Moment(
            id=uuid.UUID(int=rng.getrandbits(128)),
            occurred_on=day,
            precision=_precision(rng, 0.85),
            kind=kind,
            place=rng.choice(PLACES),
            tags=tuple(sorted(set(rng.sample(pool, rng.randint(0, 2))))),
            truth=truth,
            scores=(scores[0], scores[1]),
            notes=(notes[0], notes[1]),
            replies=_poisson(rng, 3 * truth**2),
        )

    moments = [moment(_day(rng, years, summers=0.45)) for _ in range(count)]
    moments = _with_recreations(rng, moments, lambda t: 0.3 * t * t, moment)

    def answer(m: Moment, r: random.Random) -> str | None:
        if m.truth > 0.6 and r.random() < 0.7:
            return "recreate"
        if m.truth < 0.1 and r.random() < 0.5:
            return "never"
        if m.truth < 0.4 and r.random() < 0.8:
            return "snooze"
        return None

    return Couple(moments, answer)


WORLDS = {
    "steady": World("steady", steady),
    "two scales": World("two scales", two_scales),
    "talkers": World("talkers", talkers),
}
TUNED_ON = "steady"
