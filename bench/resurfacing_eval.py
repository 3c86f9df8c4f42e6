"""How good are the daily picks? Simulated couples in three worlds, a year of picks each,
answered as each couple would, our engine beside six baselines, with 95 % intervals.

The worlds (`bench/couples.py`) differ in what ratings, notes, replies, recreations and
answers say about a hidden closeness. The engine is tuned on "steady"; the others are the
report (the README says what else was looked at). Every engine, ours and the baselines,
sees what a couple would have written, and every pick is answered by the couple ("let's
recreate it", "not now", "never" or nothing), which the next days' picks may learn from.

Our engine runs as `scoring.score` and `daily_pick.habits_of` over every memory, which is
what the real pick computes (`test_pick_shortlist` holds the walk in SQL to it); `--check`
runs the real daily pick on SQLite for a few couples and compares pick by pick.

The baselines were written down before the engine's figures were looked at. Each gets the
same rest as the engine (90 days after a pick, 30 after "not now", never after "never",
nothing under 8 weeks old); ties are broken at random:
- random: any memory;
- most recent: the newest memory;
- on this day only: a memory of this calendar day in an earlier year, none on other days;
- highest single score: the highest score either partner gave;
- mean of ratings: the mean of the scores given (unrated memories last);
- mean plus engagement: the mean of the scores given (unrated: the couple's mean), plus
  0.5 for each appreciation note, 0.25 for each reply up to four, 0.5 for each recreation,
  1 for each "let's recreate it" and minus 1 for each "not now": the strongest simple rule
  we could think of.

Per engine and world: days with a pick, the share of picks from the couple's hidden top
10 %, the mean closeness percentile of the picks, picks repeated within 90 days, the share
of the top 10 % surfaced within the year, and calendar resonance (the same week in an
earlier year, or the same month of a memory known to its month) against its base rate
(the share of memories that resonate on a random day). Means over couples, with 95 %
bootstrap intervals over couples; then our engine's lead over each baseline, paired by
couple, with its interval.

Run with `python bench/resurfacing_eval.py` (BENCH_COUPLES, default 120 per world;
`--world NAME` for one world; `--seeds-from N` for the couples from seed N instead of 0,
given again to pool several runs of couples, as for couples never tuned on; `--fit` to fit
the evidence weights on the tuning world and print how scores rise with replies in each
world; `--check N` for the SQLite comparison). Prints figures; asserts nothing."""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.couples import TUNED_ON, WORLDS, YEAR_STARTS, Couple, Moment  # noqa: E402
from timeline.resurfacing.daily_pick import (  # noqa: E402
    MIN_PICK_SCORE,
    RECENT_PICKS,
    SCALE_FROM,
    Given,
    habits_of,
)
from timeline.resurfacing.scoring import (  # noqa: E402
    MIN_AGE,
    REPLIES_READ,
    RESUGGEST_AFTER,
    Candidate,
    Habits,
    RecentPick,
    calendar_resonance,
    mutual_connection,
    score,
)

COUPLES = int(os.environ.get("BENCH_COUPLES", "120"))
DAYS = 365
SNOOZE = timedelta(days=30)
RESAMPLES = 1000
Pick = tuple[uuid.UUID, date]


@dataclass
class Life:
    """What a couple's answers have left so far: the state every engine reads."""

    last_picked: dict[uuid.UUID, date] = field(default_factory=dict)
    snoozed_until: dict[uuid.UUID, date] = field(default_factory=dict)
    vetoed: set[uuid.UUID] = field(default_factory=set)
    planned: Counter[uuid.UUID] = field(default_factory=Counter)
    snoozes: Counter[uuid.UUID] = field(default_factory=Counter)
    history: list[tuple[Moment, str | None, date]] = field(default_factory=list)

    def resting(self, m: Moment, today: date) -> bool:
        last = self.last_picked.get(m.id)
        return (
            m.id in self.vetoed
            or today - m.occurred_on < MIN_AGE
            or (last is not None and today - last < RESUGGEST_AFTER)
            or self.snoozed_until.get(m.id, today) > today
        )

    def answered(self, m: Moment, action: str | None, today: date) -> None:
        self.last_picked[m.id] = today
        self.history.append((m, action, today))
        if action == "recreate":
            self.planned[m.id] += 1
        elif action == "snooze":
            self.snoozes[m.id] += 1
            self.snoozed_until[m.id] = today + SNOOZE
        elif action == "never":
            self.vetoed.add(m.id)


Chooser = Callable[[Life, date], Moment | None]


def live_a_year(
    couple: Couple, chooser: Chooser, seed: int, days: int = DAYS, life: Life | None = None
) -> list[Pick]:
    """A year of daily picks, each answered by the couple (into `life`, if given)."""
    life = life if life is not None else Life()
    answers, picks = random.Random(seed), []
    for n in range(days):
        today = YEAR_STARTS + timedelta(days=n)
        chosen = chooser(life, today)
        if chosen is None:
            continue
        picks.append((chosen.id, today))
        life.answered(chosen, couple.answer(chosen, answers), today)
    return picks


# --- our engine ---------------------------------------------------------------------------


def rating_counts(couple: Couple) -> list[dict[tuple[str, int, int], int]]:
    """How often each partner gave each score to each kind with each count of replies
    (`daily_pick.rating_counts`; no simulated partner gives more than its SCALE_FROM
    newest, so all of them count)."""
    counts: list[Counter[tuple[str, int, int]]] = [Counter(), Counter()]
    for m in couple.moments:
        for side, s in enumerate(m.scores):
            if s is not None:
                counts[side][m.kind, s, min(m.replies, REPLIES_READ)] += 1
    assert all(sum(side.values()) <= SCALE_FROM for side in counts)
    return [dict(side) for side in counts]


def recreations_of(couple: Couple) -> tuple[Counter[uuid.UUID], dict[uuid.UUID, date]]:
    count: Counter[uuid.UUID] = Counter()
    latest: dict[uuid.UUID, date] = {}
    for m in couple.moments:
        if m.recreates is not None:
            count[m.recreates] += 1
            latest[m.recreates] = max(latest.get(m.recreates, m.occurred_on), m.occurred_on)
    return count, latest


def taught_by(counts: list[Given], recreations: Counter, life: Life) -> Habits:
    """What the couple taught the engine so far: their ratings (`rating_counts`, which do
    not change over the year) and the most they did with one memory."""
    done = recreations + life.planned
    return habits_of(counts, most_done=max(done.values(), default=0))


def candidate(m: Moment, life: Life, recreations: Counter, recreated: dict) -> Candidate:
    """What the real pick reads of a memory (`daily_pick.candidates_of`)."""
    return Candidate(
        memory_id=m.id,
        occurred_on=m.occurred_on,
        precision=m.precision,
        kind=m.kind,
        place=m.place,
        scores=m.scores,
        appreciations=sum(m.notes),
        replies=m.replies,
        recreations=recreations[m.id],
        planned=life.planned[m.id],
        snoozes=life.snoozes[m.id],
        last_suggested=life.last_picked.get(m.id),
        snoozed_until=life.snoozed_until.get(m.id),
        recreated_on=recreated.get(m.id),
        vetoed=m.id in life.vetoed,
    )


def our_engine(couple: Couple, _: random.Random) -> Chooser:
    recreations, recreated = recreations_of(couple)
    counts = rating_counts(couple)
    # What `exclusion` rules out whatever the day, left out before scoring to save time.
    open_moments = [m for m in couple.moments if not any(s is not None and s < 3 for s in m.scores)]

    def choose(life: Life, today: date) -> Moment | None:
        taught = taught_by(counts, recreations, life)
        recent = [
            RecentPick(m.occurred_on, m.place)
            for m, _, day in life.history
            if today - day <= RECENT_PICKS
        ]
        best = None
        for m in open_moments:
            if life.resting(m, today):
                continue
            scored = score(candidate(m, life, recreations, recreated), today, taught, recent)
            if scored is None or scored.score < MIN_PICK_SCORE:
                continue
            key = (-scored.score, str(m.id))
            if best is None or key < best[0]:
                best = (key, m)
        return best[1] if best else None

    return choose


# --- baselines ------------------------------------------------------------------------------


def _by_key(key: Callable[[Moment, Life], float]) -> Callable[[Couple, random.Random], Chooser]:
    """The eligible memory with the highest key, ties at random."""

    def make(couple: Couple, rng: random.Random) -> Chooser:
        def choose(life: Life, today: date) -> Moment | None:
            eligible = [m for m in couple.moments if not life.resting(m, today)]
            if not eligible:
                return None
            return max(eligible, key=lambda m: (key(m, life), rng.random()))

        return choose

    return make


def _random(couple: Couple, rng: random.Random) -> Chooser:
    def choose(life: Life, today: date) -> Moment | None:
        eligible = [m for m in couple.moments if not life.resting(m, today)]
        return rng.choice(eligible) if eligible else None

    return choose


def _on_this_day(couple: Couple, rng: random.Random) -> Chooser:
    def choose(life: Life, today: date) -> Moment | None:
        same_day = [
            m
            for m in couple.moments
            if m.precision == "day"
            and (m.occurred_on.month, m.occurred_on.day) == (today.month, today.day)
            and not life.resting(m, today)
        ]
        return rng.choice(same_day) if same_day else None

    return choose


def _given(m: Moment) -> list[int]:
    return [s for s in m.scores if s is not None]


def _mean_plus_engagement(couple: Couple, rng: random.Random) -> Chooser:
    everything = [s for m in couple.moments for s in _given(m)]
    usual = sum(everything) / len(everything) if everything else 3.0
    recreations, _ = recreations_of(couple)

    def key(m: Moment, life: Life) -> float:
        given = _given(m)
        mean = sum(given) / len(given) if given else usual
        return (
            mean
            + 0.5 * sum(m.notes)
            + 0.25 * min(m.replies, 4)
            + 0.5 * recreations[m.id]
            + life.planned[m.id]
            - life.snoozes[m.id]
        )

    return _by_key(key)(couple, rng)


BASELINES: dict[str, Callable[[Couple, random.Random], Chooser]] = {
    "random": _random,
    "most recent": _by_key(lambda m, _: m.occurred_on.toordinal()),
    "on this day only": _on_this_day,
    "highest single score": _by_key(lambda m, _: max(_given(m), default=0)),
    "mean of ratings": _by_key(lambda m, _: sum(_given(m)) / len(_given(m)) if _given(m) else 0),
    "mean plus engagement": _mean_plus_engagement,
}
ENGINES = {"our engine": our_engine, **BASELINES}


# --- figures --------------------------------------------------------------------------------

METRICS = ("days", "top", "top_days", "percentile", "repeats", "surfaced", "resonance")
LEADS = {
    "top": "picks from the top 10 %",
    "top_days": "days with a top 10 % pick",
    "percentile": "closeness percentile",
}


def _resonates(m: Moment, today: date) -> bool:
    return calendar_resonance(m.occurred_on, m.precision, today) >= 0.4


def figures_of(couple: Couple, picks: list[Pick]) -> dict[str, float]:
    """One couple's year, as the shares the table shows."""
    by_id = {m.id: m for m in couple.moments}
    ranked = sorted(couple.moments, key=lambda m: m.truth)
    percentile = {m.id: n / (len(ranked) - 1) for n, m in enumerate(ranked)}
    top = {m.id for m in ranked[-max(1, len(ranked) // 10) :]}
    last: dict[uuid.UUID, date] = {}
    repeats = 0
    for memory_id, day in picks:
        if memory_id in last and day - last[memory_id] < RESUGGEST_AFTER:
            repeats += 1
        last[memory_id] = day
    shown = len(picks) or 1
    return {
        "days": len(picks) / DAYS,
        "top": sum(memory_id in top for memory_id, _ in picks) / shown,
        # A day without a pick counts as a day without a close one: no engine gains by
        # staying quiet on the days it would pick poorly.
        "top_days": sum(memory_id in top for memory_id, _ in picks) / DAYS,
        "percentile": sum(percentile[memory_id] for memory_id, _ in picks) / shown,
        "repeats": repeats,
        "surfaced": len(top & set(last)) / len(top),
        "resonance": sum(_resonates(by_id[i], day) for i, day in picks) / shown,
    }


def base_rate(couple: Couple) -> float:
    """The share of a couple's memories that resonate on a day, over the year's days."""
    days = [YEAR_STARTS + timedelta(days=n) for n in range(0, DAYS, 7)]
    return sum(
        sum(_resonates(m, day) for m in couple.moments) / len(couple.moments) for day in days
    ) / len(days)


def run_couple(job: tuple[str, int]) -> tuple[dict[str, dict[str, float]], float]:
    """Every engine's year with one couple of one world."""
    world, n = job
    couple = WORLDS[world].make(random.Random(f"{world}:{n}"))
    results = {}
    for name, make in ENGINES.items():
        chooser = make(couple, random.Random(f"{world}:{n}:{name}"))
        results[name] = figures_of(couple, live_a_year(couple, chooser, seed=n))
    return results, base_rate(couple)


def interval(values: list[float], rng: random.Random) -> tuple[float, float, float]:
    """The mean and its 95 % bootstrap interval over couples."""
    n = len(values)
    means = sorted(sum(rng.choices(values, k=n)) / n for _ in range(RESAMPLES))
    return sum(values) / n, means[int(0.025 * RESAMPLES)], means[int(0.975 * RESAMPLES) - 1]


def _pct(triple: tuple[float, float, float]) -> str:
    mean, low, high = triple
    return f"{mean:.1%} [{low:.1%}, {high:.1%}]"


def report(world: str, per_couple: list[dict[str, dict[str, float]]], bases: list[float]) -> str:
    rng = random.Random(world)
    lines = [
        f"### {world}{' (tuned on)' if world == TUNED_ON else ''}: {len(per_couple)} couples, "
        f"a year of daily picks; calendar resonance's base rate "
        f"{sum(bases) / len(bases):.1%}",
        "",
        "| engine | days with a pick | picks from the hidden top 10 % | days with such a pick "
        "| closeness percentile | repeats within 90 days | top 10 % surfaced in the year "
        "| calendar resonance |",
        "|---|---|---|---|---|---|---|---|",
    ]
    base = sum(bases) / len(bases)
    for name in ENGINES:
        column = {k: [c[name][k] for c in per_couple] for k in METRICS}
        resonance = interval(column["resonance"], rng)
        lines.append(
            f"| {name} | {sum(column['days']) / len(per_couple):.0%} "
            f"| {_pct(interval(column['top'], rng))} "
            f"| {_pct(interval(column['top_days'], rng))} "
            f"| {_pct(interval(column['percentile'], rng))} "
            f"| {int(sum(column['repeats']))} "
            f"| {_pct(interval(column['surfaced'], rng))} "
            f"| {_pct(resonance)}, {resonance[0] / base:.1f}× |"
        )
    lines.append("")
    lines += [
        "Our engine's lead over each baseline, paired by couple (95 % interval):",
        "",
        "| baseline | picks from the top 10 % | days with a top 10 % pick | closeness percentile |",
        "|---|---|---|---|",
    ]
    verdicts = dict.fromkeys(LEADS, True)
    for name in BASELINES:
        cells = []
        for metric in LEADS:
            mean, low, high = interval(
                [c["our engine"][metric] - c[name][metric] for c in per_couple], rng
            )
            verdicts[metric] = verdicts[metric] and low > 0
            cells.append(f"{mean:+.1%} [{low:+.1%}, {high:+.1%}]")
        lines.append(f"| {name} | {' | '.join(cells)} |")
    lines.append("")
    for metric, label in LEADS.items():
        verdict = "ahead of" if verdicts[metric] else "NOT significantly ahead of"
        lines.append(f"- {label}: {verdict} every baseline")
    return "\n".join(lines)


def seeds_of(seeds_from: list[int], couples: int = COUPLES) -> list[int]:
    """The seeds of `couples` couples from each first seed given (`--seeds-from`)."""
    return [n for first in seeds_from for n in range(first, first + couples)]


def evaluate(worlds: list[str], seeds_from: list[int]) -> None:
    jobs = [(world, n) for world in worlds for n in seeds_of(seeds_from)]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = list(pool.map(run_couple, jobs, chunksize=4))
    for world in worlds:
        mine = [r for (w, _), r in zip(jobs, results, strict=True) if w == world]
        print(report(world, [r for r, _ in mine], [b for _, b in mine]))
        print()


# --- fitting the evidence weights -----------------------------------------------------------


def fit(world: str) -> None:
    """Least squares of the hidden closeness on what the engine sees of each memory after a
    year of picks: the mutual connection on each partner's scale, notes, replies (up to
    four), and what the couple did with it (recreations and plans, "not now", picks let
    pass without an answer). Prints what each weighs against the mutual connection's 3."""
    rows, targets = [], []
    for n in range(COUPLES):
        couple = WORLDS[world].make(random.Random(f"{world}:{n}"))
        life = Life()
        live_a_year(couple, our_engine(couple, random.Random(0)), seed=n, life=life)
        recreations, _ = recreations_of(couple)
        taught = taught_by(rating_counts(couple), recreations, life)
        passed = Counter(m.id for m, action, _ in life.history if action is None)
        for m in couple.moments:
            rows.append(
                [
                    1.0,
                    mutual_connection(m.scores, taught.usual_for(m.kind), taught.scales),
                    float(sum(m.notes)),
                    float(min(m.replies, 4)),
                    float(recreations[m.id] + life.planned[m.id]),
                    float(life.snoozes[m.id]),
                    float(passed[m.id]),
                ]
            )
            targets.append(m.truth)
    _, closeness, *others = _least_squares(rows, targets)
    names = ("note", "reply", "recreation or plan", "not now", "pick let pass")
    print(f"{world}: {len(rows)} memories of {COUPLES} couples; against mutual connection 3.0:")
    print(
        ", ".join(
            f"{3.0 * w / closeness:+.3f} per {name}" for name, w in zip(names, others, strict=True)
        )
    )


def reply_slopes(world: str) -> None:
    """How much higher each partner scored a memory with one more reply (up to
    REPLIES_READ), both about their own means, per couple (`scoring.reply_weight`'s
    TUNED_REPLY_SLOPE is steady's mean)."""
    slopes = []
    for n in range(COUPLES):
        taught = habits_of(
            rating_counts(WORLDS[world].make(random.Random(f"{world}:{n}"))), most_done=0
        )
        spreads = [side.spread() for side in taught.replies]
        squares = sum(xx for xx, _ in spreads)
        if squares:
            slopes.append(sum(xy for _, xy in spreads) / squares)
    mean = sum(slopes) / len(slopes)
    spread = (sum((s - mean) ** 2 for s in slopes) / (len(slopes) - 1)) ** 0.5
    print(
        f"{world}: a reply goes with a score higher by {mean:.3f} (sd {spread:.3f} between couples)"
    )


def _least_squares(rows: list[list[float]], targets: list[float]) -> list[float]:
    """Solves the normal equations by Gauss-Jordan elimination (a handful of columns)."""
    k = len(rows[0])
    a = [[sum(r[i] * r[j] for r in rows) for j in range(k)] for i in range(k)]
    b = [sum(r[i] * t for r, t in zip(rows, targets, strict=True)) for i in range(k)]
    for col in range(k):
        pivot = max(range(col, k), key=lambda r: abs(a[r][col]))
        a[col], a[pivot], b[col], b[pivot] = a[pivot], a[col], b[pivot], b[col]
        for r in range(k):
            if r != col:
                factor = a[r][col] / a[col][col]
                a[r] = [x - factor * y for x, y in zip(a[r], a[col], strict=True)]
                b[r] -= factor * b[col]
    return [b[i] / a[i][i] for i in range(k)]


# --- the real pick on SQLite, pick by pick ---------------------------------------------------


async def check(couples: int, days: int) -> None:
    from server.common.database import apply_migrations, close_database, open_database
    from timeline.resurfacing.daily_pick import answer, todays_pick

    same = 0
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/check.sqlite3"
        await apply_migrations(url)
        await open_database(url)
        for n in range(couples):
            couple = WORLDS[TUNED_ON].make(random.Random(f"{TUNED_ON}:{n}"))
            expected = live_a_year(couple, our_engine(couple, random.Random(0)), n, days)
            ana, timeline = await _store(couple, n)
            answers, made = random.Random(n), []
            by_id = {m.id: m for m in couple.moments}
            for day in range(days):
                now = datetime.combine(YEAR_STARTS + timedelta(days=day), time(9), UTC)
                pick = await todays_pick(ana, timeline.id, now=now)
                if pick is None:
                    continue
                made.append((pick.memory_id, now.date()))
                action = couple.answer(by_id[pick.memory_id], answers)
                if action is not None:
                    await answer(ana, pick.id, action, now=now)
            same += made == expected
            print(f"couple {n}: {len(made)} picks, the same as the replay: {made == expected}")
        await close_database()
    print(f"{same} of {couples} couples: the real pick on SQLite made the replay's picks")


async def _store(couple: Couple, n: int):
    from timeline.accounts.credentials import sign_up
    from timeline.models import Connection, Memory, MemoryTag, Reply
    from timeline.resurfacing.candidates import refresh_ceilings
    from timeline.timelines.invites import accept_invite, create_invite
    from timeline.timelines.membership import create_timeline

    now = datetime(2025, 12, 31, tzinfo=UTC)
    password = "a long and happy walk"
    ana = await sign_up(f"ana{n}@example.org", password, "Ana", "UTC", now=now)
    sam = await sign_up(f"sam{n}@example.org", password, "Sam", "UTC", now=now)
    timeline = await create_timeline(ana, "Us", date(2014, 1, 1), now=now)
    await accept_invite(sam, (await create_invite(ana, timeline.id, now=now)).token, now=now)
    rows, tags, ratings, replies = [], [], [], []
    for m in sorted(couple.moments, key=lambda m: m.recreates is not None):
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
                place=m.place,
                kind=m.kind,
                recreates_id=m.recreates,
                created_at=now,
                updated_at=now,
            )
        )
        tags += [MemoryTag(memory_id=m.id, name=tag) for tag in m.tags]
        for member, given, note in zip((ana, sam), m.scores, m.notes, strict=True):
            if given is not None:
                ratings.append(
                    Connection(
                        memory_id=m.id,
                        user=member,
                        score=given,
                        appreciation="Thank you for that day" if note else "",
                        updated_at=now,
                    )
                )
        replies += [
            Reply(memory_id=m.id, author=sam, text="Yes", created_at=now) for _ in range(m.replies)
        ]
    for model, batch in (
        (Memory, rows),
        (MemoryTag, tags),
        (Connection, ratings),
        (Reply, replies),
    ):
        await model.bulk_create(batch, batch_size=500)
    await refresh_ceilings(timeline)
    return ana, timeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", choices=list(WORLDS), action="append")
    parser.add_argument("--fit", action="store_true")
    parser.add_argument("--seeds-from", type=int, action="append", metavar="N")
    parser.add_argument("--check", type=int, metavar="COUPLES")
    parser.add_argument("--days", type=int, default=DAYS)
    arguments = parser.parse_args()
    if arguments.fit:
        fit(TUNED_ON)
        for world in WORLDS:
            reply_slopes(world)
    elif arguments.check:
        asyncio.run(check(arguments.check, arguments.days))
    else:
        evaluate(arguments.world or list(WORLDS), arguments.seeds_from or [0])


if __name__ == "__main__":
    main()
