"""Capacity profiles of timed resources over time: integrals and unavailable periods.

A unary or renewable resource has its base capacity except in its calendar
windows (sorted, disjoint, half-open ``[start, end)``). All times are
integers and the capacity is constant on every unit step, so the capacity
available in ``[a, T)`` is a piecewise linear function of T with integer
slopes: :meth:`Profile.reach` finds the first integer T where it reaches an
amount of work, :meth:`Profile.blocked` lists the periods of capacity 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from schedkit.models import Resource


@dataclass(frozen=True)
class Profile:
    """A step capacity profile: ``windows`` ``(start, end, capacity)`` over ``base``."""

    windows: tuple[tuple[int, int, int], ...]
    base: int

    @classmethod
    def of(cls, resource: Resource) -> Profile:
        """The capacity profile of a timed resource."""
        return cls(tuple((w.start, w.end, w.capacity) for w in resource.calendar), resource.capacity)

    def at_least(self, threshold: int) -> Profile:
        """The 0/1 profile of the times where the capacity is at least ``threshold``."""
        return Profile(
            tuple((s, e, int(c >= threshold)) for s, e, c in self.windows),
            int(self.base >= threshold),
        )

    def segments(self, start: int) -> list[tuple[int, int | None, int]]:
        """Maximal constant pieces ``(a, b, capacity)`` covering ``[start, inf)`` in order (b None = no end)."""
        pieces: list[tuple[int, int | None, int]] = []
        cursor = start
        for s, e, c in self.windows:
            if e <= cursor:
                continue
            if s > cursor:
                pieces.append((cursor, s, self.base))
                cursor = s
            pieces.append((cursor, e, c))
            cursor = e
        pieces.append((cursor, None, self.base))
        return pieces

    def reach(self, start: int, amount: int) -> int | None:
        """The smallest integer T >= start with ``integral_start^T capacity >= amount`` (None = never)."""
        if amount <= 0:
            return start
        left = amount
        for a, b, c in self.segments(start):
            if c <= 0:
                continue
            if b is None or (b - a) * c >= left:
                return a + -(-left // c)
            left -= (b - a) * c
        return None

    def blocked(self) -> list[tuple[int, int | None]]:
        """Periods ``[a, b)`` from time 0 on where the capacity is 0 (b None = forever), merged."""
        periods: list[tuple[int, int | None]] = []
        for a, b, c in self.segments(0):
            if c > 0:
                continue
            if periods and periods[-1][1] == a:
                periods[-1] = (periods[-1][0], b)
            else:
                periods.append((a, b))
        return periods
