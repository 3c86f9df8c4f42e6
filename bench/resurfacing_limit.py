"""How far can any engine get in the tuning world? The best rule there, knowing exactly how
"steady" couples are made (bench/couples.py), beside "mean plus engagement".

It ranks memories by the posterior mean of their hidden closeness given everything the
world lets an engine see, worked out on a grid with the world's own prior (Beta(2, 3)),
rating noise (0.7, and a partner's bias of 0.3 taken as more noise; rounded to 1 to 5),
replies (Poisson, 1.2 times the closeness) and answers ("let's recreate it" only at 0.7
and above, half the time; "not now" only between 0.15 and 0.35; "never" only under 0.15).
Notes, which follow the score they come with, say nothing more; a later memory that
recreates it says so with chance 0.1 times the closeness. No engine can know a world this
well. The rule still reads each partner's lasting bias as fresh noise on every score, so its
lead over the simple rule is a reference for how much there is to win there, not a bound.

Beside it, the same rule with the engine's calendar on top (`calendar_resonance` and
`its_week_ahead` in proportion to the closeness, as the score has them), at the engine's
weights and at lighter ones (0.3 and 0.5, just over 3 times the base rate of picks on their
own week): what such picks cost an engine that knows the world.

Run with `python bench/resurfacing_limit.py` (BENCH_COUPLES, default 60; `--seeds-from N`
for the couples from seed N instead of 0, given again to pool several runs, as in
`bench/resurfacing_eval.py`). Prints figures; asserts nothing."""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.couples import WORLDS, Couple, Moment  # noqa: E402
from bench.resurfacing_eval import (  # noqa: E402
    BASELINES,
    Chooser,
    base_rate,
    figures_of,
    interval,
    live_a_year,
    recreations_of,
    seeds_of,
)
from timeline.resurfacing.scoring import (  # noqa: E402
    WEIGHTS,
    calendar_resonance,
    its_week_ahead,
)

COUPLES = int(os.environ.get("BENCH_COUPLES", "60"))
GRID = [n / 100 for n in range(101)]
NOISE = math.sqrt(0.7**2 + 0.3**2)


def _normal_below(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _rating(score: int, truth: float) -> float:
    """How likely a partner is to give `score` at this closeness."""
    mean = 1 + 4 * truth
    low = -math.inf if score == 1 else score - 0.5
    high = math.inf if score == 5 else score + 0.5
    return _normal_below((high - mean) / NOISE) - _normal_below((low - mean) / NOISE)


def _answer(action: str | None, truth: float) -> float:
    """How likely the couple is to answer a pick so at this closeness."""
    if action == "recreate":
        return 0.5 if truth >= 0.7 else 0.0
    if action == "never":
        return 1.0 if truth < 0.15 else 0.0
    if action == "snooze":
        return 0.6 if 0.15 <= truth < 0.35 else 0.0
    return 0.5 if truth >= 0.7 else 1.0 if truth >= 0.35 else 0.4 if truth >= 0.15 else 0.0


def _before_answers(m: Moment, recreated: bool) -> list[float]:
    """The posterior weight of each closeness on the grid from what was written down."""
    weights = []
    for t in GRID:
        w = t * (1 - t) ** 2 * math.exp(-1.2 * t) * (1.2 * t) ** m.replies
        w *= 0.1 * t if recreated else 1 - 0.1 * t
        for score in m.scores:
            if score is not None:
                w *= _rating(score, t)
        weights.append(w)
    return weights


# The calendar's weights (calendar_resonance, its_week_ahead) of the lighter variant.
LIGHTER = (0.3, 0.5)


def best_possible(
    couple: Couple, rng: random.Random, calendar: tuple[float, float] | None = None
) -> Chooser:
    recreated = recreations_of(couple)[0]
    weights = {m.id: _before_answers(m, recreated[m.id] > 0) for m in couple.moments}
    means = {key: _mean(w) for key, w in weights.items()}
    heard = 0

    def hear(history) -> None:
        nonlocal heard
        # Each answer once, as it comes: the couple's history only grows.
        for picked, action, _ in history[heard:]:
            weights[picked.id] = [
                w * _answer(action, t) for w, t in zip(weights[picked.id], GRID, strict=True)
            ]
            means[picked.id] = _mean(weights[picked.id])
        heard = len(history)

    def key(m: Moment, today) -> float:
        if calendar is None:
            return means[m.id]
        # On the scale `mutual_connection` reads closeness (a 1 to 5 reading, squared).
        closeness = ((1 + 4 * means[m.id]) / 5) ** 2
        resonance = calendar[0] * calendar_resonance(m.occurred_on, m.precision, today)
        held = calendar[1] * its_week_ahead(m.occurred_on, m.precision, today)
        return closeness * (WEIGHTS["mutual_connection"] + resonance - held)

    def choose(life, today) -> Moment | None:
        hear(life.history)
        eligible = [m for m in couple.moments if not life.resting(m, today)]
        if not eligible:
            return None
        return max(eligible, key=lambda m: (key(m, today), rng.random()))

    return choose


def _mean(weights: list[float]) -> float:
    total = sum(weights)
    return sum(w * t for w, t in zip(weights, GRID, strict=True)) / total if total else 0.0


ENGINES = {
    "best possible": best_possible,
    "best possible, with the engine's calendar": lambda couple, rng: best_possible(
        couple, rng, (WEIGHTS["calendar_resonance"], WEIGHTS["its_week_ahead"])
    ),
    "best possible, with a lighter calendar": lambda couple, rng: best_possible(
        couple, rng, LIGHTER
    ),
    "mean plus engagement": BASELINES["mean plus engagement"],
}


def run_couple(n: int) -> tuple[dict[str, dict[str, float]], float]:
    couple = WORLDS["steady"].make(random.Random(f"steady:{n}"))
    return {
        # Seeded as the evaluation seeds each engine: the same ties broken the same way.
        name: figures_of(
            couple,
            live_a_year(couple, make(couple, random.Random(f"steady:{n}:{name}")), seed=n),
        )
        for name, make in ENGINES.items()
    }, base_rate(couple)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds-from", type=int, action="append", metavar="N")
    seeds = seeds_of(parser.parse_args().seeds_from or [0], COUPLES)
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        runs = list(pool.map(run_couple, seeds))
    results, base = [r for r, _ in runs], sum(b for _, b in runs) / len(runs)
    for engine in ENGINES:
        if engine == "mean plus engagement":
            continue
        rng = random.Random("limit")
        resonance = sum(r[engine]["resonance"] for r in results) / len(results) / base
        print(
            f"steady: {len(seeds)} couples; {engine} (calendar resonance {resonance:.1f}× the "
            "base rate): its lead over mean plus engagement"
        )
        for metric, label in (
            ("top", "picks from the top 10 %"),
            ("percentile", "closeness percentile"),
        ):
            mean, low, high = interval(
                [r[engine][metric] - r["mean plus engagement"][metric] for r in results], rng
            )
            best = sum(r[engine][metric] for r in results) / len(results)
            print(f"- {label}: {best:.1%}, lead {mean:+.1%} [{low:+.1%}, {high:+.1%}]")


if __name__ == "__main__":
    main()
