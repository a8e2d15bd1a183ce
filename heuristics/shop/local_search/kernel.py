"""The tabu search kernel for (flexible) job shops, compiled with Numba (see :mod:`.tabu` for the method).

Moves (on one critical path, see :mod:`.graph`):

* sequencing, N7 (Zhang, Li, Guan & Rao 2007): in each critical block
  ``B = (b_s, ..., b_e)`` of a machine, move the first operation right after
  each later one, the last one right before each earlier one, and each inner
  operation before the first or after the last; this contains N5's swaps of
  the first two and last two operations (Nowicki & Smutnicki 1996);
* reassignment (flexible shops, after Mastrolilli & Gambardella 2000): take a
  critical operation v off its machine and insert it on another eligible
  machine k at any position where it makes no cycle.

Each candidate is *estimated* without rebuilding the schedule: for an
insertion in a block the heads are recomputed forward and the tails
backward along the changed segment only (Balas & Vazacopoulos' and
Taillard's estimate: ``max r' + p + q'`` over the segment); for a
reassignment the path through v, ``r'(v) + p_k(v) + q'(v)``, with v between its
new machine neighbours. The best admissible estimate is applied and the
schedule re-timed exactly.

Feasibility (acyclicity) is guaranteed by sufficient conditions on heads:
moving u forward past w creates a cycle only if a path ``JS(u) ~> w`` exists,
which needs ``r(w) >= r(JS(u)) + p(JS(u))``; moving u backward before w only if a
path ``w ~> JP(u)`` exists, which needs ``r(JP(u)) >= r(w) + p(w)``. Moves that
fail the test are skipped, and an exact re-timing that still finds a cycle
undoes the move.

Tabu: a move that puts a before b on a machine forbids b before a (the
reversed pair) for a random tenure in ``[L, 1.5 L]``, ``L = 10 + jobs /
machines`` (Zhang et al.); moving v off machine k forbids v back on k.
Aspiration: a tabu move whose estimate beats the best makespan is allowed;
when every move is tabu, a random one is made. The tabu memory is a
direct-mapped table of 65,536 ``(pair, expiry)`` entries (a collision only
forgets a tabu). After ``max_stall`` moves without a new best, the search
restarts from the best schedule shaken by a few random critical moves, with
an empty tabu memory.
"""

from __future__ import annotations

import numpy as np

from schedkit.heuristics.jit import njit
from schedkit.heuristics.shop.local_search.graph import compute_heads, compute_tails, critical_path, makespan_of

TABLE_BITS = 16
TABLE_SIZE = 1 << TABLE_BITS

# indices into the scalar state array
IT, BEST, LAST_IMPROVE, CUR, SEED_STEP, RESTARTS = 0, 1, 2, 3, 4, 5
SCALARS = 6


@njit
def _slot(key: int) -> int:
    return ((key * 2654435761) >> 7) & (TABLE_SIZE - 1)


@njit
def _is_tabu(keys: np.ndarray, expiry: np.ndarray, key: int, it: int) -> bool:
    s = _slot(key)
    return keys[s] == key and expiry[s] > it


@njit
def _make_tabu(keys: np.ndarray, expiry: np.ndarray, key: int, until: int) -> None:
    s = _slot(key)
    keys[s] = key
    expiry[s] = until


@njit
def _move_in_sequence(mseq: np.ndarray, pos: np.ndarray, k: int, a: int, b: int) -> None:
    """Move the operation at position a of machine k to position b (shifting the ones between)."""
    u = mseq[k, a]
    if a < b:
        for i in range(a, b):
            w = mseq[k, i + 1]
            mseq[k, i] = w
            pos[w] = i
    else:
        for i in range(a, b, -1):
            w = mseq[k, i - 1]
            mseq[k, i] = w
            pos[w] = i
    mseq[k, b] = u
    pos[u] = b


@njit
def _remove(mseq: np.ndarray, mlen: np.ndarray, pos: np.ndarray, k: int, p: int) -> None:
    for i in range(p, mlen[k] - 1):
        w = mseq[k, i + 1]
        mseq[k, i] = w
        pos[w] = i
    mlen[k] -= 1
    mseq[k, mlen[k]] = -1


@njit
def _insert(mseq: np.ndarray, mlen: np.ndarray, pos: np.ndarray, k: int, p: int, v: int) -> None:
    for i in range(mlen[k], p, -1):
        w = mseq[k, i - 1]
        mseq[k, i] = w
        pos[w] = i
    mseq[k, p] = v
    pos[v] = p
    mlen[k] += 1


@njit
def _estimate_shift(
    k: int,
    a: int,
    b: int,
    mseq: np.ndarray,
    mlen: np.ndarray,
    dur: np.ndarray,
    jprev: np.ndarray,
    jnext: np.ndarray,
    lag: np.ndarray,
    release: np.ndarray,
    r: np.ndarray,
    q: np.ndarray,
    seg: np.ndarray,
    rr: np.ndarray,
) -> int:
    """Estimated makespan after moving position a of machine k to position b (see the module docstring)."""
    lo = a if a < b else b
    hi = b if a < b else a
    count = hi - lo + 1
    if a < b:
        for i in range(count - 1):
            seg[i] = mseq[k, a + 1 + i]
        seg[count - 1] = mseq[k, a]
    else:
        seg[0] = mseq[k, a]
        for i in range(1, count):
            seg[i] = mseq[k, b + i - 1]
    prev_end = 0
    if lo > 0:
        u = mseq[k, lo - 1]
        prev_end = r[u] + dur[u]
    for i in range(count):
        x = seg[i]
        h = release[x]
        if prev_end > h:
            h = prev_end
        u = jprev[x]
        if u >= 0:
            e = r[u] + dur[u] + lag[x]
            if e > h:
                h = e
        rr[i] = h
        prev_end = h + dur[x]
    next_tail = 0
    if hi + 1 < mlen[k]:
        w = mseq[k, hi + 1]
        next_tail = q[w] + dur[w]
    best = 0
    for i in range(count - 1, -1, -1):
        x = seg[i]
        t = next_tail
        w = jnext[x]
        if w >= 0:
            e = q[w] + dur[w] + lag[w]
            if e > t:
                t = e
        length = rr[i] + dur[x] + t
        if length > best:
            best = length
        next_tail = t + dur[x]
    return best


@njit
def _shift_feasible(
    k: int, a: int, b: int, mseq: np.ndarray, dur: np.ndarray, jprev: np.ndarray, jnext: np.ndarray, r: np.ndarray
) -> bool:
    """The sufficient acyclicity test of the module docstring."""
    u = mseq[k, a]
    w = mseq[k, b]
    if a < b:
        s = jnext[u]
        return s < 0 or r[w] < r[s] + dur[s]
    p = jprev[u]
    return p < 0 or r[p] < r[w] + dur[w]


@njit
def _shift_tabu(
    k: int, a: int, b: int, mseq: np.ndarray, n: int, keys: np.ndarray, expiry: np.ndarray, it: int
) -> bool:
    """Whether moving a to b creates a pair order that is tabu."""
    u = mseq[k, a]
    if a < b:
        for i in range(a + 1, b + 1):
            if _is_tabu(keys, expiry, mseq[k, i] * n + u, it):
                return True
    else:
        for i in range(b, a):
            if _is_tabu(keys, expiry, u * n + mseq[k, i], it):
                return True
    return False


@njit
def _mark_shift(
    k: int, a: int, b: int, mseq: np.ndarray, n: int, keys: np.ndarray, expiry: np.ndarray, until: int
) -> None:
    """Forbid the pair orders a (not yet applied) move to b destroys."""
    u = mseq[k, a]
    if a < b:
        for i in range(a + 1, b + 1):
            _make_tabu(keys, expiry, u * n + mseq[k, i], until)
    else:
        for i in range(b, a):
            _make_tabu(keys, expiry, mseq[k, i] * n + u, until)


@njit
def _collect_shifts(
    path: np.ndarray,
    length: int,
    mach: np.ndarray,
    pos: np.ndarray,
    moves: np.ndarray,
) -> int:
    """N7 moves of the blocks of ``path`` as rows ``(k, a, b)``; return their count."""
    count = 0
    i = 0
    while i < length:
        j = i
        k = mach[path[i]]
        while j + 1 < length and mach[path[j + 1]] == k and pos[path[j + 1]] == pos[path[j]] + 1:
            j += 1
        if j > i:
            s = pos[path[i]]
            e = pos[path[j]]
            for x in range(s + 1, e + 1):  # first operation after each later one
                moves[count, 0] = k
                moves[count, 1] = s
                moves[count, 2] = x
                count += 1
            for x in range(s, e):  # last operation before each earlier one
                if x == s and e == s + 1:
                    continue  # the same swap as the first loop's
                moves[count, 0] = k
                moves[count, 1] = e
                moves[count, 2] = x
                count += 1
            for x in range(s + 1, e):  # inner operations to the block's ends
                moves[count, 0] = k
                moves[count, 1] = x
                moves[count, 2] = s
                count += 1
                moves[count, 0] = k
                moves[count, 1] = x
                moves[count, 2] = e
                count += 1
        i = j + 1
    return count


@njit
def _retime(
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
    q: np.ndarray,
    order: np.ndarray,
    indeg: np.ndarray,
) -> int:
    """Heads and tails of the current schedule; its makespan, or -1 on a cycle."""
    n = dur.shape[0]
    if compute_heads(dur, jprev, jnext, lag, release, mach, mseq, mlen, pos, r, order, indeg) < n:
        return -1
    compute_tails(dur, jnext, lag, mach, mseq, mlen, pos, order, q)
    return makespan_of(dur, r)


@njit
def tabu_chunk(
    jprev: np.ndarray,
    jnext: np.ndarray,
    lag: np.ndarray,
    release: np.ndarray,
    alt_ptr: np.ndarray,
    alt_machine: np.ndarray,
    alt_duration: np.ndarray,
    alt: np.ndarray,
    mach: np.ndarray,
    dur: np.ndarray,
    mseq: np.ndarray,
    mlen: np.ndarray,
    pos: np.ndarray,
    best_alt: np.ndarray,
    best_mseq: np.ndarray,
    best_mlen: np.ndarray,
    keys: np.ndarray,
    expiry: np.ndarray,
    scal: np.ndarray,
    iterations: int,
    tenure_low: int,
    tenure_high: int,
    max_stall: int,
    reassign: bool,
    target: int,
) -> None:
    """Run ``iterations`` tabu moves from the state in the arrays (updated in place; see the module docstring)."""
    n = dur.shape[0]
    num_machines = mlen.shape[0]
    np.random.seed(scal[SEED_STEP])
    scal[SEED_STEP] += 1
    r = np.zeros(n, dtype=np.int64)
    q = np.zeros(n, dtype=np.int64)
    order = np.zeros(n, dtype=np.int64)
    indeg = np.zeros(n, dtype=np.int64)
    path = np.zeros(n, dtype=np.int64)
    seg = np.zeros(n + 1, dtype=np.int64)
    rr = np.zeros(n + 1, dtype=np.int64)
    cap = 4 * n + 16
    moves = np.zeros((cap, 3), dtype=np.int64)
    cur = _retime(dur, jprev, jnext, lag, release, mach, mseq, mlen, pos, r, q, order, indeg)
    scal[CUR] = cur
    for _ in range(iterations):
        if scal[BEST] <= target:
            return
        it = scal[IT]
        scal[IT] = it + 1
        length = critical_path(dur, jprev, lag, mach, mseq, pos, r, cur, path, True)
        count = _collect_shifts(path, length, mach, pos, moves)
        best_est = 1 << 60
        chosen = -1
        ties = 0
        # kind 0: shift (k, a, b); kind 1: reassignment (v, alternative, position)
        chosen_kind = 0
        chosen_v = -1
        chosen_alt = -1
        chosen_pos = -1
        any_move = False
        for m in range(count):
            k = moves[m, 0]
            a = moves[m, 1]
            b = moves[m, 2]
            if not _shift_feasible(k, a, b, mseq, dur, jprev, jnext, r):
                continue
            any_move = True
            est = _estimate_shift(k, a, b, mseq, mlen, dur, jprev, jnext, lag, release, r, q, seg, rr)
            if _shift_tabu(k, a, b, mseq, n, keys, expiry, it) and est >= scal[BEST]:
                continue
            if est < best_est:
                best_est = est
                chosen = m
                chosen_kind = 0
                ties = 1
            elif est == best_est:
                ties += 1
                if np.random.random() * ties < 1.0:
                    chosen = m
                    chosen_kind = 0
        if reassign:
            for i in range(length):
                v = path[i]
                if alt_ptr[v + 1] - alt_ptr[v] < 2:
                    continue
                jp = jprev[v]
                js = jnext[v]
                head_job = release[v]
                if jp >= 0 and r[jp] + dur[jp] + lag[v] > head_job:
                    head_job = r[jp] + dur[jp] + lag[v]
                tail_job = 0
                if js >= 0:
                    tail_job = q[js] + dur[js] + lag[js]
                for ai in range(alt_ptr[v], alt_ptr[v + 1]):
                    k = alt_machine[ai]
                    if k == mach[v]:
                        continue
                    tabu = _is_tabu(keys, expiry, -(v * num_machines + k) - 1, it)
                    for t in range(mlen[k] + 1):
                        prev = mseq[k, t - 1] if t > 0 else -1
                        nxt = mseq[k, t] if t < mlen[k] else -1
                        if js >= 0 and prev >= 0 and r[prev] >= r[js] + dur[js]:
                            break  # later positions are after prev too
                        if jp >= 0 and nxt >= 0 and r[jp] >= r[nxt] + dur[nxt]:
                            continue
                        any_move = True
                        h = head_job
                        if prev >= 0 and r[prev] + dur[prev] > h:
                            h = r[prev] + dur[prev]
                        tl = tail_job
                        if nxt >= 0 and q[nxt] + dur[nxt] > tl:
                            tl = q[nxt] + dur[nxt]
                        est = h + alt_duration[ai] + tl
                        if tabu and est >= scal[BEST]:
                            continue
                        if est < best_est:
                            best_est = est
                            chosen_kind = 1
                            chosen_v = v
                            chosen_alt = ai
                            chosen_pos = t
                            ties = 1
                        elif est == best_est:
                            ties += 1
                            if np.random.random() * ties < 1.0:
                                chosen_kind = 1
                                chosen_v = v
                                chosen_alt = ai
                                chosen_pos = t
        if not any_move:
            return  # no critical move: the makespan is a job length or a machine load, optimal
        if chosen < 0 and chosen_v < 0:
            # every move is tabu and none aspirates: a random feasible shift
            if count == 0:
                continue
            m = np.random.randint(count)
            if not _shift_feasible(moves[m, 0], moves[m, 1], moves[m, 2], mseq, dur, jprev, jnext, r):
                continue
            chosen = m
            chosen_kind = 0
        tenure = tenure_low + np.random.randint(tenure_high - tenure_low + 1)
        if chosen_kind == 0:
            k = moves[chosen, 0]
            a = moves[chosen, 1]
            b = moves[chosen, 2]
            _mark_shift(k, a, b, mseq, n, keys, expiry, it + tenure)
            _move_in_sequence(mseq, pos, k, a, b)
            new = _retime(dur, jprev, jnext, lag, release, mach, mseq, mlen, pos, r, q, order, indeg)
            if new < 0:
                _move_in_sequence(mseq, pos, k, b, a)
                cur = _retime(dur, jprev, jnext, lag, release, mach, mseq, mlen, pos, r, q, order, indeg)
                continue
        else:
            v = chosen_v
            k0 = mach[v]
            p0 = pos[v]
            a0 = alt[v]
            _make_tabu(keys, expiry, -(v * num_machines + k0) - 1, it + tenure)
            _remove(mseq, mlen, pos, k0, p0)
            k = alt_machine[chosen_alt]
            _insert(mseq, mlen, pos, k, chosen_pos, v)
            mach[v] = k
            dur[v] = alt_duration[chosen_alt]
            alt[v] = chosen_alt
            new = _retime(dur, jprev, jnext, lag, release, mach, mseq, mlen, pos, r, q, order, indeg)
            if new < 0:
                _remove(mseq, mlen, pos, k, pos[v])
                _insert(mseq, mlen, pos, k0, p0, v)
                mach[v] = k0
                dur[v] = alt_duration[a0]
                alt[v] = a0
                _make_tabu(keys, expiry, -(v * num_machines + k) - 1, it + tenure)
                cur = _retime(dur, jprev, jnext, lag, release, mach, mseq, mlen, pos, r, q, order, indeg)
                continue
        cur = new
        scal[CUR] = cur
        if cur < scal[BEST]:
            scal[BEST] = cur
            scal[LAST_IMPROVE] = it
            best_alt[:] = alt
            best_mseq[:, :] = mseq
            best_mlen[:] = mlen
        elif it - scal[LAST_IMPROVE] > max_stall:
            # restart from the best schedule, shaken by a few random critical moves, with no tabu
            scal[RESTARTS] += 1
            scal[LAST_IMPROVE] = it
            alt[:] = best_alt
            mseq[:, :] = best_mseq
            mlen[:] = best_mlen
            for v in range(n):
                dur[v] = alt_duration[alt[v]]
                mach[v] = alt_machine[alt[v]]
            for k in range(num_machines):
                for p in range(mlen[k]):
                    pos[mseq[k, p]] = p
            keys[:] = -(1 << 62)
            cur = _retime(dur, jprev, jnext, lag, release, mach, mseq, mlen, pos, r, q, order, indeg)
            kicks = 4 + np.random.randint(8)
            for _kick in range(kicks):
                length = critical_path(dur, jprev, lag, mach, mseq, pos, r, cur, path, True)
                count = _collect_shifts(path, length, mach, pos, moves)
                if count == 0:
                    break
                m = np.random.randint(count)
                k = moves[m, 0]
                a = moves[m, 1]
                b = moves[m, 2]
                if not _shift_feasible(k, a, b, mseq, dur, jprev, jnext, r):
                    continue
                _mark_shift(k, a, b, mseq, n, keys, expiry, it + 2 * tenure_high)  # no undoing the kick at once
                _move_in_sequence(mseq, pos, k, a, b)
                new = _retime(dur, jprev, jnext, lag, release, mach, mseq, mlen, pos, r, q, order, indeg)
                if new < 0:
                    _move_in_sequence(mseq, pos, k, b, a)
                    new = _retime(dur, jprev, jnext, lag, release, mach, mseq, mlen, pos, r, q, order, indeg)
                cur = new
            scal[CUR] = cur


@njit
def heads_of(
    jprev: np.ndarray,
    jnext: np.ndarray,
    lag: np.ndarray,
    release: np.ndarray,
    dur: np.ndarray,
    mach: np.ndarray,
    mseq: np.ndarray,
    mlen: np.ndarray,
    pos: np.ndarray,
) -> np.ndarray:
    """The heads (semi-active starts) of a schedule; all -1 when it has a cycle."""
    n = dur.shape[0]
    r = np.zeros(n, dtype=np.int64)
    order = np.zeros(n, dtype=np.int64)
    indeg = np.zeros(n, dtype=np.int64)
    if compute_heads(dur, jprev, jnext, lag, release, mach, mseq, mlen, pos, r, order, indeg) < n:
        r[:] = -1
    return r
