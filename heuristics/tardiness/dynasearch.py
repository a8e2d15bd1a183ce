"""Iterated dynasearch for single-machine total weighted tardiness (Congram, Potts & van de Velde 2002).

>>> from schedkit.heuristics.tardiness.dynasearch import dynasearch
>>> solution = dynasearch(problem, time_limit=1.0)  # doctest: +SKIP

*Dynasearch move*: a set of pairwise interchanges of the jobs in positions
``i < j`` whose intervals ``[i, j]`` do not overlap; the best such set is found
by a dynamic program over the positions. With ``pi`` the sequence, ``C_k`` the
completion of position k (prefix sums, no releases) and ``F(k)`` the least
cost of positions ``0..k-1`` after independent swaps among them,

    ``F(0) = 0``,
    ``F(k) = min( F(k-1) + w T(pi_{k-1} at C_{k-1}),  min_{i < k-1} F(i) + Delta(i, k-1) )``,

where ``Delta(i, j)`` is the weighted tardiness of positions i..j once
``pi_i`` and ``pi_j`` are swapped: ``pi_j`` ends at ``C_{i-1} + p_{pi_j}``, the
jobs between shift by ``p_{pi_j} - p_{pi_i}`` and ``pi_i`` ends at ``C_j``
(``O(n^3)`` per move, evaluated directly). The swaps on the argmin path are
applied together; descent repeats moves until none improves.

*Iterated dynasearch*: from the best of the EDD, MDD and ATC sequences,
descend; then kick the current local minimum with a few random pairwise
interchanges (3 to 6 of them, of jobs at most 10 positions apart), descend
again, and accept the new local minimum if it is no worse than the current one
(after ``restart_after`` kicks without a new best, restart from the best).

Releases are refused (the DP assumes no idle time); the exact method of
:mod:`schedkit.solvers.exact_tardiness` covers proofs.
"""

from __future__ import annotations

import time

import numpy as np

from schedkit.heuristics.jit import njit
from schedkit.heuristics.tardiness.sequence import JobArrays, job_arrays, schedule, total_weighted_tardiness
from schedkit.models import ProblemData, Solution

DEFAULT_TIME_LIMIT = 1.0
"""Seconds of search when neither ``time_limit`` nor ``kicks`` is given."""


@njit
def _cost(seq: np.ndarray, p: np.ndarray, d: np.ndarray, w: np.ndarray) -> int:
    t = 0
    total = 0
    for k in range(seq.shape[0]):
        j = seq[k]
        t += p[j]
        if t > d[j]:
            total += w[j] * (t - d[j])
    return total


@njit
def _dynasearch_move(seq: np.ndarray, p: np.ndarray, d: np.ndarray, w: np.ndarray) -> int:
    """Apply the best set of independent swaps to ``seq`` in place; return the new cost."""
    n = seq.shape[0]
    completion = np.zeros(n + 1, dtype=np.int64)  # completion[k] = end of positions 0..k-1
    for k in range(n):
        completion[k + 1] = completion[k] + p[seq[k]]
    best = np.zeros(n + 1, dtype=np.int64)
    choice = np.full(n + 1, -1, dtype=np.int64)  # -1: no swap ends here, else i of the swap (i, k-1)
    for k in range(1, n + 1):
        j = seq[k - 1]
        late = completion[k] - d[j]
        value = best[k - 1] + (w[j] * late if late > 0 else 0)
        pick = -1
        last = k - 1
        for i in range(last):
            a = seq[i]
            b = seq[last]
            shift = p[b] - p[a]
            t = completion[i] + p[b]
            cost = w[b] * (t - d[b]) if t > d[b] else 0
            for m in range(i + 1, last):
                x = seq[m]
                e = completion[m + 1] + shift
                if e > d[x]:
                    cost += w[x] * (e - d[x])
            e = completion[k]
            if e > d[a]:
                cost += w[a] * (e - d[a])
            total = best[i] + cost
            if total < value:
                value = total
                pick = i
        best[k] = value
        choice[k] = pick
    k = n
    while k > 0:
        i = int(choice[k])
        if i < 0:
            k -= 1
        else:
            tmp = seq[i]
            seq[i] = seq[k - 1]
            seq[k - 1] = tmp
            k = i
    return int(best[n])


@njit
def _descend(seq: np.ndarray, p: np.ndarray, d: np.ndarray, w: np.ndarray) -> int:
    cost = _cost(seq, p, d, w)
    while True:
        new = _dynasearch_move(seq, p, d, w)
        if new >= cost:
            return cost
        cost = new


@njit
def _iterate(
    seq: np.ndarray,
    best_seq: np.ndarray,
    p: np.ndarray,
    d: np.ndarray,
    w: np.ndarray,
    state: np.ndarray,
    kicks: int,
    target: int,
    restart_after: int,
) -> None:
    """``kicks`` kick-and-descend rounds; ``state`` = [current cost, best cost, seed, rounds since best]."""
    n = seq.shape[0]
    np.random.seed(state[2])
    state[2] += 1
    trial = seq.copy()
    for _ in range(kicks):
        if state[1] <= target or n < 2:
            return
        trial[:] = seq
        for _k in range(3 + np.random.randint(4)):
            i = np.random.randint(n)
            j = min(n - 1, max(0, i + np.random.randint(-10, 11)))
            tmp = trial[i]
            trial[i] = trial[j]
            trial[j] = tmp
        cost = _descend(trial, p, d, w)
        if cost <= state[0]:
            seq[:] = trial
            state[0] = cost
        if cost < state[1]:
            best_seq[:] = trial
            state[1] = cost
            state[3] = 0
        else:
            state[3] += 1
            if state[3] >= restart_after:
                seq[:] = best_seq
                state[0] = state[1]
                state[3] = 0


def dynasearch_order(
    jobs: JobArrays,
    time_limit: float | None = None,
    seed: int = 0,
    start: np.ndarray | None = None,
    kicks: int | None = None,
    target: int | None = None,
    restart_after: int = 50,
) -> np.ndarray:
    """The best sequence iterated dynasearch finds (see the module docstring)."""
    if jobs.has_releases:
        raise ValueError("dynasearch assumes no release dates (the sequence runs without idle time)")
    p, d, w = (np.ascontiguousarray(a, dtype=np.int64) for a in (jobs.p, jobs.d, jobs.w))
    if start is None:
        from schedkit.heuristics.tardiness.rules import atc_order, edd_order, mdd_order

        orders = [edd_order(jobs), mdd_order(jobs), atc_order(jobs)]
        start = min(orders, key=lambda o: total_weighted_tardiness(jobs.p, jobs.d, jobs.w, o))
    seq = np.array(start, dtype=np.int64)
    if time_limit is None and kicks is None:
        time_limit = DEFAULT_TIME_LIMIT
    started = time.perf_counter()
    cost = int(_descend(seq, p, d, w))
    best_seq = seq.copy()
    state = np.array([cost, cost, seed * 7919 + 1, 0], dtype=np.int64)
    goal = -1 if target is None else int(target)
    chunk, done = 8, 0
    while state[1] > goal:
        step = chunk if kicks is None else min(chunk, kicks - done)
        if step <= 0:
            break
        tick = time.perf_counter()
        _iterate(seq, best_seq, p, d, w, state, step, goal, restart_after)
        done += step
        if time_limit is not None and time.perf_counter() - started >= time_limit:
            break
        if time.perf_counter() - tick < 0.02:
            chunk *= 2
    return best_seq


def dynasearch(
    problem: ProblemData,
    time_limit: float | None = None,
    seed: int = 0,
    kicks: int | None = None,
    target: int | None = None,
) -> Solution:
    """Iterated dynasearch on a single-machine weighted tardiness problem without releases."""
    jobs = job_arrays(problem)
    return schedule(problem, dynasearch_order(jobs, time_limit=time_limit, seed=seed, kicks=kicks, target=target), jobs)
