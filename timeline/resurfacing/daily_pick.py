"""The daily "Remember when..." pick: one per timeline and local day, the same for both
partners, and what the couple answers to it."""

from __future__ import annotations

import json
import math
import random
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime, timedelta
from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.functions import Avg

from timeline.core.calendar import timeline_today
from timeline.core.errors import Conflict, InvalidInput
from timeline.core.sql import Query, as_date, as_date_or_none, as_uuid
from timeline.memories.details import gathered
from timeline.models import Connection, Memory, Suggestion, Timeline, User
from timeline.resurfacing.candidates import Bounds, Ceiling, highest_ceilings
from timeline.resurfacing.on_this_day import told_lately
from timeline.resurfacing.quiet import Quiet, quiet_for
from timeline.resurfacing.scoring import (
    REPLIES_READ,
    Candidate,
    Habits,
    RecentPick,
    Scored,
    Sums,
    kind_usuals,
    reasons,
    scale_of,
    score,
    usual_of,
)
from timeline.timelines.access import memory_for, require, timeline_for
from timeline.timelines.membership import members_of

# Below this, nothing at all is better than a poor pick: a memory nobody rated yet is above
# it (its pick asks them how close it made them feel), one they said "not now" to and
# never rated is not. Set low on purpose: the evaluation counts a day without a pick as a
# day without a close one, and a higher bar lost the couples of every world such days.
MIN_PICK_SCORE = 0.5
# The pick is the best memory, never a draw among the best few: a draw weakens every day's
# pick for variety the 90 days' rest and freshness already give, across days.
SHORTLIST = 1
# How many ceilings are walked from the highest down at first; the walk takes twice as many
# each time a memory not yet seen could still beat the shortlist (four times as many took
# far more than the pick needed).
FIRST_LOOK = 32
# How many of the memories walked are read and scored at once, the highest bound first:
# the first few usually hold the pick, and what they score rules most of the rest out.
READ_AT_ONCE = 8
# Room for float rounding when comparing exact scores with ceilings.
BOUND_SLACK = 1e-6
SNOOZE = timedelta(days=30)
# How far ahead a recreation can be planned.
PLAN_AHEAD = timedelta(days=731)
RECENT_PICKS = timedelta(days=30)
# How many of each partner's newest scores their scale and the usual score of each kind are
# learnt from (`rating_counts`): a few hundred say all they can.
SCALE_FROM = 500
FEW_RATINGS_NOTE = "You have rated few memories so far; rating them makes these picks better."

# Written for this product: one is chosen per pick, to fit what kind of moment it was.
PROMPTS = {
    "date": [
        "What is the first thing each of you remembers about that day?",
        "What did you appreciate in each other that day? Say it out loud.",
    ],
    "trip": [
        "Which small moment of that trip would you each live again?",
        "Where would you go to feel like that again?",
    ],
    "ritual": [
        "What made this ritual yours? Is there something to bring back to it?",
        "How has this ritual changed since then, and what do you miss?",
    ],
    "first": [
        "What did you not know yet about each other on that day?",
        "What would you tell yourselves on that day, if you could?",
    ],
    "milestone": [
        "What were you each hoping for then, and what came true?",
        "Who helped you get there, and have you thanked them?",
    ],
    "everyday": [
        "Why do you think this ordinary day stayed with you?",
        "What small thing did the other do that day that you still notice?",
    ],
}
DEFAULT_PROMPTS = ["What does this memory bring back for each of you?"]


async def todays_pick(user: User, timeline_id: UUID, *, now: datetime) -> Suggestion | None:
    """Today's pick for the timeline, made and kept on the first request of the day (in the
    timeline's time zone); None when no memory is worth bringing back."""
    timeline = await timeline_for(user, timeline_id)
    today = timeline_today(timeline, now)
    existing = await Suggestion.get_or_none(timeline=timeline, local_date=today)
    if existing is not None:
        return existing
    choice = await _choose(timeline, today)
    if choice is None:
        return None
    scored, lines = choice
    rng = _rng(timeline.id, today)
    memory = await Memory.get(id=scored.candidate.memory_id)
    try:
        return await Suggestion.create(
            timeline=timeline,
            local_date=today,
            memory=memory,
            score=round(scored.score, 3),
            reasons=lines,
            prompt=prompt_for(rng, memory),
            created_at=now,
        )
    except IntegrityError:
        # The partner's first request of the day won the race: theirs is the pick.
        return await Suggestion.get(timeline=timeline, local_date=today)


def prompt_for(rng: random.Random, memory: Memory) -> str:
    """A prompt for the kind of moment; "that day" only of a memory whose day is known."""
    prompt = rng.choice(PROMPTS.get(memory.kind, DEFAULT_PROMPTS))
    if memory.date_precision == Memory.DAY:
        return prompt
    for day, time in (("on that day", "back then"), ("about that day", "about that time")):
        prompt = prompt.replace(day, time)
    return prompt.replace("that day", "back then")


def _rng(timeline_id: UUID, day: date) -> random.Random:
    """Seeded by timeline and day: any process, any partner draws the same."""
    return random.Random(f"{timeline_id}:{day.isoformat()}")  # noqa: S311 (not a secret)


async def _choose(timeline: Timeline, today: date) -> tuple[Scored, list[str]] | None:
    await timeline.fetch_related("memberships__user")
    members = members_of(timeline)
    member_ids = [m.id for m in members]
    taught, recent, rated = await lessons_of(timeline, member_ids, today)
    quiet = await quiet_for(timeline)
    told = set().union(*(await told_lately(member_ids, today)).values())
    best = await shortlist(timeline, member_ids, today, taught, recent, quiet, told)
    if not best:
        return None
    chosen = best[0]
    names = [m.display_name for m in members] + ["Your partner"]
    lines = reasons(chosen, (names[0], names[1]), today)
    if not rated:
        lines.append(FEW_RATINGS_NOTE)
    return chosen, lines


async def shortlist(
    timeline: Timeline,
    member_ids: list[UUID],
    today: date,
    taught: Habits,
    recent: list[RecentPick],
    quiet: Quiet,
    told: Collection[UUID] = (),
) -> list[Scored]:
    """The best SHORTLIST memories scoring at least MIN_PICK_SCORE, best first (ties by
    id), exactly as scoring every memory would give them: today's week in earlier years,
    then memories from the highest stored ceiling down, until no memory left could reach
    the shortlist, reading and scoring only those whose own bound could (see
    `timeline.resurfacing.candidates`)."""
    best: list[Scored] = []
    seen: set[UUID] = set()
    bounds = Bounds(taught, today)
    walks = [_Walk(this_week=True), _Walk(this_week=False)]
    while True:
        bar = _bar(best) - BOUND_SLACK
        due = [walk for walk in walks if walk.open and walk.bound(bounds) >= bar]
        if not due:
            return best
        # One list at a time, the one whose unread memories may score most (today's week
        # first): what it reads raises the bar for the other's.
        walk = max(due, key=lambda walk: walk.bound(bounds))
        rows = await highest_ceilings(
            timeline, today, walk.look, walk.fetched, this_week=walk.this_week
        )
        reaching = _reaching(rows, bounds, walk.this_week, bar)
        # Once one row's ceiling could not reach the shortlist at the most its list's dates
        # add, nothing further down the list can.
        walk.advance(rows, done=reaching < len(rows))
        # Of those above it, the memories whose own bound may reach the shortlist are read,
        # the highest bound first, READ_AT_ONCE at a time: each few raise the bar for the rest.
        pending = sorted(
            ((bounds.of_row(row), row) for row in rows[:reaching] if row.memory_id not in seen),
            key=lambda pending: -pending[0],
        )
        while fresh := [
            row.memory_id
            for bound, row in pending[:READ_AT_ONCE]
            if bound >= _bar(best) - BOUND_SLACK
        ]:
            pending = pending[READ_AT_ONCE:]
            seen.update(fresh)
            candidates = await candidates_of(timeline, member_ids, today, quiet, fresh, told)
            scored = [s for c in candidates if (s := score(c, today, taught, recent)) is not None]
            best = sorted(
                [*best, *(s for s in scored if s.score >= MIN_PICK_SCORE)],
                key=lambda s: (-s.score, str(s.candidate.memory_id)),
            )[:SHORTLIST]


def _reaching(rows: list[Ceiling], bounds: Bounds, this_week: bool, bar: float) -> int:
    """How many of `rows` (highest ceiling first) come before the first whose ceiling could
    not reach `bar` at the most its list's dates add."""
    return bisect_left(
        range(len(rows)),
        True,
        key=lambda n: bounds.of_list(rows[n].ceiling, this_week=this_week) < bar,
    )


def _bar(best: list[Scored]) -> float:
    """What a memory not yet seen must beat to enter the shortlist."""
    return best[-1].score if len(best) == SHORTLIST else MIN_PICK_SCORE


class _Walk:
    """How far down one list of ceilings the pick has read: today's week in earlier years
    (`this_week`) or every memory."""

    def __init__(self, *, this_week: bool) -> None:
        self.this_week = this_week
        self.fetched, self.look, self.open = 0, FIRST_LOOK, True
        self.last: float | None = None

    def bound(self, bounds: Bounds) -> float:
        """The most a memory not yet read from this list may score."""
        if self.last is None:
            return math.inf
        return bounds.of_list(self.last, this_week=self.this_week)

    def advance(self, rows: list[Ceiling], *, done: bool) -> None:
        self.open = len(rows) == self.look and not done
        self.fetched += len(rows)
        if rows:
            self.last = rows[-1].ceiling
        self.look *= 2


async def usual_score(member_ids: list[UUID]) -> float | None:
    """The mean of every score the partners gave, None before their first."""
    usual = (
        await Connection.filter(user_id__in=member_ids)
        .annotate(usual=Avg("score"))
        .first()
        .values_list("usual", flat=True)
    )
    return float(usual) if usual is not None else None


async def lessons_of(
    timeline: Timeline, member_ids: list[UUID], today: date
) -> tuple[Habits, list[RecentPick], bool]:
    """What the couple taught the engine (each partner's scale, their usual score and that
    of each kind, how their scores went with replies, the most they did with one memory),
    the picks of the last 30 days, and whether they rated anything at all."""
    counts = await rating_counts(member_ids[:2])
    # Through the partial index of the few memories that recreate another: the ORM writes
    # NOT recreates_id IS NULL, which SQLite does not match to it, and scans the timeline.
    sql = Query()
    done: Counter[UUID] = Counter(
        {
            as_uuid(row["recreates_id"]): row["count"]
            for row in await sql.rows(
                "SELECT recreates_id, COUNT(*) AS count FROM memory "
                f"WHERE recreates_id IS NOT NULL AND timeline_id = {sql.param(timeline.id)} "
                "AND deleted_at IS NULL GROUP BY recreates_id"
            )
        }
    )
    # Only the picks that still teach something: the last 30 days', and those they planned
    # or recreated; years of daily picks are not read every day.
    history = (
        await Suggestion.filter(timeline=timeline)
        .filter(
            Q(local_date__gte=today - RECENT_PICKS)
            | Q(action__in=(Suggestion.RECREATE, Suggestion.DONE))
        )
        .values("local_date", "action", "memory_id", "memory__place", "memory__occurred_on")
    )
    done.update(
        row["memory_id"]
        for row in history
        if row["action"] in (Suggestion.RECREATE, Suggestion.DONE)
    )
    taught = habits_of(counts, most_done=max(done.values(), default=0))
    recent = [
        RecentPick(row["memory__occurred_on"], row["memory__place"])
        for row in history
        if today - row["local_date"] <= RECENT_PICKS
    ]
    return taught, recent, any(counts)


# How many times a partner gave each score to memories of each kind with each count of
# replies (up to REPLIES_READ).
Given = Mapping[tuple[str, int, int], int]


async def rating_counts(member_ids: list[UUID]) -> list[dict[tuple[str, int, int], int]]:
    """How many times each partner gave each score to each kind of moment with each count of
    replies, among their newest SCALE_FROM scores: more says nothing new about how someone
    rates, what they feel closest in or what their replies say, and reading a life of
    ratings with their memories' kinds would cost every first pick of a day milliseconds at
    20,000 memories."""
    sql = Query()
    newest = " UNION ALL ".join(
        "SELECT user_id, kind, score, replies, COUNT(*) AS count FROM ("
        "SELECT c.user_id, m.kind, c.score, "
        "(SELECT COUNT(*) FROM reply r WHERE r.memory_id = m.id) AS replies "
        "FROM connection c JOIN memory m ON m.id = c.memory_id "
        f"WHERE c.user_id = {sql.param(member_id)} ORDER BY c.updated_at DESC "
        f"LIMIT {SCALE_FROM}) AS newest_{side} GROUP BY user_id, kind, score, replies"
        for side, member_id in enumerate(member_ids)
    )
    counts: list[Counter[tuple[str, int, int]]] = [Counter(), Counter()]
    sides = {member_id: side for side, member_id in enumerate(member_ids)}
    for row in await sql.rows(newest) if member_ids else []:
        replies = min(row["replies"], REPLIES_READ)
        counts[sides[as_uuid(row["user_id"])]][row["kind"], row["score"], replies] += row["count"]
    return [dict(side) for side in counts]


def habits_of(counts: Sequence[Given], *, most_done: int) -> Habits:
    """What the couple taught the engine: each partner's scale, their usual score and that
    of each kind of moment, and how their scores went with replies, from how often they
    gave each score to each kind with each count of replies (`counts`, the first member's
    then the second's), and the most times they recreated one memory or said they would."""
    per_score = [_per_score(side) for side in counts]
    scales = (scale_of(per_score[0]), scale_of(per_score[1]))
    usual = usual_of(per_score, scales)
    if usual is None:
        return Habits(most_done=most_done)
    by_kind = [_by_kind(side) for side in counts]
    return Habits(
        usual_score=usual,
        kind_usual=kind_usuals(by_kind, scales, usual),
        scales=scales,
        most_done=most_done,
        replies=(_reply_sums(counts[0]), _reply_sums(counts[1])),
    )


def _per_score(given: Given) -> dict[int, int]:
    total: Counter[int] = Counter()
    for (_, raw, _), n in given.items():
        total[raw] += n
    return dict(total)


def _by_kind(given: Given) -> dict[str, dict[int, int]]:
    kinds: dict[str, Counter[int]] = {}
    for (kind, raw, _), n in given.items():
        kinds.setdefault(kind, Counter())[raw] += n
    return {kind: dict(scores) for kind, scores in kinds.items()}


def _reply_sums(given: Given) -> Sums:
    sums = Sums()
    for (_, raw, replies), n in given.items():
        sums = sums.adding(replies, raw, n)
    return sums


async def candidates_of(
    timeline: Timeline,
    member_ids: list[UUID],
    today: date,
    quiet: Quiet,
    ids: list[UUID],
    told: Collection[UUID] = (),
) -> list[Candidate]:
    """What the score needs of the memories `ids`, in a fixed number of queries, from the
    current data: a memory added today about the past counts from today. `told` holds the
    memories a letter brought back lately (`told_lately`)."""
    if not ids:
        return []
    sql = Query()
    # SQLite's placeholders are taken in the order they appear: each part below is written
    # in the order it comes in the query.
    answered = "SELECT COUNT(*) FROM suggestion s WHERE s.memory_id = memory.id AND s.action"
    planned = f"{answered} IN ({sql.param(Suggestion.RECREATE)}, {sql.param(Suggestion.DONE)})"
    snoozes = f"{answered} = {sql.param(Suggestion.SNOOZE)}"

    def recreations() -> str:
        return (
            "FROM memory r WHERE r.recreates_id = memory.id "
            f"AND r.timeline_id = {sql.param(timeline.id)} AND r.deleted_at IS NULL"
        )

    latest, counted = recreations(), recreations()
    listed = ", ".join(sql.param(i) for i in ids)
    # One query, the details gathered by the database, as the pages read memories.
    memories = await sql.rows(
        "SELECT id, occurred_on, date_precision, kind, place, never_resurface, "
        f"({gathered(sql, 'memory_tag', ('name',), None)}) AS tags_json, "
        f"({gathered(sql, 'connection', ('user_id', 'score', 'appreciation'), None)}) "
        "AS ratings_json, "
        "(SELECT COUNT(*) FROM reply WHERE reply.memory_id = memory.id) AS replies, "
        "(SELECT MAX(local_date) FROM suggestion s WHERE s.memory_id = memory.id) "
        "AS last_suggested, "
        "(SELECT MAX(snoozed_until) FROM suggestion s WHERE s.memory_id = memory.id) "
        "AS snoozed_until, "
        f"({planned}) AS planned, ({snoozes}) AS snoozes, "
        f"(SELECT MAX(r.occurred_on) {latest}) AS recreated_on, "
        f"(SELECT COUNT(*) {counted}) AS recreations "
        f"FROM memory WHERE id IN ({listed})"
    )
    tags: dict[UUID, list[str]] = {}
    # Raters by id as text, as JSON gives them back on both databases: a UUID for each
    # rating of every memory read would cost more than the rest of reading it.
    ratings: dict[UUID, dict[str, int]] = {}
    appreciations: Counter[UUID] = Counter()
    for m in memories:
        m["id"], m["occurred_on"] = as_uuid(m["id"]), as_date(m["occurred_on"])
        tags[m["id"]] = json.loads(m["tags_json"])
        rated = json.loads(m["ratings_json"])
        ratings[m["id"]] = {user_id: score for user_id, score, _ in rated}
        appreciations[m["id"]] = sum(bool(note) for _, _, note in rated)
    first, second = [*map(str, member_ids), None, None][:2]

    def candidate(m: dict) -> Candidate:
        key = m["id"]
        given = ratings[key]
        return Candidate(
            memory_id=key,
            occurred_on=m["occurred_on"],
            precision=m["date_precision"],
            kind=m["kind"],
            place=m["place"],
            scores=(given.get(first), given.get(second)),
            appreciations=appreciations[key],
            replies=m["replies"],
            recreations=m["recreations"],
            planned=m["planned"],
            snoozes=m["snoozes"],
            last_suggested=as_date_or_none(m["last_suggested"]),
            snoozed_until=as_date_or_none(m["snoozed_until"]),
            recreated_on=as_date_or_none(m["recreated_on"]),
            vetoed=bool(m["never_resurface"]),
            quiet=quiet.silences(m["occurred_on"], tags[key], today),
            told_lately=key in told,
        )

    return [candidate(m) for m in memories]


async def answer(
    user: User,
    suggestion_id: UUID,
    action: str,
    *,
    now: datetime,
    memory_id: UUID | None = None,
    planned_on: date | None = None,
) -> Suggestion:
    """Record the couple's answer: recreate (with a planned date, if any), snooze for 30
    days, never (vetoes the memory for both, for good), or done (the new memory given as
    `memory_id` recreates the suggested one)."""
    suggestion = await require(Suggestion, user, suggestion_id)
    if action not in Suggestion.ACTIONS:
        choices = ", ".join(Suggestion.ACTIONS)
        raise InvalidInput(f"Answer with one of {choices}.", field="action")
    today = timeline_today(await suggestion.timeline, now)
    # A new answer replaces the last one whole: no snooze or plan left behind from it.
    changes: dict[str, object] = {
        "action": action,
        "answered_by_id": user.id,
        "answered_at": now,
        "snoozed_until": None,
        "planned_on": None,
    }
    if action == Suggestion.SNOOZE:
        changes["snoozed_until"] = today + SNOOZE
    elif action == Suggestion.RECREATE:
        if planned_on is not None and not today <= planned_on <= today + PLAN_AHEAD:
            raise InvalidInput("Plan it for a day from today to two years ahead.", "planned_on")
        changes["planned_on"] = planned_on
    elif action == Suggestion.NEVER:
        await Memory.filter(id=suggestion.memory_id).update(never_resurface=True)
    elif action == Suggestion.DONE:
        if memory_id is None:
            raise InvalidInput("Say which new memory recreates it.", field="memory_id")
        recreation = await memory_for(user, memory_id)
        if (
            recreation.timeline_id != suggestion.timeline_id
            or recreation.id == suggestion.memory_id
        ):
            raise InvalidInput(
                "The recreation must be another memory of this timeline.", field="memory_id"
            )
        await Memory.filter(id=recreation.id).update(recreates_id=suggestion.memory_id)
    if suggestion.action == Suggestion.NEVER and action != Suggestion.NEVER:
        await Memory.filter(id=suggestion.memory_id).update(never_resurface=False)
    await Suggestion.filter(id=suggestion.id).update(**changes)
    return await Suggestion.get(id=suggestion.id)


async def take_back(user: User, suggestion_id: UUID) -> Suggestion:
    """Undo the couple's answer, whoever gave it: a plan is cancelled, a "not now" or a
    "never" is lifted and the pick is offered again. A recreation already made stays one."""
    suggestion = await require(Suggestion, user, suggestion_id)
    if suggestion.action == Suggestion.DONE:
        raise Conflict("It has been recreated: that memory says so now.")
    if suggestion.action == Suggestion.NEVER:
        await Memory.filter(id=suggestion.memory_id).update(never_resurface=False)
    await Suggestion.filter(id=suggestion.id).update(
        action=None, snoozed_until=None, planned_on=None, answered_by_id=None, answered_at=None
    )
    return await Suggestion.get(id=suggestion.id)


async def plan_of(user: User, suggestion_id: UUID) -> tuple[Suggestion, Memory]:
    """A pick the couple planned to recreate on a given day, and its memory."""
    suggestion = await require(Suggestion, user, suggestion_id)
    if suggestion.action != Suggestion.RECREATE or suggestion.planned_on is None:
        raise Conflict("No day is planned for this one yet.")
    return suggestion, await Memory.get(id=suggestion.memory_id)


async def pick_of(user: User, suggestion_id: UUID) -> Suggestion:
    """One of the member's timelines' picks, any day."""
    return await require(Suggestion, user, suggestion_id)


async def record_pick(
    user: User, memory_id: UUID, day: date, *, now: datetime, prompt: str
) -> Suggestion:
    """`memory_id` as the pick of `day` on its timeline, as the couple saw it then (a story
    told after the fact, as the demo's); the pick already made that day, if any."""
    memory = await memory_for(user, memory_id)
    made, _ = await Suggestion.get_or_create(
        timeline_id=memory.timeline_id,
        local_date=day,
        defaults={
            "memory": memory,
            "score": 0.0,
            "reasons": [],
            "prompt": prompt,
            "created_at": now,
        },
    )
    return made
