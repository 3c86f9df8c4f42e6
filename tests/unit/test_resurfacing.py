"""The resurfacing score, as properties over generated memories and as examples."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from timeline.models import Memory
from timeline.resurfacing.candidates import Bounds, Ceiling
from timeline.resurfacing.daily_pick import DEFAULT_PROMPTS, PROMPTS, habits_of, prompt_for
from timeline.resurfacing.scoring import (
    MIN_AGE,
    REASON_FOR,
    WEIGHTS,
    Candidate,
    Habits,
    RecentPick,
    Sums,
    calendar_resonance,
    ceiling,
    exclusion,
    its_week_ahead,
    mutual_connection,
    reasons,
    scale_of,
    score,
    top_terms,
)

TODAY = date(2026, 6, 15)
NAMES = ("Ana", "Sam")

scores = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
days_back = st.integers(min_value=0, max_value=365 * 12)
past_days = st.builds(lambda d: TODAY - timedelta(days=d), days_back)
snooze_ends = st.builds(lambda d: TODAY + timedelta(days=d - 60), st.integers(0, 120))


@st.composite
def candidates(draw) -> Candidate:
    occurred = TODAY - timedelta(days=draw(days_back))
    return Candidate(
        memory_id=uuid.uuid4(),
        occurred_on=occurred,
        precision=draw(st.sampled_from(["day", "day", "month", "year"])),
        kind=draw(st.sampled_from(["date", "trip", "ritual", "everyday"])),
        place=draw(st.sampled_from(["", "Lisbon", "Home"])),
        scores=(draw(scores), draw(scores)),
        appreciations=draw(st.integers(0, 2)),
        replies=draw(st.integers(0, 5)),
        recreations=draw(st.integers(0, 2)),
        planned=draw(st.integers(0, 2)),
        snoozes=draw(st.integers(0, 3)),
        last_suggested=draw(
            st.one_of(st.none(), st.builds(lambda d: TODAY - timedelta(days=d), days_back))
        ),
        snoozed_until=draw(
            st.one_of(
                st.none(), st.builds(lambda d: TODAY + timedelta(days=d - 60), st.integers(0, 120))
            )
        ),
        recreated_on=draw(
            st.one_of(st.none(), st.builds(lambda d: TODAY - timedelta(days=d), days_back))
        ),
        vetoed=draw(st.booleans()),
        quiet=draw(st.booleans()),
        told_lately=draw(st.booleans()),
    )


# How many times a partner gave each score: a generous one, a harsh one, or none at all.
given_scores = st.dictionaries(st.integers(1, 5), st.integers(1, 40), max_size=5)
# How many times a partner gave each score to memories with each count of replies.
given_with_replies = st.dictionaries(
    st.tuples(st.integers(1, 5), st.integers(0, 4)), st.integers(1, 40), max_size=10
)


def reply_sums(given: dict[tuple[int, int], int]) -> Sums:
    sums = Sums()
    for (raw, replies), n in given.items():
        sums = sums.adding(replies, raw, n)
    return sums


habits = st.builds(
    Habits,
    usual_score=st.floats(min_value=1.5, max_value=5.0),
    kind_usual=st.dictionaries(st.sampled_from(["date", "trip"]), st.floats(1.0, 5.0), max_size=2),
    scales=st.tuples(st.builds(scale_of, given_scores), st.builds(scale_of, given_scores)),
    most_done=st.integers(0, 4),
    replies=st.tuples(
        st.builds(reply_sums, given_with_replies), st.builds(reply_sums, given_with_replies)
    ),
)


@given(candidates(), habits, st.integers(0, 1))
@settings(max_examples=300)
def test_raising_either_partners_score_never_lowers_the_score(candidate, taught, side):
    current = candidate.scores[side]
    if current is None or current == 5:
        return
    raised_scores = list(candidate.scores)
    raised_scores[side] = current + 1
    before = score(candidate, TODAY, taught)
    after = score(replace(candidate, scores=tuple(raised_scores)), TODAY, taught)

    if before is not None:
        assert after is not None
        assert after.score >= before.score


@given(candidates(), st.integers(0, 1), given_with_replies, given_with_replies)
# A memory both scored 3, with one reply, of a couple whose 5s came with four replies: a 4
# learnt from would say replies weigh less, and take more from its own reply than its
# closeness gains.
@example(
    Candidate(uuid.UUID(int=1), date(2020, 3, 3), "day", "date", scores=(3, 3), replies=1),
    0,
    {(5, 4): 39},
    {},
)
@settings(max_examples=300)
def test_raising_a_score_never_lowers_it_as_the_couple_is_learnt_from_it(
    candidate, side, first, second
):
    # The scales, the usual score and what a reply weighs are learnt from the same scores,
    # the raised one too.
    candidate = may_be_offered(candidate)
    current = candidate.scores[side]
    if current is None or current == 5:
        return
    counts = [of_kind(candidate, first), of_kind(candidate, second)]
    replies = min(candidate.replies, 4)
    for rater, raw in enumerate(candidate.scores):
        if raw is not None:
            key = (candidate.kind, raw, replies)
            counts[rater][key] = counts[rater].get(key, 0) + 1
    raised = [dict(counts[0]), dict(counts[1])]
    raised[side][candidate.kind, current, replies] -= 1
    up = (candidate.kind, current + 1, replies)
    raised[side][up] = raised[side].get(up, 0) + 1
    raised_scores = list(candidate.scores)
    raised_scores[side] = current + 1

    before = score(candidate, TODAY, habits_of(counts, most_done=0))
    after = score(
        replace(candidate, scores=tuple(raised_scores)),
        TODAY,
        habits_of(raised, most_done=0),
    )

    if before is not None:
        assert after is not None
        assert after.score >= before.score - 1e-12


def may_be_offered(candidate: Candidate) -> Candidate:
    """The candidate with nothing that keeps it from being offered today but its scores."""
    return replace(
        candidate,
        occurred_on=min(candidate.occurred_on, TODAY - MIN_AGE),
        last_suggested=None,
        snoozed_until=None,
        recreated_on=None,
        vetoed=False,
        quiet=False,
        told_lately=False,
    )


def of_kind(candidate: Candidate, given: dict[tuple[int, int], int]) -> dict:
    """Scores given to memories of the candidate's kind, so that its kind learns from them."""
    return {(candidate.kind, raw, replies): n for (raw, replies), n in given.items()}


@given(given_scores)
def test_a_partners_scale_reads_higher_scores_higher(counts):
    scale = scale_of(counts)

    assert list(scale) == sorted(scale)
    assert scale[0] >= 1
    assert scale[4] <= 5


def test_a_five_from_a_partner_who_gives_fives_to_everything_means_less():
    generous, sparing = scale_of({4: 10, 5: 90}), scale_of({2: 30, 3: 50, 4: 15, 5: 5})

    assert generous[4] < sparing[4]
    assert sparing[2] > generous[2]
    assert scale_of({}) == (1, 2, 3, 4, 5)


@given(candidates(), habits, st.lists(st.integers(1, 5), max_size=1))
# Two replies weigh a whole `said_about_it` for a couple whose replies came with their 5s
# and none with their 1s: more than the stored ceiling's two replies at steady's weight.
@example(
    Candidate(uuid.UUID(int=1), date(2020, 3, 3), "day", "date", scores=(5, 5), replies=2),
    Habits(replies=(reply_sums({(5, 4): 20, (1, 0): 20}), reply_sums({(5, 4): 20, (1, 0): 20}))),
    [],
)
# Three years ago today, both at 5, nothing said or done: its own bound is its score, so a
# bound that left its date out would be below it.
@example(Candidate(uuid.UUID(int=2), date(2023, 6, 15), "day", "date", scores=(5, 5)), Habits(), [])
# Known to its month only, this month: it resonates as much as a memory off today's week can.
@example(
    Candidate(uuid.UUID(int=3), date(2023, 6, 1), "month", "date", scores=(5, 5)), Habits(), []
)
@settings(max_examples=500)
def test_no_memory_scores_above_what_its_stored_ceiling_bounds(candidate, taught, former_partner):
    candidate = may_be_offered(candidate)
    # What the couple did most with one memory is at least what they did with this one.
    taught = replace(
        taught, most_done=max(taught.most_done, candidate.recreations + candidate.planned)
    )
    # The ceiling is stored from every rating the memory has, a former partner's included.
    ratings = [s for s in candidate.scores if s is not None] + former_partner
    scored = score(candidate, TODAY, taught)
    if scored is None:
        return
    this_week = calendar_resonance(candidate.occurred_on, candidate.precision, TODAY) > 0.4
    stored = ceiling(ratings, candidate.appreciations, candidate.replies)
    bounds = Bounds(taught, TODAY)
    row = Ceiling(candidate.memory_id, stored, candidate.occurred_on, candidate.precision)

    # At its own date, and at the most any date of its list may add: the walk reads what
    # the first allows and stops where the second rules out the rest of the list.
    assert scored.score <= bounds.of_row(row) + 1e-9
    assert bounds.of_row(row) <= bounds.of_list(stored, this_week=this_week) + 1e-9


def test_a_memory_a_letter_brought_back_this_week_is_not_the_pick():
    told = memory(scores=(5, 5), told_lately=True)

    assert exclusion(told, TODAY) == "a letter brought it back in the last week"
    assert score(told, TODAY, Habits()) is None


@given(candidates(), habits)
@settings(max_examples=300)
def test_vetoes_quiet_rules_snoozes_recent_picks_recreations_and_low_scores_never_come_back(
    candidate, taught
):
    scored = score(candidate, TODAY, taught)

    must_exclude = (
        candidate.vetoed
        or candidate.quiet
        or any(s is not None and s <= 2 for s in candidate.scores)
        or TODAY - candidate.occurred_on < timedelta(weeks=8)
        or (candidate.last_suggested and TODAY - candidate.last_suggested < timedelta(days=90))
        or (candidate.snoozed_until and candidate.snoozed_until > TODAY)
        or (candidate.recreated_on and TODAY - candidate.recreated_on < timedelta(days=90))
        or candidate.told_lately
    )
    assert (scored is None) == bool(must_exclude)
    assert (exclusion(candidate, TODAY) is None) == (scored is not None)


@given(candidates(), habits)
@settings(max_examples=300)
def test_reasons_follow_the_terms_that_weighed_most(candidate, taught):
    scored = score(candidate, TODAY, taught)
    if scored is None:
        return

    told = reasons(scored, NAMES, TODAY)
    expected = [REASON_FOR[t](candidate, NAMES, TODAY) for t in top_terms(scored)]

    assert told == [line for line in expected if line][:4]
    assert 1 <= len(told) <= 4
    weights = [scored.contributions[t] for t in top_terms(scored)]
    assert weights == sorted(weights, reverse=True)


def memory(**fields) -> Candidate:
    base = {
        "memory_id": uuid.uuid4(),
        "occurred_on": date(2022, 6, 16),
        "precision": "day",
        "kind": "date",
    }
    return Candidate(**{**base, **fields})


def test_five_and_five_beats_five_and_three():
    assert mutual_connection((5, 5), 3.5) == 1.0
    assert mutual_connection((5, 3), 3.5) == 0.6
    assert mutual_connection((4, 4), 3.5) > mutual_connection((5, 3), 3.5)


def test_one_rating_is_read_towards_the_couples_usual_score():
    assert mutual_connection((5, None), 3.5) < mutual_connection((5, 5), 3.5)
    assert mutual_connection((None, None), 3.5) < mutual_connection((4, None), 3.5)
    assert mutual_connection((3, None), 3.5) < mutual_connection((None, None), 3.5)


def test_a_month_or_year_date_never_claims_this_day():
    assert calendar_resonance(date(2022, 6, 15), "day", TODAY) == 1.0
    assert calendar_resonance(date(2022, 6, 1), "month", TODAY) == 0.4
    assert calendar_resonance(date(2022, 1, 1), "year", TODAY) == 0.0
    assert calendar_resonance(date(2024, 2, 29), "day", date(2025, 2, 28)) == 1.0


def test_a_memory_of_the_same_event_as_a_recent_pick_drops_sharply():
    lisbon = memory(place="Lisbon", scores=(5, 5))
    alone = score(lisbon, TODAY, Habits())
    after_pick = score(lisbon, TODAY, Habits(), [RecentPick(date(2022, 6, 12), "lisbon")])

    assert after_pick.score == alone.score * 0.2


@given(candidates(), habits)
@settings(max_examples=300)
def test_reasons_are_words_never_scores_or_counters(candidate, taught):
    scored = score(candidate, TODAY, taught)
    if scored is None:
        return

    for line in reasons(scored, NAMES, TODAY):
        # A number only says how many years ago ("11 years ago this month").
        assert not any(ch.isdigit() for ch in line.rpartition(" years ago")[2]), line
        assert "(" not in line, line
        assert "looked back" not in line
        if candidate.precision != "day":
            assert "that day" not in line, line
            assert "closest days" not in line, line


def test_a_memory_known_to_its_month_is_remembered_that_month():
    august = memory(occurred_on=date(2021, 8, 1), precision="month", scores=(None, 5))
    somewhen = memory(occurred_on=date(2021, 1, 1), precision="year", scores=(4, 4))

    assert REASON_FOR["mutual_connection"](august, NAMES, TODAY) == (
        "Sam remembers feeling very close that August."
    )
    assert REASON_FOR["mutual_connection"](somewhen, NAMES, TODAY) == (
        "You both said it was one of your closest times."
    )


def test_what_the_couple_did_with_a_memory_counts_and_is_said():
    planned = memory(scores=(4, 4), planned=1)
    put_off = memory(scores=(4, 4), snoozes=2)
    plain = score(memory(scores=(4, 4)), TODAY, Habits())

    assert (
        score(planned, TODAY, Habits()).score > plain.score > score(put_off, TODAY, Habits()).score
    )
    assert REASON_FOR["what_you_did"](planned, NAMES, TODAY) == (
        "You said you would like to do it again."
    )
    assert REASON_FOR["what_you_did"](memory(recreations=1, planned=1), NAMES, TODAY) == (
        "You have lived it again since then."
    )
    assert REASON_FOR["what_you_did"](put_off, NAMES, TODAY) == ""


def test_the_reasons_of_a_close_memory_four_years_ago_this_week():
    scored = score(memory(scores=(5, 5), appreciations=1), TODAY, Habits())

    assert reasons(scored, NAMES, TODAY) == [
        "You both said it was one of your closest days.",
        "Four years ago this week.",
        "Far enough back to see it with new eyes.",
    ]


def test_a_prompt_says_that_day_only_of_a_known_day():
    every = [p for prompts in PROMPTS.values() for p in prompts] + DEFAULT_PROMPTS
    month = Memory(kind="first", date_precision="month")

    for seed in range(40):
        said = prompt_for(random.Random(seed), month)
        assert "that day" not in said, said
        assert said.endswith("?")
    assert any("that day" in p for p in every)


def test_a_close_moment_waits_for_its_own_week_and_says_nothing_of_waiting():
    on_its_week = score(memory(scores=(5, 5), occurred_on=date(2022, 6, 16)), TODAY, Habits())
    a_month_ahead = score(memory(scores=(5, 5), occurred_on=date(2022, 7, 15)), TODAY, Habits())
    months_ahead = score(memory(scores=(5, 5), occurred_on=date(2022, 11, 1)), TODAY, Habits())
    known_to_its_month = score(
        memory(scores=(5, 5), occurred_on=date(2022, 7, 1), precision="month"), TODAY, Habits()
    )

    assert on_its_week.score > months_ahead.score > a_month_ahead.score
    assert known_to_its_month.contributions["its_week_ahead"] == 0
    assert a_month_ahead.contributions["its_week_ahead"] == -WEIGHTS["its_week_ahead"]
    assert "its_week_ahead" not in top_terms(a_month_ahead)


def test_a_moment_of_this_year_waits_for_its_first_anniversary():
    assert its_week_ahead(date(2025, 1, 20), "day", date(2025, 11, 1)) == 1.0
    assert its_week_ahead(date(2025, 1, 20), "day", date(2025, 4, 1)) == 0.0
