"""Resource projections: a valid relaxation (every full schedule survives it) that proves IIs ResMII cannot."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from schedkit import bundled
from schedkit.instances import read
from schedkit.models import ProblemData, ResourceKind, Solution, Task
from schedkit.models.pipelining import build, cost_table, hopper_h100, pipelining
from schedkit.solvers import solve
from schedkit.solvers.bounds.initiation_interval import ii_lower_bound
from schedkit.solvers.checker import check
from schedkit.solvers.methods.cost_normalisation import normalise
from schedkit.solvers.methods.pipelining import at_ii, heuristic_start, solve_pipelining
from schedkit.solvers.methods.resource_projection import loaded_resources, project, projection_bound
from schedkit.solvers.result import Status
from tests.pipelining_cases import blocked_gemm, read_tail_and_staging, twill_figure_1


def projected_solution(problem: ProblemData, resources: list[int], solution: Solution) -> Solution:
    """The full schedule seen by the projection without symmetry reductions: same starts, matching modes."""
    assert solution.ii is not None
    projected = project(problem, resources, solution.ii, symmetry=False)
    index = {task.name: i for i, task in enumerate(problem.tasks)}
    one = {task.name: task for task in projected.tasks}
    starts, modes = [], []
    for task in projected.tasks:
        i = index[task.name]
        chosen = problem.tasks[i].modes[solution.tasks[i].mode or 0]
        single = dataclasses.replace(problem, tasks=(Task(task.name, (chosen,)),), precedences=())
        alone = project(single, resources, solution.ii, symmetry=False)
        starts.append(solution.tasks[i].start)
        modes.append(one[task.name].modes.index(alone.tasks[0].modes[0]))
    return Solution.from_lists(starts, modes, ii=solution.ii)


def hopper_backward() -> ProblemData:
    """The Hopper backward kernel at the normalisation budget of ``results/pipelining_times.txt`` (U = 20)."""
    machine = hopper_h100()
    kernel = build("backward", machine, None, costs=normalise(cost_table("backward", machine, None), 20).scaled)
    return pipelining(kernel.loop, kernel.machine, name=kernel.loop.name)


def test_projection_proves_what_res_mii_misses() -> None:
    problem = read_tail_and_staging()
    assert ii_lower_bound(problem)[0] == 8  # each unit alone is 8 cycles busy
    walk = projection_bound(problem, 8, 12, threads=1)
    assert walk.lower_bound == 10
    assert [(t.ii, t.status) for t in walk.tests] == [(8, "infeasible"), (9, "infeasible"), (10, "optimal")]
    for ii in (8, 9):  # the full model agrees
        assert solve(at_ii(problem, ii, feasibility=True), time_limit=20, threads=1).status == Status.INFEASIBLE
    result = solve_pipelining(problem, time_limit=20, threads=1)
    assert (result.ii, result.ii_lower_bound, result.status) == (10, 10, "optimal")
    assert "infeasible (projection TC+SMEM)" in [a.status for a in result.attempts]


@pytest.mark.parametrize("case", [twill_figure_1, lambda: blocked_gemm(2), read_tail_and_staging])
def test_every_full_schedule_survives_the_projection(case: Callable[[], ProblemData]) -> None:
    problem = case()
    solution, _ = heuristic_start(problem)
    assert solution is not None and not check(problem, solution)
    modulo = [r for r, res in enumerate(problem.resources) if res.kind is ResourceKind.MODULO]
    for r in modulo:
        for s in modulo:
            if r < s:
                projected = project(problem, [r, s], solution.ii, symmetry=False)
                assert not check(projected, projected_solution(problem, [r, s], solution))


def test_projection_refuses_what_it_cannot_relax() -> None:
    with pytest.raises(ValueError, match="has no cycle"):
        project(read(bundled("rcpsp8.sm")), [0], 2)
    problem = twill_figure_1()
    renewable = dataclasses.replace(problem.resources[0], kind=ResourceKind.RENEWABLE)
    with pytest.raises(ValueError, match="is not a modulo resource"):
        project(dataclasses.replace(problem, resources=(renewable, *problem.resources[1:])), [0], 2)


def test_hopper_backward_ii_44_is_proven() -> None:
    """II 42 and 43 fall to the tensor core and the shared-memory read port taken together; 44 has a schedule."""
    problem = hopper_backward()
    assert ii_lower_bound(problem)[0] == 40
    names = [problem.resources[r].name for r in loaded_resources(problem, 40)]
    assert names == ["tensor_core", "smem_read"]
    walk = projection_bound(problem, 40, 44, threads=2)
    assert walk.lower_bound == 44
    assert [(t.ii, t.status) for t in walk.tests] == [(ii, "infeasible") for ii in (40, 41, 42, 43)]
    at_44 = solve(project(problem, loaded_resources(problem, 44), 44), time_limit=20, threads=2)
    assert at_44.status in (Status.OPTIMAL, Status.FEASIBLE)  # the projection does not claim 44 too
    result = solve_pipelining(problem, time_limit=40, threads=2)
    assert result.ii == result.ii_lower_bound == 44 and result.ii_optimal
    assert result.solution is not None and not check(problem, result.solution)
