"""The Jinja2 environment shared by pages and e-mails: filters for dates, names and members."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from timeline.core.calendar import in_words, iso_at
from timeline.timelines.milestones import name_of

# Pages and e-mails alike: templates/ at the top of the project.
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def weekday_date(value: date) -> str:
    """A day soon or today, as people say it: "Saturday 14 June"."""
    return f"{value:%A} {value.day} {value:%B}"


def long_date(value: date | datetime | None) -> str:
    """`12 June 2019`; empty for no date."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def at_precision(value: date, precision: str) -> str:
    """A memory's date as precise as it is known: `12 June 2019`, `June 2019` or `2019`
    (the rule is the calendar's: `timeline.core.calendar.in_words`)."""
    return in_words(value, precision)


def highlight(text: str, terms: list[str]) -> Markup:
    """`text`, escaped, with the words a search matched (by prefix) wrapped in <mark>."""
    if not terms:
        return escape(text)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\w*", re.I)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts += [escape(text[last : match.start()]), Markup("<mark>%s</mark>") % match[0]]
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def excerpt(text: str, length: int = 180) -> str:
    """The start of a story, cut at a word, on one line."""
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    return flat[:length].rsplit(" ", 1)[0] + "…"


# A memory's kind in words a person would say ("Kind: Date" read as a form field).
KIND_NAMES = {
    "date": "A date",
    "trip": "A trip",
    "ritual": "One of our rituals",
    "everyday": "An everyday moment",
    "milestone": "A milestone",
    "first": "A first",
    "other": "Something else",
}


def kind_name(kind: str) -> str:
    """`trip` as "A trip"."""
    return KIND_NAMES.get(kind, kind.capitalize())


def add_filters(environment: jinja2.Environment) -> None:
    """Register our filters on a Jinja2 environment (the pages' one, which Litestar builds)."""
    filters = environment.filters
    filters["long_date"] = long_date
    filters["weekday_date"] = weekday_date
    filters["at_precision"] = at_precision
    # For <time datetime>: `2019-06-12`, `2019-06` or `2019`, never a day a date does not have.
    filters["iso_at_precision"] = iso_at
    filters["milestone_name"] = name_of
    filters["highlight"] = highlight
    filters["excerpt"] = excerpt
    filters["kind_name"] = kind_name
