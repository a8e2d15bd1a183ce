"""Method ``lns``: large-neighbourhood search around CP-SAT over the IR.

Each round relaxes part of the incumbent schedule and re-solves the *whole*
compiled model (:class:`~schedkit.solvers.cpsat.compiler.CpSatModel`, every
constraint of the problem) with the rest held by extra constraints:

* every non-relaxed task keeps its presence and mode;
* on each unary resource, consecutive non-relaxed tasks keep their order
  (``S_b >= E_a`` for a before b in the incumbent): the schedule may still
  shift in time (OR-Tools' own scheduling neighbourhoods do the same);
* on each renewable (cumulative) resource, two non-relaxed tasks that do not
  overlap in the incumbent keep their order (``S_b >= E_a`` whenever
  ``E_a <= S_b`` there): the incumbent's *partial order* (Godard, Laborie &
  Nuijten 2005). Tasks that overlap stay free to overlap or not, and the
  cumulative constraint itself stays in the model, so the held tasks may
  shift together around the relaxed ones, where fixing their starts would
  leave a relaxed task only the gaps of the incumbent;
* a non-relaxed task that uses a consumable or bin resource keeps its start.

Neighbourhoods, chosen in turn: a random *time window* (the tasks that
overlap it), random *machines* (the tasks on them), random *jobs* (a task and
its precedence neighbours, breadth first). The relaxed share adapts: it grows
by 10 % after a sub-solve CP-SAT closes (optimal or infeasible) and shrinks
after one that runs out of time. The sub-solve is hinted with the
incumbent, which satisfies every added constraint, and gets ``max(0.2,
T / 30)`` seconds. A new schedule is accepted when the checker's objective
is no worse (equal moves help on plateaus).

Extra constraints only restrict the model, so every schedule found
satisfies the problem; still, the method declines what it does not
understand rather than guess: a cyclic schedule, reservation tables (usage
offsets, lengths, live ranges), transfer demands, and several objective
levels. The result passes the checker (``solve()`` checks it).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from schedkit.models import ProblemData, ResourceKind, Sense, Solution
from schedkit.solvers.backends import Backend
from schedkit.solvers.checker import check, evaluate
from schedkit.solvers.lexicographic import TimeSplit
from schedkit.solvers.methods.registry import Method, register
from schedkit.solvers.result import BackendOutcome, LevelOutcome, Progress, Status

NEIGHBOURHOODS = ("time_window", "machines", "jobs")


@dataclass(frozen=True)
class LnsOptions:
    """Options of ``lns``.

    Attributes
    ----------
    relaxed_share
        Initial share of the tasks relaxed per round (adapted as it runs).
    sub_time
        Seconds per sub-solve (default ``max(0.2, T / 30)``).
    """

    relaxed_share: float = 0.2
    sub_time: float | None = None

    def validate(self) -> None:
        """Share in (0, 1]; a positive sub-solve time."""
        if not 0.0 < self.relaxed_share <= 1.0:
            raise ValueError(f"relaxed_share must be in (0, 1], got {self.relaxed_share!r}")
        if self.sub_time is not None and self.sub_time <= 0:
            raise ValueError(f"sub_time must be positive, got {self.sub_time!r}")


def applies(problem: ProblemData) -> str | None:
    """None when LNS understands every construct of ``problem``, else the reason it declines."""
    if problem.cycle is not None:
        return "a cyclic schedule (initiation interval)"
    if len(problem.objective.levels) != 1:
        return f"{len(problem.objective.levels)} objective levels (LNS optimises one)"
    for i, task in enumerate(problem.tasks):
        for m, mode in enumerate(task.modes):
            for d in mode.demands:
                if d.offset != 0 or d.until or d.usage_length(mode.duration) != mode.duration:
                    return f"a reservation table or live range ({problem.describe_task(i)} mode {m})"
    for prec in problem.precedences:
        if getattr(prec, "transfer_demands", ()):
            return "transfer demands on a precedence"
    return None


def _backend_options(backend: Backend, options: Any) -> tuple[bool, dict[str, Any]]:
    if backend.name != "cpsat":
        raise ValueError(f"method 'lns' re-solves with CP-SAT; backend {backend.name!r} is not supported")
    return bool(options.log), dict(options.params or {})


class _Lns:
    """The LNS state: the compiled model, the incumbent and the neighbourhood machinery."""

    def __init__(self, problem: ProblemData, seed: int, threads: int | None, params: dict[str, Any]) -> None:
        from schedkit.solvers.cpsat.compiler import CpSatModel

        self.problem = problem
        self.compiled = CpSatModel(problem)
        level = problem.objective.levels[0]
        self.sense = level.sense
        expression = self.compiled.level_expressions[0]
        if self.sense == Sense.MINIMIZE:
            self.compiled.model.minimize(expression)
        else:
            self.compiled.model.maximize(expression)
        self.rng = random.Random(seed)
        self.seed = seed
        self.threads = threads
        self.params = params
        n = problem.num_tasks
        self.neighbours: list[set[int]] = [set() for _ in range(n)]
        for prec in problem.precedences:
            self.neighbours[prec.a].add(prec.b)
            self.neighbours[prec.b].add(prec.a)
        self.unary = {r for r, res in enumerate(problem.resources) if res.kind == ResourceKind.UNARY}
        self.renewable = {r for r, res in enumerate(problem.resources) if res.kind == ResourceKind.RENEWABLE}

    def key(self, solution: Solution) -> tuple[int, ...] | None:
        if check(self.problem, solution):
            return None
        value = evaluate(self.problem, solution)[0]
        return (-value,) if self.sense == Sense.MAXIMIZE else (value,)

    def _resources(self, solution: Solution, i: int) -> list[int]:
        task = solution.tasks[i]
        if not task.present or task.mode is None:
            return []
        return [d.resource for d in self.problem.tasks[i].modes[task.mode].demands]

    def relaxed_set(self, kind: str, solution: Solution, count: int) -> set[int]:
        """``count`` (about) tasks to relax by neighbourhood ``kind``."""
        n = self.problem.num_tasks
        problem = self.problem
        if count >= n:
            return set(range(n))
        if kind == "time_window":
            spans = []
            for i, t in enumerate(solution.tasks):
                if t.present and t.start is not None and t.mode is not None:
                    spans.append((t.start, t.start + problem.tasks[i].modes[t.mode].duration, i))
            if not spans:
                return set(self.rng.sample(range(n), min(n, count)))
            spans.sort()
            first = self.rng.randrange(len(spans))
            return {i for _, _, i in spans[first : first + count]}
        if kind == "machines":
            by_resource: dict[int, list[int]] = {}
            for i in range(n):
                for r in self._resources(solution, i):
                    by_resource.setdefault(r, []).append(i)
            chosen: set[int] = set()
            resources = list(by_resource)
            self.rng.shuffle(resources)
            for r in resources:
                if len(chosen) >= count:
                    break
                chosen.update(by_resource[r])
            return chosen or set(self.rng.sample(range(n), min(n, count)))
        chosen = set()
        while len(chosen) < count:
            frontier = [self.rng.randrange(n)]
            while frontier and len(chosen) < count:
                i = frontier.pop(0)
                if i in chosen:
                    continue
                chosen.add(i)
                frontier.extend(j for j in self.neighbours[i] if j not in chosen)
        return chosen

    def sub_solve(self, solution: Solution, relaxed: set[int], seconds: float) -> tuple[Status, Solution | None]:
        """Re-solve with every task outside ``relaxed`` held (see the module docstring)."""
        compiled = self.compiled
        compiled.add_hints(solution)
        model = compiled.model.clone()
        compiled.model.clear_hints()

        def var(expr: Any) -> Any:
            if isinstance(expr, int):
                return expr
            if isinstance(expr, cp_model.IntVar):
                return model.get_int_var_from_proto_index(expr.index)
            return None

        tasks = solution.tasks
        held_by_resource: dict[int, list[tuple[int, int]]] = {}
        held_cumulative: dict[int, list[tuple[int, int, int]]] = {}
        for i, t in enumerate(tasks):
            if i in relaxed:
                continue
            present = compiled.present[i]
            if present is not True and present is not False:
                model.add(var(present) == int(bool(t.present)))
            if not t.present or t.mode is None:
                continue
            mode = compiled.canonical_mode[i][t.mode]
            lit = compiled.mode_lits[i][mode]
            if lit is not True and lit is not False:
                model.add(var(lit) == 1)
            fixed_start = False
            for d in self.problem.tasks[i].modes[t.mode].demands:
                if d.resource in self.unary:
                    held_by_resource.setdefault(d.resource, []).append((int(t.start or 0), i))
                elif d.resource in self.renewable:
                    begin = int(t.start or 0)
                    end = begin + self.problem.tasks[i].modes[t.mode].duration
                    held_cumulative.setdefault(d.resource, []).append((begin, end, i))
                else:
                    fixed_start = True
            if fixed_start:
                start = compiled.start[i]
                if not isinstance(start, int):
                    model.add(var(start) == int(t.start or 0))
        for held in held_by_resource.values():
            held.sort()
            for (_, a), (_, b) in zip(held, held[1:]):
                model.add(var(compiled.start[b]) >= self._end_in(model, a))
        ordered: set[tuple[int, int]] = set()
        for spans in held_cumulative.values():
            spans.sort()
            for k, (_, end_a, a) in enumerate(spans):
                for begin_b, _, b in spans[k + 1 :]:
                    if begin_b >= end_a and a != b and (a, b) not in ordered:
                        ordered.add((a, b))
                        model.add(var(compiled.start[b]) >= self._end_in(model, a))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.random_seed = self.rng.randrange(1 << 30)
        if self.threads is not None:
            solver.parameters.num_workers = self.threads
        for name, value in self.params.items():
            setattr(solver.parameters, name, value)
        code = solver.solve(model)
        status = {cp_model.OPTIMAL: Status.OPTIMAL, cp_model.FEASIBLE: Status.FEASIBLE}.get(code, Status.UNKNOWN)
        if code == cp_model.INFEASIBLE:
            status = Status.INFEASIBLE
        if not status.has_solution:
            return status, None
        return status, compiled.extract(solver.value)

    def _end_in(self, model: cp_model.CpModel, i: int) -> Any:
        """``E_i`` of task i as an expression of the clone."""
        end = self.compiled.end[i]
        if isinstance(end, int):
            return end
        if isinstance(end, cp_model.IntVar):
            return model.get_int_var_from_proto_index(end.index)
        start = self.compiled.start[i]
        mode = next(m for m, lit in enumerate(self.compiled.mode_lits[i]) if lit is not False)
        duration = self.problem.tasks[i].modes[mode].duration
        if isinstance(start, int):
            return start + duration
        return model.get_int_var_from_proto_index(start.index) + duration


def _first_schedule(problem: ProblemData, lns: _Lns, warm_start: Solution | None, seconds: float) -> Solution | None:
    if warm_start is not None and not check(problem, warm_start):
        return warm_start
    from schedkit.heuristics.registry import auto
    from schedkit.solvers.driver import heuristic_score

    found = auto(problem, heuristic_score)
    if found is not None and not check(problem, found.solution):
        return found.solution
    _, solution = lns.sub_solve(Solution.from_lists([0] * problem.num_tasks), set(range(problem.num_tasks)), seconds)
    return solution


def run(
    problem: ProblemData,
    *,
    backend: Backend,
    backend_options: Any,
    options: LnsOptions,
    time_limit: float | None,
    threads: int | None,
    seed: int,
    warm_start: Solution | None,
    callback: Callable[[Progress], Any] | None,
    time_split: TimeSplit | None,
) -> BackendOutcome:
    """The LNS loop (see the module docstring); without a time limit it runs 60 s."""
    started = time.perf_counter()
    _, params = _backend_options(backend, backend_options)
    total = 60.0 if time_limit is None else time_limit
    deadline = started + total
    lns = _Lns(problem, seed, threads, params)
    n = problem.num_tasks
    incumbent = _first_schedule(problem, lns, warm_start, max(0.5, total / 4))
    level = problem.objective.levels[0]
    if incumbent is None:
        outcome = LevelOutcome(0, level.name or "level0", level.sense, Status.UNKNOWN)
        return BackendOutcome(Status.UNKNOWN, None, [outcome], stats={"lns": {"rounds": 0}})
    best_key = lns.key(incumbent)
    time_to_best = time.perf_counter() - started
    share = options.relaxed_share
    sub = options.sub_time or max(0.2, total / 30)
    rounds = improved = 0
    proven = False
    by_kind = {kind: [0, 0] for kind in NEIGHBOURHOODS}
    while time.perf_counter() < deadline - 0.05 and n > 0:
        kind = NEIGHBOURHOODS[rounds % len(NEIGHBOURHOODS)]
        rounds += 1
        count = max(2, min(n, math.ceil(share * n)))
        relaxed = lns.relaxed_set(kind, incumbent, count)
        seconds = min(sub, max(0.05, deadline - time.perf_counter()))
        status, found = lns.sub_solve(incumbent, relaxed, seconds)
        by_kind[kind][0] += 1
        if status in (Status.OPTIMAL, Status.INFEASIBLE):
            share = min(1.0, share * 1.1)
        else:
            share = max(1.0 / max(n, 1), share / 1.1)
        if found is None:
            continue
        key = lns.key(found)
        if key is None or best_key is None or key > best_key:
            continue
        if key < best_key:
            improved += 1
            by_kind[kind][1] += 1
            time_to_best = time.perf_counter() - started
            if callback is not None:
                value = evaluate(problem, found)[0]
                callback(Progress(0, float(value), math.nan, time_to_best, found))
        incumbent, best_key = found, key
        if len(relaxed) == n and status == Status.OPTIMAL:
            proven = True
            break  # the whole problem was re-solved to optimality
    value = evaluate(problem, incumbent)[0]
    status = Status.OPTIMAL if proven else Status.FEASIBLE
    outcome = LevelOutcome(
        0, level.name or "level0", level.sense, status, objective=value, bound=float(value) if proven else None
    )
    stats = {
        "lns": {
            "rounds": rounds,
            "improvements": improved,
            "final_share": round(share, 3),
            "sub_time": round(sub, 3),
            "calls_improvements": {k: v for k, v in by_kind.items()},
            "whole_problem_reached": proven,
        }
    }
    return BackendOutcome(status, incumbent, [outcome], "", time_to_best, stats)


register(
    Method(
        "lns",
        "large-neighbourhood search around CP-SAT: relax a time window, machines or jobs, hold the rest, re-solve",
        run,
        LnsOptions,
        applies,
    )
)
