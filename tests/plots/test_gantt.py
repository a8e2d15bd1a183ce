"""Gantt charts of every kind of schedule, and the usage profiles behind them against hand computation."""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest

from schedkit.cli import build_parser
from schedkit.cli.plot import cmd_plot
from schedkit.instances import bundled, read, sd2_fjsp
from schedkit.models import CapacityWindow, Demand, Model, ProblemData, Solution, save_solution
from schedkit.plots import (
    assign_lanes,
    bin_loads,
    capacity_profile,
    gantt,
    modulo_usage,
    resource_usage,
    usage_profile,
    usages,
)
from schedkit.solvers import check, solve
from tests import tiny_families


def _solved(problem: ProblemData) -> Solution:
    result = solve(problem, time_limit=10, threads=1)
    assert result.solution is not None and check(problem, result.solution) == []
    return result.solution


def _assert_png(path: Path, min_height: int = 200) -> tuple[int, int]:
    assert path.stat().st_size > 0
    image = mpimg.imread(path)
    height, width = image.shape[:2]
    assert image.ndim == 3 and min_height <= height <= 4000 and 600 <= width <= 2000
    assert image[..., :3].std() > 0.01  # not a blank canvas
    return height, width


# ---------------------------------------------------------- usage profiles
def _profile_problem() -> tuple[ProblemData, Solution]:
    """R: renewable, capacity 3, downtime [6, 8), capacity 2 on [8, 10); M: a machine."""
    model = Model("profile")
    r = model.add_resource("R", "renewable", 3, calendar=[(6, 8, 0), (8, 10, 2)])
    m = model.add_machine("M")
    model.add_task("A", duration=4, demands={r: 2})  # start 0: [0, 4) x 2
    b = model.add_task("B")  # start 1, reservation table: [2, 4) x 1 and [4, 6) x 1
    model.add_mode(b, 5, [Demand(r, 1, offset=1, length=2), Demand(r, 1, offset=3, length=2)])
    model.add_task("C", duration=3, demands={r: 3})  # start 10: [10, 13) x 3
    model.add_task("D", duration=2, demands={r: 3}, optional=True)  # absent: uses nothing
    e = model.add_task("E")  # start 0: zero-length usage of R, [0, 2) on M
    model.add_mode(e, 2, [Demand(r, 2, offset=0, length=0), Demand(m, 1)])
    problem = model.freeze()
    solution = Solution.from_lists([0, 1, 10, None, 0], present=[True, True, True, False, True])
    return problem, solution


def test_usage_profile_matches_hand_computation() -> None:
    problem, solution = _profile_problem()
    times, levels = resource_usage(problem, solution, 0)
    # 0: A(2); 2: +B1 = 3; 4: -A -B1 +B2 = 1; 6: -B2 = 0; 10: +C = 3; 13: 0
    assert times.tolist() == [0, 2, 4, 6, 10, 13]
    assert levels.tolist() == [2, 3, 1, 0, 3, 0]
    times, levels = resource_usage(problem, solution, 1)
    assert (times.tolist(), levels.tolist()) == ([0, 2], [1, 0])
    found = usages(problem, solution)
    assert sorted(zip(found.task.tolist(), found.start.tolist(), found.end.tolist())) == [
        (0, 0, 4),
        (1, 2, 4),
        (1, 4, 6),
        (2, 10, 13),
        (4, 0, 2),  # E on M only: its zero-length usage of R is no usage; D is absent
    ]


def test_usage_profile_arrays_and_empty() -> None:
    times, levels = usage_profile(np.array([5, 0, 3, 7]), np.array([8, 3, 3, 9]), np.array([1, 2, 9, 4]))
    # [0,3) x 2, [3,3) empty, [5,8) x 1, [7,9) x 4
    assert times.tolist() == [0, 3, 5, 7, 8, 9]
    assert levels.tolist() == [2, 0, 1, 5, 4, 0]
    times, levels = usage_profile(np.array([], dtype=int), np.array([], dtype=int), np.array([], dtype=int))
    assert times.size == 0 and levels.size == 0


def test_capacity_profile_with_calendar() -> None:
    problem, _ = _profile_problem()
    times, levels = capacity_profile(problem, 0, 0, 13)
    assert times.tolist() == [0, 6, 8, 10, 13]
    assert levels.tolist() == [3, 0, 2, 3, 3]


def test_modulo_usage_and_lanes_by_hand() -> None:
    # [0, 5) mod 3 covers every residue once plus residues 0, 1 again; [3, 4) x 2 covers residue 0
    assert modulo_usage(np.array([0, 3]), np.array([5, 4]), np.array([1, 2]), 3).tolist() == [4, 2, 1]
    # (0,4) lane 0; (2,4) lane 1; (4,6) reuses lane 0; (10,13) lane 0
    assert assign_lanes(np.array([0, 2, 4, 10]), np.array([4, 4, 6, 13])).tolist() == [0, 1, 0, 0]


def test_bin_loads_skip_absent_pods() -> None:
    problem = tiny_families.podpack_tiny()
    solution = _solved(problem)
    loads = bin_loads(problem, solution)
    assert [problem.resources[r].name for r, _, _ in loads] == ["n0.cpu", "n0.mem", "n1.cpu", "n1.mem"]
    placed = sum(amount for _, amount, _ in loads)
    expected = sum(
        d.amount for t, a in zip(problem.tasks, solution.tasks) if a.present for d in t.modes[a.mode].demands
    )
    assert placed == expected and all(load <= cap for _, load, cap in loads)


# ------------------------------------------------------------------ charts
def test_gantt_job_shop(tmp_path: Path) -> None:
    problem = read(bundled("js3x3"))
    out = tmp_path / "js.png"
    gantt(problem, _solved(problem), out)
    _assert_png(out)


def test_gantt_rcpsp_with_calendar(tmp_path: Path) -> None:
    problem = read(bundled("rcpsp8.sm"))
    resources = list(problem.resources)  # the bundled file has no calendar: add downtime and a reduced window
    resources[0] = dataclasses.replace(resources[0], calendar=(CapacityWindow(3, 5, 0), CapacityWindow(8, 10, 2)))
    problem = dataclasses.replace(problem, resources=tuple(resources))
    out = tmp_path / "rcpsp.png"
    gantt(problem, _solved(problem), out, title="rcpsp8 with a calendar")
    _assert_png(out)


def test_gantt_pod_packing_is_a_bin_chart(tmp_path: Path) -> None:
    problem = tiny_families.podpack_tiny()
    solution = _solved(problem)
    assert not all(solution.present)  # one pod stays out: absent tasks are skipped
    out = tmp_path / "pods.png"
    gantt(problem, solution, out)
    _assert_png(out, min_height=150)


def test_gantt_pipelining_one_iteration(tmp_path: Path) -> None:
    problem = tiny_families.pipelining_tiny()
    solution = _solved(problem)
    assert solution.ii is not None
    out = tmp_path / "pipe.png"
    gantt(problem, solution, out)
    _assert_png(out)


def test_gantt_hand_problem_and_svg(tmp_path: Path) -> None:
    problem, solution = _profile_problem()
    out = tmp_path / "hand.svg"
    gantt(problem, solution, out)
    assert out.read_text().lstrip().startswith("<?xml")


def test_gantt_without_resources(tmp_path: Path) -> None:
    model = Model("free")
    a = model.add_task("a", duration=3)
    b = model.add_task("b", duration=2)
    model.add_precedence(a, b)
    problem = model.freeze()
    out = tmp_path / "free.png"
    gantt(problem, Solution.from_lists([0, 3]), out)
    _assert_png(out, min_height=150)


def test_gantt_rejects_a_solution_of_another_problem(tmp_path: Path) -> None:
    problem = read(bundled("js3x3"))
    with pytest.raises(ValueError, match="solution has 2 tasks"):
        gantt(problem, Solution.from_lists([0, 0]), tmp_path / "x.png")


def test_gantt_2000_operations_is_fast(tmp_path: Path) -> None:
    from schedkit.heuristics.shop import dispatch

    problem = sd2_fjsp(num_jobs=50, num_machines=10, ops_per_job=40, seed=1)
    assert problem.num_tasks == 2000
    solution = dispatch(problem, rule="mwkr", schedule="non_delay")
    out = tmp_path / "big.png"
    began = time.perf_counter()
    gantt(problem, solution, out)
    seconds = time.perf_counter() - began
    print(f"gantt of 2000 operations: {seconds:.2f} s")
    assert seconds < 8.0
    height, width = _assert_png(out)
    assert height < 40 * 100  # height capped


# ------------------------------------------------------------- the command
def _parse(argv: list[str]) -> argparse.Namespace:
    return build_parser().parse_args(["plot", *argv])


def test_cmd_plot(tmp_path: Path, capsys) -> None:
    problem = read(bundled("js3x3"))
    solution_path = tmp_path / "sol.json"
    save_solution(_solved(problem), solution_path, problem)
    out = tmp_path / "cmd.png"
    args = _parse([str(bundled("js3x3")), str(solution_path), "--out", str(out), "--json"])
    assert args.func is cmd_plot
    assert cmd_plot(args) == 0
    _assert_png(out)
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["status"] == "ok"


def test_cmd_plot_missing_solution(tmp_path: Path, capsys) -> None:
    args = _parse([str(bundled("js3x3")), str(tmp_path / "none.json"), "--out", str(tmp_path / "o.png")])
    assert cmd_plot(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("schedkit: error:") and "none.json" in err
