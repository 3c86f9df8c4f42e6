"""The couple's dates: the day they got together, and milestones such as their first date,
their wedding, or days they name themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

import msgspec

from timeline.core.calendar import DAY, check_date, check_precision, date_fields
from timeline.core.errors import Conflict, InvalidInput
from timeline.core.text import check_one_line
from timeline.models import Milestone, Timeline, User
from timeline.timelines.access import require, timeline_for
from timeline.timelines.years import anniversary

MAX_LABEL = 80
PROMINENCE = (Milestone.WEDDING, Milestone.FIRST_DATE, Milestone.CUSTOM)
NAMES = {Milestone.FIRST_DATE: "your first date", Milestone.WEDDING: "your wedding"}


@dataclass(frozen=True)
class YearsSince:
    """A milestone counted from a given day: "5 years since your first date"."""

    milestone: Milestone
    years: int

    @property
    def words(self) -> str:
        unit = "year" if self.years == 1 else "years"
        return f"{self.years} {unit} since {name_of(self.milestone)}"


def name_of(milestone: Milestone) -> str:
    """How a sentence names the milestone: "your wedding", or the couple's own label."""
    return NAMES.get(milestone.kind, milestone.label)


async def milestones_of(user: User, timeline_id: UUID) -> list[Milestone]:
    """The milestones of one of `user`'s timelines, oldest first."""
    return await milestones_for(await timeline_for(user, timeline_id))


async def milestones_for(timeline: Timeline) -> list[Milestone]:
    """The milestones of a timeline already scoped to its member (or to a share link)."""
    return await Milestone.filter(timeline=timeline).order_by("occurred_on", "created_at")


class MilestoneDraft(msgspec.Struct):
    """A milestone to keep: `kind` is first_date, wedding or custom (which needs a `label`)."""

    kind: str
    occurred_on: date
    date_precision: str = DAY
    label: str = ""


def check_milestone(draft: MilestoneDraft, today: date) -> tuple[str, str, str, date]:
    """The milestone's kind, label (kept for a custom one only), precision and date, checked
    in a fixed order so a form wrong in several ways is always refused for the same field."""
    kind = draft.kind
    if kind not in Milestone.KINDS:
        raise InvalidInput("A milestone is a first date, a wedding or one you name.", field="kind")
    label = draft.label.strip()
    if kind == Milestone.CUSTOM and not label:
        raise InvalidInput("Name the milestone, such as “Moved in together”.", field="label")
    if len(label) > MAX_LABEL:
        raise InvalidInput(f"Keep the name under {MAX_LABEL} characters.", field="label")
    check_one_line(label, field="label", label="The name")
    # An empty precision is the form's "not said": a date known to the day.
    precision = check_precision(draft.date_precision or DAY)
    on = check_date(draft.occurred_on, today)
    return kind, label if kind == Milestone.CUSTOM else "", precision, on


async def add_milestone(
    user: User, timeline_id: UUID, draft: MilestoneDraft, *, now: datetime
) -> Milestone:
    """Keep a new milestone. A timeline has at most one first date and one wedding (a custom
    milestone may repeat); a label is kept for a custom one only."""
    timeline = await timeline_for(user, timeline_id)
    kind, label, precision, on = check_milestone(draft, now.date())
    if kind != Milestone.CUSTOM and await Milestone.filter(timeline=timeline, kind=kind).exists():
        raise Conflict(f"You already keep {NAMES[kind]}. Remove it first to change it.")
    return await Milestone.create(
        timeline=timeline,
        kind=kind,
        label=label,
        occurred_on=date_fields(on, precision)["occurred_on"],
        date_precision=precision,
        created_at=now,
    )


async def remove_milestone(user: User, milestone_id: UUID) -> None:
    """Forget one of the milestones of `user`'s timelines."""
    removed = await require(Milestone, user, milestone_id)
    await removed.delete()


def years_since(milestones: list[Milestone], day: date) -> list[YearsSince]:
    """The day-precise milestones whose anniversary `day` is, with how many years it marks,
    the most celebrated first: a wedding, then a first date, then the couple's own."""
    found = []
    for milestone in milestones:
        years = day.year - milestone.occurred_on.year
        if (
            milestone.date_precision == "day"
            and years > 0
            and anniversary(milestone.occurred_on, years) == day
        ):
            found.append(YearsSince(milestone, years))
    return sorted(found, key=lambda marked: PROMINENCE.index(marked.milestone.kind))


def reached_within(milestones: list[Milestone], first: date, last: date) -> list[YearsSince]:
    """The milestones with a whole-year anniversary between `first` and `last`, counted at
    it, in the order they came round: what a relationship year marked ("5 years since your
    first date")."""
    found = []
    for milestone in milestones:
        for year in range(first.year, last.year + 1):
            years = year - milestone.occurred_on.year
            day = anniversary(milestone.occurred_on, years) if years > 0 else None
            if day and first <= day <= last:
                found.append((day, YearsSince(milestone, years)))
    return [marked for _, marked in sorted(found, key=lambda pair: pair[0])]
