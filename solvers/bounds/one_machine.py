"""Jackson's preemptive schedule: the one-machine relaxation with heads and tails.

Jobs j have a release (head) r_j, a processing time p_j and a tail q_j
(None = the job's completion does not count). On one machine that may be
unavailable during some periods, the *preemptive* problem
``1 | r_j, pmtn | max_j (C_j + q_j)`` is solved exactly by Jackson's rule:
at every moment the machine is available, run the released unfinished job
with the largest tail (a unit-slot exchange argument, which does not care
which slots are available). Every non-preemptive schedule of the same jobs is
a preemptive one, so the optimum is a lower bound on ``max_j (C_j + q_j)``
for every schedule where the jobs' pieces are pairwise disjoint, lie in the
available periods, start at or after their heads and amount to at least p_j
(extra work can be dropped from the front without moving C_j).

Runs in O(n log n + periods).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    """A job of the one-machine relaxation."""

    release: int
    work: int
    tail: int | None


def jackson_preemptive(jobs: Sequence[Job], blocked: Sequence[tuple[int, int | None]] = ()) -> int | None:
    """``max (C_j + q_j)`` over the jobs with a tail in Jackson's preemptive schedule.

    ``blocked`` lists disjoint, sorted periods ``[a, b)`` when the machine is
    unavailable (b None = forever). Returns None when no job with a tail has
    work, or when work is left at the start of a period that never ends
    (then no schedule exists at all).
    """
    order = sorted((job for job in jobs if job.work > 0), key=lambda job: job.release)
    if not any(job.tail is not None for job in order):
        return None
    periods = list(blocked)
    heap: list[tuple[float, int, int]] = []  # (-tail, id, remaining work)
    best: int | None = None
    nxt = 0
    period = 0
    t = order[0].release
    while nxt < len(order) or heap:
        if not heap:
            t = max(t, order[nxt].release)
        while nxt < len(order) and order[nxt].release <= t:
            job = order[nxt]
            heapq.heappush(heap, (-job.tail if job.tail is not None else float("inf"), nxt, job.work))
            nxt += 1
        # skip the unavailable periods that contain t
        while period < len(periods):
            period_end = periods[period][1]
            if period_end is None or period_end > t:
                break
            period += 1
        if period < len(periods) and periods[period][0] <= t:
            end = periods[period][1]
            if end is None:
                return None
            t = end
            continue
        available_until = periods[period][0] if period < len(periods) else None
        key, ident, remaining = heapq.heappop(heap)
        stop = t + remaining
        if nxt < len(order):
            stop = min(stop, order[nxt].release)
        if available_until is not None:
            stop = min(stop, available_until)
        remaining -= stop - t
        t = stop
        if remaining > 0:
            heapq.heappush(heap, (key, ident, remaining))
            continue
        tail = order[ident].tail
        if tail is not None:
            value = t + tail
            best = value if best is None else max(best, value)
    return best
