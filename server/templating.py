"""The Jinja2 environment shared by pages and e-mails: filters for dates, names and members."""

from __future__ import annotations

from datetime import date, datetime

from litestar.plugins.jinja import JinjaTemplateEngine


def long_date(value: date | datetime | None) -> str:
    """`12 June 2019`; empty for no date."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def at_precision(value: date, precision: str) -> str:
    """A memory's date as precise as it is known: `12 June 2019`, `June 2019` or `2019`."""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{value:%B %Y}"
    return long_date(value)


def configure_environment(engine: JinjaTemplateEngine) -> None:
    """Register our filters on Litestar's Jinja2 engine."""
    engine.engine.filters["long_date"] = long_date
    engine.engine.filters["at_precision"] = at_precision
