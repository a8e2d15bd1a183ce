"""Earliest start of an operation on a machine with downtime windows."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence


class Downtime:
    """The downtime windows ``[start, end)`` of one machine, sorted and disjoint.

    :meth:`earliest` returns the first start ``s >= t`` such that ``[s, s + d)``
    meets no window: starting from ``t``, whenever the next window begins
    before ``s + d`` the start moves to that window's end (operations are not
    preempted). A zero-duration operation occupies nothing and starts at ``t``.
    O(log W) plus the windows skipped.
    """

    __slots__ = ("starts", "ends")

    def __init__(self, windows: Sequence[tuple[int, int]]) -> None:
        self.starts = [start for start, _ in windows]
        self.ends = [end for _, end in windows]

    def earliest(self, t: int, duration: int) -> int:
        """The earliest start >= ``t`` of an operation of ``duration`` that meets no downtime."""
        ends = self.ends
        if duration <= 0 or not ends:
            return t
        starts = self.starts
        k = bisect_right(ends, t)  # first window ending after t
        while k < len(ends) and starts[k] < t + duration:
            t = ends[k]
            k += 1
        return t
