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

Run with `python bench/resurfacing_limit.py` (BENCH_COUPLES, default 60). Prints figures;
asserts nothing."""

from __future__ import annotations

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
    _by_key,
    figures_of,
    interval,
    live_a_year,
    recreations_of,
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


def best_possible(couple: Couple, rng: random.Random) -> Chooser:
    recreated = recreations_of(couple)[0]
    weights = {m.id: _before_answers(m, recreated[m.id] > 0) for m in couple.moments}
    means = {key: _mean(w) for key, w in weights.items()}
    heard = 0

    def key(m: Moment, life) -> float:
        nonlocal heard
        # Each answer once, as it comes: the couple's history only grows.
        for picked, action, _ in life.history[heard:]:
            weights[picked.id] = [
                w * _answer(action, t) for w, t in zip(weights[picked.id], GRID, strict=True)
            ]
            means[picked.id] = _mean(weights[picked.id])
        heard = len(life.history)
        return means[m.id]

    return _by_key(key)(couple, rng)


def _mean(weights: list[float]) -> float:
    total = sum(weights)
    return sum(w * t for w, t in zip(weights, GRID, strict=True)) / total if total else 0.0


def run_couple(n: int) -> dict[str, dict[str, float]]:
    couple = WORLDS["steady"].make(random.Random(f"steady:{n}"))
    engines = {
        "best possible": best_possible,
        "mean plus engagement": BASELINES["mean plus engagement"],
    }
    return {
        # Seeded as the evaluation seeds each engine: the same ties broken the same way.
        name: figures_of(
            couple,
            live_a_year(couple, make(couple, random.Random(f"steady:{n}:{name}")), seed=n),
        )
        for name, make in engines.items()
    }


def main() -> None:
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = list(pool.map(run_couple, range(COUPLES)))
    rng = random.Random("limit")
    print(f"steady: {COUPLES} couples; the best possible rule's lead over mean plus engagement")
    for metric, label in (
        ("top", "picks from the top 10 %"),
        ("percentile", "closeness percentile"),
    ):
        mean, low, high = interval(
            [r["best possible"][metric] - r["mean plus engagement"][metric] for r in results], rng
        )
        best = sum(r["best possible"][metric] for r in results) / len(results)
        print(f"- {label}: {best:.1%}, lead {mean:+.1%} [{low:+.1%}, {high:+.1%}]")


if __name__ == "__main__":
    main()
