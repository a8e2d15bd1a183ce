"""Tabu search for the job shop (N7 on the critical path) and the flexible job shop (plus machine reassignment).

>>> from schedkit.heuristics.shop.local_search import tabu_search
>>> solution = tabu_search(problem, time_limit=5.0, seed=0)  # doctest: +SKIP

The start is the given schedule or the best dispatch rule's; the search runs
the Numba kernel (:mod:`.kernel`) in chunks of iterations and checks the
clock between chunks. It stops at the time limit, after ``iterations``
moves, when a makespan ``target`` is reached, or when the critical path has
no move left (then the makespan equals a job's length or a machine's load and
is optimal). The result is the semi-active schedule (every operation at its
head) of the best machine sequences found: never worse than the start.

Compile time: the kernel is compiled on first use and cached on disk
(``cache=True``); :func:`warm_up` compiles it on a toy shop, and callers with
a budget (``auto``) call it before starting their clock.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from schedkit.heuristics.shop.local_search.arrays import ShopArrays, sequences_of, shop_arrays, solution_of
from schedkit.heuristics.shop.local_search.kernel import (
    BEST,
    CUR,
    IT,
    LAST_IMPROVE,
    RESTARTS,
    SCALARS,
    SEED_STEP,
    TABLE_SIZE,
    heads_of,
    tabu_chunk,
)
from schedkit.models import ProblemData, Solution

DEFAULT_TIME_LIMIT = 2.0
"""Seconds a tabu search runs when neither a time limit nor an iteration count is given."""


@dataclass
class TabuStats:
    """What a run did: moves, restarts, start and best makespans, seconds (compile excluded)."""

    iterations: int = 0
    restarts: int = 0
    start_makespan: int = 0
    best_makespan: int = 0
    seconds: float = 0.0
    compile_seconds: float = 0.0
    history: list[tuple[float, int]] = field(default_factory=list)


_WARM = False


def warm_up() -> float:
    """Compile (or load from the cache) the kernel on a 2 x 2 shop; return the seconds it took."""
    global _WARM
    if _WARM:
        return 0.0
    started = time.perf_counter()
    from schedkit.models.jobshop import jobshop

    toy = jobshop([[(0, 2), (1, 3)], [(1, 2), (0, 1)]], name="warm_up")
    _WARM = True
    tabu_search(toy, iterations=5)
    return time.perf_counter() - started


def _start_solution(problem: ProblemData) -> Solution:
    from schedkit.heuristics.shop import dispatch

    best, best_value = None, None
    for rule in ("fdd_mwkr", "mwkr", "mopnr", "spt"):
        solution = dispatch(problem, rule=rule, schedule="non_delay", machine_choice="earliest_end")
        value = max((t.start or 0) + problem.tasks[i].modes[t.mode or 0].duration for i, t in enumerate(solution.tasks))
        if best_value is None or value < best_value:
            best, best_value = solution, value
    assert best is not None
    return best


def tabu_search(
    problem: ProblemData,
    time_limit: float | None = None,
    seed: int = 0,
    warm_start: Solution | None = None,
    iterations: int | None = None,
    target: int | None = None,
    max_stall: int | None = None,
    stats: TabuStats | None = None,
) -> Solution:
    """The best schedule a tabu search finds from ``warm_start`` (default: the best dispatch rule).

    Parameters
    ----------
    problem
        A job shop or flexible job shop minimising the makespan (see
        :mod:`.arrays` for what qualifies; ``ValueError`` otherwise).
    time_limit
        Seconds of search (compile time excluded); default
        :data:`DEFAULT_TIME_LIMIT` unless ``iterations`` is given.
    seed
        Seed of the random tie-breaks, tenures and restarts.
    warm_start
        A schedule to start from (its machine sequences and modes are kept).
    iterations
        Stop after this many moves.
    target
        Stop once the makespan is at most this (default :func:`simple_lower_bound`: optimal).
    max_stall
        Moves without a new best before a restart (default ``max(2000, 10 n)``).
    stats
        Filled with what the run did, when given.
    """
    arrays = shop_arrays(problem)
    _check_objective(problem)
    if time_limit is None and iterations is None:
        time_limit = DEFAULT_TIME_LIMIT
    compile_seconds = warm_up() if not _WARM else 0.0
    started = time.perf_counter()
    start = warm_start if warm_start is not None else _start_solution(problem)
    state = _State.of(arrays, start, seed)
    n = arrays.n
    jobs = int((arrays.jprev < 0).sum())
    low = 10 + jobs // max(1, arrays.num_machines)
    high = low + low // 2
    stall = max(2000, 10 * n) if max_stall is None else max_stall
    goal = simple_lower_bound(arrays) if target is None else int(target)
    # Chunks of moves between clock checks: 64, 128, ... up to about 4e6 / n moves (a fraction of a
    # second). The sizes do not depend on the clock, so a run is reproducible for a seed and a move count.
    chunk, largest = 64, max(64, 4_000_000 // max(1, n))
    done = 0
    run = stats if stats is not None else TabuStats()
    run.start_makespan = int(state.scal[BEST])
    run.compile_seconds = compile_seconds
    while True:
        step = chunk if iterations is None else min(chunk, iterations - done)
        if step <= 0:
            break
        before = int(state.scal[IT])
        state.run(arrays, step, low, high, stall, goal)
        moved = int(state.scal[IT]) - before
        done += step
        if run.history == [] or run.history[-1][1] != int(state.scal[BEST]):
            run.history.append((round(time.perf_counter() - started, 4), int(state.scal[BEST])))
        if moved < step or state.scal[BEST] <= goal:
            break  # no move left (optimal) or target reached
        if time_limit is not None and time.perf_counter() - started >= time_limit:
            break
        chunk = min(2 * chunk, largest)
    run.iterations = int(state.scal[IT])
    run.restarts = int(state.scal[RESTARTS])
    run.best_makespan = int(state.scal[BEST])
    run.seconds = time.perf_counter() - started
    return state.best_solution(arrays)


def simple_lower_bound(arrays: ShopArrays) -> int:
    """A makespan lower bound: the longest job (shortest times and lags), the busiest machine, the mean load.

    Job j needs ``release + sum (min_k p_vk + lag_v)`` over its chain; a machine
    needs the sum of the operations that can only run on it; all machines
    together need ``ceil(sum_v min_k p_vk / M)``. The search stops when it
    reaches this bound (then its schedule is optimal).
    """
    n = arrays.n
    if n == 0:
        return 0
    shortest = np.minimum.reduceat(arrays.alt_duration, arrays.alt_ptr[:-1])
    bound = 0
    for v in np.flatnonzero(arrays.jprev < 0):
        t, u = int(arrays.release[v]), int(v)
        while u >= 0:
            t += int(shortest[u]) + (int(arrays.lag[u]) if arrays.jprev[u] >= 0 else 0)
            u = int(arrays.jnext[u])
        bound = max(bound, t)
    single = np.diff(arrays.alt_ptr) == 1
    if single.any():
        machines = arrays.alt_machine[arrays.alt_ptr[:-1][single]]
        loads = np.bincount(machines, weights=shortest[single], minlength=arrays.num_machines)
        bound = max(bound, int(loads.max()))
    return max(bound, int(-(-int(shortest.sum()) // max(1, arrays.num_machines))))


def _check_objective(problem: ProblemData) -> None:
    from schedkit.models import Sense, TermKind

    levels = problem.objective.levels
    if (
        len(levels) != 1
        or levels[0].sense != Sense.MINIMIZE
        or [t.kind for t in levels[0].terms] != [TermKind.MAKESPAN]
    ):
        raise ValueError("the shop tabu search minimises the makespan alone (one level, one makespan term)")
    if levels[0].terms[0].tasks is not None:
        raise ValueError("the shop tabu search minimises the makespan over all tasks")


@dataclass
class _State:
    alt: np.ndarray
    mach: np.ndarray
    dur: np.ndarray
    mseq: np.ndarray
    mlen: np.ndarray
    pos: np.ndarray
    best_alt: np.ndarray
    best_mseq: np.ndarray
    best_mlen: np.ndarray
    keys: np.ndarray
    expiry: np.ndarray
    scal: np.ndarray

    @classmethod
    def of(cls, arrays: ShopArrays, start: Solution, seed: int) -> _State:
        alt, mseq = sequences_of(arrays, start)
        mach = arrays.alt_machine[alt].copy()
        dur = arrays.alt_duration[alt].copy()
        mlen = (mseq >= 0).sum(axis=1).astype(np.int64)
        pos = np.zeros(arrays.n, dtype=np.int64)
        for k in range(arrays.num_machines):
            pos[mseq[k, : mlen[k]]] = np.arange(mlen[k])
        heads = heads_of(arrays.jprev, arrays.jnext, arrays.lag, arrays.release, dur, mach, mseq, mlen, pos)
        if arrays.n and heads[0] < 0:
            raise ValueError("the start schedule's machine sequences contradict the job order")
        scal = np.zeros(SCALARS, dtype=np.int64)
        cmax = int((heads + dur).max()) if arrays.n else 0
        scal[BEST] = cmax
        scal[CUR] = cmax
        scal[SEED_STEP] = seed * 1_000_003 + 1
        scal[LAST_IMPROVE] = 0
        return cls(
            alt,
            mach,
            dur,
            mseq,
            mlen,
            pos,
            alt.copy(),
            mseq.copy(),
            mlen.copy(),
            np.full(TABLE_SIZE, -(1 << 62), dtype=np.int64),
            np.zeros(TABLE_SIZE, dtype=np.int64),
            scal,
        )

    def run(self, arrays: ShopArrays, iterations: int, low: int, high: int, stall: int, target: int) -> None:
        tabu_chunk(
            arrays.jprev,
            arrays.jnext,
            arrays.lag,
            arrays.release,
            arrays.alt_ptr,
            arrays.alt_machine,
            arrays.alt_duration,
            self.alt,
            self.mach,
            self.dur,
            self.mseq,
            self.mlen,
            self.pos,
            self.best_alt,
            self.best_mseq,
            self.best_mlen,
            self.keys,
            self.expiry,
            self.scal,
            iterations,
            low,
            high,
            stall,
            arrays.flexible,
            target,
        )

    def best_solution(self, arrays: ShopArrays) -> Solution:
        alt = self.best_alt
        mach = arrays.alt_machine[alt]
        dur = arrays.alt_duration[alt]
        pos = np.zeros(arrays.n, dtype=np.int64)
        for k in range(arrays.num_machines):
            pos[self.best_mseq[k, : self.best_mlen[k]]] = np.arange(self.best_mlen[k])
        heads = heads_of(
            arrays.jprev, arrays.jnext, arrays.lag, arrays.release, dur, mach, self.best_mseq, self.best_mlen, pos
        )
        return solution_of(arrays, alt, heads)
