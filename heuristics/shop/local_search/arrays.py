"""A (flexible) job shop as flat NumPy arrays for the local searches, and schedules as machine sequences.

The local searches work on the disjunctive graph: operations are nodes, job
arcs ``JP(v) -> v`` carry the lag ``lag[v]`` (``S_v >= E_JP(v) + lag[v]``),
machine arcs link consecutive operations of a machine sequence. A schedule is
the machine sequences plus, in a flexible shop, each operation's machine;
its semi-active timing is the longest-path heads (:mod:`.graph`).

What qualifies (else ``ValueError`` naming the construct): what
:func:`schedkit.heuristics.shop.read_shop` accepts, without machine downtime
(heads ignore calendars), with every operation in at most one precedence as
successor and one as predecessor, both inside its job (the job chains).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from schedkit.heuristics.shop.structure import Shop, read_shop
from schedkit.models import ProblemData, Solution


@dataclass(frozen=True)
class ShopArrays:
    """The shop as arrays (n operations, M machines).

    ``jprev[v]``, ``jnext[v]``    job predecessor / successor (-1: none);
    ``lag[v]``                    lag on the arc ``jprev[v] -> v``;
    ``release[v]``                earliest start;
    ``alt_ptr``                   CSR offsets: the alternatives of v are ``alt_ptr[v]:alt_ptr[v+1]``;
    ``alt_machine``, ``alt_duration``, ``alt_mode``  per alternative: machine, time and IR mode index.
    """

    num_machines: int
    jprev: np.ndarray
    jnext: np.ndarray
    lag: np.ndarray
    release: np.ndarray
    alt_ptr: np.ndarray
    alt_machine: np.ndarray
    alt_duration: np.ndarray
    alt_mode: np.ndarray

    @property
    def n(self) -> int:
        """Number of operations."""
        return int(self.jprev.shape[0])

    @property
    def flexible(self) -> bool:
        """Whether some operation has more than one machine."""
        return bool((np.diff(self.alt_ptr) > 1).any())


def shop_arrays(problem: ProblemData) -> ShopArrays:
    """The :class:`ShopArrays` of ``problem``; ``ValueError`` for what the local searches cannot handle."""
    shop = read_shop(problem)
    return arrays_of(shop, problem.name)


def arrays_of(shop: Shop, name: str = "") -> ShopArrays:
    """The arrays of a :class:`~schedkit.heuristics.shop.Shop` (see the module docstring)."""
    n = shop.num_tasks
    label = f"problem '{name}'" if name else "the problem"
    if any(shop.downtime[m] for m in range(shop.num_machines)):
        raise ValueError(f"the shop local searches do not handle machine downtime; {label} has some")
    jprev = np.full(n, -1, dtype=np.int64)
    jnext = np.full(n, -1, dtype=np.int64)
    lag = np.zeros(n, dtype=np.int64)
    for v in range(n):
        if len(shop.preds[v]) > 1 or len(shop.succs[v]) > 1:
            raise ValueError(
                f"the shop local searches need job chains; in {label} task {v} has "
                f"{len(shop.preds[v])} predecessors and {len(shop.succs[v])} successors"
            )
        if shop.preds[v]:
            a, lag_v = shop.preds[v][0]
            if shop.job_of[a] != shop.job_of[v]:
                raise ValueError(f"the shop local searches need job chains; in {label} a precedence links two jobs")
            jprev[v] = a
            jnext[a] = v
            lag[v] = lag_v
    ptr = [0]
    machine, duration, mode = [], [], []
    for v in range(n):
        if not shop.modes[v]:
            raise ValueError(f"in {label} task {v} has no usable mode")
        for m, res, d in shop.modes[v]:
            mode.append(m)
            machine.append(res)
            duration.append(d)
        ptr.append(len(mode))
    return ShopArrays(
        num_machines=shop.num_machines,
        jprev=jprev,
        jnext=jnext,
        lag=lag,
        release=np.asarray(shop.release, dtype=np.int64),
        alt_ptr=np.asarray(ptr, dtype=np.int64),
        alt_machine=np.asarray(machine, dtype=np.int64),
        alt_duration=np.asarray(duration, dtype=np.int64),
        alt_mode=np.asarray(mode, dtype=np.int64),
    )


def sequences_of(arrays: ShopArrays, solution: Solution) -> tuple[np.ndarray, np.ndarray]:
    """``(alt, mseq)`` of a schedule: each operation's alternative and the machine sequences by start.

    ``alt[v]`` indexes ``alt_*``; ``mseq[k]`` lists machine k's operations by
    (start, end, index), padded with -1.
    """
    n, num_machines = arrays.n, arrays.num_machines
    alt = np.empty(n, dtype=np.int64)
    lists: list[list[tuple[int, int, int]]] = [[] for _ in range(num_machines)]
    for v, task in enumerate(solution.tasks):
        lo, hi = int(arrays.alt_ptr[v]), int(arrays.alt_ptr[v + 1])
        options = [a for a in range(lo, hi) if arrays.alt_mode[a] == task.mode]
        if not options:
            raise ValueError(f"the schedule runs task {v} in mode {task.mode}, which is not usable")
        a = options[0]
        alt[v] = a
        start = int(task.start or 0)
        lists[int(arrays.alt_machine[a])].append((start, start + int(arrays.alt_duration[a]), v))
    mseq = np.full((num_machines, max(1, n)), -1, dtype=np.int64)
    for k, ops in enumerate(lists):
        ops.sort()
        mseq[k, : len(ops)] = [v for _, _, v in ops]
    return alt, mseq


def solution_of(arrays: ShopArrays, alt: np.ndarray, starts: Sequence[int] | np.ndarray) -> Solution:
    """The IR ``Solution`` of alternatives ``alt`` and starts ``starts``."""
    return Solution.from_lists([int(s) for s in starts], [int(arrays.alt_mode[a]) for a in alt])
