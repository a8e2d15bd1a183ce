"""Schedule-generation schemes for the RCPSP: feasible, active, deterministic, FBI never worse."""

from __future__ import annotations

import csv
import dataclasses
import random
from pathlib import Path

import pytest

from schedkit.heuristics.rcpsp import PRIORITIES, RULES, SCHEMES, choose_mode, read_project, sgs
from schedkit.heuristics.rcpsp.justification import left_justify, makespan, right_justify
from schedkit.heuristics.rcpsp.profile import Profile
from schedkit.instances import bundled, layered_rcpsp, random_jobshop, read
from schedkit.models import Model, PrecedenceType, ProblemData, Solution, TaskAssignment
from schedkit.models.rcpsp import Activity, RcpspCalendar, RcpspMode, rcpsp
from schedkit.solvers import check, evaluate

VARIANTS = [(scheme, priority) for scheme in SCHEMES for priority in PRIORITIES]


# ------------------------------------------------------------------ instances
def _random_project(seed: int) -> ProblemData:
    """Releases, lags >= 0, calendars (downtime and other capacities), zero durations, multi-mode."""
    rng = random.Random(seed)
    num_resources = rng.randint(1, 3)
    capacities = [rng.randint(2, 6) for _ in range(num_resources)]
    n = rng.randint(6, 14)
    activities = []
    lags = {}
    for i in range(n):
        modes = []
        for _ in range(rng.randint(1, 3)):
            demands = tuple(rng.choice([0, rng.randint(1, cap)]) for cap in capacities)
            modes.append(RcpspMode(rng.choice([0, *range(1, 8)]), demands))
        successors = tuple(sorted(rng.sample(range(i + 1, n), min(n - i - 1, rng.randint(0, 2)))))
        for j in successors:
            if rng.random() < 0.3:
                lags[(i, j)] = rng.randint(1, 4)
        activities.append(Activity(tuple(modes), successors, release=rng.choice([0, 0, rng.randint(0, 15)])))
    calendars = []
    for k, cap in enumerate(capacities):
        windows, t = [], rng.randint(0, 10)
        for _ in range(rng.randint(0, 3)):
            length = rng.randint(1, 6)
            windows.append((t, t + length, rng.choice([0, rng.randint(0, cap + 2)])))
            t += length + rng.randint(0, 12)
        calendars.append(RcpspCalendar(k, tuple(windows)))
    return rcpsp(activities, capacities, lags=lags, calendars=calendars, name=f"project{seed}")


def _small_instances() -> list[ProblemData]:
    out = [read(bundled("rcpsp8.sm")), read(bundled("rcpsp8.rcp"))]
    out += [layered_rcpsp(20, 3, seed=s, downtime_probability=0.8) for s in range(3)]
    out += [_random_project(s) for s in range(15)]
    return out


SMALL = _small_instances()


# ------------------------------------------------------------------ properties
def _heads(problem: ProblemData, solution: Solution) -> list[int]:
    heads = [task.release for task in problem.tasks]
    for prec in problem.precedences:
        heads[prec.b] = max(heads[prec.b], solution.end(problem, prec.a) + prec.lag)  # type: ignore[operator]
    return heads


def _left_shift_by_one_is_feasible(problem: ProblemData, solution: Solution) -> list[str]:
    """Activities the checker accepts one unit earlier although they are not at their head."""
    heads = _heads(problem, solution)
    found = []
    for i, a in enumerate(solution.tasks):
        if a.start == heads[i]:
            continue
        shifted = list(solution.tasks)
        shifted[i] = TaskAssignment(True, a.mode, a.start - 1)  # type: ignore[operator]
        if not check(problem, dataclasses.replace(solution, tasks=tuple(shifted))):
            found.append(problem.tasks[i].name)
    return found


def _makespan(problem: ProblemData, solution: Solution) -> int:
    return max(solution.end(problem, i) for i in range(problem.num_tasks))  # type: ignore[type-var]


def _critical_path(problem: ProblemData) -> int:
    """A lower bound on the makespan: releases and the longest path with every activity's shortest mode."""
    project = read_project(problem)
    es = list(project.release)
    for i in project.topo:
        for j, lag in project.succs[i]:
            es[j] = max(es[j], es[i] + problem.tasks[i].min_duration + lag)
    return max((es[i] + problem.tasks[i].min_duration for i in range(problem.num_tasks)), default=0)


def _check_all(problem: ProblemData, lower: int, active: bool = True) -> None:
    for scheme, priority in VARIANTS:
        plain = sgs(problem, scheme, priority, seed=3)
        improved = sgs(problem, scheme, priority, seed=3, improve=True)
        for solution in (plain, improved):
            assert check(problem, solution) == [], (scheme, priority)
            assert evaluate(problem, solution)[0] >= lower
            if active:
                assert _left_shift_by_one_is_feasible(problem, solution) == [], (scheme, priority)
        assert _makespan(problem, improved) <= _makespan(problem, plain)
        assert plain == sgs(problem, scheme, priority, seed=3)  # deterministic
        assert improved == sgs(problem, scheme, priority, seed=3, improve=True)


# ----------------------------------------------------------------------- tests
def test_rules_dict() -> None:
    assert set(RULES) == {"sgs_serial", "sgs_parallel"}
    problem = read(bundled("rcpsp8.sm"))
    assert RULES["sgs_serial"](problem) == sgs(problem, "serial", "lft")
    assert RULES["sgs_parallel"](problem) == sgs(problem, "parallel", "lft")


@pytest.mark.parametrize("index", range(len(SMALL)))
def test_small_instances(index: int) -> None:
    problem = SMALL[index]
    _check_all(problem, _critical_path(problem))


def test_unary_resources_are_capacity_one() -> None:
    for problem in (read(bundled("js3x3")), random_jobshop(4, 3, seed=2, duration_range=(1, 9))):
        _check_all(problem, _critical_path(problem))


def test_random_priority_depends_on_the_seed_only() -> None:
    problem = layered_rcpsp(30, 3, seed=7)
    first = [sgs(problem, "serial", "random", seed=s) for s in range(6)]
    assert first == [sgs(problem, "serial", "random", seed=s) for s in range(6)]
    assert len({tuple(s.starts) for s in first}) > 1  # type: ignore[arg-type]


def test_justification_moves_right_then_left() -> None:
    for problem in SMALL:
        project = read_project(problem)
        start = sgs(problem, "parallel", "grpw").starts
        right = right_justify(project, start)  # type: ignore[arg-type]
        assert right is not None and all(r >= s for r, s in zip(right, start))  # type: ignore[operator]
        assert check(problem, Solution.from_lists(right, project.mode)) == []
        assert makespan(project, right) <= makespan(project, start)  # type: ignore[arg-type]
        left = left_justify(project, right)
        assert left is not None and all(a <= r for a, r in zip(left, right))
        assert check(problem, Solution.from_lists(left, project.mode)) == []


def test_multi_mode_takes_the_shortest_feasible_mode() -> None:
    activities = [
        Activity((RcpspMode(2, (5,)), RcpspMode(4, (2,)), RcpspMode(6, (1,))), (1,)),  # 5 > capacity 3
        Activity((RcpspMode(3, (1,)), RcpspMode(3, (2,)))),  # tie on duration: the lighter demand
    ]
    problem = rcpsp(activities, [3], calendars=[RcpspCalendar(0, ((0, 2, 5),))])
    assert [choose_mode(problem, i) for i in range(2)] == [1, 0]
    solution = sgs(problem)
    assert solution.modes == [1, 0]
    assert check(problem, solution) == []


def test_profile_windows() -> None:
    profile = Profile([2], [((3, 5, 0), (8, 10, 1))])
    assert profile.earliest(0, 3, [(0, 1)]) == 0
    assert profile.earliest(1, 3, [(0, 1)]) == 5
    assert profile.earliest(6, 3, [(0, 2)]) == 10
    assert profile.latest(12, 3, [(0, 2)], 0) == 5
    assert profile.latest(12, 3, [(0, 1)], 0) == 9
    profile.reserve(0, 3, [(0, 2)])
    assert profile.earliest(0, 1, [(0, 1)]) == 5
    assert profile.earliest(0, 0, [(0, 2)]) == 0


def _bounds(benchmarks: Path, name: str) -> int:
    table = "j30_bounds.csv" if name.startswith("j30") else "j60_bounds.csv"
    with open(benchmarks / "rcpsp" / table) as handle:
        return {row["instance"]: int(row["lower_bound"]) for row in csv.DictReader(handle) if row["lower_bound"]}[name]


@pytest.mark.parametrize("name", ["j301_1", "j601_1"])
def test_benchmarks(benchmarks: Path, name: str) -> None:
    folder = "j30" if name.startswith("j30") else "j60"
    problem = read(benchmarks / "rcpsp" / folder / f"{name}.sm")
    optimum = _bounds(benchmarks, name)
    assert optimum == {"j301_1": 43, "j601_1": 77}[name]
    _check_all(problem, optimum)


# ---------------------------------------------------------------------- errors
def _error(problem: ProblemData, **kwargs: object) -> str:
    with pytest.raises(ValueError) as info:
        sgs(problem, **kwargs)  # type: ignore[arg-type]
    return str(info.value)


def test_refuses_what_it_cannot_schedule() -> None:
    assert "resource.consumable" in _error(read(bundled("mrcpsp6.mm")))
    base = read(bundled("rcpsp8.sm"))
    negative = dataclasses.replace(base.precedences[0], lag=-2)
    assert "negative lag" in _error(dataclasses.replace(base, precedences=(negative, *base.precedences[1:])))
    other = dataclasses.replace(base.precedences[0], type=PrecedenceType.START_TO_START)
    assert "precedence.start_to_start" in _error(dataclasses.replace(base, precedences=(other, *base.precedences[1:])))
    windows = layered_rcpsp(12, 2, seed=1, window_probability=1.0)
    assert "deadline" in _error(windows)
    pairs = layered_rcpsp(12, 2, seed=1, disjunctive_probability=1.0)
    assert "disjunctive_pair" in _error(pairs)
    assert "unknown scheme" in _error(base, scheme="hybrid")
    assert "unknown priority" in _error(base, priority="wcs")


def test_activity_that_never_fits_is_an_error() -> None:
    model = Model("never")
    r = model.add_resource("r", "renewable", 1, [(0, 3, 2)])
    model.add_task("wide", duration=4, demands={r: 2})
    model.minimize("makespan")
    problem = model.freeze()
    for scheme in SCHEMES:
        assert "never fits" in _error(problem, scheme=scheme)
