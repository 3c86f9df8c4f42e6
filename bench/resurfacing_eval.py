"""How good are the daily picks? Simulated couples, a year of picks, our engine beside four
baselines.

Each couple has years of memories with a hidden "true closeness" in [0, 1]; each partner's
score is a noisy reading of it (and a third of them are never rated), notes and replies are
likelier on close moments. Our engine runs for real (the daily pick on SQLite, answered
every day by a couple whose answers follow the hidden truth: they recreate close moments,
snooze distant ones, veto the worst). The baselines see the same memories:

- random: any memory, any day;
- most recent: the newest memory at least 8 weeks old;
- on this day only: a memory from this calendar day in an earlier year, none on other days;
- highest single score: the memory with the highest score from either partner.

The three deterministic baselines are given the engine's 90-day rest (without it they
would show the same memory every day, which says nothing). Per engine: share of picks from
the hidden top 10 %, picks repeated within 90 days, share of the top 10 % surfaced within
the year, share of picks with calendar resonance (same week, or same month for a memory
known to its month).

Run with `python bench/resurfacing_eval.py`. Prints figures; asserts nothing."""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.common.database import apply_migrations, close_database, open_database  # noqa: E402
from timeline.accounts.credentials import sign_up  # noqa: E402
from timeline.models import Connection, Memory, Reply, Suggestion  # noqa: E402
from timeline.resurfacing.daily_pick import answer, todays_pick  # noqa: E402
from timeline.resurfacing.scoring import MIN_AGE, RESUGGEST_AFTER, calendar_resonance  # noqa: E402
from timeline.timelines.invites import accept_invite, create_invite  # noqa: E402
from timeline.timelines.membership import create_timeline  # noqa: E402

COUPLES = int(os.environ.get("BENCH_COUPLES", "4"))
MEMORIES = 500
YEAR = 2026
PASSWORD = "a long and happy walk"
PLACES = ["Lyon", "Annecy", "Home", "Marseille", "Porto", "Berlin", ""]


@dataclass(frozen=True)
class Simulated:
    id: uuid.UUID
    occurred_on: date
    precision: str
    truth: float
    scores: tuple[int | None, int | None]


def simulate(rng: random.Random) -> list[Simulated]:
    """Seven years of memories; each partner reads the truth with noise, or never rates."""
    memories = []
    for _ in range(MEMORIES):
        truth = rng.betavariate(2, 3)
        scores = tuple(
            None
            if rng.random() < 0.35
            else max(1, min(5, round(1 + 4 * truth + rng.gauss(0, 0.7))))
            for _ in range(2)
        )
        memories.append(
            Simulated(
                id=uuid.UUID(int=rng.getrandbits(128)),
                occurred_on=date(2019, 1, 1) + timedelta(days=rng.randrange(7 * 365)),
                precision=rng.choice(["day"] * 8 + ["month", "year"]),
                truth=truth,
                scores=scores,
            )
        )
    return memories


async def store(memories: list[Simulated], rng: random.Random, n: int):
    now = datetime(2025, 12, 31, tzinfo=UTC)
    ana = await sign_up(f"ana{n}@example.org", PASSWORD, "Ana", "UTC", now=now)
    sam = await sign_up(f"sam{n}@example.org", PASSWORD, "Sam", "UTC", now=now)
    timeline = await create_timeline(ana, "Us", date(2019, 1, 1), now=now)
    await accept_invite(sam, (await create_invite(ana, timeline.id, now=now)).token, now=now)
    rows, connections, replies = [], [], []
    for m in memories:
        rows.append(
            Memory(
                id=m.id,
                timeline=timeline,
                author=ana,
                title="A memory",
                occurred_on=m.occurred_on,
                date_precision=m.precision,
                year=m.occurred_on.year,
                month_day=m.occurred_on.month * 100 + m.occurred_on.day
                if m.precision == "day"
                else None,
                place=rng.choice(PLACES),
                kind=rng.choice(Memory.KINDS),
                created_at=now,
                updated_at=now,
            )
        )
        for member, score in zip((ana, sam), m.scores, strict=True):
            if score is not None:
                note = "Thank you" if score >= 4 and rng.random() < 0.3 else ""
                connections.append(
                    Connection(
                        memory_id=m.id, user=member, score=score, appreciation=note, updated_at=now
                    )
                )
        if rng.random() < 0.3 * m.truth:
            replies.append(Reply(memory_id=m.id, author=sam, text="Yes", created_at=now))
    await Memory.bulk_create(rows)
    await Connection.bulk_create(connections)
    await Reply.bulk_create(replies)
    return ana, timeline


Pick = tuple[uuid.UUID, date]


async def our_engine(memories: list[Simulated], rng: random.Random, n: int) -> list[Pick]:
    """A year of real daily picks, answered as the hidden truth suggests."""
    ana, timeline = await store(memories, rng, n)
    truth = {m.id: m.truth for m in memories}
    picks = []
    for day in range(365):
        now = datetime.combine(date(YEAR, 1, 1) + timedelta(days=day), time(9), UTC)
        suggestion = await todays_pick(ana, timeline.id, now=now)
        if suggestion is None:
            continue
        picks.append((suggestion.memory_id, now.date()))
        closeness = truth[suggestion.memory_id]
        if closeness >= 0.7 and rng.random() < 0.5:
            await answer(ana, suggestion.id, Suggestion.RECREATE, now=now)
        elif closeness < 0.15:
            await answer(ana, suggestion.id, Suggestion.NEVER, now=now)
        elif closeness < 0.35 and rng.random() < 0.6:
            await answer(ana, suggestion.id, Suggestion.SNOOZE, now=now)
    return picks


Chooser = Callable[[list[Simulated], date, random.Random], Simulated | None]


def baseline(choose: Chooser, rest: bool) -> Callable[[list[Simulated], random.Random], list[Pick]]:
    def run(memories: list[Simulated], rng: random.Random) -> list[Pick]:
        last: dict[uuid.UUID, date] = {}
        picks = []
        for day in range(365):
            today = date(YEAR, 1, 1) + timedelta(days=day)
            allowed = [
                m
                for m in memories
                if not rest or m.id not in last or today - last[m.id] >= RESUGGEST_AFTER
            ]
            chosen = choose(allowed, today, rng)
            if chosen is not None:
                picks.append((chosen.id, today))
                last[chosen.id] = today
        return picks

    return run


def pick_random(memories: list[Simulated], _: date, rng: random.Random) -> Simulated | None:
    return rng.choice(memories)


def most_recent(memories: list[Simulated], today: date, _: random.Random) -> Simulated | None:
    old_enough = [m for m in memories if today - m.occurred_on >= MIN_AGE]
    return max(old_enough, key=lambda m: m.occurred_on, default=None)


def on_this_day_only(
    memories: list[Simulated], today: date, rng: random.Random
) -> Simulated | None:
    same_day = [
        m
        for m in memories
        if m.precision == "day"
        and (m.occurred_on.month, m.occurred_on.day) == (today.month, today.day)
        and m.occurred_on.year < today.year
    ]
    return rng.choice(same_day) if same_day else None


def highest_single(memories: list[Simulated], _: date, rng: random.Random) -> Simulated | None:
    def best_of(m: Simulated) -> int:
        return max((s for s in m.scores if s is not None), default=0)

    top = max(map(best_of, memories), default=0)
    return rng.choice([m for m in memories if best_of(m) == top]) if top else None


BASELINES = {
    "random": baseline(pick_random, rest=False),
    "most recent": baseline(most_recent, rest=True),
    "on this day only": baseline(on_this_day_only, rest=True),
    "highest single score": baseline(highest_single, rest=True),
}


@dataclass
class Figures:
    days: int = 0
    picks: int = 0
    from_top: int = 0
    repeats: int = 0
    top_seen: int = 0
    top_size: int = 0
    resonant: int = 0

    def add(self, memories: list[Simulated], picks: list[Pick]) -> None:
        by_id = {m.id: m for m in memories}
        ranked = sorted(memories, key=lambda m: -m.truth)
        top = {m.id for m in ranked[: len(ranked) // 10]}
        picked = {memory_id for memory_id, _ in picks}
        self.days += 365
        self.picks += len(picks)
        self.from_top += sum(memory_id in top for memory_id, _ in picks)
        self.top_seen += len(top & picked)
        self.top_size += len(top)
        self.repeats += _repeats(picks)
        self.resonant += sum(_resonates(by_id[memory_id], day) for memory_id, day in picks)

    def row(self, name: str) -> str:
        return (
            f"| {name} | {self.picks / self.days:.0%} | {self.from_top / self.picks:.1%} "
            f"| {self.repeats} | {self.top_seen / self.top_size:.1%} "
            f"| {self.resonant / self.picks:.1%} |"
        )


def _repeats(picks: list[Pick]) -> int:
    last: dict[uuid.UUID, date] = {}
    repeats = 0
    for memory_id, day in picks:
        if memory_id in last and day - last[memory_id] < RESUGGEST_AFTER:
            repeats += 1
        last[memory_id] = day
    return repeats


def _resonates(memory: Simulated, today: date) -> bool:
    """The same week in an earlier year, or the same month for a memory known to its month."""
    return calendar_resonance(memory.occurred_on, memory.precision, today) >= 0.4


async def evaluate(database_url: str) -> dict[str, Figures]:
    await apply_migrations(database_url)
    await open_database(database_url)
    figures = {name: Figures() for name in ["our engine", *BASELINES]}
    for n in range(COUPLES):
        memories = simulate(random.Random(n))
        figures["our engine"].add(memories, await our_engine(memories, random.Random(100 + n), n))
        for name, run in BASELINES.items():
            figures[name].add(memories, run(memories, random.Random(200 + n)))
    await close_database()
    return figures


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        figures = asyncio.run(evaluate(f"sqlite:///{folder}/eval.sqlite3"))
    print(f"{COUPLES} simulated couples, {MEMORIES} memories each, a year of daily picks")
    print(
        "| engine | days with a pick | picks from the hidden top 10 % | repeats within 90 days "
        "| top 10 % surfaced in the year | picks with calendar resonance |"
    )
    print("|---|---|---|---|---|---|")
    for name, figure in figures.items():
        print(figure.row(name))


if __name__ == "__main__":
    main()
