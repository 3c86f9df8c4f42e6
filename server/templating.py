"""The Jinja2 environment shared by pages and e-mails: filters for dates, names and members."""

from __future__ import annotations

from datetime import date, datetime

from litestar.plugins.jinja import JinjaTemplateEngine


def long_date(value: date | datetime | None) -> str:
    """`12 June 2019`; empty for no date."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def configure_environment(engine: JinjaTemplateEngine) -> None:
    """Register our filters on Litestar's Jinja2 engine."""
    engine.engine.filters["long_date"] = long_date
