"""A bounded, thread-safe table of values made once: the least recently used go first. For what a process
keeps across sessions (the rules of a case, a participant's row on the board), where sessions run in threads."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")
_MISSING = object()


class Bounded(Generic[V]):
    """At most `size` values by key; reading or writing one makes it the most recently used."""

    def __init__(self, size: int = 1000):
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._values

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._values.get(key, _MISSING)
            if value is _MISSING:
                return None
            self._values.move_to_end(key)
            return value  # type: ignore[return-value]

    def put(self, key: Hashable, value: V) -> V:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def made(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value under `key`, made (outside the lock: two threads may both make it) when missing."""
        with self._lock:
            value = self._values.get(key, _MISSING)
            if value is not _MISSING:
                self._values.move_to_end(key)
                return value  # type: ignore[return-value]
        return self.put(key, make())
