"""The free capacity of renewable resources over time, as a step function.

Segment ``i`` covers ``[times[i], times[i + 1])`` (the last one runs for ever)
and ``free[i][k]`` is what resource k still offers there: its capacity at that
time (base capacity, or the calendar window's) minus the demands of the
activities placed so far. Breakpoints are the calendar window bounds and the
starts and ends of placed activities, so an SGS run on n activities keeps
O(n + windows) segments whatever the time scale (no time-indexed arrays).

A placement of duration d over ``[s, s + d)`` fits when every segment meeting
the interval offers each demanded amount; a zero-duration activity, or one
without demands, occupies nothing and fits everywhere.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

Demand = Sequence[tuple[int, int]]
"""``(resource slot, amount)`` pairs."""


class Profile:
    """Free capacity of K resources as a step function over ``[0, inf)``."""

    __slots__ = ("times", "free")

    def __init__(self, capacity: Sequence[int], calendar: Sequence[Sequence[tuple[int, int, int]]]) -> None:
        points = {0}
        for windows in calendar:
            for start, end, _ in windows:
                points.add(start)
                points.add(end)
        self.times = sorted(points)
        self.free = []
        for t in self.times:
            row = list(capacity)
            for k, windows in enumerate(calendar):
                for start, end, cap in windows:
                    if start <= t < end:
                        row[k] = cap
                        break
            self.free.append(row)

    def _split(self, t: int) -> int:
        """Make ``t`` a breakpoint; return its segment index."""
        times = self.times
        i = bisect_right(times, t) - 1
        if times[i] == t:
            return i
        times.insert(i + 1, t)
        self.free.insert(i + 1, list(self.free[i]))
        return i + 1

    def earliest(self, t: int, duration: int, demand: Demand) -> int | None:
        """The earliest start >= ``t`` where the activity fits; None when it never does."""
        if duration <= 0 or not demand:
            return t
        times = self.times
        free = self.free
        last = len(times) - 1
        i = bisect_right(times, t) - 1
        start = t
        while True:
            finish = start + duration
            j = i
            blocked = -1
            while j <= last and times[j] < finish:
                row = free[j]
                for k, amount in demand:
                    if row[k] < amount:
                        blocked = j
                        break
                if blocked >= 0:
                    break
                j += 1
            if blocked < 0:
                return start
            if blocked == last:
                return None
            i = blocked + 1
            start = times[i]

    def latest(self, finish_by: int, duration: int, demand: Demand, lower: int) -> int | None:
        """The latest start ``s`` with ``lower <= s`` and ``s + duration <= finish_by`` where the activity fits."""
        start = finish_by - duration
        if start < lower:
            return None
        if duration <= 0 or not demand:
            return start
        times = self.times
        free = self.free
        while start >= lower:
            finish = start + duration
            j = bisect_right(times, finish - 1) - 1
            blocked = -1
            while True:
                row = free[j]
                for k, amount in demand:
                    if row[k] < amount:
                        blocked = j
                        break
                if blocked >= 0 or times[j] <= start:
                    break
                j -= 1
            if blocked < 0:
                return start
            start = times[blocked] - duration
        return None

    def fits(self, start: int, duration: int, demand: Demand) -> bool:
        """Whether the activity fits over ``[start, start + duration)``."""
        return self.earliest(start, duration, demand) == start

    def reserve(self, start: int, duration: int, demand: Demand) -> None:
        """Take the demands over ``[start, start + duration)`` (the caller checked that they fit)."""
        if duration <= 0 or not demand:
            return
        first = self._split(start)
        stop = self._split(start + duration)
        free = self.free
        for j in range(first, stop):
            row = free[j]
            for k, amount in demand:
                row[k] -= amount

    def next_change(self, t: int) -> int | None:
        """The first breakpoint after ``t`` (None when the profile is constant after ``t``)."""
        i = bisect_right(self.times, t)
        return self.times[i] if i < len(self.times) else None
