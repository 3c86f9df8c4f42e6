"""The source of the current time, handed to the app so tests can choose the moment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from litestar.datastructures import State
from litestar.di import NamedDependency

Clock = Callable[[], datetime]
# What handlers declare to receive the request's reading of the clock.
Now = NamedDependency[datetime]


def system_clock() -> datetime:
    """The wall clock, as an aware UTC datetime."""
    return datetime.now(UTC)


def provide_now(state: State) -> datetime:
    """Dependency `now`: the app clock's reading for this request."""
    return state.clock()
