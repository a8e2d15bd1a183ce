"""Combinatorial bounds (solvers/bounds): always on the right side of the optimum, and useful on benchmarks.

Validity is judged against exhaustive enumeration (tests/brute_force.py's
``task_options`` and the independent checker) on random tiny problems that use
every IR construct, each re-targeted at several level-0 objectives, and on the
tiny instance of every family. Known values come from the shared benchmark
folder (skipped when absent).
"""

from __future__ import annotations

import ast
import csv
import dataclasses
import itertools
import json
import random
import sys
from pathlib import Path

import pytest

from schedkit.instances import read
from schedkit.models import Demand, Model, Objective, ObjectiveLevel, ProblemData, Sense, Solution, term
from schedkit.models.jobshop import jobshop
from schedkit.models.pipelining import blackwell, flash_attention_forward, hopper, pipelining
from schedkit.models.podpack import from_scenario
from schedkit.models.tardiness import tardiness
from schedkit.solvers.bounds import BOUND_SOURCES, Bound, best_bound, combinatorial_bounds
from schedkit.solvers.bounds.capacity import Profile
from schedkit.solvers.bounds.facts import task_facts
from schedkit.solvers.bounds.one_machine import Job, jackson_preemptive
from schedkit.solvers.bounds.tardiness_wspt import _best_prefix, _best_subset, _wspt_value
from schedkit.solvers.checker import evaluate, is_feasible
from tests.brute_force import brute_force, task_options
from tests.random_ir import random_problem
from tests.tiny_families import FAMILIES

BOUNDS_DIR = Path(__file__).resolve().parents[2] / "solvers" / "bounds"


# ------------------------------------------------------------------ enumeration
def prefix_problem(problem: ProblemData, k: int) -> ProblemData:
    """The first ``k`` tasks with the constraints among them only (no presence logic, no objective).

    Every constraint of the prefix is a constraint of ``problem`` restricted to
    those tasks (demands only add load), so a partial assignment the checker
    rejects here has no feasible completion: pruning on it loses nothing.
    """
    return dataclasses.replace(
        problem,
        tasks=problem.tasks[:k],
        precedences=tuple(p for p in problem.precedences if p.a < k and p.b < k),
        implications=(),
        selections=(),
        coverage_groups=(),
        disjunctive_pairs=tuple(d for d in problem.disjunctive_pairs if d.a < k and d.b < k),
        objective=Objective(),
        meta={},
    )


def feasible_solutions(problem: ProblemData) -> list[Solution]:
    """Every feasible solution of a tiny problem: tests/brute_force.py's options, judged by the checker.

    Depth-first over the tasks, dropping a partial assignment as soon as the
    checker rejects it on the prefix problem; complete ones are checked on the
    full problem.
    """
    n = problem.num_tasks
    options = [task_options(problem, i, problem.horizon) for i in range(n)]
    prefixes = [prefix_problem(problem, k) for k in range(n)]
    iis: list[int | None] = [None]
    if problem.cycle is not None:
        iis = list(range(problem.cycle.ii_min, problem.cycle.ii_max + 1))
    found: list[Solution] = []

    def extend(partial: tuple, ii: int | None) -> None:
        k = len(partial)
        for option in options[k]:
            candidate = (*partial, option)
            if k + 1 == n:
                solution = Solution(candidate, ii)
                if is_feasible(problem, solution):
                    found.append(solution)
            elif is_feasible(prefixes[k + 1], Solution(candidate, ii)):
                extend(candidate, ii)

    for ii in iis:
        extend((), ii)
    return found


def with_level(problem: ProblemData, sense: str, terms: list[tuple]) -> ProblemData:
    """``problem`` with level 0 replaced by one level (the other levels do not matter to the bounds)."""
    level = ObjectiveLevel(tuple(term(*spec) for spec in terms), Sense.parse(sense))  # type: ignore[arg-type]
    return dataclasses.replace(problem, objective=Objective((level,)), meta=dict(problem.meta))


BROAD = [
    ("min", [("makespan", 1)]),
    ("min", [("makespan", 2, "subset")]),
    ("min", [("makespan", 1), ("mode_cost", 1), ("absent_penalty", 1)]),
    ("min", [("schedule_length", 1, "subset")]),
    ("min", [("total_weighted_tardiness", 1)]),
    ("min", [("total_weighted_tardiness", 2, "subset"), ("total_weighted_completion", 1)]),
    ("min", [("max_lateness", 1)]),
    ("min", [("max_lateness", 1, "subset"), ("weighted_tardy_count", 1)]),
    ("max", [("makespan", -1)]),
    ("max", [("present_value", 1), ("coverage_reward", 1), ("mode_cost", -1)]),
    ("max", [("total_weighted_tardiness", -1), ("present_value", 1), ("disruption", -1)]),
    ("min", [("present_value", -1), ("makespan", 1, "subset")]),
]
"""Level-0 objectives that exercise every source and the static ranges of every term."""
CYCLIC = [
    ("min", [("initiation_interval", 1)]),
    ("min", [("initiation_interval", 3), ("schedule_length", 1)]),
    ("max", [("initiation_interval", -1), ("present_value", 1)]),
]
TIMED = [
    ("min", [("makespan", 1)]),
    ("min", [("makespan", 1, "subset")]),
    ("min", [("schedule_length", 1)]),
    ("min", [("total_weighted_tardiness", 1)]),
    ("min", [("total_weighted_tardiness", 1, "subset"), ("mode_cost", 1)]),
    ("min", [("max_lateness", 1)]),
]
"""Objectives for the scheduling generators (more solutions each, so fewer objectives)."""


def objective_variants(problem: ProblemData, rng: random.Random, specs: list) -> list[ProblemData]:
    """``problem`` under its own objective and under each of ``specs`` ("subset" = a random task subset)."""
    n = problem.num_tasks
    subset = sorted(rng.sample(range(n), rng.randint(1, n)))
    variants = [problem] if problem.objective.levels else []
    for sense, terms in specs:
        terms = [tuple(subset if part == "subset" else part for part in spec) for spec in terms]
        variants.append(with_level(problem, sense, terms))
    return variants


def test_pruned_enumeration_matches_brute_force() -> None:
    for problem in [random_problem(seed) for seed in range(25)] + [
        random_problem(500 + seed, cyclic=True, tasks=3, horizon=5) for seed in range(15)
    ]:
        assert len(feasible_solutions(problem)) == brute_force(problem)[2], problem.name


def assert_valid(problem: ProblemData, solutions: list[Solution] | None = None) -> None:
    """Every bound of ``problem`` is on the correct side of its enumerated level-0 optimum."""
    if solutions is None:
        solutions = feasible_solutions(problem)
    bounds = combinatorial_bounds(problem)
    if not solutions:
        return  # infeasible: a bound claims nothing (but computing it must not fail)
    values = [evaluate(problem, s)[0] for s in solutions]
    level = problem.objective.levels[0]
    optimum = min(values) if level.sense == Sense.MINIMIZE else max(values)
    for bound in bounds:
        if level.sense == Sense.MINIMIZE:
            assert bound.value <= optimum, (problem.name, level, bound, optimum)
        else:
            assert bound.value >= optimum, (problem.name, level, bound, optimum)


def assert_variants_valid(problem: ProblemData, seed: int, specs: list) -> None:
    solutions = feasible_solutions(problem)
    for variant in objective_variants(problem, random.Random(seed), specs):
        assert_valid(variant, solutions)


# ------------------------------------------------------------- tiny generators
def single_machine(seed: int) -> ProblemData:
    """A few jobs on one machine: releases, due dates, weights, modes, downtime, an optional job, precedences."""
    rng = random.Random(seed)
    model = Model(f"one-machine-{seed}")
    downtime = [(rng.randint(1, 4), rng.randint(5, 6))] if rng.random() < 0.3 else []
    machine = model.add_machine("M", downtime)
    n = rng.choice([4, 5, 5])
    equal = rng.random() < 0.5
    horizon = 0
    for j in range(n):
        task = model.add_task(
            f"j{j}",
            release=0 if equal else rng.choice([0, 0, 1, 2]),
            due_date=rng.randint(0, 6),
            weight=rng.randint(0, 3),
            optional=rng.random() < 0.1,
        )
        durations = [rng.randint(0, 3) for _ in range(rng.choice([1, 1, 1, 2]))]
        for duration in durations:
            model.add_mode(task, duration, {machine: 1})
        horizon += max(durations)
    if rng.random() < 0.4:
        a, b = rng.sample(range(n), 2)
        model.add_precedence(a, b, rng.choice(["end_to_start", "start_to_start"]), rng.randint(-1, 2))
    model.set_horizon(min(horizon + (2 if downtime else 0), 9))
    model.minimize("total_weighted_tardiness")
    return model.freeze()


def small_shop(seed: int) -> ProblemData:
    """Two or three jobs on two machines, some with a reservation table or a disjunctive renewable resource."""
    rng = random.Random(seed)
    model = Model(f"shop-{seed}")
    machines = [model.add_machine("m0"), model.add_resource("m1", "renewable", 3)]
    ops = 0
    total = 0
    jobs = [2, 2, 1] if rng.random() < 0.6 else [3, 1, 1]
    for j, length in enumerate(jobs):
        previous = None
        for k in range(length):
            machine = rng.randrange(2)
            duration = rng.randint(1, 3)
            amount = 1 if machine == 0 else rng.choice([2, 3, 1])
            demand = Demand(machines[machine], amount)
            if rng.random() < 0.2:
                demand = Demand(machines[machine], amount, rng.randint(0, 1), rng.randint(1, 3))
            task = model.add_task(f"j{j}o{k}", release=rng.choice([0, 0, 1]), due_date=rng.randint(2, 7))
            model.add_mode(task, duration, [demand])
            if rng.random() < 0.3:
                model.add_mode(task, duration + 1, [Demand(machines[1 - machine], 1 if machine == 1 else 2)])
            total += duration + 1
            if previous is not None:
                model.add_precedence(previous, task, rng.choice(["end_to_start", "end_to_start", "end_to_end"]))
            previous = task
            ops += 1
    model.set_horizon(min(total, 9))
    model.minimize("makespan")
    return model.freeze()


def small_project(seed: int) -> ProblemData:
    """An RCPSP-like project: a renewable resource with a calendar, modes, generalised precedences."""
    rng = random.Random(seed)
    model = Model(f"project-{seed}")
    capacity = rng.randint(2, 3)
    calendar = [(rng.randint(0, 3), rng.randint(4, 6), rng.randint(0, capacity - 1))] if rng.random() < 0.5 else []
    res = model.add_resource("R", "renewable", capacity, calendar)
    n = rng.choice([4, 4, 5])
    for i in range(n):
        task = model.add_task(f"a{i}", release=rng.choice([0, 0, 1]), optional=rng.random() < 0.15)
        for _ in range(rng.choice([1, 2]) if n < 5 else 1):
            model.add_mode(task, rng.randint(1, 3), {res: rng.randint(1, capacity)})
    types = ["end_to_start", "start_to_start", "end_to_end", "start_to_end"]
    for _ in range(rng.randint(1, 3)):
        a, b = rng.sample(range(n), 2)
        model.add_precedence(a, b, rng.choice(types), rng.randint(-2, 2))
    model.set_horizon(8)
    model.minimize("makespan")
    return model.freeze()


def modulo_loop(seed: int) -> ProblemData:
    """A cyclic problem: modulo units, loop-carried precedences, modes on two locations."""
    rng = random.Random(seed)
    model = Model(f"loop-{seed}")
    units = [model.add_resource("u0", "modulo", 1), model.add_resource("u1", "modulo", 2)]
    model.set_cycle(1, 4)
    for i in range(3):
        task = model.add_task(f"op{i}")
        for location in rng.sample(["g0", "g1"], rng.randint(1, 2)):
            unit = rng.randrange(2)
            demand = Demand(units[unit], rng.randint(1, unit + 1), rng.randint(0, 1), rng.randint(1, 2))
            model.add_mode(task, rng.randint(1, 2), [demand], location=location)
    for _ in range(rng.randint(1, 3)):
        a, b = rng.choice([(0, 1), (1, 2), (0, 2), (2, 0), (1, 1), (2, 2)])
        distance = 1 if a >= b else rng.choice([0, 1])
        model.add_precedence(a, b, "start_to_start", rng.randint(0, 3), distance, transfer_lag=rng.choice([0, 1]))
    model.set_horizon(5)
    model.minimize("initiation_interval")
    return model.freeze()


# -------------------------------------------------------------- unit pieces
def test_profile_reach_and_blocked_periods() -> None:
    profile = Profile(((2, 4, 0), (6, 8, 3)), 1)
    assert profile.reach(0, 0) == 0
    assert profile.reach(0, 2) == 2
    assert profile.reach(0, 3) == 5  # nothing on [2, 4)
    assert profile.reach(1, 4) == 7  # [1,2) 1, [4,6) 2, then 3 per step on [6, 8)
    assert profile.reach(3, 10) == 10  # [4,6) 2 + [6,8) 6 + [8,10) 2
    assert profile.blocked() == [(2, 4)]
    assert Profile(((1, 3, 2),), 0).blocked() == [(0, 1), (3, None)]
    assert Profile(((1, 3, 2),), 0).reach(0, 5) is None


def test_jackson_preemptive_schedule() -> None:
    # the classical example: r = (0, 1, 3), p = (4, 2, 1), q = (1, 5, 8)
    jobs = [Job(0, 4, 1), Job(1, 2, 5), Job(3, 1, 8)]
    # job 1 preempts job 0 at 1 and ends at 3 (C+q = 8), job 2 runs [3, 4) (12), job 0 ends at 7 (8)
    assert jackson_preemptive(jobs) == 12
    assert jackson_preemptive(jobs, [(4, 6)]) == 12  # job 0 resumes at 6, ends at 9: 10
    assert jackson_preemptive([Job(0, 2, 0), Job(0, 3, None)], [(1, 3)]) == 4  # the tailed job first, split by [1, 3)
    assert jackson_preemptive([Job(0, 2, None)]) is None
    assert jackson_preemptive([Job(0, 2, 0)], [(1, None)]) is None


def test_wspt_subset_is_the_best_subset() -> None:
    """The minimum-cut choice of S maximises f(S) (checked against all subsets) and the prefixes never beat it."""
    rng = random.Random(5)
    for _ in range(40):
        jobs = [(rng.randint(1, 9), rng.randint(1, 5), rng.randint(0, 30)) for _ in range(rng.randint(1, 8))]
        t0 = rng.randint(0, 3)
        exhaustive = max(
            [0]
            + [
                _wspt_value([job for job, keep in zip(jobs, mask) if keep], t0)
                for mask in itertools.product([0, 1], repeat=len(jobs))
                if any(mask)
            ]
        )
        assert _best_subset(jobs, t0) == exhaustive
        assert _best_prefix(jobs, t0) <= exhaustive


def test_presence_propagation() -> None:
    model = Model("presence")
    for name in "abcd":
        model.add_task(name, duration=1, optional=name != "a")
    model.add_implication("a", "b")  # a mandatory: b forced
    model.add_selection(["c", "d"], min_present=2)  # both forced
    problem = model.freeze()
    assert task_facts(problem).forced == (True, True, True, True)
    model = Model("absence")
    for name in "abc":
        model.add_task(name, duration=1, optional=name != "a")
    model.add_selection(["a", "b"], max_present=1)  # a is mandatory: b excluded
    model.add_implication("c", "b")  # c needs b: excluded too
    facts = task_facts(model.freeze())
    assert facts.excluded == (False, True, True)
    assert facts.consistent


# ---------------------------------------------------------------- validity
@pytest.mark.parametrize("chunk", range(6))
def test_random_acyclic_problems(chunk: int) -> None:
    for seed in range(chunk * 40, chunk * 40 + 40):
        assert_variants_valid(random_problem(seed), seed, BROAD)


@pytest.mark.parametrize("chunk", range(3))
def test_random_cyclic_problems(chunk: int) -> None:
    for seed in range(chunk * 40, chunk * 40 + 40):
        assert_variants_valid(random_problem(2000 + seed, cyclic=True, tasks=3, horizon=5), seed, BROAD + CYCLIC)


GENERATORS = [
    (single_machine, 24, TIMED),
    (small_shop, 30, TIMED),
    (small_project, 30, TIMED),
    (modulo_loop, 40, CYCLIC),
]


@pytest.mark.parametrize(("generator", "count", "specs"), GENERATORS)
def test_random_scheduling_problems(generator, count: int, specs: list) -> None:
    for seed in range(count):
        assert_variants_valid(generator(seed), seed, specs)


@pytest.mark.parametrize("family", FAMILIES)
def test_tiny_families(family: str) -> None:
    problem = FAMILIES[family]()
    best, _, _ = brute_force(problem)
    assert best is not None
    bounds = combinatorial_bounds(problem)
    sense = problem.objective.levels[0].sense
    for bound in bounds:
        assert bound.value <= best[0] if sense == Sense.MINIMIZE else bound.value >= best[0], (bound, best)
    expected = {
        "rcpsp": {"critical_path", "resource_energy", "machine_load"},
        "tardiness": {"tardiness_assignment", "tardiness_trivial", "tardiness_wspt"},
        "jobshop": {"critical_path", "resource_energy", "machine_load"},
        "fjsp": {"critical_path"},
        "pipelining": {"ii_bound"},
        "podpack": {"upper_value"},
        "kvtree": {"upper_value"},
    }[family]
    assert expected <= {bound.source for bound in bounds}


def test_every_source_applies_to_the_validity_corpus() -> None:
    """The problems the validity tests enumerate give every source many chances to be wrong."""
    corpus = [(random_problem(seed), seed, BROAD) for seed in range(60)]
    corpus += [
        (random_problem(2000 + seed, cyclic=True, tasks=3, horizon=5), seed, BROAD + CYCLIC) for seed in range(20)
    ]
    corpus += [(generator(seed), seed, specs) for generator, _, specs in GENERATORS for seed in range(10)]
    applied = dict.fromkeys(BOUND_SOURCES, 0)
    for problem, seed, specs in corpus:
        for variant in objective_variants(problem, random.Random(seed), specs):
            for bound in combinatorial_bounds(variant):
                applied[bound.source] += 1
    assert all(count >= 10 for count in applied.values()), applied


# ------------------------------------------------------- exact small values
def test_known_small_values() -> None:
    # one machine, no releases: EDD is optimal for L_max; positions give the exact tardiness here
    problem = tardiness([3, 2, 4], [3, 2, 9], [1, 1, 1])
    values = {b.source: b.value for b in combinatorial_bounds(problem)}
    assert values["tardiness_assignment"] == 2  # the optimum: order (1, 0, 2), C = 2, 5, 9
    lateness = with_level(problem, "min", [("max_lateness", 1)])
    assert best_bound(lateness).value == 2  # EDD: 1 (C 2), 0 (C 5, L 2), 2 (C 9, L 0)
    # job shop: the machine bound with heads and tails beats both the job length and the machine load
    shop = jobshop([[(0, 3), (1, 2)], [(0, 2), (1, 4)], [(1, 1), (0, 1)]])
    found = {b.source: b.value for b in combinatorial_bounds(shop)}
    assert found["critical_path"] == 6
    assert found["resource_energy"] >= 7
    assert found["machine_load"] >= found["resource_energy"]
    tight = dataclasses.replace(shop, horizon=9)
    assert found["machine_load"] <= min(evaluate(tight, s)[0] for s in feasible_solutions(tight))


def test_api() -> None:
    problem = FAMILIES["jobshop"]()
    bounds = combinatorial_bounds(problem)
    assert [b.source for b in bounds] == [name for name in BOUND_SOURCES if name in {b.source for b in bounds}]
    assert all(isinstance(b, Bound) and isinstance(b.value, int) and b.detail and b.seconds >= 0 for b in bounds)
    assert best_bound(problem) == max(bounds, key=lambda b: b.value)
    assert [b.source for b in combinatorial_bounds(problem, ["machine_load"])] == ["machine_load"]
    assert combinatorial_bounds(problem, ["upper_value", "ii_bound"]) == []
    assert best_bound(problem, ["upper_value"]) is None
    with pytest.raises(KeyError, match="no_such_bound"):
        combinatorial_bounds(problem, ["no_such_bound"])
    empty = dataclasses.replace(problem, objective=Objective(), meta={})
    assert combinatorial_bounds(empty) == []
    kv = FAMILIES["kvtree"]()
    assert best_bound(kv).value == min(b.value for b in combinatorial_bounds(kv))


def _root(module: str) -> str:
    """The package a module belongs to: ``schedkit.models`` for ours, the top-level name for the rest."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "schedkit" else parts[0]


def test_bounds_import_only_allowed_packages() -> None:
    allowed = {"schedkit.models", "numpy", "scipy", "networkx", "__future__"}
    for path in BOUNDS_DIR.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {_root(alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level or node.module is None or node.module.startswith("schedkit.solvers.bounds"):
                    continue  # inside the package
                roots = {_root(node.module)}
            else:
                continue
            outside = {r for r in roots if r not in allowed and r not in sys.stdlib_module_names}
            assert not outside, f"{path.name} imports {outside}"


# ---------------------------------------------------------------- benchmarks
def _csv(path: Path, key: str, value: str) -> dict[str, int]:
    with open(path) as handle:
        return {row[key]: int(row[value]) for row in csv.DictReader(handle) if row[value]}


@pytest.mark.parametrize("name", ["j301_1", "j305_3", "j309_7", "j3017_4", "j3025_6", "j3037_4", "j3041_9"])
def test_j30_bounds_below_optimum(benchmarks: Path, name: str) -> None:
    optimum = _csv(benchmarks / "rcpsp" / "j30_bounds.csv", "instance", "upper_bound")[name]
    problem = read(benchmarks / "rcpsp" / "j30" / f"{name}.sm")
    found = {b.source: b.value for b in combinatorial_bounds(problem)}
    assert {"critical_path", "resource_energy", "machine_load"} <= set(found)
    assert all(0 < value <= optimum for value in found.values()), (found, optimum)


def _one_machine_reference(jobs: list[list[tuple[int, int]]]) -> int:
    """max over machines and (head, tail) thresholds of min head + sum p + min tail, from the job data alone.

    By Carlier's theorem this equals the preemptive one-machine optimum with heads and tails.
    """
    best = 0
    ops = []
    for job in jobs:
        for k, (machine, duration) in enumerate(job):
            head = sum(d for _, d in job[:k])
            tail = sum(d for _, d in job[k + 1 :])
            ops.append((machine, head, duration, tail))
    for machine in {m for m, _, _, _ in ops}:
        mine = [(h, p, q) for m, h, p, q in ops if m == machine]
        for h0 in {h for h, _, _ in mine}:
            for q0 in {q for _, _, q in mine}:
                chosen = [p for h, p, q in mine if h >= h0 and q >= q0]
                if chosen:
                    best = max(best, h0 + sum(chosen) + q0)
    return best


def _jobs_of(path: Path) -> list[list[tuple[int, int]]]:
    lines = [line.split() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    n = int(lines[0][0])
    return [[(int(row[i]), int(row[i + 1])) for i in range(0, len(row), 2)] for row in lines[1 : n + 1]]


@pytest.mark.parametrize(("name", "expected"), [("ft06", 52), ("la01", 666), ("la05", 593), ("ft10", None)])
def test_jobshop_machine_load(benchmarks: Path, name: str, expected: int | None) -> None:
    best_known = _csv(benchmarks / "jobshop" / "bounds.csv", "instance", "upper_bound")[name]
    path = benchmarks / "jobshop" / "instances" / name
    problem = read(path)
    found = {b.source: b.value for b in combinatorial_bounds(problem)}
    assert found["machine_load"] == _one_machine_reference(_jobs_of(path))
    assert found["critical_path"] <= found["machine_load"] <= best_known
    if expected is not None:
        assert found["machine_load"] == expected


@pytest.mark.parametrize("index", [0, 1, 2, 5, 19, 40, 80, 124])
def test_wt40_bounds_below_optimum(benchmarks: Path, index: int) -> None:
    optima = [int(v) for v in (benchmarks / "smtt" / "wtopt40.txt").read_text().split()]
    problem = read(benchmarks / "smtt" / "wt40.txt", index=index)
    found = {b.source: b.value for b in combinatorial_bounds(problem)}
    assert set(found) == {"tardiness_assignment", "tardiness_trivial", "tardiness_wspt"}
    assert found["tardiness_trivial"] <= found["tardiness_assignment"] <= optima[index]
    assert found["tardiness_wspt"] <= optima[index]


def test_podpack_upper_value_above_reference(benchmarks: Path) -> None:
    scenarios = json.loads((benchmarks / "podpack" / "scenarios_nodes4_pods16_prio4_util095.json").read_text())
    for scenario in scenarios:
        problem = from_scenario(scenario)
        top = str(max(problem.meta["tiers"]))
        placed = scenario["reference"]["optimal_placed_by_priority"][top]
        bound = best_bound(problem)
        assert bound is not None and bound.value >= placed


@pytest.mark.parametrize("machine", [hopper, blackwell])
def test_ii_bound_matches_the_family_bounds(machine) -> None:
    gpu = machine()
    loop = flash_attention_forward(gpu)
    problem = pipelining(loop, gpu)
    bound = best_bound(problem, ["ii_bound"])
    meta = problem.meta
    assert bound.value == max(1, meta["res_mii"], meta["rec_mii"]) == problem.cycle.ii_min
