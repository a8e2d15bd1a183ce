"""Dispatch rules for job shops and flexible job shops: feasible, active / non-delay, deterministic, fast."""

from __future__ import annotations

import csv
import dataclasses
import random
import time
from pathlib import Path

import pytest

from schedkit.heuristics.shop import MACHINE_CHOICES, PRIORITY_RULES, RULES, SCHEDULES, dispatch, read_shop
from schedkit.instances import bundled, random_jobshop, read, sd2_fjsp, taillard_jobshop
from schedkit.models import Model, Pin, ProblemData, Solution, TaskAssignment
from schedkit.models.jobshop import jobshop
from schedkit.solvers import check, evaluate

ALL_RULES = sorted(PRIORITY_RULES)


# ------------------------------------------------------------------ instances
def _random_shop(seed: int, flexible: bool) -> ProblemData:
    """A small shop with releases, lags and machine downtime, without meta['jobs'] (chains from precedences)."""
    rng = random.Random(seed)
    model = Model(f"shop_{'f' if flexible else 'j'}{seed}")
    num_machines = rng.randint(2, 4)
    machines = []
    for m in range(num_machines):
        windows, t = [], rng.randint(0, 8)
        for _ in range(rng.randint(0, 3)):
            length = rng.randint(1, 6)
            windows.append((t, t + length))
            t += length + rng.randint(1, 15)
        machines.append(model.add_machine(f"m{m}", downtime=windows))
    for j in range(rng.randint(2, 5)):
        previous = None
        for k in range(rng.randint(1, 4)):
            task = model.add_task(f"j{j}_o{k}", release=rng.choice([0, 0, rng.randint(0, 12)]))
            eligible = rng.sample(range(num_machines), rng.randint(1, num_machines) if flexible else 1)
            for m in eligible:
                model.add_mode(task, rng.choice([0, *range(1, 9)]), {machines[m]: 1}, location=f"m{m}")
            if previous is not None:
                model.add_precedence(previous, task, lag=rng.choice([0, 0, rng.randint(1, 4)]))
            previous = task
    model.minimize("makespan")
    return model.freeze()


def _cross_job_shop() -> ProblemData:
    """A job shop with an extra precedence from job 0's last operation to job 1's second one."""
    problem = jobshop([[(0, 3), (1, 2)], [(1, 2), (0, 4), (2, 1)], [(2, 5), (0, 1)]], name="cross")
    model = Model("cross", family="jobshop")
    for res in problem.resources:
        model.add_machine(res.name)
    for task in problem.tasks:
        model.add_task(task.name, duration=task.modes[0].duration, demands={task.modes[0].demands[0].resource: 1})
    for prec in problem.precedences:
        model.add_precedence(prec.a, prec.b)
    model.add_precedence(1, 3, lag=2)  # j0_o1 -> j1_o1
    model.minimize("makespan")
    model.meta.update(jobs=problem.meta["jobs"])
    return model.freeze()


def _small_instances() -> list[ProblemData]:
    out = [read(bundled("js3x3")), read(bundled("fjs3x3.fjs")), _cross_job_shop()]
    out += [random_jobshop(6, 4, seed=s, duration_range=(1, 20)) for s in range(3)]
    out += [sd2_fjsp(5, 4, 4, seed=s, duration_range=(1, 20)) for s in range(3)]
    out += [_random_shop(s, flexible=s % 2 == 1) for s in range(12)]
    return out


SMALL = _small_instances()


# ------------------------------------------------------------------ properties
def _machine_of(problem: ProblemData, solution: Solution, i: int) -> int:
    return problem.tasks[i].modes[solution.tasks[i].mode].demands[0].resource  # type: ignore[index]


def _heads(problem: ProblemData, solution: Solution) -> list[int]:
    """Per task: max(release, predecessor end + lag), the earliest start precedences allow."""
    heads = [task.release for task in problem.tasks]
    for prec in problem.precedences:
        heads[prec.b] = max(heads[prec.b], solution.end(problem, prec.a) + prec.lag)  # type: ignore[operator]
    return heads


def _earlier_slot(problem: ProblemData, solution: Solution, loose: bool) -> list[str]:
    """Operations that could start earlier on their machine, all others fixed.

    ``loose=False`` (active): the whole interval [t, t + p) is free of other operations and downtime.
    ``loose=True`` (non-delay): the machine is merely idle at t (and [t, t + p) avoids downtime).
    Candidate times are the head, the ends of the machine's operations and downtime ends.
    """
    heads = _heads(problem, solution)
    found = []
    for i, task in enumerate(problem.tasks):
        s = solution.tasks[i].start
        d = task.modes[solution.tasks[i].mode].duration  # type: ignore[index]
        if d == 0 or s == heads[i]:
            continue
        m = _machine_of(problem, solution, i)
        others = [
            (solution.tasks[o].start, solution.end(problem, o))
            for o in range(problem.num_tasks)
            if o != i and _machine_of(problem, solution, o) == m and solution.end(problem, o) > solution.tasks[o].start
        ]
        down = [(w.start, w.end) for w in problem.resources[m].calendar if w.capacity == 0]
        candidates = {heads[i]} | {e for _, e in others} | {e for _, e in down}
        for t in sorted(c for c in candidates if heads[i] <= c < s):  # type: ignore[operator]
            if any(a < t + d and t < b for a, b in down):
                continue
            if loose:
                busy = any(a <= t < b for a, b in others)  # type: ignore[operator]
            else:
                busy = any(a < t + d and t < b for a, b in others)  # type: ignore[operator]
            if not busy:
                found.append(f"{task.name} could start at {t} instead of {s}")
                break
    return found


def _left_shift_by_one_is_feasible(problem: ProblemData, solution: Solution) -> list[str]:
    """Operations that the checker accepts one unit earlier although they are not at their head."""
    heads = _heads(problem, solution)
    found = []
    for i, a in enumerate(solution.tasks):
        if a.start == heads[i] or a.start == 0:  # type: ignore[operator]
            continue
        shifted = list(solution.tasks)
        shifted[i] = TaskAssignment(True, a.mode, a.start - 1)  # type: ignore[operator]
        if not check(problem, dataclasses.replace(solution, tasks=tuple(shifted))):
            found.append(problem.tasks[i].name)
    return found


def _assert_good(problem: ProblemData, solution: Solution, schedule: str, by_one: bool = True) -> None:
    assert check(problem, solution) == []
    if schedule == "active" or problem.family == "jobshop" or all(len(t.modes) == 1 for t in problem.tasks):
        assert _earlier_slot(problem, solution, loose=False) == []
    if schedule == "non_delay" and all(len(t.modes) == 1 for t in problem.tasks):
        assert _earlier_slot(problem, solution, loose=True) == []
    if by_one:
        assert _left_shift_by_one_is_feasible(problem, solution) == []


# ----------------------------------------------------------------------- tests
def test_rules_dict() -> None:
    assert set(RULES) == {"mwkr", "mopnr", "fdd_mwkr", "lwkr", "fifo", "spt"}
    problem = read(bundled("js3x3"))
    for name, rule in RULES.items():
        assert rule(problem) == dispatch(problem, name, "non_delay", "earliest_end")


@pytest.mark.parametrize("index", range(len(SMALL)))
def test_small_instances(index: int) -> None:
    problem = SMALL[index]
    for rule in ALL_RULES:
        for schedule in SCHEDULES:
            for choice in MACHINE_CHOICES:
                solution = dispatch(problem, rule, schedule, choice)
                _assert_good(problem, solution, schedule)
                assert solution == dispatch(problem, rule, schedule, choice)  # deterministic


def test_downtime_is_respected_and_used() -> None:
    model = Model("down")
    m = model.add_machine("m", downtime=[(3, 6)])
    model.add_task("a", duration=3, demands={m: 1})
    model.add_task("b", duration=2, demands={m: 1}, release=1)
    model.minimize("makespan")
    problem = model.freeze()
    for rule in ALL_RULES:
        for schedule in SCHEDULES:
            assert check(problem, dispatch(problem, rule, schedule)) == []
    assert dispatch(problem, "spt").starts == [6, 1]  # b first (shorter), a waits past the downtime
    assert dispatch(problem, "mwkr").starts == [0, 6]  # a first (more work), b waits past the downtime
    assert dispatch(problem, "spt", "non_delay").starts == [0, 6]  # a alone can start at 0


def _bounds(benchmarks: Path) -> dict[str, int]:
    out = {}
    with open(benchmarks / "jobshop" / "bounds.csv") as handle:
        out.update({row["instance"]: int(row["lower_bound"]) for row in csv.DictReader(handle)})
    with open(benchmarks / "fjsp" / "bounds.csv") as handle:
        out.update({row["bks_key"]: int(row["lower_bound"]) for row in csv.DictReader(handle)})
    return out


@pytest.mark.parametrize("name", ["ft06", "la01", "mk01"])
def test_benchmarks(benchmarks: Path, name: str) -> None:
    path = benchmarks / ("fjsp/Brandimarte1993/mk01.txt" if name == "mk01" else f"jobshop/instances/{name}")
    problem = read(path)
    optimum = _bounds(benchmarks)[name]
    assert optimum == {"ft06": 55, "la01": 666, "mk01": 40}[name]
    for rule in ALL_RULES:
        for schedule in SCHEDULES:
            for choice in MACHINE_CHOICES:
                solution = dispatch(problem, rule, schedule, choice)
                _assert_good(problem, solution, schedule, by_one=schedule == "active" and choice == "earliest_end")
                assert evaluate(problem, solution)[0] >= optimum


def test_ta71_is_fast() -> None:
    problem = taillard_jobshop(71)
    assert problem.num_tasks == 2000
    best = float("inf")
    for _ in range(2):
        begin = time.perf_counter()
        solution = RULES["fdd_mwkr"](problem)
        best = min(best, time.perf_counter() - begin)
    assert best < 1.0
    assert check(problem, solution) == []
    assert evaluate(problem, solution)[0] >= 5464  # best known makespan of ta71


def test_jobs_from_chains_match_meta() -> None:
    problem = random_jobshop(5, 3, seed=4)
    stripped = dataclasses.replace(problem, meta={})
    assert read_shop(stripped).jobs == read_shop(problem).jobs
    for rule in ALL_RULES:
        assert dispatch(stripped, rule) == dispatch(problem, rule)


def test_pinned_mode_is_kept() -> None:
    problem = read(bundled("fjs3x3.fjs"))
    model_tasks = list(problem.tasks)
    flexible = next(i for i, t in enumerate(model_tasks) if len(t.modes) > 1)
    pinned = dataclasses.replace(model_tasks[flexible], pin=Pin(mode=len(model_tasks[flexible].modes) - 1))
    model_tasks[flexible] = pinned
    problem = dataclasses.replace(problem, tasks=tuple(model_tasks))
    for rule in ALL_RULES:
        solution = dispatch(problem, rule, machine_choice="shortest")
        assert solution.modes[flexible] == len(pinned.modes) - 1
        assert check(problem, solution) == []


# ---------------------------------------------------------------------- errors
def _error(problem: ProblemData, **kwargs: str) -> str:
    with pytest.raises(ValueError) as info:
        dispatch(problem, **kwargs)
    return str(info.value)


def test_refuses_other_families() -> None:
    assert "resource.renewable" in _error(read(bundled("rcpsp8.sm")))
    model = Model("ss")
    m = model.add_machine("m")
    a = model.add_task("a", duration=1, demands={m: 1})
    b = model.add_task("b", duration=1, demands={m: 1})
    model.add_precedence(a, b, type="start_to_start")
    assert "precedence.start_to_start" in _error(model.freeze())


def test_refuses_negative_lags_deadlines_and_bad_arguments() -> None:
    model = Model("neg")
    m = model.add_machine("m")
    a = model.add_task("a", duration=1, demands={m: 1})
    b = model.add_task("b", duration=1, demands={m: 1})
    model.add_precedence(a, b, lag=-1)
    problem = model.freeze()
    assert "negative lag" in _error(problem)
    tasks = (problem.tasks[0], dataclasses.replace(problem.tasks[1], deadline=9))
    assert "deadline" in _error(dataclasses.replace(problem, tasks=tasks, precedences=()))
    js = read(bundled("js3x3"))
    assert "unknown dispatch rule" in _error(js, rule="edd")
    assert "unknown schedule" in _error(js, schedule="semi_active")
    assert "unknown machine_choice" in _error(js, machine_choice="cheapest")


def test_refuses_a_network_that_is_not_chains() -> None:
    model = Model("tree")
    m = model.add_machine("m")
    a, b, c = (model.add_task(x, duration=1, demands={m: 1}) for x in "abc")
    model.add_precedence(a, b)
    model.add_precedence(a, c)
    assert "two successors" in _error(model.freeze())


def test_horizon_overrun_is_an_error() -> None:
    problem = dataclasses.replace(read(bundled("js3x3")), horizon=5)
    assert "horizon" in _error(problem)
