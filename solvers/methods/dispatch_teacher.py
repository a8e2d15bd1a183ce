"""CP-SAT as the teacher of the learned dispatcher: complete a partial schedule, left-shift it, replay it.

Given an episode stopped after some steps (its *prefix*: the operations fixed
so far, each job's earliest start ``lb_j``, the current time t) and the
agent's complete schedule from there (Tassel et al. 2023, §3):

1. :func:`teacher_schedule`: CP-SAT solves the job shop with the fixed
   operations pinned, each job's next operation released at ``lb_j`` and every
   later one at t, minimising the makespan from the agent's schedule as a
   complete hint, within a limit. A deterministic limit (CP-SAT's
   ``max_deterministic_time``, one worker) makes the teacher, and so the
   training, reproducible.
2. :func:`left_shift`: keep the solver's machine sequences and start every
   unfixed operation as early as they allow,
   ``S_o = max(bound_o, E(job predecessor), E(machine predecessor))`` in
   order of the solver's starts: a semi-active schedule, no later than the
   solver's (the authors compress with a second CP solve; a longest-path pass
   gives the same schedule).
3. :func:`replay` plays the left-shifted schedule in the environment from the
   prefix: at each state the *targets* are the legal jobs whose next
   operation starts at t in it, or No-Op when there is none. Every start of a
   semi-active schedule that respects the prefix's bounds is a decision time
   of the environment (each start is a bound or the end of a predecessor), so
   the replay reproduces it exactly; :func:`replay` checks this and raises
   otherwise.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from schedkit.heuristics.shop.learned.arrays import IntArray, ShopArrays
from schedkit.heuristics.shop.learned.observation import Observation, observe
from schedkit.heuristics.shop.learned.state import INF, BatchState, BoolArray
from schedkit.models import Pin, ProblemData, Solution
from schedkit.solvers.driver import solve


def prefix_bounds(state: BatchState) -> IntArray:
    """``(J, K)`` earliest start of every unfixed operation of episode 0: ``lb_j`` for the next, t after."""
    shop = state.shop
    bounds = np.maximum(shop.release, state.time[0] if not state.done[0] else 0)
    for j in range(shop.num_jobs):
        k = state.pos[0, j]
        if k < shop.num_ops[j]:
            bounds[j, k] = state.lb[0, j]
    return bounds


def pinned_problem(problem: ProblemData, state: BatchState) -> ProblemData:
    """``problem`` with episode 0's fixed operations pinned and the others released at their prefix bounds."""
    shop = state.shop
    bounds = prefix_bounds(state)
    tasks = list(problem.tasks)
    for j in range(shop.num_jobs):
        for k in range(int(shop.num_ops[j])):
            i = int(shop.task[j, k])
            if k < state.pos[0, j]:
                tasks[i] = dataclasses.replace(tasks[i], pin=Pin(start=int(state.starts[0, j, k])))
            else:
                tasks[i] = dataclasses.replace(tasks[i], release=int(bounds[j, k]))
    return dataclasses.replace(problem, tasks=tuple(tasks), name=f"{problem.name}:prefix")


def teacher_schedule(
    problem: ProblemData,
    state: BatchState,
    agent_starts: list[int],
    deterministic_time: float = 2.0,
    seed: int = 0,
) -> list[int] | None:
    """CP-SAT's completion of episode 0's prefix, hinted with the agent's schedule (task starts), or None."""
    pinned = pinned_problem(problem, state)
    result = solve(
        pinned,
        backend="cpsat",
        threads=1,
        seed=seed,
        warm_start=Solution.from_lists(agent_starts),
        params={"max_deterministic_time": deterministic_time},
    )
    if result.solution is None or result.violations:
        return None
    task_starts: list[int] = []
    for start in result.solution.starts:
        if start is None:  # an absent task: no complete schedule to learn from
            return None
        task_starts.append(int(start))
    return task_starts


def left_shift(shop: ShopArrays, state: BatchState, task_starts: list[int]) -> IntArray:
    """The semi-active schedule ``(J, K)`` of the solver's machine sequences from episode 0's prefix."""
    bounds = prefix_bounds(state)
    starts = np.full((shop.num_jobs, shop.max_ops), -1, dtype=np.int64)
    order = []
    for j in range(shop.num_jobs):
        for k in range(int(shop.num_ops[j])):
            s = task_starts[int(shop.task[j, k])]
            order.append((s, s + int(shop.duration[j, k]), k, j))
    order.sort()
    machine_end = np.zeros(shop.num_machines, dtype=np.int64)
    for _, _, k, j in order:
        m, p = int(shop.machine[j, k]), int(shop.duration[j, k])
        if k < state.pos[0, j]:
            s = int(state.starts[0, j, k])
        else:
            s = int(bounds[j, k])
            if k > 0:
                s = max(s, int(starts[j, k - 1] + shop.duration[j, k - 1]))
            s = max(s, int(machine_end[m]))
        starts[j, k] = s
        if p > 0:
            machine_end[m] = max(machine_end[m], s + p)
    return starts


def replay(state: BatchState, starts: IntArray) -> tuple[Observation, BoolArray, BatchState]:
    """Play ``starts (J, K)`` from episode 0 of ``state``: the observations, their target sets, the end state.

    At each step the targets are the legal jobs whose next operation starts at
    the current time in ``starts`` (No-Op when there is none); the lowest
    target is taken. Raises ``ValueError`` when the schedule is not reachable
    (a target would be illegal, or the final starts differ).
    """
    state = state.select(np.array([0]))
    shop = state.shop
    jobs = np.arange(shop.num_jobs)
    observations: list[Observation] = []
    targets: list[BoolArray] = []
    while not state.done[0]:
        legal = state.legal_jobs()[0]
        k = np.minimum(state.pos[0], shop.max_ops - 1)
        due = legal & (starts[jobs, k] == state.time[0])
        target = np.zeros(shop.num_jobs + 1, dtype=bool)
        if due.any():
            target[:-1] = due
        elif state.noop_target()[0] < INF:
            target[-1] = True
        else:
            raise ValueError(f"the schedule is not reachable from this state (time {state.time[0]})")
        observations.append(observe(state))
        targets.append(target)
        state.step(np.array([int(np.flatnonzero(target)[0])]))
    real = shop.task >= 0
    if not np.array_equal(state.starts[0][real], starts[real]):
        raise ValueError("replaying the schedule did not reproduce it")
    return Observation.concat(observations), np.array(targets), state
