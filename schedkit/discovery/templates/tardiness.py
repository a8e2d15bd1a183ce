"""Template program for ``schedkit discover tardiness``: a priority rule plus improving moves, EDD as given.

Contract (what the evaluator calls): ``sequence(p, d, w)`` gets the processing
times, due dates and weights of n jobs as read-only int64 numpy arrays and
returns the processing order, every index ``0..n-1`` exactly once. The score
is the mean gap of the order's total (weighted) tardiness to the certified
optimum; see ``schedkit.discovery.evaluator``.

Copy this file and edit it, or let a search edit it. The model-free operator
of ``schedkit.discovery.operators`` changes only the numbers in ``PARAMS``
and the list ``MOVES`` (names from ``MOVE_VOCABULARY``); a language-model
operator may rewrite anything as long as the contract holds.

As given, the program is EDD: ``PARAMS`` weighs only the due date and
``MOVES`` is empty.

* Construction: at time t (the completion of the jobs placed so far) the
  unplaced job with the least priority is placed next, where
  ``priority_j = due * d_j + proc * p_j + modified_due * max(t + p_j, d_j)
  + slack * max(d_j - t - p_j, 0) + weight * w_j``
  (``modified_due`` alone is the MDD rule of Baker & Bertrand). When only
  ``due``, ``proc`` and ``weight`` are non-zero the priority does not depend
  on t and the construction is one sort.
* Moves, applied in the order of ``MOVES``, each keeping only strict
  improvements: ``adjacent_swap`` (passes of adjacent interchanges until none
  improves), ``insertion`` (one pass: each job moves to the earlier position
  that lowers the total most).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

PARAMS: dict[str, float] = {"due": 1.0, "proc": 0.0, "modified_due": 0.0, "slack": 0.0, "weight": 0.0}
MOVES: list[str] = []
MOVE_VOCABULARY: tuple[str, ...] = ("adjacent_swap", "insertion")


def priority(p: np.ndarray, d: np.ndarray, w: np.ndarray, t: int) -> np.ndarray:
    """Priority of every job at time ``t`` (smaller goes first)."""
    key = PARAMS["due"] * d + PARAMS["proc"] * p + PARAMS["weight"] * w
    if PARAMS["modified_due"]:
        key = key + PARAMS["modified_due"] * np.maximum(t + p, d)
    if PARAMS["slack"]:
        key = key + PARAMS["slack"] * np.maximum(d - t - p, 0)
    return np.asarray(key, dtype=np.float64)


def construct(p: np.ndarray, d: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The order built by :func:`priority` (ties: shorter job, then lower index)."""
    n = p.shape[0]
    if not PARAMS["modified_due"] and not PARAMS["slack"]:
        return np.lexsort((np.arange(n), p, priority(p, d, w, 0)))
    placed = np.zeros(n, dtype=bool)
    order = np.empty(n, dtype=np.int64)
    t = 0
    for step in range(n):
        key = np.where(placed, np.inf, priority(p, d, w, t))
        j = int(np.lexsort((np.arange(n), p, key))[0])
        order[step] = j
        placed[j] = True
        t += int(p[j])
    return order


def total_tardiness(p: np.ndarray, d: np.ndarray, w: np.ndarray, order: np.ndarray) -> int:
    """``sum_j w_j max(0, C_j - d_j)`` of ``order``."""
    completion = np.cumsum(p[order])
    return int(np.dot(w[order], np.maximum(completion - d[order], 0)))


def adjacent_swap(order: np.ndarray, p: np.ndarray, d: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Passes of improving adjacent interchanges until a pass changes nothing (at most n passes)."""
    seq = [int(j) for j in order]
    pp, dd, ww = p.tolist(), d.tolist(), w.tolist()
    n = len(seq)
    for _ in range(n):
        changed = False
        start = 0
        for i in range(n - 1):
            a, b = seq[i], seq[i + 1]
            before = ww[a] * max(0, start + pp[a] - dd[a]) + ww[b] * max(0, start + pp[a] + pp[b] - dd[b])
            after = ww[b] * max(0, start + pp[b] - dd[b]) + ww[a] * max(0, start + pp[a] + pp[b] - dd[a])
            if after < before:
                seq[i], seq[i + 1] = b, a
                changed = True
            start += pp[seq[i]]
        if not changed:
            break
    return np.asarray(seq, dtype=np.int64)


def insertion(order: np.ndarray, p: np.ndarray, d: np.ndarray, w: np.ndarray) -> np.ndarray:
    """One pass: the job at each position i moves to the earlier position that lowers the total most."""
    seq = np.asarray(order, dtype=np.int64).copy()
    n = seq.shape[0]
    for i in range(1, n):
        completion = np.cumsum(p[seq])
        b = seq[i]
        late = completion[:i] - d[seq[:i]]
        tardy = np.maximum(late, 0)
        gain = w[seq[:i]] * (np.maximum(late + p[b], 0) - tardy)  # the jobs at k..i-1 move p_b later
        suffix = np.cumsum(gain[::-1])[::-1]
        starts = completion[:i] - p[seq[:i]]
        delta = w[b] * np.maximum(starts + p[b] - d[b], 0) - w[b] * max(0, int(completion[i] - d[b])) + suffix
        k = int(delta.argmin())
        if delta[k] < 0:
            seq = np.concatenate((seq[:k], [b], seq[k:i], seq[i + 1 :]))
    return seq


MOVE_FUNCTIONS: dict[str, Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]] = {
    "adjacent_swap": adjacent_swap,
    "insertion": insertion,
}


def sequence(p: np.ndarray, d: np.ndarray, w: np.ndarray) -> list[int]:
    """The processing order: the priority construction, then the moves of ``MOVES`` in order."""
    order = construct(p, d, w)
    for move in MOVES:
        order = MOVE_FUNCTIONS[move](order, p, d, w)
    return [int(j) for j in order]
