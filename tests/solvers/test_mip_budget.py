"""The MIP keeps its time: building stops at the limit, a load that cannot finish is declined, HiGHS is held
to its budget, the log streams, and without a warm start the MIP starts from the auto heuristic's schedule."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from schedkit.instances import bundled, layered_rcpsp, read, sd2_fjsp
from schedkit.models import save_problem
from schedkit.solvers import Status, check, evaluate, run_heuristic, solve
from schedkit.solvers.linear.deadline import CHECK_EVERY, OutOfTime, building_until, load_seconds, tick
from schedkit.solvers.linear.linear import LinearModel, LinExpr


def test_tick_stops_a_build_past_its_deadline() -> None:
    lm = LinearModel("test")
    x = lm.new_var(0, 1, "x", lambda view: 0.0)
    with building_until(time.perf_counter() - 1.0), pytest.raises(OutOfTime, match="while building the model"):
        for _ in range(10 * CHECK_EVERY):
            lm.add_row(LinExpr.var(x), hi=1)
    stopped_at = lm.num_rows
    assert CHECK_EVERY - 1 <= stopped_at <= CHECK_EVERY  # the first clock reading stops it
    with building_until(None):  # no limit: never stops
        for _ in range(3 * CHECK_EVERY):
            tick()
    for _ in range(3 * CHECK_EVERY):  # outside any budget: never stops
        lm.add_row(LinExpr.var(x), hi=1)


def test_a_300_operation_fjsp_on_a_third_of_a_second() -> None:
    problem = sd2_fjsp(20, 10, 15, seed=1)  # its disjunctive MIP has 284k rows: tens of seconds to build
    assert problem.num_tasks == 300
    began = time.perf_counter()
    result = solve(problem, backend="mip", time_limit=0.3, threads=1)
    wall = time.perf_counter() - began
    assert wall < 0.3 + 1.5, wall  # was 41 s (113 s on a busy machine)
    assert "out_of_time" in result.stats and "the time limit ran out" in result.message
    # the auto heuristic's schedule comes back, checked
    assert result.status == Status.FEASIBLE and check(problem, result.solution) == []
    assert result.objective == result.stats["auto_start"]["objectives"][0]


def test_a_load_that_cannot_finish_is_not_started() -> None:
    from schedkit.solvers.linear.formulations import build, choose
    from schedkit.solvers.mip.pyomo_model import PyomoModel

    problem = read(bundled("rcpsp8.sm"))
    encoding = build(problem, choose(problem, None))
    model = PyomoModel(encoding.lm)
    model.activate(0)
    needed = load_seconds(encoding.lm.num_rows, encoding.lm.num_nonzeros)
    with pytest.raises(OutOfTime, match="before loading the model into HiGHS"):
        model.solve("appsi_highs", needed / 10, 1, 0, False, False, False)
    solved = model.solve("appsi_highs", 30.0, 1, 0, False, False, False)
    assert solved.status == "optimal" and model.load_time is not None


@pytest.mark.slow
def test_the_mip_keeps_its_time_limit() -> None:
    import pyomo.environ  # noqa: F401 - imported already, as in a long-running process: the load is attempted

    problem = layered_rcpsp(32, 4, seed=3)  # HiGHS's probing alone ran past an 8 s limit on models like this
    limit = 6.0
    began = time.perf_counter()
    result = solve(problem, backend="mip", formulation="time_indexed", time_limit=limit, threads=1)
    wall = time.perf_counter() - began
    assert "load_time" in result.stats, result.message  # the model was loaded and HiGHS searched
    assert wall <= 1.15 * limit + 0.5, wall
    assert result.ok and check(problem, result.solution) == []


def test_without_a_warm_start_the_mip_starts_from_auto() -> None:
    problem = read(bundled("rcpsp8.sm"))
    result = solve(problem, backend="mip", time_limit=30, threads=1)
    info = result.stats["auto_start"]
    heuristic = run_heuristic(problem, info["rule"])
    assert info["objectives"] == list(evaluate(problem, heuristic.solution))
    assert result.status == Status.OPTIMAL and result.objective <= info["objectives"][0]
    # a warm start given by the caller is used instead
    given = solve(problem, backend="mip", time_limit=30, threads=1, warm_start=heuristic.solution)
    assert "auto_start" not in given.stats and given.objective == result.objective


@pytest.mark.slow
def test_highs_log_streams_while_solving(tmp_path: Path) -> None:
    problem = layered_rcpsp(32, 4, seed=3)
    path = tmp_path / "p.json"
    save_problem(problem, path)
    process = subprocess.Popen(
        [sys.executable, "-m", "schedkit", "solve", str(path), "--backend", "mip", "--log", "--time-limit", "12"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    arrivals: list[tuple[float, str]] = []
    for line in process.stdout:
        arrivals.append((time.perf_counter(), line))
    process.wait(timeout=120)
    log = [t for t, line in arrivals if "Presolving model" in line or line.startswith("MIP ")]
    summary = [t for t, line in arrivals if line.startswith("status ")]
    assert log and summary, [line for _, line in arrivals][:10]
    # the solver's first lines reached the pipe well before the command's summary (they used to arrive together)
    assert summary[0] - log[0] > 0.5


def test_the_lp_relaxation_stops_building_at_its_limit() -> None:
    problem = sd2_fjsp(20, 10, 15, seed=1)
    began = time.perf_counter()
    result = solve(problem, backend="lp", time_limit=0.3, threads=1)
    assert time.perf_counter() - began < 0.3 + 1.5
    assert "the time limit ran out" in result.stats["out_of_time"] and result.lower_bound is None
