"""PSK: the Panwalkar, Smith & Koulamas (1993) heuristic for ``1 || sum T_j``.

Source: S. S. Panwalkar, M. L. Smith and C. Koulamas, "A heuristic for the
single machine tardiness problem", European Journal of Operational Research
70(3), 304-310 (1993). The steps below follow the restatement used by
Cetinkaya et al. (arXiv 2510.24013, 2025), who compare their discovered
challengers with PSK; they were not checked against the 1993 text.

The rule builds the sequence front to back from a list kept in SPT order and
picks the next job by pairwise comparisons that follow Emmons' first dominance
condition (``p_i <= p_j`` and ``d_i <= max(d_j, t + p_j)`` put i before j).
With t the completion time of the jobs scheduled so far and U the unscheduled
jobs in SPT order (ties: earlier due date, then lower index):

1. The *active* job i is the first job of U.
2. Scan the jobs j after i in U, in order:

   * if ``d_i <= t + p_j``, stop the scan: i is scheduled next (every job after
     j in U is at least as long as j, so the test holds for them too);
   * else if ``d_i <= d_j``, i stays active (i dominates j) and the scan goes on;
   * else (``d_j < d_i`` and j is shorter than i's slack) j becomes the active
     job and the scan goes on after j.

   If the scan reaches the end of U, the active job is scheduled.
3. The scheduled job leaves U, t grows by its processing time; repeat from 1
   until U is empty.

The published statement first schedules the active job at once when it is
tardy even if started now (``t + p_i >= d_i``). That test is implied by step
2: every job j after the active job i in U has ``p_j >= p_i``, so
``d_i <= t + p_i <= t + p_j`` and the first comparison schedules i (and with
no job left after i it is scheduled anyway). So it is not repeated here, and
it applies equally to a job that became active during a scan.

O(n^2): each step scans U once. The scan is vectorised: from the active job,
one numpy search finds the first later job that either stops the scan or
takes over (``d_i <= t + p_j`` or ``d_j < d_i``), so a step costs one numpy
call per change of the active job.

Weights and releases are not part of the rule: a weighted problem is sequenced
as if unweighted and a problem with releases as if all jobs were available at
time 0; the sequence is then scheduled left-justified with its releases (and
evaluated with its weights) like every rule of this package.
"""

from __future__ import annotations

import numpy as np

from schedkit.heuristics.tardiness.sequence import JobArrays, job_arrays, schedule
from schedkit.models import ProblemData, Solution

__all__ = ["psk", "psk_order"]


def psk_order(jobs: JobArrays) -> np.ndarray:
    """The PSK sequence of ``jobs`` (task indices in processing order; see the module docstring)."""
    n = jobs.n
    order = np.lexsort((np.arange(n), jobs.d, jobs.p))  # SPT, ties: EDD, then index
    p = jobs.p[order].copy()
    d = jobs.d[order].copy()
    ids = order.copy()
    out = np.empty(n, dtype=np.int64)
    t = 0
    for step in range(n):
        active = 0
        while True:
            later_p = p[active + 1 :]
            later_d = d[active + 1 :]
            d_i = d[active]
            stops = (t + later_p >= d_i) | (later_d < d_i)
            if not stops.any():
                break  # end of U: the active job is scheduled
            j = active + 1 + int(stops.argmax())
            if d_i <= t + p[j]:
                break  # i dominates j and every later job
            active = j  # d_j < d_i: j takes over
        out[step] = ids[active]
        t += int(p[active])
        p = np.delete(p, active)
        d = np.delete(d, active)
        ids = np.delete(ids, active)
    return out


def psk(problem: ProblemData) -> Solution:
    """The PSK heuristic (see the module docstring)."""
    jobs = job_arrays(problem)
    return schedule(problem, psk_order(jobs), jobs)
