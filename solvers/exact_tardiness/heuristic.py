"""Upper bounds for ``1 || sum w_j T_j``: dispatching rules, insertion local search and iterated local search.

* EDD, and the (weighted) modified due date rule: at time t run the job with
  the least ``max(p_j, d_j - t) / w_j`` (Baker & Bertrand 1982 for w = 1;
  Kanet & Li 2004, "A weighted modified due date rule for sequencing to
  minimize weighted tardiness", J. Scheduling 7).
* Insertion local search: move one job to another position while that
  lowers the cost (an adjacent interchange is such a move). All ``n(n - 1)``
  moves are priced at once with NumPy: moving the job at position a to
  position b shifts the jobs in between by ``-p_a`` (forward) or ``+p_a``
  (backward), so each move's price is a difference of two cumulative sums of
  shifted tardiness costs, plus the moved job's new cost.
* Iterated local search: random segment moves, then insertion search; keep
  the best.

Only the value of the sequence matters to the exact methods (it is an upper
bound; they prove or improve it), so none of this needs to be optimal.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from schedkit.solvers.exact_tardiness.deadline import Deadline


def sequence_cost(p: Sequence[int], d: Sequence[int], w: Sequence[int], order: Sequence[int]) -> int:
    """``sum_j w_j max(0, C_j - d_j)`` with the jobs processed in ``order`` from time 0."""
    time = total = 0
    for j in order:
        time += p[j]
        if time > d[j]:
            total += w[j] * (time - d[j])
    return total


def edd_order(p: Sequence[int], d: Sequence[int]) -> list[int]:
    """Earliest due date first (ties: shorter first)."""
    return sorted(range(len(p)), key=lambda j: (d[j], p[j], j))


def modified_due_date_order(p: Sequence[int], d: Sequence[int], w: Sequence[int]) -> list[int]:
    """The (weighted) modified due date dispatching rule."""
    left = set(range(len(p)))
    time = 0
    order = []
    while left:
        j = min(left, key=lambda j: (max(p[j], d[j] - time) / w[j], d[j], j))
        order.append(j)
        left.remove(j)
        time += p[j]
    return order


def insertion_search(
    p: Sequence[int], d: Sequence[int], w: Sequence[int], order: Sequence[int], deadline: Deadline | None = None
) -> list[int]:
    """Apply the best improving insertion move until there is none (or the deadline passes)."""
    seq = np.array(order, dtype=np.int64)
    n = len(seq)
    if n < 2:
        return seq.tolist()
    p_all, d_all, w_all = (np.asarray(x, dtype=np.int64) for x in (p, d, w))
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    lower = upper.T
    while deadline is None or not deadline.expired():
        length, due, weight = p_all[seq], d_all[seq], w_all[seq]
        end = np.cumsum(length)
        start = end - length
        base = weight * np.maximum(0, end - due)
        earlier = np.cumsum(weight * np.maximum(0, end[None, :] - length[:, None] - due[None, :]) - base, axis=1)
        later = np.cumsum(weight * np.maximum(0, end[None, :] + length[:, None] - due[None, :]) - base, axis=1)
        diag_e = np.diag(earlier)[:, None]
        # forward a -> b > a: jobs a+1..b move earlier, job a ends at end[b]
        forward = earlier - diag_e + weight[:, None] * np.maximum(0, end[None, :] - due[:, None]) - base[:, None]
        # backward a -> b < a: jobs b..a-1 move later, job a ends at start[b] + p_a
        before_a = np.concatenate((np.zeros((n, 1), dtype=np.int64), later[:, :-1]), axis=1)  # sum over q < b
        upto_a = np.diag(before_a)[:, None]  # sum over q < a
        backward = (
            upto_a
            - before_a
            + weight[:, None] * np.maximum(0, start[None, :] + length[:, None] - due[:, None])
            - base[:, None]
        )
        delta = np.where(upper, forward, np.where(lower, backward, 0))
        a, b = np.unravel_index(int(np.argmin(delta)), delta.shape)
        if delta[a, b] >= 0:
            break
        job = seq[a]
        seq = np.delete(seq, a)
        seq = np.insert(seq, b, job)
    return seq.tolist()


def iterated_local_search(
    p: Sequence[int],
    d: Sequence[int],
    w: Sequence[int],
    order: Sequence[int],
    rounds: int,
    deadline: Deadline | None = None,
    seed: int = 0,
) -> tuple[list[int], int]:
    """Insertion search, then ``rounds`` times: perturb the best order by moving a random segment, search again."""
    rng = random.Random(seed)
    best = insertion_search(p, d, w, order, deadline)
    best_cost = sequence_cost(p, d, w, best)
    n = len(best)
    for _ in range(rounds):
        if best_cost == 0 or n < 3 or (deadline is not None and deadline.expired()):
            break
        trial = list(best)
        for _ in range(rng.randint(1, 3)):
            a = rng.randrange(n)
            size = rng.randint(1, max(1, min(4, n - a)))
            piece = trial[a : a + size]
            del trial[a : a + size]
            at = rng.randrange(len(trial) + 1)
            trial[at:at] = piece
        trial = insertion_search(p, d, w, trial, deadline)
        cost = sequence_cost(p, d, w, trial)
        if cost <= best_cost:
            best, best_cost = trial, cost
    return best, best_cost


def heuristic_order(
    p: Sequence[int], d: Sequence[int], w: Sequence[int], rounds: int = 0, deadline: Deadline | None = None
) -> tuple[list[int], int]:
    """The best of EDD and the modified due date rule after insertion search (and ``rounds`` of ILS)."""
    best: list[int] = []
    best_cost = -1
    for start in (edd_order(p, d), modified_due_date_order(p, d, w)):
        order, cost = iterated_local_search(p, d, w, start, rounds, deadline)
        if best_cost < 0 or cost < best_cost:
            best, best_cost = order, cost
    return best, max(0, best_cost)
