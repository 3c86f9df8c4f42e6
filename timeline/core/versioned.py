"""Values kept in this process while the version they were worked out for stays the same."""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

T = TypeVar("T")
KEPT = 64


class Versioned(Generic[T]):
    """At most `kept` values by key, each valid for one version; least recently used go
    first. Every process asks the database for the version, so processes stay
    interchangeable: what is kept only saves work."""

    def __init__(self, kept: int = KEPT) -> None:
        self._kept: OrderedDict[object, tuple[object, T]] = OrderedDict()
        self._most = kept

    def get(self, key: object, version: object) -> T | None:
        found = self._kept.get(key)
        if found is None or found[0] != version:
            return None
        self._kept.move_to_end(key)
        return found[1]

    def put(self, key: object, version: object, value: T) -> None:
        self._kept[key] = (version, value)
        self._kept.move_to_end(key)
        while len(self._kept) > self._most:
            self._kept.popitem(last=False)
