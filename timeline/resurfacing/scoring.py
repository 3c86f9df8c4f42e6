"""The resurfacing score: which memory to bring back, and why, in plain words.

Photo apps bring back "the same day N years ago". We bring back the moments in which both
partners felt most connected. A memory's score is a weighted sum of small named terms, each
in [0, 1] (what the couple did in [-1, 1], the wait for its own week in [-1, 0]), and the
reasons shown to the couple are the terms that weighed most, so the explanation is the
arithmetic, never a separate guess.

Pure functions over plain data: the database work of gathering candidates and persisting the
daily pick lives with the pick, not here."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from itertools import combinations
from uuid import UUID

from timeline.core.calendar import DAY, MONTH, YEAR, in_year

# The one place the weights live, tuned on the evaluation's "steady" world only
# (bench/resurfacing_eval.py, bench/couples.py). The evidence terms (mutual connection,
# what was said, what the couple did) weigh what `--fit` finds each predicts of the hidden
# closeness there, against the mutual connection's 3: a reply +0.23, a note beyond the
# score it comes with nothing (-0.06), a "not now" -0.81; a recreation or a plan weighs
# twice its fitted +0.28, which made more of the picks close ones there. The calendar
# brings a close moment back on its own week and holds it back for it when that week is
# near (`its_week_ahead`): together, over three times the base rate of picks on their own
# week for far less closeness than the calendar alone at 2. It weighed 0.5 and 1 until a
# reply weighed what it says to each couple (`reply_weight`): where replies are chatter,
# closeness and so its date weigh more, and at 0.4 and 0.8 every world stays over three
# times (the one look at the other worlds' figures in this choice). Nostalgia and
# freshness cost closeness there and are kept small; how the couple answered each kind and
# tag of pick did too, and is gone (the usual score of each kind, learnt from ratings, took
# its place).
WEIGHTS: Mapping[str, float] = {
    "mutual_connection": 3.0,
    "said_about_it": 0.92,
    "what_you_did": 2.0,
    "calendar_resonance": 0.4,
    "its_week_ahead": 0.8,
    "nostalgia": 0.1,
    "freshness": 0.1,
}
# What each appreciation note and each reply adds to `said_about_it`, which stops at 1.
# PER_REPLY is what a reply adds for a couple whose scores rise with their replies as
# steady's do (`reply_weight`).
PER_NOTE = 0.0
PER_REPLY = 0.25
# Among steady's couples, one more reply (up to REPLIES_READ) went with a score higher by
# this much, each partner's scores about their own mean (`bench/resurfacing_eval.py --fit`:
# 0.336, 0.072 between couples; 0.085 on two scales, 0.445 on talkers).
TUNED_REPLY_SLOPE = 0.34
REPLIES_READ = 4
# How much that slope counts in a couple's own (`reply_weight`), in squared replies about
# their mean: as much as 8 scores a reply from their mean.
REPLY_PRIOR = 8.0
# The most a reply can add, however much a couple's scores rise with replies.
MOST_PER_REPLY = 2 * PER_REPLY
# What each recreation or plan, and each "not now", adds to `what_you_did`, within [-1, 1].
PER_DONE = 0.28
PER_NOT_NOW = 0.81
# How many ratings of their own a partner's scale is learnt from before it counts as much
# as the plain 1 to 5 reading (see `scale_of`).
SCALE_PRIOR = 8
MIN_AGE = timedelta(weeks=8)
RESUGGEST_AFTER = timedelta(days=90)
# A moment lived again rests as long as one just shown, then may come back with "You have
# lived it again since then". It rested a year once: the moments couples recreate are their
# closest, and the evaluation's picks were closer in every world without that year (on
# steady's held-out couples too).
RECREATED_REST = RESUGGEST_AFTER
# A memory of the same event as a recent pick (same place, a few days apart) keeps this
# share of its score.
SAME_EVENT_FACTOR = 0.2
SAME_EVENT_DAYS = 4
# Scores of 1 or 2 mean "not a moment to bring back" to whoever gave them.
LOWEST_WELCOME_SCORE = 3
# A date resonating at most as much as one outside today's week can (the same month, or a
# memory known only to its month): what the walk down all memories allows for.
BEYOND_WEEK = 0.4
# How many days ahead a memory's own week must still be for the score to hold it back for it
# (`its_week_ahead`): nearer, it already resonates (within 3 days, fully).
HELD_FROM = 4
# The week around today in which a date resonates more than a stored ceiling allows, in days
# each way (a day more than calendar_resonance uses: leap years shift a day).
WEEK_WINDOW = 8
# The stored ceiling is an ordering key (`ceiling`) shaped like the score outside today's
# week of a couple who read the plain scale with a usual score of 3, so that the walk reads
# memories in nearly the order they score; `candidates.Bounds` turns it into the most a memory
# may score for one couple. Its own constants, so that changing the weights needs no
# migration of stored ceilings, only a longer walk.
KEY_CLOSENESS, KEY_SAID, KEY_PER_NOTE, KEY_PER_REPLY, KEY_USUAL = 3.2, 0.92, 0.0, 0.25, 3.0
# The highest a ceiling can be: the default of a memory whose ceiling was never worked out.
CEILING_MAX = KEY_CLOSENESS + KEY_SAID
# How much a recap counts one partner's score alone, and no score at all.
RECAP_ONE_RATING, RECAP_NO_RATING = 0.85, 0.5
# A partner's scale: what each raw score from 1 to 5 means on the plain 1 to 5 reading.
Scale = tuple[float, float, float, float, float]
PLAIN: Scale = (1.0, 2.0, 3.0, 4.0, 5.0)


@dataclass(frozen=True)
class Candidate:
    """What the score knows of one memory."""

    memory_id: UUID
    occurred_on: date
    precision: str
    kind: str
    place: str = ""
    # Each partner's connection score, None while they have not rated.
    scores: tuple[int | None, int | None] = (None, None)
    appreciations: int = 0
    replies: int = 0
    # What the couple did with it: later memories that recreate it, the times they said
    # "let's recreate it" to a pick of it, and the times they said "not now".
    recreations: int = 0
    planned: int = 0
    snoozes: int = 0
    last_suggested: date | None = None
    snoozed_until: date | None = None
    recreated_on: date | None = None
    vetoed: bool = False
    # Silenced by one of the couple's quiet rules (a tag, a hard year, a quiet period).
    quiet: bool = False
    # A letter brought it back to one of them in the last week: not twice.
    told_lately: bool = False


@dataclass(frozen=True)
class Sums:
    """One partner's scores against the replies (up to REPLIES_READ) of the memories they
    scored: their count, sums, sums of squares and of products."""

    n: float = 0.0
    x: float = 0.0
    y: float = 0.0
    xx: float = 0.0
    xy: float = 0.0

    def adding(self, replies: int, raw: int, count: int) -> Sums:
        """With `count` more scores `raw` of memories with `replies`."""
        x = min(replies, REPLIES_READ)
        return Sums(
            self.n + count,
            self.x + count * x,
            self.y + count * raw,
            self.xx + count * x * x,
            self.xy + count * x * raw,
        )

    def spread(self, replies: int = 0, raw: int | None = None) -> tuple[float, float]:
        """The sum of the squares of the replies about their mean, and of their products with
        the scores about theirs, leaving out one score `raw` of a memory with `replies`
        (nothing without a score left). Written out, not through `adding`: the daily pick
        asks it of every memory it scores."""
        n, x, y, xx, xy = self.n, self.x, self.y, self.xx, self.xy
        if raw is not None:
            left_out = min(replies, REPLIES_READ)
            n, x, y = n - 1, x - left_out, y - raw
            xx, xy = xx - left_out * left_out, xy - left_out * raw
        if n < 1:
            return 0.0, 0.0
        return max(0.0, xx - x * x / n), xy - x * y / n


@dataclass(frozen=True)
class Habits:
    """What a couple taught the engine: their usual score (the prior for unrated memories,
    on the plain reading) and that of each kind of moment, each partner's scale, and how
    their scores went with replies."""

    usual_score: float = 3.5
    # The usual score of each kind of moment (`kind_usuals`): trips may be closer than
    # everyday moments to one couple and not to another.
    kind_usual: Mapping[str, float] = field(default_factory=dict)
    scales: tuple[Scale, Scale] = (PLAIN, PLAIN)
    # The most times they recreated any one memory or said they would: what `what_you_did`
    # can add at most, which the daily pick's walk must allow for.
    most_done: int = 0
    # How each partner's scores went with replies (`reply_weight`).
    replies: tuple[Sums, Sums] = (Sums(), Sums())

    def usual_for(self, kind: str) -> float:
        """The prior for an unrated memory of this kind."""
        return self.kind_usual.get(kind, self.usual_score)

    def highest_usual(self) -> float:
        """The highest prior of any kind: what a bound over every memory must allow for."""
        return max([self.usual_score, *self.kind_usual.values()])

    def per_reply(self, scores: tuple[int | None, int | None], replies: int) -> float:
        """What each reply adds to `said_about_it` for a memory of these scores and replies
        (`reply_weight`, learnt from every other memory they scored). Only each partner's
        newest scores are counted (`daily_pick.rating_counts`): one older than those is
        left out all the same, and raising it, which makes it their newest, may move the
        weight a little, as it moves their scale."""
        first, second = self.replies
        return reply_weight((first.spread(replies, scores[0]), second.spread(replies, scores[1])))

    @cached_property
    def most_per_reply(self) -> float:
        """The most `per_reply` gives any memory that may be offered (scored 3 to 5 or not):
        what the daily pick's walk must allow for."""
        spreads = [
            [
                sums.spread(replies, raw)
                for raw in (None, *range(LOWEST_WELCOME_SCORE, 6))
                for replies in range(REPLIES_READ + 1)
            ]
            for sums in self.replies
        ]
        # The most the products and the least the squares can be, side by side.
        most = sum(max(xy for _, xy in side) for side in spreads)
        least = sum(min(xx for xx, _ in side) for side in spreads)
        return reply_weight([(least, most)])


@dataclass(frozen=True)
class RecentPick:
    occurred_on: date
    place: str


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float
    # Each term's weighted contribution, the numbers the reasons are built from.
    contributions: Mapping[str, float]


def exclusion(candidate: Candidate, today: date) -> str | None:
    """Why a memory may not be offered today, or None when it may."""
    if candidate.vetoed:
        return "vetoed"
    if candidate.quiet:
        return "a quiet rule"
    if any(s is not None and s < LOWEST_WELCOME_SCORE for s in candidate.scores):
        return "a partner did not feel close"
    if today - candidate.occurred_on < MIN_AGE:
        return "too recent"
    if candidate.last_suggested and today - candidate.last_suggested < RESUGGEST_AFTER:
        return "suggested in the last 90 days"
    if candidate.snoozed_until and today < candidate.snoozed_until:
        return "snoozed"
    if candidate.recreated_on and today - candidate.recreated_on < RECREATED_REST:
        return "recreated in the last 90 days"
    if candidate.told_lately:
        return "a letter brought it back in the last week"
    return None


def scale_of(counts: Mapping[int, int]) -> Scale:
    """A partner's scale, learnt from how many times they gave each score: each score read
    as its place among their own (the share of their scores below it, and half of those
    equal), on 1 to 5, and blended with the plain reading in proportion to how many scores
    they gave against SCALE_PRIOR. A partner who gives 5 to almost everything means less by
    a 5 than one who gives it rarely, and a 3 from someone who never goes higher means
    more. Never decreasing: a higher score never reads lower."""
    given = sum(counts.values())
    below, scale = 0, []
    for raw in range(1, 6):
        equal = counts.get(raw, 0)
        place = (below + equal / 2) / given if given else 0.0
        scale.append((given * (1 + 4 * place) + SCALE_PRIOR * raw) / (given + SCALE_PRIOR))
        below += equal
    return (scale[0], scale[1], scale[2], scale[3], scale[4])


def usual_of(counts: Sequence[Mapping[int, int]], scales: Sequence[Scale]) -> float | None:
    """The mean of every score the partners gave, each read on its partner's scale, drawn
    towards the middle of the scale as if SCALE_PRIOR more scores had been a 3: a couple who
    rated one memory 5 has not said that everything was; None before their first."""
    given = sum(n for side in counts for n in side.values())
    if not given:
        return None
    sides = zip(counts, scales, strict=True)
    total = sum(scale[raw - 1] * n for side, scale in sides for raw, n in side.items())
    return (total + 3 * SCALE_PRIOR) / (given + SCALE_PRIOR)


def kind_usuals(
    counts: Sequence[Mapping[str, Mapping[int, int]]], scales: Sequence[Scale], usual: float
) -> dict[str, float]:
    """Each kind's usual score: the mean of the scores the partners gave memories of that
    kind (`counts`, per partner, kind and score), each read on its partner's scale, drawn
    towards the couple's `usual` as if SCALE_PRIOR more of them had been it. A couple whose
    trips were closer than their everyday moments sees it in the trips nobody rated yet."""
    totals: dict[str, list[float]] = {}
    for side, scale in zip(counts, scales, strict=True):
        for kind, given in side.items():
            total = totals.setdefault(kind, [0.0, 0.0])
            total[0] += sum(scale[raw - 1] * n for raw, n in given.items())
            total[1] += sum(given.values())
    return {
        kind: (total + SCALE_PRIOR * usual) / (given + SCALE_PRIOR)
        for kind, (total, given) in totals.items()
    }


def mutual_connection(
    scores: tuple[int | None, int | None], usual: float, scales: Sequence[Scale] = (PLAIN, PLAIN)
) -> float:
    """Both partners' closeness, each score read on its partner's scale, combined as a
    product, so 5 and 5 (1.0) beats 5 and 3 (0.6) and 4 and 4 (0.64). An unrated side is
    estimated from the other side's score, a quarter of the way towards the couple's usual
    one (partners' feelings go together); with neither rated, both are the usual score. An
    estimate is not discounted for being one: in the evaluation, discounting it (to 85 % and
    50 %) kept close moments nobody had rated yet from ever coming back, and cost the
    calendar a fifth of its picks on their own week, for no closeness gained."""
    return _closeness(scores, usual, scales, 1.0, 1.0)


def stated_closeness(scores: tuple[int | None, int | None], usual: float) -> float:
    """Closeness as the partners stated it, for looking back (a recap's moments): read as
    `mutual_connection` reads it, but one partner's score alone counts at 85 % and no score
    at 50 %, so a moment both rated comes before one only one of them did."""
    return _closeness(scores, usual, (PLAIN, PLAIN), RECAP_ONE_RATING, RECAP_NO_RATING)


def _closeness(
    scores: tuple[int | None, int | None],
    usual: float,
    scales: Sequence[Scale],
    one: float,
    none: float,
) -> float:
    known = [scales[side][s - 1] for side, s in enumerate(scores) if s is not None]
    if len(known) == 2:
        return known[0] * known[1] / 25
    if len(known) == 1:
        return one * known[0] * (3 * known[0] + usual) / 4 / 25
    return none * usual * usual / 25


def ceiling(scores: Sequence[int], appreciations: int, replies: int) -> float:
    """A memory's ordering key: it never decreases as a rating rises or a rater, a note or a
    reply is added, whichever of its raters are the timeline's members now. Stored on the
    memory and kept current as partners rate and reply, so that the daily pick walks
    memories from the highest key down and stops as soon as no memory left could win
    (`candidates.Bounds`, `daily_pick.shortlist`). The best of every pairing of its scores, so
    that a second rater who felt less close never lowers it."""
    pairings: list[tuple[int | None, int | None]] = [(None, None)]
    pairings += [(score, None) for score in scores]
    pairings += list(combinations(scores, 2))
    closeness = max(mutual_connection(pair, KEY_USUAL) for pair in pairings)
    said = min(1.0, KEY_PER_NOTE * appreciations + KEY_PER_REPLY * replies)
    return KEY_CLOSENESS * closeness + KEY_SAID * said


def reply_weight(spreads: Sequence[tuple[float, float]]) -> float:
    """What each reply adds to `said_about_it`: PER_REPLY in proportion to how much a
    couple's scores rise with each reply, against steady's TUNED_REPLY_SLOPE, from nothing
    to MOST_PER_REPLY. The slope is each partner's scores against the replies, both about
    their own means (`Sums.spread`: a generous partner and a harsh one rise alike), drawn
    towards steady's by REPLY_PRIOR. Where replies are chatter, they weigh little; where
    they go with how close a couple felt, more. Learnt from a memory's own scores, it would
    let a higher score lower a reply's weight: `Habits.per_reply` leaves them out."""
    squares = sum(xx for xx, _ in spreads) + REPLY_PRIOR
    products = sum(xy for _, xy in spreads) + REPLY_PRIOR * TUNED_REPLY_SLOPE
    share = products / squares / TUNED_REPLY_SLOPE
    return max(0.0, min(MOST_PER_REPLY, PER_REPLY * share))


def said_about_it(appreciations: int, replies: int, per_reply: float) -> float:
    """What the couple wrote about it: PER_NOTE for each appreciation note, `per_reply` for
    each reply, up to 1."""
    return min(1.0, PER_NOTE * appreciations + per_reply * replies)


def what_you_did(recreations: int, planned: int, snoozes: int) -> float:
    """What the couple did when it came back, within [-1, 1]: each recreation, and each
    time they said they would recreate it, PER_DONE; each "not now", minus PER_NOT_NOW."""
    return max(-1.0, min(1.0, PER_DONE * (recreations + planned) - PER_NOT_NOW * snoozes))


def nostalgia(occurred_on: date, today: date) -> float:
    """Interest that rises over the first years: nothing before 8 weeks, then
    1 - e^(-age/1 year) of the time beyond: 0.63 at one year more, 0.95 at three."""
    beyond = (today - occurred_on - MIN_AGE).days
    return 0.0 if beyond < 0 else 1 - math.exp(-beyond / 365)


def calendar_resonance(occurred_on: date, precision: str, today: date) -> float:
    """The same week in an earlier year 1.0 (within 3 days) or 0.7 (within 7), the same
    month 0.3. A memory known only to the month resonates with its month (0.4), one known
    only to the year never does: neither claims a day it does not know."""
    if occurred_on.year >= today.year or precision == YEAR:
        return 0.0
    if precision == MONTH:
        return 0.4 if occurred_on.month == today.month else 0.0
    days = abs(in_year(occurred_on, today.year).timetuple().tm_yday - today.timetuple().tm_yday)
    days = min(days, 365 - days)
    if days <= 3:
        return 1.0
    if days <= 7:
        return 0.7
    return 0.3 if occurred_on.month == today.month else 0.0


def its_week_ahead(occurred_on: date, precision: str, today: date) -> float:
    """1.0 while a memory's own week in a coming year is 4 to 90 days ahead: a pick now would
    keep it resting (RESUGGEST_AFTER) through its anniversary, so the score holds it back
    until it resonates. 0 otherwise, and for a memory not known to its day. A memory of this
    year waits for its first anniversary, next year."""
    if precision != DAY:
        return 0.0
    coming = in_year(occurred_on, today.year)
    if coming < today or coming.year == occurred_on.year:
        coming = in_year(occurred_on, today.year + 1)
    return 1.0 if HELD_FROM <= (coming - today).days < RESUGGEST_AFTER.days else 0.0


def freshness(last_suggested: date | None, today: date) -> float:
    """Never suggested 1.0; otherwise rising back to 1 over a year since it last was."""
    if last_suggested is None:
        return 1.0
    return min(1.0, (today - last_suggested).days / 365)


def score(
    candidate: Candidate,
    today: date,
    taught: Habits,
    recent_picks: Sequence[RecentPick] = (),
) -> Scored | None:
    """The memory's score and each term's share of it, or None when it is excluded."""
    if exclusion(candidate, today) is not None:
        return None
    mutual = mutual_connection(candidate.scores, taught.usual_for(candidate.kind), taught.scales)
    values = {
        "mutual_connection": mutual,
        "said_about_it": said_about_it(
            candidate.appreciations,
            candidate.replies,
            taught.per_reply(candidate.scores, candidate.replies),
        ),
        "what_you_did": what_you_did(candidate.recreations, candidate.planned, candidate.snoozes),
        # An anniversary of a moment neither felt close in is no reason to bring it back: the
        # date counts in proportion to the closeness.
        "calendar_resonance": mutual
        * calendar_resonance(candidate.occurred_on, candidate.precision, today),
        # Held back as much as the date would bring it forward: a close moment waits for its
        # week, one nobody felt close in has nothing to wait for.
        "its_week_ahead": -mutual
        * its_week_ahead(candidate.occurred_on, candidate.precision, today),
        "nostalgia": nostalgia(candidate.occurred_on, today),
        "freshness": freshness(candidate.last_suggested, today),
    }
    contributions = {name: WEIGHTS[name] * value for name, value in values.items()}
    total = sum(contributions.values())
    if _same_event_as(candidate, recent_picks):
        total *= SAME_EVENT_FACTOR
    return Scored(candidate, total, contributions)


def _same_event_as(candidate: Candidate, recent_picks: Sequence[RecentPick]) -> bool:
    # The dates first: they rule out nearly every pair, and cost less than folding places.
    return bool(candidate.place) and any(
        abs((pick.occurred_on - candidate.occurred_on).days) <= SAME_EVENT_DAYS
        and pick.place.casefold() == candidate.place.casefold()
        for pick in recent_picks
    )


def top_terms(scored: Scored, most: int = 4) -> list[str]:
    """The terms that weighed most, largest contribution first; at most `most`, only those
    that added something."""
    ranked = sorted(scored.contributions.items(), key=lambda item: -item[1])
    return [name for name, value in ranked[:most] if value > 0]


def reasons(scored: Scored, names: tuple[str, str], today: date) -> list[str]:
    """Two to four sentences, one per top term, in the order the terms weighed."""
    candidate = scored.candidate
    lines = []
    for term in top_terms(scored):
        line = REASON_FOR[term](candidate, names, today)
        if line:
            lines.append(line)
    return lines[:4]


def _then(candidate: Candidate) -> str:
    """That moment at the date's own precision: "that day", "that August", "that year"."""
    if candidate.precision == MONTH:
        return f"that {candidate.occurred_on.strftime('%B')}"
    return "that year" if candidate.precision == YEAR else "that day"


def _mutual_reason(candidate: Candidate, names: tuple[str, str], _: date) -> str:
    first, second = candidate.scores
    if first is not None and second is not None:
        if min(first, second) >= 4:
            times = "days" if candidate.precision not in (MONTH, YEAR) else "times"
            return f"You both said it was one of your closest {times}."
        return f"You both remember feeling close {_then(candidate)}."
    if first is not None or second is not None:
        who, value = (names[0], first) if first is not None else (names[1], second)
        return f"{who} remembers feeling {'very ' if value >= 4 else ''}close {_then(candidate)}."
    return "How close did it make you feel? Neither of you has said yet."


def _calendar_reason(candidate: Candidate, _: tuple[str, str], today: date) -> str:
    years = today.year - candidate.occurred_on.year
    ago = "A year ago" if years == 1 else f"{_number_word(years)} years ago"
    if candidate.precision == MONTH:
        return f"{ago} this month."
    value = calendar_resonance(candidate.occurred_on, candidate.precision, today)
    return f"{ago} this week." if value >= 0.7 else f"{ago} this month."


def _nostalgia_reason(candidate: Candidate, _: tuple[str, str], today: date) -> str:
    # The date says how long ago it was: the sentence says what the distance gives.
    if (today - candidate.occurred_on).days < 365:
        return "Still fresh, and worth a second look."
    return "Far enough back to see it with new eyes."


def _said_reason(candidate: Candidate, _: tuple[str, str], __: date) -> str:
    wrote = {0: "", 1: "One of you wrote what it meant"}.get(
        candidate.appreciations, "You each wrote what it meant to you"
    )
    if wrote and candidate.replies:
        return f"{wrote}, and you kept talking about it."
    if candidate.replies:
        return "You kept talking about it afterwards."
    return f"{wrote}." if wrote else ""


def _did_reason(candidate: Candidate, _: tuple[str, str], __: date) -> str:
    if candidate.recreations:
        return "You have lived it again since then."
    return "You said you would like to do it again." if candidate.planned else ""


def _freshness_reason(candidate: Candidate, _: tuple[str, str], __: date) -> str:
    # Never a counter: a memory not brought back before needs no sentence of its own.
    if candidate.last_suggested is None:
        return ""
    return "It has been a while since it last came back to you."


# Term name -> the sentence that explains it, from the same numbers as the score.
REASON_FOR = {
    "mutual_connection": _mutual_reason,
    "calendar_resonance": _calendar_reason,
    "nostalgia": _nostalgia_reason,
    "said_about_it": _said_reason,
    "what_you_did": _did_reason,
    "freshness": _freshness_reason,
}
_WORDS = ["Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"]


def _number_word(n: int) -> str:
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)
