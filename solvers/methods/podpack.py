"""The "Priority Matters" optimizer (arXiv 2511.08373) on the IR: a plan for a running Kubernetes cluster.

What the authors' solver does, and how it maps here:

* **model.** ``placed_i``, ``assign_ij`` for the *eligible* nodes of pod i
  (those that could host it alone: the prefilter), node capacities,
  ``sum_j assign_ij = placed_i``; protected pods stay on their node. This is
  :func:`schedkit.models.podpack.podpack` (its module docstring has the
  mapping), including the plugin's two modes (``require_pending``: at least
  one pending pod is placed; ``preemptor``: that pod must be placed);
* **objective**, tier by tier from the highest priority down: maximise the
  pods placed with priority >= p, lock it, then minimise the disruption of
  the running pods with priority >= p (stay 0, evict 1, move 2), lock it:
  the IR's levels in the ``per_tier`` order, solved by the project's
  lexicographic loop (:mod:`schedkit.solvers.lexicographic`), which locks
  ``==`` a proven level and ``>=`` / ``<=`` an unproven one, as the authors do;
* **warm start** from the running placement (:func:`~schedkit.models.podpack.running_solution`),
  built here so the user never builds a Solution; it is hinted, and kept
  whenever a level does no better (so the plan never makes the cluster
  lexicographically worse). In the ``require_pending`` mode the running
  placement breaks the mode's constraint; then the warm start also binds
  one pending pod where it fits without moving anything, when one does;
* **time budget**: :class:`PaperBudget`, the authors' split, or the
  project's default (:func:`~schedkit.solvers.lexicographic.reserve_split`).

The answer is a :class:`PodPlan`: the plan (binds, moves, evictions against
the running placement), the placements before and after, the per-level
outcome (value, bound, status, seconds) and the plugin's JSON answer.

The paper's time budget, exactly as in the authors' ``solver_cp_sat.py``
(see :class:`PaperBudget`): T = timeout - 200 ms; a guaranteed part ``g T``
shared evenly by the tiers still to solve, recomputed at each tier, and a
pool ``(1 - g) T`` that every tier may draw on; time spent is charged to the
pool first. A tier's cap is its share plus what is left of the pool; the
placement stage gets ``(1 - m)`` of the cap, the disruption stage the rest
of the cap. The authors' Python defaults are g = 0.6, m = 0.5 (the issue's
"60 % evenly, 40 % pool, halves"; ``budget="paper"``); their Go plugin
always sends g = 0.4, m = 0.3 (``budget="plugin"``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from schedkit.models import ProblemData, Solution
from schedkit.models.podpack import (
    ModeInfeasible,
    PackingSummary,
    Plan,
    compare_placed,
    diff,
    parse_request,
    placement_of,
    plugin_output,
    problem_from_request,
    running_placement,
    running_solution,
    solution_from_placement,
    summarize,
)
from schedkit.models.podpack.cluster import fits
from schedkit.solvers.checker import check, evaluate
from schedkit.solvers.result import LevelOutcome, Result, Status

if TYPE_CHECKING:
    from schedkit.solvers.lexicographic import TimeSplit

PAD = 0.2
"""Seconds the authors keep back from the timeout for the plugin (``timeout_ms - 200``)."""

PAPER_BUDGET = (0.6, 0.5)
"""The paper's budget: guaranteed fraction g = 0.6, move fraction m = 0.5."""

BUDGETS: dict[str, tuple[float, float] | None] = {
    "paper": PAPER_BUDGET,
    "plugin": (0.4, 0.3),
    "default": None,
}
"""Named budgets: (guaranteed fraction g, move fraction m), or None for the project's split."""


@dataclass
class PaperBudget:
    """The authors' time budget as a :class:`~schedkit.solvers.lexicographic.TimeSplit` (see the module docstring).

    ``stages`` gives, per objective level, its tier (0 = highest) and whether
    it is the tier's placement or disruption stage; :meth:`for_problem` reads
    them from the level names. With ``u = total - time_left`` spent so far,
    the pool left is ``max(0, (1 - g) T - u)`` and the guaranteed part left
    ``min(g T, time_left)`` (time is charged to the pool first, so both follow
    from ``u`` alone). At a tier's first stage, with r tiers still to solve::

        cap = min(time_left, guaranteed_left / r + pool_left)

    the placement stage gets ``(1 - m) cap`` and a following disruption stage
    ``cap - (time spent since the tier began)``; a tier with a single stage
    (the lone disruption level of the ``after_placement`` order) gets ``cap``.

    Differences from the authors' loop: their pools are charged with the
    solver's own stage times, ours with the wall time between levels (model
    updates included); a stage whose budget is below 1 ms is still run here
    with 10 ms (the loop's minimum), where they stop.
    """

    guaranteed: float = 0.6
    move_fraction: float = 0.5
    stages: list[tuple[int, str]] = field(default_factory=list)
    _tier_start: tuple[int, float, float] | None = field(default=None, init=False, repr=False)
    _last_level: int = field(default=-1, init=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("guaranteed", "move_fraction"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {value!r}")

    @classmethod
    def for_problem(cls, problem: ProblemData, guaranteed: float = 0.6, move_fraction: float = 0.5) -> PaperBudget:
        """The budget for the levels of a pod-packing problem (``placed>=p`` / ``disruption>=p`` / ``disruption``)."""
        stages: list[tuple[int, str]] = []
        tier = -1
        for level in problem.objective.levels:
            own_tier = level.name.startswith("placed") or ">=" not in level.name  # a lone disruption level
            if own_tier or not stages or stages[-1][1] == "disruption":
                tier += 1
            stages.append((tier, "place" if level.name.startswith("placed") else "disruption"))
        return cls(guaranteed, move_fraction, stages)

    def __call__(self, level: int, n_levels: int, time_left: float, total: float) -> float:
        """Seconds for ``level`` (see the class docstring)."""
        if level <= self._last_level:  # a new solve with the same budget (e.g. a backend's re-check)
            self._tier_start = None
        self._last_level = level
        stages = self.stages or [(k, "place") for k in range(n_levels)]
        tier, stage = stages[min(level, len(stages) - 1)]
        n_tiers = stages[-1][0] + 1
        first_of_tier = level == 0 or stages[min(level - 1, len(stages) - 1)][0] != tier
        if first_of_tier or self._tier_start is None or self._tier_start[0] != tier:
            spent = max(0.0, total - time_left)
            reserved = self.guaranteed * total
            pool_left = max(0.0, total - reserved - spent)
            guaranteed_left = min(reserved, time_left)
            remaining_tiers = max(1, n_tiers - tier)
            cap = min(time_left, guaranteed_left / remaining_tiers + pool_left)
            self._tier_start = (tier, time_left, cap)
            tier_stages = sum(1 for t, _ in stages if t == tier)
            return cap * (1 - self.move_fraction) if tier_stages > 1 and stage == "place" else cap
        _, left_at_start, cap = self._tier_start
        return max(0.0, cap - (left_at_start - time_left))


def make_budget(
    problem: ProblemData,
    budget: str | TimeSplit = "paper",
    guaranteed: float | None = None,
    move_fraction: float | None = None,
) -> tuple[TimeSplit | None, float]:
    """The time split for ``budget`` and the seconds to keep back from the time limit (the paper's 200 ms pad).

    ``budget`` is ``"paper"``, ``"plugin"`` (:class:`PaperBudget` with those
    fractions, overridable), ``"default"`` (the project's split, no pad) or a
    callable TimeSplit (no pad).
    """
    if callable(budget):
        return budget, 0.0
    if budget not in BUDGETS:
        raise ValueError(f"budget must be one of {', '.join(BUDGETS)} or a TimeSplit, got {budget!r}")
    fractions = BUDGETS[budget]
    if fractions is None:
        if guaranteed is not None or move_fraction is not None:
            raise ValueError("guaranteed and move_fraction apply to the paper and plugin budgets")
        return None, 0.0
    g = fractions[0] if guaranteed is None else guaranteed
    m = fractions[1] if move_fraction is None else move_fraction
    return PaperBudget.for_problem(problem, g, m), PAD


@dataclass
class PodPlan:
    """The optimizer's answer.

    ``status``: ``optimal`` (every level proven), ``feasible``,
    ``infeasible`` (the mode cannot be met), ``time_limit`` / ``unknown``
    (nothing found, which only happens without a usable running placement) or
    ``error``. ``plan`` turns ``running`` into ``placement``. ``summary`` and
    ``running_summary`` count placed pods per priority and the disruption;
    ``levels`` holds each lexicographic level's value, proven bound, status
    and seconds; ``objectives`` the checker's values of every level of the
    problem; ``settled_tiers`` how many leading tiers were settled without the
    backend; ``result`` is the underlying checked solve (of the settled
    problem when tiers were settled; None when every tier was).
    """

    status: Status
    plan: Plan
    running: dict[str, str | None]
    placement: dict[str, str | None]
    summary: PackingSummary | None
    running_summary: PackingSummary | None
    levels: list[LevelOutcome]
    wall_time: float
    budget: dict[str, Any]
    result: Result | None = None
    solution: Solution | None = None
    message: str = ""
    objectives: tuple[int, ...] | None = None
    settled_tiers: int = 0

    @property
    def improved(self) -> bool:
        """Whether the plan places more pods at the highest priority where the counts differ."""
        if self.summary is None or self.running_summary is None:
            return False
        return compare_placed(self.summary.placed_by_priority, self.running_summary.placed_by_priority) > 0

    def phases(self, problem: ProblemData) -> list[dict[str, Any]]:
        """The levels as the plugin's ``phases`` (tier = priority, stage, status, duration_ms, relative_gap)."""
        out = []
        tiers = problem.meta.get("tiers", [])
        for lv in self.levels:
            kind, _, bound_tier = lv.name.partition(">=")
            tier: int | None = int(bound_tier) if bound_tier else (tiers[-1] if tiers else None)
            gap = ""
            if lv.objective is not None and lv.bound is not None:
                delta = (lv.bound - lv.objective) if lv.sense == "max" else (lv.objective - lv.bound)
                gap = f"{max(0.0, delta / max(1, abs(lv.objective))):.4f}"
            out.append(
                {
                    "tier": tier,
                    "stage": "place" if kind == "placed" else "disruption",
                    "status": lv.status.value.upper(),
                    "duration_ms": int(round(1000 * lv.wall_time)),
                    "relative_gap": gap,
                }
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: status, plan, placed pods per priority before and after, levels, budget."""

        def counts(summary: PackingSummary | None) -> dict[str, Any] | None:
            if summary is None:
                return None
            return {
                "placed_by_priority": {str(p): n for p, n in summary.placed_by_priority.items()},
                "total_by_priority": {str(p): n for p, n in summary.total_by_priority.items()},
                "moved": summary.moved,
                "evicted": summary.evicted,
                "disruption": summary.disruption,
            }

        return {
            "status": self.status.value,
            "improved": self.improved,
            "plan": self.plan.to_dict(),
            "before": counts(self.running_summary),
            "after": counts(self.summary),
            "levels": [
                {
                    "index": lv.index,
                    "name": lv.name,
                    "sense": str(getattr(lv.sense, "value", lv.sense)),
                    "status": lv.status.value,
                    "value": lv.objective,
                    "bound": lv.bound,
                    "seconds": lv.wall_time,
                }
                for lv in self.levels
            ],
            "wall_time": round(self.wall_time, 4),
            "budget": self.budget,
            "message": self.message,
        }


def _warm_start(problem: ProblemData) -> Solution:
    """The running placement; in the ``require_pending`` mode, plus one pending pod bound where it fits as is."""
    running = running_placement(problem)
    if problem.meta.get("mode") != "require_pending":
        return running_solution(problem)
    from schedkit.models.podpack import nodes_of, pods_of

    nodes = nodes_of(problem)
    pods = pods_of(problem)
    load = {n.name: [0, 0] for n in nodes}
    for pod in pods:
        if pod.node is not None:
            load[pod.node][0] += pod.cpu
            load[pod.node][1] += pod.memory
    for pod in sorted((p for p in pods if p.node is None), key=lambda p: -p.priority):
        for node in nodes:
            if (
                fits(pod, node)
                and load[node.name][0] + pod.cpu <= node.cpu
                and load[node.name][1] + pod.memory <= node.memory
            ):
                if pod.name in problem.task_index:
                    return solution_from_placement(problem, {**running, pod.name: node.name})
    return running_solution(problem)


def settled_tiers(problem: ProblemData) -> int:
    """How many leading tiers the running placement settles: every pod of priority >= p runs (``per_tier`` only).

    For such a tier p, ``placed>=p`` is at its trivial bound (every such pod)
    and ``disruption>=p`` at 0, so both levels are proven optimal by
    counting; once locked, every pod of priority >= p stays where it runs.
    Needs a running placement the checker accepts (a plugin mode that the
    running placement breaks settles nothing).
    """
    meta = problem.meta
    if meta.get("disruption_order") != "per_tier" or check(problem, running_solution(problem)):
        return 0
    settled = 0
    for tier in meta["tiers"]:
        if all(node is not None for node, q in zip(meta["current"], meta["priorities"]) if q >= tier):
            settled += 1
        else:
            break
    return settled


def settle(problem: ProblemData, tiers: int) -> ProblemData:
    """The problem with its first ``tiers`` settled tiers solved: their pods pinned where they run, their levels gone.

    Every solution of the result is one of ``problem`` (same tasks, modes and
    order; only pins are added) and reaches the settled levels' optima, and
    the remaining levels are those of ``problem`` in the same order: solving
    it is solving ``problem`` without the two proofs per settled tier.
    """
    from dataclasses import replace

    from schedkit.models.entities import Objective
    from schedkit.models.podpack import nodes_of, podpack, pods_of

    meta = problem.meta
    cutoff = meta["tiers"][tiers - 1]
    pods = [
        replace(pod, protected=True) if pod.node is not None and pod.priority >= cutoff else pod
        for pod in pods_of(problem)
    ]
    reduced = podpack(
        nodes_of(problem),
        pods,
        name=problem.name,
        disruption_order=meta["disruption_order"],
        move_cost=meta.get("move_cost", 2),
        evict_cost=meta.get("evict_cost", 1),
        preemptor=meta.get("preemptor"),
        require_pending=meta.get("mode") == "require_pending",
    )
    levels = reduced.objective.levels[2 * tiers :]
    return replace(reduced, objective=Objective(levels), meta={**reduced.meta, "settled_tiers": tiers})


def optimize(
    problem: ProblemData,
    *,
    backend: str = "cpsat",
    time_limit: float | None = 1.0,
    budget: str | TimeSplit = "paper",
    guaranteed: float | None = None,
    move_fraction: float | None = None,
    threads: int | None = None,
    seed: int = 0,
    params: Mapping[str, Any] | None = None,
    callback: Callable[[Any], Any] | None = None,
    settle_tiers: bool = True,
) -> PodPlan:
    """Optimise a pod-packing problem from its running placement and return the plan (see the module docstring).

    Parameters
    ----------
    problem
        A problem of :func:`schedkit.models.podpack.podpack` (any level order;
        the paper's is ``per_tier``, the default).
    backend
        ``"cpsat"`` or ``"mip"`` (HiGHS).
    time_limit
        The timeout in seconds (the plugin's ``timeout_ms / 1000``); with the
        paper's budgets 200 ms of it are kept back, as the authors do. None: no limit.
    budget, guaranteed, move_fraction
        The time split (see :func:`make_budget`).
    threads, seed, params
        Passed to the backend (``params``: CP-SAT parameters by name).
    callback
        Progress records, as for :func:`schedkit.solvers.solve`.
    settle_tiers
        Skip the solver for the leading tiers the running placement settles
        (:func:`settled_tiers`): their levels are reported optimal with the
        counting bound and the backend solves the rest (:func:`settle`), so
        the time goes to the tiers that can change. Off: every level is solved.
    """
    from schedkit.solvers.driver import solve
    from schedkit.solvers.result import LevelOutcome

    started = time.perf_counter()
    running = running_placement(problem)
    running_ok = not check(problem, running_solution(problem))
    settled = settled_tiers(problem) if settle_tiers else 0
    target = settle(problem, settled) if settled else problem
    split, pad = make_budget(target, budget, guaranteed, move_fraction)
    limit = None if time_limit is None else max(0.01, time_limit - pad)
    budget_info: dict[str, Any] = {"name": budget if isinstance(budget, str) else "custom", "time_limit": time_limit}
    if isinstance(split, PaperBudget):
        budget_info.update(guaranteed=split.guaranteed, move_fraction=split.move_fraction, pad=pad)
    options: dict[str, Any] = {}
    if params:
        if backend != "cpsat":
            raise ValueError("params are CP-SAT parameters: use them with backend='cpsat'")
        options["params"] = dict(params)
    if split is not None:
        options["time_split"] = split
    prefix = []
    if settled:
        values = evaluate(problem, running_solution(problem))
        for index, level in enumerate(problem.objective.levels[: 2 * settled]):
            prefix.append(
                LevelOutcome(index, level.name, level.sense, Status.OPTIMAL, values[index], values[index], 0.0)
            )
    result: Result | None = None
    if target.objective.levels:
        result = solve(
            target,
            backend=backend,
            time_limit=limit,
            threads=threads,
            seed=seed,
            warm_start=_warm_start(target),
            callback=callback,
            **options,
        )
        status, message = result.status, result.message
        solution = result.solution if result.ok else None
        later = [replace_index(lv, lv.index + 2 * settled) for lv in result.levels]
    else:  # every tier settled: the running placement is optimal
        status, message, solution, later = Status.OPTIMAL, "", running_solution(problem), []
    if solution is not None and check(problem, solution):  # never hand out a schedule the original refuses
        status, message, solution = Status.ERROR, "the solution breaks the problem's constraints", None
    if solution is None and running_ok:
        solution = running_solution(problem)  # never worse than what runs now
        message = (message + "; " if message else "") + "no schedule from the backend: the running placement is kept"
    placement = running if solution is None else placement_of(problem, solution)
    return PodPlan(
        status=status,
        plan=diff(running, placement),
        running=running,
        placement=placement,
        summary=None if solution is None else summarize(problem, solution),
        running_summary=summarize(problem, running_solution(problem)),
        levels=prefix + later,
        wall_time=time.perf_counter() - started,
        budget=budget_info,
        result=result,
        solution=solution,
        message=message,
        objectives=None if solution is None else evaluate(problem, solution),
        settled_tiers=settled,
    )


def replace_index(level: LevelOutcome, index: int) -> LevelOutcome:
    """A copy of ``level`` renumbered to ``index`` (levels of a settled problem, back in the original's numbering)."""
    from dataclasses import replace

    return replace(level, index=index)


def answer_request(
    payload: Mapping[str, Any],
    *,
    mode: str = "plugin",
    backend: str = "cpsat",
    budget: str | None = None,
    time_limit: float | None = None,
    threads: int | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Answer a plugin request (its solver JSON) with the plugin's output JSON.

    The timeout is the request's ``timeout_ms`` (unless ``time_limit`` is
    given) and the budget the authors' one with the request's
    ``guaranteed_tier_fraction`` and ``move_fraction_of_tier`` (the Python
    defaults 0.6 and 0.5 when absent), unless ``budget`` names another.
    Statuses as the plugin's solver: ``NO_NODES``, ``NO_PODS``,
    ``INFEASIBLE`` (the mode cannot be met), else the solve's status in
    capitals. Bad input raises ``ModelError`` naming the field.
    """
    started = time.perf_counter()
    request = parse_request(payload)
    if not request.nodes:
        return {"status": "NO_NODES"}
    if not request.pods:
        return {"status": "NO_PODS"}
    try:
        problem = problem_from_request(request, mode=mode)
    except ModeInfeasible as error:
        return {"status": "INFEASIBLE", "placements": [], "evictions": [], "phases": [], "message": str(error)}
    options = request.options
    seconds = request.timeout_ms / 1000 if time_limit is None else time_limit
    if budget is None:
        answer = optimize(
            problem,
            backend=backend,
            time_limit=seconds,
            budget="paper",
            guaranteed=float(options.get("guaranteed_tier_fraction", PAPER_BUDGET[0])),
            move_fraction=float(options.get("move_fraction_of_tier", PAPER_BUDGET[1])),
            threads=threads,
            seed=seed,
        )
    else:
        answer = optimize(problem, backend=backend, time_limit=seconds, budget=budget, threads=threads, seed=seed)
    out = plugin_output(
        answer.plan,
        problem.meta["plugin"]["identities"],
        answer.status.value.upper(),
        answer.phases(problem),
        int(round(1000 * (time.perf_counter() - started))),
    )
    if request.warnings:
        out["warnings"] = request.warnings
    return out
