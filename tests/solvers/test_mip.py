"""The MIP backend: formulation choice, .lp/.mps files, other Pyomo solvers, MIP starts, levels, bounds."""

from __future__ import annotations

import shutil
from pathlib import Path

import highspy
import pytest

from schedkit.instances import bundled, read
from schedkit.solvers import Status, solve
from schedkit.solvers.linear.formulations import choose
from schedkit.solvers.mip import write
from tests.random_families import random_instance
from tests.tiny_families import jobshop_tiny, kvtree_tiny, pipelining_tiny, podpack_tiny, rcpsp_tiny, tardiness_tiny


@pytest.mark.parametrize(
    ("make", "formulation"),
    [
        (rcpsp_tiny, "time_indexed"),
        (tardiness_tiny, "time_indexed"),
        (jobshop_tiny, "disjunctive"),
        (pipelining_tiny, "modulo"),
        (podpack_tiny, "assignment"),
        (kvtree_tiny, "assignment"),
    ],
)
def test_formulation_is_chosen_by_structure(make, formulation: str) -> None:  # type: ignore[no-untyped-def]
    problem = make()
    assert choose(problem) == formulation
    result = solve(problem, backend="mip")
    assert result.stats["formulation"] == formulation
    assert result.status == Status.OPTIMAL


@pytest.mark.parametrize("suffix", [".lp", ".mps"])
def test_written_model_solves_to_the_same_optimum(tmp_path: Path, suffix: str) -> None:
    problem = read(bundled("js3x3"))
    path = tmp_path / f"model{suffix}"
    assert write(problem, str(path)) == "disjunctive"
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    assert h.readModel(str(path)) == highspy.HighsStatus.kOk
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    optimum = solve(problem, time_limit=10).objective
    assert round(h.getInfo().objective_function_value) == optimum


def test_write_refuses_other_extensions(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=".lp or .mps"):
        write(read(bundled("js3x3")), str(tmp_path / "model.txt"))


@pytest.mark.parametrize("solver", ["glpk", "cbc", "highs"])
@pytest.mark.parametrize("make", [rcpsp_tiny, jobshop_tiny, podpack_tiny])
def test_any_pyomo_solver_by_name(solver: str, make) -> None:  # type: ignore[no-untyped-def]
    if solver in ("glpk", "cbc") and shutil.which("glpsol" if solver == "glpk" else solver) is None:
        pytest.skip(f"{solver} is not installed")
    problem = make()
    reference = solve(problem, time_limit=10)
    result = solve(problem, backend="mip", solver=solver, time_limit=30)
    assert result.status == Status.OPTIMAL, result.message
    assert result.objectives == reference.objectives


def test_unknown_pyomo_solver_is_refused_before_solving() -> None:
    with pytest.raises(ValueError, match="'no_such_solver' is not installed; installed: appsi_highs, highspy"):
        solve(rcpsp_tiny(), backend="mip", solver="no_such_solver")


def test_warm_start_is_a_complete_feasible_mip_start() -> None:
    problem = random_instance("rcpsp", 3)
    best = solve(problem, time_limit=10)
    result = solve(problem, backend="mip", warm_start=best.solution)
    assert result.stats["warm_start_violations"] == 0
    assert result.objective == best.objective


def test_time_limit_keeps_a_true_bound() -> None:
    problem = read(bundled("rcpsp8.sm"))
    result = solve(problem, backend="mip", time_limit=0.05)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE, Status.TIME_LIMIT, Status.UNKNOWN)
    optimum = solve(problem, time_limit=10).objective
    if result.lower_bound is not None:
        assert result.lower_bound <= optimum


def test_lexicographic_levels_are_locked_in_order() -> None:
    problem = podpack_tiny()
    result = solve(problem, backend="mip")
    assert len(result.levels) == len(problem.objective.levels)
    assert all(level.status == Status.OPTIMAL for level in result.levels)
    assert result.objectives == solve(problem).objectives


def test_lp_backend_returns_a_bound_and_integral_schedules() -> None:
    bound_only = solve(read(bundled("js3x3")), backend="lp")
    assert bound_only.bound_source == "lp"
    assert bound_only.lower_bound is not None
    assert bound_only.lower_bound <= solve(read(bundled("js3x3"))).objective
    selection = solve(kvtree_tiny(), backend="lp")
    assert selection.lower_bound is not None
    if selection.solution is not None:
        assert selection.violations == []


def test_callback_gets_progress_records() -> None:
    seen = []
    result = solve(podpack_tiny(), backend="mip", callback=seen.append)
    assert [p.level for p in seen] == list(range(len(result.levels)))
    assert [p.objective for p in seen] == list(result.objectives)
    assert all(p.solution is not None for p in seen)
