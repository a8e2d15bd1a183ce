"""The SPT/EDD pairing lower bound for ``1 || sum T_j`` (a fallback when the exact search runs out of time).

In any sequence the q-th completion is at least ``P_[q]``, the sum of the q
smallest processing times, and the due dates can be matched to completions in
any way; ``max(0, C - d)`` is nondecreasing in C and a convex function of
``C - d``, so pairing both in increasing order is the cheapest matching:
``sum_q max(0, P_[q] - d_[q]) <= sum_j T_j`` (e.g. Chu 1992, "A
branch-and-bound algorithm to minimize total tardiness with different release
dates", Naval Res. Logist. 39).
"""

from __future__ import annotations

from collections.abc import Sequence


def pairing_bound(p: Sequence[int], d: Sequence[int]) -> int:
    """``sum_q max(0, P_[q] - d_[q])`` with P from SPT and d in increasing order."""
    total = completion = 0
    for length, due in zip(sorted(p), sorted(d)):
        completion += length
        total += max(0, completion - due)
    return total
