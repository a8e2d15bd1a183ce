"""Exact ``1 || sum T_j``: Lawler's decomposition as a memoised recursion with position rules.

Notation. A subproblem is a job set S started at time t (no idle time). Its
jobs are indexed in EDD order ``d_1 <= ... <= d_m`` (ties: shorter first, then
by job number); the *longest* job k is the one of largest ``(p, EDD index)``.
For a position ``delta >= k`` let ``C(delta) = t + sum_{l <= delta} p_l`` (k
included): the completion of k when it follows exactly the jobs ``l <= delta``.

Decomposition (Lawler 1977, "A pseudopolynomial algorithm for sequencing jobs
to minimize total tardiness", Ann. Discrete Math. 1). Some optimal schedule
is ``[jobs l <= delta except k] k [jobs l > delta]`` for some ``delta >= k``;
both parts are again subproblems (the left one starts at t, the right one at
``C(delta)``), so ``V(S, t) = min_delta V(left, t) + max(0, C(delta) - d_k) +
V(right, C(delta))``. Every set met this way is an EDD interval of the jobs
shorter than some job (``(first, last, cap)`` below), which makes memoisation
on ``(set, t)`` effective.

Positions tried. Only ``delta`` with, writing ``D = max(d_k, C(delta))``:

(i)   ``d_delta <= D`` (for ``delta > k``),
(ii)  ``d_{delta+1} > D`` (for ``delta < m``), and
(iii) every ``l`` in ``(k, delta]`` with ``d_l > d_k`` has ``d_l + p_l <= C(delta)``.

(i) and (ii) are the conditions of Potts & Van Wassenhove (1982, "A
decomposition algorithm for the single machine total tardiness problem",
Oper. Res. Lett. 1); (iii) is Emmons' (1969, "One-machine sequencing to
minimize certain functions of job tardiness", Oper. Res. 17) second theorem
applied to k. Proof that some optimal schedule satisfies all three: start
from an optimal schedule and apply three moves while one applies.

1. A job j after k with ``d_j <= max(d_k, C_k)``: swap j and k. The jobs in
   between move earlier by ``p_k - p_j >= 0``; for ``a = C_k - p_k + p_j <=
   C_k < b = C_j``, ``max(0, a - d_j) + max(0, b - d_k) <= max(0, C_k - d_k) +
   max(0, b - d_j)`` (if ``d_j <= d_k`` this is the exchange inequality of
   ``max(0, C - d)``; otherwise ``d_k < d_j <= C_k`` and both sides are
   linear). Cost does not rise and ``C_k`` strictly increases.
2. A job j before k with ``d_j > max(d_k, C_k)``: move it right after k. It
   stays on time (it now ends at the old ``C_k < d_j``), the others move
   earlier.
3. A job j before k with ``d_j > d_k`` and ``d_j + p_j > C_k``: move it right
   after k. k gains ``min(p_j, max(0, C_k - d_k)) >= max(0, C_k - d_j)``, which
   is all that j can lose since ``C_k - d_j < p_j``.

Moves 2 and 3 only lower ``C_k`` and keep every job after k at ``d >
max(d_k, C_k)`` (move 3 needs the strict ``d_j + p_j > C_k`` for that), so
once move 1 is exhausted it never applies again, and moves 2 and 3 shorten the
set before k. The process ends in an optimal schedule whose jobs before k are
exactly ``{d <= D}``, an EDD prefix, with (i)-(iii). Each condition limits t
to an interval per position, precomputed once per set.

(iv) Of two valid positions ``a < b``, b is dropped when ``U(M, C(a)) <=
max(0, C(b) - d_k) - max(0, C(a) - d_k)``, where M is the set of jobs in
``(a, b]`` and U the cost of M in EDD order started at ``C(a)``. Indeed the
schedule ``[left_a] k [M] [right_b]`` shows ``W(a) <= V(left_a, t) +
max(0, C(a) - d_k) + U + V(right_b, C(b))`` (``right_a`` is M plus
``right_b`` and ``C(b) = C(a) + p(M)``), while ``W(b) >= V(left_a, t) +
max(0, C(b) - d_k) + V(right_b, C(b))`` (``left_b`` is ``left_a`` plus M, and
deleting jobs from a schedule never makes the others later). So ``W(a) <=
W(b)``: this rule compares values, hence combines with (i)-(iii) freely.

Solved directly: ``t >= max_j (d_j - p_j)`` (every job is tardy wherever it
goes, so SPT minimises ``sum C_j``) and ``t <= min_j (d_j - C_j^EDD)`` (EDD has
no tardy job). A position whose left part and k already cost as much as the
best position so far is not completed (its right part is not solved).

Measured on the hardest classes (TF 0.4-0.8, RDD 0.2), about 1.5 positions per
state remain; (iv) removes 10-25 % of the states. Lower bounds (the SPT/EDD
pairing bound of :mod:`.pairing`, also with one level of look-ahead) pruned
10-20 % more but cost more time than they saved, and so did evaluating whole
ranges of t at once with NumPy (the needed t are dense only in the largest
sets), so the recursion is a plain memoised dynamic program.
"""

from __future__ import annotations

import sys
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from schedkit.solvers.exact_tardiness.deadline import Deadline, OutOfTime

_NEVER = 1 << 62
_CHOICE_BITS = 24
_CHOICE_MASK = (1 << _CHOICE_BITS) - 1


@dataclass
class LawlerResult:
    """Optimal value and order (job numbers) of a ``1 || sum T_j`` instance, and the states solved."""

    value: int
    order: list[int]
    states: int


class _Block:
    """One job set (an EDD interval of the jobs shorter than a cap) with everything its recursion needs."""

    __slots__ = (
        "members",
        "size",
        "longest",
        "p_k",
        "d_k",
        "edd_slack",
        "all_late",
        "spt_sum",
        "due_sum",
        "positions",
        "memo",
        "moves",
    )

    def __init__(self, members: list[int], p: list[int], d: list[int], rank: list[int]) -> None:
        self.members = members
        self.size = m = len(members)
        a_k = max(range(m), key=lambda a: rank[members[a]])
        k = members[a_k]
        self.longest = k
        self.p_k, self.d_k = p[k], d[k]
        prefix = []
        total = 0
        for x in members:
            total += p[x]
            prefix.append(total)
        self.edd_slack = min(d[x] - prefix[a] for a, x in enumerate(members))
        self.all_late = max(d[x] - p[x] for x in members)
        total = spt_sum = 0
        for length in sorted(p[x] for x in members):
            total += length
            spt_sum += total
        self.spt_sum = spt_sum
        self.due_sum = sum(d[x] for x in members)
        # [lo, hi, P(delta), the EDD position delta, (left, right) blocks once built]: valid for lo <= t < hi
        self.positions: list[list] = []
        d_k = self.d_k
        reach = -_NEVER
        for a in range(a_k, m):
            x = members[a]
            before = prefix[a]
            lo = -_NEVER
            if a > a_k and d[x] > d_k:
                if d[x] + p[x] > reach:
                    reach = d[x] + p[x]
                lo = d[x] - before  # (i): d_delta <= C(delta)
            if reach - before > lo:
                lo = reach - before  # (iii)
            if a + 1 < m:
                following = d[members[a + 1]]
                if following <= d_k:
                    continue  # (ii) fails for every t
                hi = following - before  # (ii): C(delta) < d_{delta+1}
            else:
                hi = _NEVER
            if lo < hi:
                self.positions.append([lo, hi, before, x, None])
        self.memo: dict[int, int] = {}  # t -> V(block, t) << _CHOICE_BITS | index of the best position
        self.moves: dict = {}


class _Lawler:
    """The memoised recursion over ``(block, t)``."""

    def __init__(self, p: Sequence[int], d: Sequence[int], deadline: Deadline) -> None:
        n = len(p)
        self.order = sorted(range(n), key=lambda j: (d[j], p[j], j))  # EDD position -> job
        self.p = [p[j] for j in self.order]
        self.d = [d[j] for j in self.order]
        by_length = sorted(range(n), key=lambda x: (self.p[x], x))
        self.rank = [0] * n
        for r, x in enumerate(by_length):
            self.rank[x] = r
        self.blocks: dict[tuple[int, int, int], _Block | None] = {}
        self.deadline = deadline
        self.states = 0

    def block(self, first: int, last: int, cap: int) -> _Block | None:
        """The block of EDD positions ``first..last`` with rank below ``cap`` (None when empty)."""
        key = (first, last, cap)
        try:
            return self.blocks[key]  # memoised (None: empty)
        except KeyError:
            pass
        rank = self.rank
        members = [x for x in range(first, last + 1) if rank[x] < cap]
        if not members:
            result = None
        else:
            canonical = (members[0], members[-1], max(rank[x] for x in members) + 1)
            result = self.blocks.get(canonical)
            if result is None:
                result = _Block(members, self.p, self.d, rank)
                self.blocks[canonical] = result
        self.blocks[key] = result
        return result

    def children(self, block: _Block, position: list) -> tuple[_Block | None, _Block | None]:
        """Left and right blocks of a position (built on first use)."""
        if position[4] is None:
            cap = self.rank[block.longest]
            left = self.block(block.members[0], position[3], cap)
            position[4] = (left, self.block(position[3] + 1, block.members[-1], cap))
        return position[4]

    def dominated(self, block: _Block, kept: list[int], b: int, t: int, end_b: int) -> bool:
        """Rule (iv): whether position b is no better than one of the valid positions ``kept`` before it at t."""
        d_k = block.d_k
        gain_b = end_b - d_k if end_b > d_k else 0
        for a in kept:
            key = (a, b)
            curve = block.moves.get(key)
            if curve is None:  # EDD cost of the jobs in (a, b] started at c: sum over thresholds e < c of (c - e)
                lo_pos = block.positions[a][3]
                hi_pos = block.positions[b][3]
                moved = [x for x in block.members if lo_pos < x <= hi_pos]
                th = []
                total = 0
                for x in moved:
                    total += self.p[x]
                    th.append(self.d[x] - total)
                th.sort()
                sums = [0]
                for v in th:
                    sums.append(sums[-1] + v)
                curve = (th, sums)
                block.moves[key] = curve
            c_a = t + block.positions[a][2]
            th, sums = curve
            q = bisect_left(th, c_a)
            if q * c_a - sums[q] <= gain_b - (c_a - d_k if c_a > d_k else 0):
                return True
        return False

    def value(self, block: _Block | None, t: int) -> int:
        """``V(block, t)``: the least total tardiness of the block's jobs started at t."""
        if block is None or t <= block.edd_slack:
            return 0
        if t >= block.all_late:
            return block.size * t + block.spt_sum - block.due_sum
        if block.size == 1:
            return max(0, t + block.p_k - block.d_k)
        known = block.memo.get(t)
        if known is not None:
            return known >> _CHOICE_BITS
        self.states += 1
        if not self.states & 1023 and self.deadline.expired():
            raise OutOfTime
        d_k = block.d_k
        best, choice = _NEVER, -1
        kept: list[int] = []
        for index, position in enumerate(block.positions):
            if position[0] <= t < position[1]:
                end = t + position[2]
                if kept and self.dominated(block, kept, index, t, end):
                    continue
                kept.append(index)
                left, right = position[4] or self.children(block, position)
                total = end - d_k if end > d_k else 0
                if left is not None and t > left.edd_slack:
                    total += self.value(left, t)
                if total >= best:
                    continue
                if right is not None and end > right.edd_slack:
                    total += self.value(right, end)
                if total < best:
                    best, choice = total, index
        if choice < 0:  # impossible by the decomposition theorem: some position is always valid
            raise RuntimeError(f"no valid position for a set of {block.size} jobs at t={t}")
        block.memo[t] = best << _CHOICE_BITS | choice
        return best

    def sequence(self, block: _Block | None, t: int, out: list[int]) -> None:
        """Append the EDD positions of an optimal order of the block started at t (after :meth:`value`)."""
        if block is None:
            return
        if t <= block.edd_slack or block.size == 1:
            out.extend(block.members)
        elif t >= block.all_late:
            out.extend(sorted(block.members, key=lambda x: (self.p[x], x)))
        else:
            position = block.positions[block.memo[t] & _CHOICE_MASK]
            left, right = position[4]
            self.sequence(left, t, out)
            out.append(block.longest)
            self.sequence(right, t + position[2], out)


def solve_unweighted(p: Sequence[int], d: Sequence[int], deadline: Deadline | None = None) -> LawlerResult:
    """Minimise ``sum_j max(0, C_j - d_j)`` on one machine from time 0 (raises ``OutOfTime`` at the deadline)."""
    n = len(p)
    if n == 0:
        return LawlerResult(0, [], 0)
    solver = _Lawler(p, d, deadline or Deadline(None))
    root = solver.block(0, n - 1, n)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * n + 1000))
    try:
        value = solver.value(root, 0)
        positions: list[int] = []
        solver.sequence(root, 0, positions)
    finally:
        sys.setrecursionlimit(limit)
    return LawlerResult(value, [solver.order[x] for x in positions], solver.states)
