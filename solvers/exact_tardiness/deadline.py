"""A wall-clock deadline that long searches poll, and the exception they raise at it."""

from __future__ import annotations

import time


class OutOfTime(Exception):
    """Raised by a search that reached its deadline."""


class Deadline:
    """``time_limit`` seconds from now (None: never)."""

    __slots__ = ("end",)

    def __init__(self, time_limit: float | None) -> None:
        self.end = None if time_limit is None else time.perf_counter() + max(0.0, time_limit)

    def expired(self) -> bool:
        """Whether the deadline has passed (reads the clock)."""
        return self.end is not None and time.perf_counter() > self.end
