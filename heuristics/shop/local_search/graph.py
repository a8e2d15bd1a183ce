"""Longest paths in the disjunctive graph of a (flexible) job shop schedule, compiled with Numba.

A schedule is given by each operation's machine ``mach[v]`` and time
``dur[v]``, and the machine sequences ``mseq[k, 0:mlen[k]]`` (``pos[v]`` is v's
place in its sequence). Its arcs are the job arcs ``jprev[v] -> v`` of length
``dur[jprev[v]] + lag[v]`` and the machine arcs ``mseq[k, i-1] -> mseq[k, i]`` of
length ``dur[mseq[k, i-1]]``. Then

* the *head* ``r[v] = max(release[v], r[JP] + dur[JP] + lag[v], r[MP] + dur[MP])``
  is v's earliest start (JP, MP: job and machine predecessor), computed in a
  topological order (Kahn); fewer than n operations ordered means the
  sequences make a cycle (an infeasible schedule);
* the *tail* ``q[v] = max(q[JS] + dur[JS] + lag[JS], q[MS] + dur[MS])`` is the
  longest path from v's end to the end of the schedule;
* the makespan is ``C = max_v r[v] + dur[v]`` and v is *critical* iff
  ``r[v] + dur[v] + q[v] = C``.
"""

from __future__ import annotations

import numpy as np

from schedkit.heuristics.jit import njit


@njit
def compute_heads(
    dur: np.ndarray,
    jprev: np.ndarray,
    jnext: np.ndarray,
    lag: np.ndarray,
    release: np.ndarray,
    mach: np.ndarray,
    mseq: np.ndarray,
    mlen: np.ndarray,
    pos: np.ndarray,
    r: np.ndarray,
    order: np.ndarray,
    indeg: np.ndarray,
) -> int:
    """Fill ``r`` (heads) and ``order`` (a topological order); return how many operations were ordered."""
    n = dur.shape[0]
    tail = 0
    for v in range(n):
        d = 0
        if jprev[v] >= 0:
            d += 1
        if pos[v] > 0:
            d += 1
        indeg[v] = d
        if d == 0:
            order[tail] = v
            tail += 1
    head = 0
    while head < tail:
        v = order[head]
        head += 1
        t = release[v]
        u = jprev[v]
        if u >= 0:
            x = r[u] + dur[u] + lag[v]
            if x > t:
                t = x
        k = mach[v]
        p = pos[v]
        if p > 0:
            u = mseq[k, p - 1]
            x = r[u] + dur[u]
            if x > t:
                t = x
        r[v] = t
        w = jnext[v]
        if w >= 0:
            indeg[w] -= 1
            if indeg[w] == 0:
                order[tail] = w
                tail += 1
        if p + 1 < mlen[k]:
            w = mseq[k, p + 1]
            indeg[w] -= 1
            if indeg[w] == 0:
                order[tail] = w
                tail += 1
    return tail


@njit
def compute_tails(
    dur: np.ndarray,
    jnext: np.ndarray,
    lag: np.ndarray,
    mach: np.ndarray,
    mseq: np.ndarray,
    mlen: np.ndarray,
    pos: np.ndarray,
    order: np.ndarray,
    q: np.ndarray,
) -> None:
    """Fill ``q`` (tails) walking ``order`` backwards."""
    n = dur.shape[0]
    for idx in range(n - 1, -1, -1):
        v = order[idx]
        t = 0
        w = jnext[v]
        if w >= 0:
            x = q[w] + dur[w] + lag[w]
            if x > t:
                t = x
        k = mach[v]
        p = pos[v] + 1
        if p < mlen[k]:
            w = mseq[k, p]
            x = q[w] + dur[w]
            if x > t:
                t = x
        q[v] = t


@njit
def makespan_of(dur: np.ndarray, r: np.ndarray) -> int:
    """``max_v r[v] + dur[v]`` (0 without operations)."""
    best = 0
    for v in range(dur.shape[0]):
        x = r[v] + dur[v]
        if x > best:
            best = x
    return best


@njit
def critical_path(
    dur: np.ndarray,
    jprev: np.ndarray,
    lag: np.ndarray,
    mach: np.ndarray,
    mseq: np.ndarray,
    pos: np.ndarray,
    r: np.ndarray,
    cmax: int,
    path: np.ndarray,
    randomise: bool,
) -> int:
    """Write one critical path into ``path`` (first operation first); return its length.

    Walks back from an operation ending at ``cmax`` through tight arcs,
    preferring the machine arc (longer blocks) unless ``randomise`` flips a
    coin when both are tight.
    """
    n = dur.shape[0]
    end = -1
    for v in range(n):
        if r[v] + dur[v] == cmax:
            end = v
            break
    length = 0
    v = end
    while v >= 0:
        path[length] = v
        length += 1
        machine_pred = -1
        p = pos[v]
        if p > 0:
            u = mseq[mach[v], p - 1]
            if r[u] + dur[u] == r[v]:
                machine_pred = u
        job_pred = -1
        u = jprev[v]
        if u >= 0 and r[u] + dur[u] + lag[v] == r[v]:
            job_pred = u
        if machine_pred >= 0 and job_pred >= 0 and randomise and np.random.random() < 0.5:
            v = job_pred
        elif machine_pred >= 0:
            v = machine_pred
        else:
            v = job_pred
    # reverse in place
    for i in range(length // 2):
        tmp = path[i]
        path[i] = path[length - 1 - i]
        path[length - 1 - i] = tmp
    return length
