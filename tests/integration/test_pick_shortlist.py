"""The daily pick's cut in SQL picks exactly what scoring every memory would, and the pick
does not depend on the process that makes it."""

from __future__ import annotations

import importlib
import random
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import anyio
import pytest
from tortoise import connections

from tests.support import PASSWORD, clean_environment
from timeline.accounts.credentials import sign_up
from timeline.core.calendar import month_days_around
from timeline.memories.writing import MemoryDraft, add_reply, create_memory, set_connection
from timeline.models import Connection, Memory, MemoryTag, Reply, Suggestion, Timeline, User
from timeline.resurfacing import daily_pick
from timeline.resurfacing.candidates import Ceiling, highest_ceilings, refresh_ceilings
from timeline.resurfacing.daily_pick import _choose, candidates_of, lessons_of, shortlist
from timeline.resurfacing.quiet import add_rule, quiet_for
from timeline.resurfacing.scoring import MIN_AGE, RESUGGEST_AFTER, WEEK_WINDOW, score
from timeline.timelines.invites import accept_invite, create_invite
from timeline.timelines.membership import create_timeline, members_of

NOW = datetime(2026, 6, 15, 9, tzinfo=UTC)
LIKE_THE_SCORE = importlib.import_module("timeline.migrations.0016_ceilings_like_the_score")
PLACES = ["Annecy", "Lyon", "Home", ""]
TAGS = ["lake", "family", "snow", "work"]


async def a_couple() -> tuple[Timeline, User, User]:
    """Ana's timeline, Sam invited to it and in."""
    ana = await sign_up("ana@example.org", PASSWORD, "Ana", "UTC", now=NOW)
    sam = await sign_up("sam@example.org", PASSWORD, "Sam", "UTC", now=NOW)
    timeline = await create_timeline(ana, "Us", date(2012, 1, 1), now=NOW)
    await accept_invite(sam, (await create_invite(ana, timeline.id, now=NOW)).token, now=NOW)
    return timeline, ana, sam


async def varied_timeline(memories: int = 300, seed: int = 7) -> Timeline:
    """A couple with years of memories of every precision and kind, ratings from each
    partner (some missing, some low), notes, replies, vetoes, trash, answered picks and a
    quiet tag: every input of the score in play."""
    rng = random.Random(seed)
    timeline, ana, sam = await a_couple()
    await add_rule(ana, timeline.id, tag="work", now=NOW)
    rows, tags, connections, replies, picks = [], [], [], [], []
    for n in range(memories):
        day = date(2012, 1, 1) + timedelta(days=rng.randrange(5300))
        precision = rng.choice(["day"] * 8 + ["month", "year"])
        memory = Memory(
            id=uuid.uuid4(),
            timeline=timeline,
            author=ana,
            title=f"Memory {n}",
            occurred_on=day,
            date_precision=precision,
            year=day.year,
            month_day=day.month * 100 + day.day if precision == "day" else None,
            place=rng.choice(PLACES),
            kind=rng.choice(Memory.KINDS),
            never_resurface=rng.random() < 0.03,
            deleted_at=NOW if rng.random() < 0.03 else None,
            created_at=NOW,
            updated_at=NOW,
        )
        rows.append(memory)
        tags.extend(
            MemoryTag(memory_id=memory.id, name=t) for t in rng.sample(TAGS, rng.randrange(3))
        )
        closeness = rng.randint(1, 5)
        # Sam rates a point lower than Ana: their scales differ, as the score reads them.
        for member, shift in ((ana, 0), (sam, -1)):
            if rng.random() < 0.75:
                connections.append(
                    Connection(
                        memory_id=memory.id,
                        user=member,
                        score=max(1, min(5, closeness + shift + rng.choice((-1, 0, 1)))),
                        appreciation="Your patience" if rng.random() < 0.2 else "",
                        updated_at=NOW,
                    )
                )
        replies.extend(
            Reply(memory_id=memory.id, author=sam, text="Yes", created_at=NOW)
            for _ in range(rng.choice((0, 0, 0, 1, 4)))
        )
    # Some memories recreate earlier ones, linked once both are written.
    links = [(rng.choice(rows), original) for original in rng.sample(rows, 12)]
    for n, memory in enumerate(rng.sample(rows, 40)):
        picked_on = date(2025, 6, 1) + timedelta(days=n * 9)
        action = rng.choice([None, Suggestion.SNOOZE, Suggestion.RECREATE, Suggestion.DONE])
        picks.append(
            Suggestion(
                timeline=timeline,
                local_date=picked_on,
                memory_id=memory.id,
                score=1.0,
                reasons=[],
                prompt="",
                action=action,
                snoozed_until=picked_on + timedelta(days=30)
                if action == Suggestion.SNOOZE
                else None,
                created_at=NOW,
            )
        )
    for model, batch in (
        (Memory, rows),
        (MemoryTag, tags),
        (Connection, connections),
        (Reply, replies),
        (Suggestion, picks),
    ):
        await model.bulk_create(batch)
    for later, original in links:
        if later.occurred_on > original.occurred_on:
            await Memory.filter(id=later.id).update(recreates_id=original.id)
    await refresh_ceilings(timeline)
    return timeline


@pytest.mark.usefixtures("db")
async def test_the_migration_works_out_the_ceilings_the_code_keeps():
    timeline = await varied_timeline(memories=120)
    kept = dict(await Memory.filter(timeline=timeline).values_list("id", "resurface_ceiling"))
    await Memory.filter(timeline=timeline).update(resurface_ceiling=0.0)

    await LIKE_THE_SCORE.work_ceilings_out(None, SimpleNamespace(client=connections.get("default")))

    worked_out = await Memory.filter(timeline=timeline).values_list("id", "resurface_ceiling")
    assert len(set(kept.values())) > 5
    assert {i: pytest.approx(c) for i, c in worked_out} == kept


async def score_every_memory(timeline: Timeline, member_ids, today: date):
    """The reference: every memory gathered and scored in Python, no cut."""
    taught, recent, _ = await lessons_of(timeline, member_ids, today)
    ids = await Memory.filter(timeline=timeline).values_list("id", flat=True)
    everything = await candidates_of(timeline, member_ids, today, await quiet_for(timeline), ids)
    scored = [s for c in everything if (s := score(c, today, taught, recent)) is not None]
    return taught, recent, scored


@pytest.mark.usefixtures("db")
@pytest.mark.parametrize(
    ("first_look", "length", "at_once"),
    [(6, 5, 1), (6, daily_pick.SHORTLIST, 3), (daily_pick.FIRST_LOOK, 5, daily_pick.READ_AT_ONCE)],
)
async def test_the_cut_in_sql_shortlists_what_scoring_every_memory_would(
    monkeypatch, first_look, length, at_once
):
    # A narrow first look makes the cut widen, as it does on large timelines; a longer
    # shortlist than the pick needs makes it walk further; reading one memory at a time
    # leaves the most out on the bar each raises.
    monkeypatch.setattr(daily_pick, "FIRST_LOOK", first_look)
    monkeypatch.setattr(daily_pick, "SHORTLIST", length)
    monkeypatch.setattr(daily_pick, "READ_AT_ONCE", at_once)
    timeline = await varied_timeline()
    await timeline.fetch_related("memberships__user")
    member_ids = [m.id for m in members_of(timeline)]
    quiet = await quiet_for(timeline)
    for today in [date(2026, 1, 1) + timedelta(days=n * 29) for n in range(13)]:
        taught, recent, scored = await score_every_memory(timeline, member_ids, today)
        best = await shortlist(timeline, member_ids, today, taught, recent, quiet)

        expected = sorted(scored, key=lambda s: (-s.score, str(s.candidate.memory_id)))[:length]
        assert [(s.candidate.memory_id, s.score) for s in best] == [
            (s.candidate.memory_id, s.score) for s in expected
        ], today
        assert len(best) == length


@pytest.mark.usefixtures("db")
async def test_a_moment_of_today_comes_before_closer_ones_waiting_for_their_own_week(monkeypatch):
    # Read one memory at a time, two ceilings a page: the walk must go past the highest
    # ceilings (talked about, and held back for their week ahead) to today's moments, and
    # of two of today's moments alike in every way, the first by id is the pick.
    monkeypatch.setattr(daily_pick, "FIRST_LOOK", 2)
    monkeypatch.setattr(daily_pick, "READ_AT_ONCE", 1)
    timeline, ana, sam = await a_couple()
    today = NOW.date()
    waiting = [(today.replace(year=2019) + timedelta(days=n), (5, 5), 4) for n in (5, 30, 80)]
    alike = [(today.replace(year=2021), (5, 5), 0)] * 2
    less_close = [(today.replace(year=2020), (4, 4), 0)]
    # Last month's evenings, too recent to come back, were talked about as much: to this
    # couple a reply says nothing of closeness, and the waiting moments' replies weigh
    # nothing.
    usual = [(today - timedelta(days=n), (3, 3), 4) for n in range(20, 30)]
    memories = [
        await written(timeline, ana, sam, day, scores=scores, replies=replies)
        for day, scores, replies in [*waiting, *alike, *less_close, *usual]
    ]
    member_ids = [ana.id, sam.id]
    taught, recent, scored = await score_every_memory(timeline, member_ids, today)

    read: list[uuid.UUID] = []

    async def reading(*args, **kwargs) -> list:
        read.extend(args[4])
        return await candidates_of(*args, **kwargs)

    monkeypatch.setattr(daily_pick, "candidates_of", reading)
    best = await shortlist(timeline, member_ids, today, taught, recent, await quiet_for(timeline))

    [pick] = best
    assert pick.candidate.memory_id == min(memories[3:5], key=str)
    assert pick.score == max(s.score for s in scored)
    # Only the two that could be the pick were read: their bound at their own date ruled
    # the others out, as high as their ceilings are.
    assert sorted(read) == sorted(memories[3:5])
    ceilings = dict(await Memory.filter(timeline=timeline).values_list("id", "resurface_ceiling"))
    assert ceilings[memories[0]] > ceilings[pick.candidate.memory_id]


async def written(
    timeline: Timeline, ana: User, sam: User, day: date, *, scores: tuple[int, int], replies: int
) -> uuid.UUID:
    """A memory of `day` both rated, with `replies` replies from Sam, written as the product
    writes them (its ceiling kept current on each rating and reply)."""
    draft = MemoryDraft(title=f"On {day}", occurred_on=day)
    memory = await create_memory(ana, timeline.id, draft, now=NOW, announce=False)
    for member, given in zip((ana, sam), scores, strict=True):
        await set_connection(member, memory.id, given, "", now=NOW, announce=False)
    for _ in range(replies):
        await add_reply(sam, memory.id, "Again?", now=NOW, announce=False)
    return memory.id


@pytest.mark.usefixtures("db")
async def test_the_walk_reads_ceilings_page_by_page_leaving_out_what_may_not_come_back():
    timeline = await varied_timeline()
    memories = await Memory.filter(timeline=timeline).values()
    picks = await Suggestion.filter(timeline=timeline).values("memory_id", "local_date")
    for today in (date(2025, 9, 1), date(2026, 1, 1), date(2026, 6, 15)):
        shown = {p["memory_id"] for p in picks if p["local_date"] > today - RESUGGEST_AFTER}
        week = month_days_around(today, WEEK_WINDOW)
        for this_week in (False, True):
            expected = sorted(
                (
                    Ceiling(m["id"], m["resurface_ceiling"], m["occurred_on"], m["date_precision"])
                    for m in memories
                    if m["deleted_at"] is None
                    and not m["never_resurface"]
                    and m["occurred_on"] <= today - MIN_AGE
                    and m["id"] not in shown
                    and (not this_week or (m["month_day"] in week and m["year"] < today.year))
                ),
                key=lambda row: (row.ceiling, str(row.memory_id)),
                reverse=True,
            )
            walked: list = []
            while page := await highest_ceilings(
                timeline, today, 4, len(walked), this_week=this_week
            ):
                walked += page

            assert len(expected) > 4  # read over more than one page
            assert walked == expected, (today, this_week)


PICK_IN_A_NEW_PROCESS = """
import asyncio, sys
from datetime import date
from server.common.database import close_database, open_database
from timeline.resurfacing.daily_pick import _choose
from timeline.models import Timeline

async def main():
    await open_database(sys.argv[1])
    chosen, reasons = await _choose(await Timeline.get(id=sys.argv[2]), date(2026, 6, 15))
    print(chosen.candidate.memory_id, reasons)
    await close_database()

asyncio.run(main())
"""


@pytest.mark.usefixtures("db")
async def test_every_process_draws_the_same_pick(database_url):
    timeline = await varied_timeline(memories=120)
    chosen, reasons = await _choose(timeline, date(2026, 6, 15))

    drawn = set()
    for hash_seed in ("1", "2"):
        process = await anyio.run_process(
            [sys.executable, "-c", PICK_IN_A_NEW_PROCESS, database_url, str(timeline.id)],
            env={**clean_environment(), "PYTHONHASHSEED": hash_seed},
        )
        drawn.add(process.stdout.decode().strip())

    assert drawn == {f"{chosen.candidate.memory_id} {reasons}"}
