"""The serial SGS and double justification on a time-indexed profile, compiled with Numba (see :mod:`.genetic`).

Data (n activities, modes flattened, K renewable resources, horizon H):
``mode_ptr[i]:mode_ptr[i+1]`` are activity i's modes, ``mode_dur[m]`` and
``mode_dem[m, k]`` a mode's duration and renewable demands, ``cap[k]`` the
capacities; predecessors in CSR ``pred_ptr``/``pred_idx``/``pred_lag``
(``S_i >= S_h + d_h + lag``), successors likewise. ``usage[k, t]`` is the
demand placed on resource k at time t.

*Serial SGS*: activities in list order (precedence feasible); each starts at
the earliest ``t >= ES_i`` where its demands fit over ``[t, t + d_i)``.

*Double justification* (Valls, Ballestin & Quintanilla 2005): right-justify
(by non-increasing finish, each as late as possible before its successors
and the makespan), then left-justify (by non-decreasing start, each as early
as possible); never worse, repeated while it shortens the makespan.
"""

from __future__ import annotations

import numpy as np

from schedkit.heuristics.jit import njit


@njit
def _fits(usage: np.ndarray, dem: np.ndarray, cap: np.ndarray, t: int, d: int) -> int:
    """-1 when the demands fit over [t, t + d); else the last blocked time in it."""
    num_res = cap.shape[0]
    for tau in range(t + d - 1, t - 1, -1):
        for k in range(num_res):
            if dem[k] > 0 and usage[k, tau] + dem[k] > cap[k]:
                return tau
    return -1


@njit
def _place(usage: np.ndarray, dem: np.ndarray, t: int, d: int) -> None:
    for k in range(dem.shape[0]):
        if dem[k] > 0:
            for tau in range(t, t + d):
                usage[k, tau] += dem[k]


@njit
def serial_sgs(
    order: np.ndarray,
    mode: np.ndarray,
    mode_dur: np.ndarray,
    mode_dem: np.ndarray,
    cap: np.ndarray,
    release: np.ndarray,
    pred_ptr: np.ndarray,
    pred_idx: np.ndarray,
    pred_lag: np.ndarray,
    horizon: int,
    start: np.ndarray,
) -> int:
    """Fill ``start`` by the serial SGS of ``order`` with ``mode``; return the makespan (-1: past the horizon)."""
    usage = np.zeros((cap.shape[0], horizon + 1), dtype=np.int64)
    end = 0
    for idx in range(order.shape[0]):
        i = order[idx]
        m = mode[i]
        d = mode_dur[m]
        t = release[i]
        for e in range(pred_ptr[i], pred_ptr[i + 1]):
            h = pred_idx[e]
            x = start[h] + mode_dur[mode[h]] + pred_lag[e]
            if x > t:
                t = x
        if d > 0:
            while True:
                if t + d > horizon:
                    return -1
                blocked = _fits(usage, mode_dem[m], cap, t, d)
                if blocked < 0:
                    break
                t = blocked + 1
            _place(usage, mode_dem[m], t, d)
        start[i] = t
        if t + d > end:
            end = t + d
    return end


@njit
def _right_justify(
    start: np.ndarray,
    mode: np.ndarray,
    mode_dur: np.ndarray,
    mode_dem: np.ndarray,
    cap: np.ndarray,
    release: np.ndarray,
    succ_ptr: np.ndarray,
    succ_idx: np.ndarray,
    succ_lag: np.ndarray,
    rank: np.ndarray,
    makespan: int,
    out: np.ndarray,
) -> bool:
    n = start.shape[0]
    keys = np.empty(n, dtype=np.float64)
    for i in range(n):
        keys[i] = -(start[i] + mode_dur[mode[i]]) * (n + 1.0) - rank[i]
    order = np.argsort(keys)
    usage = np.zeros((cap.shape[0], makespan + 1), dtype=np.int64)
    for idx in range(n):
        i = order[idx]
        m = mode[i]
        d = mode_dur[m]
        finish = makespan
        for e in range(succ_ptr[i], succ_ptr[i + 1]):
            x = out[succ_idx[e]] - succ_lag[e]
            if x < finish:
                finish = x
        t = finish - d
        if d > 0:
            while True:
                if t < release[i]:
                    return False
                blocked = _fits(usage, mode_dem[m], cap, t, d)
                if blocked < 0:
                    break
                t = blocked - d
            _place(usage, mode_dem[m], t, d)
        out[i] = t
    return True


@njit
def justify(
    start: np.ndarray,
    mode: np.ndarray,
    mode_dur: np.ndarray,
    mode_dem: np.ndarray,
    cap: np.ndarray,
    release: np.ndarray,
    pred_ptr: np.ndarray,
    pred_idx: np.ndarray,
    pred_lag: np.ndarray,
    succ_ptr: np.ndarray,
    succ_idx: np.ndarray,
    succ_lag: np.ndarray,
    rank: np.ndarray,
    makespan: int,
) -> int:
    """Double justification of ``start`` in place, repeated while it helps; return the makespan."""
    n = start.shape[0]
    right = np.empty(n, dtype=np.int64)
    left = np.empty(n, dtype=np.int64)
    keys = np.empty(n, dtype=np.float64)
    while True:
        if not _right_justify(
            start, mode, mode_dur, mode_dem, cap, release, succ_ptr, succ_idx, succ_lag, rank, makespan, right
        ):
            return makespan
        for i in range(n):
            keys[i] = right[i] * (n + 1.0) + rank[i]
        order = np.argsort(keys)
        end = serial_sgs(order, mode, mode_dur, mode_dem, cap, release, pred_ptr, pred_idx, pred_lag, makespan, left)
        if end < 0 or end >= makespan:
            return makespan
        start[:] = left
        makespan = end
