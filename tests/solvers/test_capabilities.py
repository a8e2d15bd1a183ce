"""The capability matrix is what the compilers do: walk every construct x compiler pair.

For every construct of :data:`schedkit.solvers.capabilities.MATRIX` a small problem
uses it (and as little else as possible). Each compiler must build and solve
the problem when it supports everything the problem uses, and must refuse
it with :class:`UnsupportedFeature` naming the construct otherwise; every
solved schedule reaches CP-SAT's optimum. The README's matrix is the
generated one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schedkit.models import Demand, Model, ProblemData, Reader
from schedkit.solvers import UnsupportedFeature, solve
from schedkit.solvers.capabilities import COLUMNS, MATRIX, features, matrix_markdown, missing
from schedkit.solvers.linear.formulations import build, choose

ROOT = Path(__file__).resolve().parents[2]


def _shop(construct: str) -> ProblemData:
    """Three tasks on machines, with ``construct`` added."""
    m = Model(construct)
    machine = m.add_machine("M", downtime=[(2, 3)] if construct == "calendar" else [])
    other = m.add_machine("N")
    tasks = []
    for k, duration in enumerate((2, 3, 1)):
        task = m.add_task(
            f"t{k}",
            release=1 if construct == "release" and k == 2 else 0,
            deadline=4 if construct == "deadline" and k == 0 else None,
            due_date=2 + k,
            weight=k + 1,
            optional=construct in ("optional_tasks", "implication", "selection", "coverage_group") and k > 0,
            value=3 * k,
        )
        if construct == "reservation_table" and k == 0:
            m.add_mode(task, duration, [Demand(machine, 1, 1, 1)])
        else:
            m.add_mode(task, duration, {machine if k < 2 else other: 1}, location="a")
        if construct in ("multi_mode", "transfer_lag") and k == 1:
            m.add_mode(task, duration + 1, {other: 1}, cost=1, location="b")
        tasks.append(task)
    kinds = {
        "precedence.end_to_start": "end_to_start",
        "precedence.start_to_start": "start_to_start",
        "precedence.end_to_end": "end_to_end",
        "precedence.start_to_end": "start_to_end",
    }
    m.add_precedence(tasks[0], tasks[2], kinds.get(construct, "end_to_start"), lag=1 if construct in kinds else 0)
    if construct == "transfer_lag":
        m.add_precedence(tasks[1], tasks[2], transfer_lag=2)
    if construct == "pin":
        m.pin(tasks[1], start=4)
    if construct == "implication":
        m.add_implication(tasks[2], tasks[1])
    if construct == "selection":
        m.add_selection(tasks, min_present=2, max_present=2)
    if construct == "coverage_group":
        m.add_coverage_group(tasks[1:], reward=5)
    if construct == "disjunctive_pair":
        m.add_disjunctive_pair(tasks[1], tasks[2])
    if construct == "reference_start":
        m.set_reference(tasks[1], 0, start=3)
    m.set_horizon(12)
    if construct in ("optional_tasks", "implication", "selection"):
        m.minimize(("makespan", 1), ("present_value", -1))
    elif construct == "coverage_group":
        m.maximize(("coverage_reward", 1), ("makespan", -1))
    elif construct == "reference_start":
        m.minimize("disruption")
        m.minimize("makespan")
    elif construct == "lexicographic":
        m.minimize("total_weighted_tardiness")
        m.minimize("makespan")
    else:
        m.minimize("makespan")
    return m.freeze()


def _resource(construct: str) -> ProblemData:
    m = Model(construct)
    if construct == "resource.renewable":
        r = m.add_resource("R", "renewable", 2)
        for k in range(3):
            m.add_task(f"t{k}", duration=2, demands={r: 1})
        m.minimize("makespan")
    elif construct in ("resource.consumable", "calendar.consumable"):
        calendar = [(0, 3, 1)] if construct == "calendar.consumable" else []
        budget = m.add_resource("B", "consumable", 2, calendar=calendar)
        machine = m.add_machine("M")
        for k in range(3):
            t = m.add_task(f"t{k}", optional=True, value=2)
            m.add_mode(t, 1, {budget: 1, machine: 1})
        m.minimize(("present_value", -1), ("makespan", 1))
    else:  # resource.bin: time-free packing
        b = m.add_resource("bin", "bin", 5)
        for k, size in enumerate((3, 2, 4)):
            m.add_task(f"t{k}", optional=True, value=size, duration=0, demands={b: size})
        m.maximize("present_value")
    m.set_horizon(12)
    return m.freeze()


def _cyclic(construct: str) -> ProblemData:
    m = Model(construct)
    unit = m.add_resource("U", "modulo", 1)
    a = m.add_task("a", duration=1, demands={unit: 1})
    b = m.add_task("b", duration=2, demands={unit: 1})
    m.add_precedence(a, b, "start_to_start", lag=1)
    m.add_precedence(b, a, "start_to_start", lag=1, distance=1)
    m.set_cycle(1, 4)
    m.set_horizon(8)
    m.minimize("initiation_interval")
    m.minimize("schedule_length")
    return m.freeze()


def _term(construct: str) -> ProblemData:
    kind = construct.removeprefix("term.").removesuffix(":reversed")
    reversed_ = construct.endswith(":reversed")
    m = Model(construct)
    machine = m.add_machine("M")
    node = m.add_resource("node", "bin", 3)
    for k, duration in enumerate((2, 3, 1)):
        t = m.add_task(f"t{k}", due_date=2 + k, weight=k + 1, optional=k == 2, value=k, absent_penalty=4)
        m.add_mode(t, duration, {machine: 1, node: 1}, cost=k)
        m.add_mode(t, duration + 1, {machine: 1}, cost=0)
        if kind == "disruption":
            m.set_reference(t, 0)
    if kind == "coverage_reward":
        m.add_coverage_group([1, 2], reward=3)
    m.set_horizon(12)
    if reversed_:
        m.maximize(kind)
    else:
        m.minimize(kind)
    return m.freeze()


def _live_range() -> ProblemData:
    """A value produced by t0 and read by t2 holds a register until t2 starts."""
    m = Model("live_range")
    machine = m.add_machine("M")
    reg = m.add_resource("reg", "renewable", 2)
    tasks = [m.add_task(f"t{k}") for k in range(3)]
    m.add_mode(tasks[0], 2, [Demand(machine, 1), m.live_range(reg, 1, [tasks[2]])])
    m.add_mode(tasks[1], 1, [Demand(machine, 1), Demand(reg, 2)])
    m.add_mode(tasks[2], 1, [Demand(machine, 1)])
    m.set_horizon(12)
    m.minimize("makespan")
    return m.freeze()


def _transfer_demand() -> ProblemData:
    """t1 may run on M or N; if its input from t0 (on M) crosses, a buffer is held until t1 starts."""
    m = Model("transfer_demand")
    machine, other = m.add_machine("M"), m.add_machine("N")
    buffer = m.add_resource("buffer", "renewable", 1)
    t0, t1, t2 = (m.add_task(f"t{k}") for k in range(3))
    m.add_mode(t0, 2, {machine: 1}, location="M")
    m.add_mode(t1, 2, {machine: 1}, location="M")
    m.add_mode(t1, 2, {other: 1}, location="N")
    m.add_mode(t2, 1, [Demand(machine, 1), Demand(buffer, 1)], location="M")
    m.add_precedence(t0, t1, transfer_lag=1, transfer_demands=[Demand(buffer, 1, 2, 0, until=(Reader(t1),))])
    m.set_horizon(12)
    m.minimize("makespan")
    return m.freeze()


def example(construct: str) -> ProblemData:
    """A small problem that uses ``construct``."""
    if construct == "live_range":
        return _live_range()
    if construct == "transfer_demand":
        return _transfer_demand()
    if construct.startswith("resource.") and construct not in ("resource.unary", "resource.modulo"):
        return _resource(construct)
    if construct in ("calendar.consumable",):
        return _resource(construct)
    if construct in ("resource.modulo", "iteration_distance", "cycle", "term.initiation_interval"):
        return _cyclic(construct)
    if construct.startswith("term."):
        return _term(construct)
    return _shop(construct)


@pytest.mark.parametrize("construct", list(MATRIX))
def test_example_uses_its_construct(construct: str) -> None:
    assert construct in features(example(construct))


@pytest.mark.parametrize("construct", list(MATRIX))
def test_compilers_honour_the_matrix(construct: str) -> None:
    problem = example(construct)
    reference = solve(problem, time_limit=10, threads=1)
    assert reference.status.value == "optimal", reference
    for column in COLUMNS[1:]:
        gaps = missing(problem, column)
        if gaps:
            with pytest.raises(UnsupportedFeature) as error:
                choose(problem, column)
            assert all(gap in str(error.value) for gap in gaps)
            continue
        if column == "positional":
            continue  # a structural precondition (one machine) on top of the matrix, tested below
        build(problem, column, problem.cycle.ii_min if problem.cycle else 0)
        result = solve(problem, backend="mip", formulation=column, time_limit=20)
        assert result.status.value == "optimal", (column, result)
        assert result.objectives == reference.objectives, column


def test_unsupported_construct_is_refused_before_solving() -> None:
    problem = _term("term.makespan:reversed")
    with pytest.raises(UnsupportedFeature, match="makespan"):
        solve(problem, backend="mip")
    with pytest.raises(UnsupportedFeature, match="disjunctive does not support"):
        solve(_resource("resource.renewable"), backend="mip", formulation="disjunctive")
    with pytest.raises(UnsupportedFeature, match="positional"):
        solve(_shop("resource.unary"), backend="mip", formulation="positional")


def test_positional_on_one_machine() -> None:
    m = Model("one machine")
    machine = m.add_machine("M")
    for k, (p, d, w) in enumerate([(3, 4, 2), (2, 2, 1), (4, 9, 3), (1, 3, 2)]):
        m.add_task(f"j{k}", duration=p, demands={machine: 1}, due_date=d, weight=w, release=1 if k == 3 else 0)
    m.minimize("total_weighted_tardiness")
    problem = m.freeze()
    reference = solve(problem, time_limit=10, threads=1)
    result = solve(problem, backend="mip", formulation="positional")
    assert result.stats["formulation"] == "positional"
    assert result.objective == reference.objective


def test_every_column_is_in_the_matrix() -> None:
    assert all(columns <= set(COLUMNS) for columns in MATRIX.values())
    assert all(MATRIX[name] for name in MATRIX)


def test_readme_matrix_is_the_generated_one() -> None:
    readme = (ROOT / "README.md").read_text()
    assert matrix_markdown() in readme, (
        "README capability matrix is stale: paste solvers.capabilities.matrix_markdown()"
    )
