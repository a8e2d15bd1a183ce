"""The schedkit command: solve / check / convert / demo, JSON output, clear input errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from schedkit.cli import main
from schedkit.instances import bundled


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command in a fresh interpreter, as a user would."""
    return subprocess.run([sys.executable, "-m", "schedkit", *args], capture_output=True, text=True, timeout=300)


def last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def test_solve_json_last_line(tmp_path: Path) -> None:
    out = tmp_path / "solution.json"
    completed = run_cli("solve", str(bundled("js3x3")), "--time-limit", "10", "--json", "--out", str(out))
    assert completed.returncode == 0, completed.stderr
    data = last_json(completed.stdout)
    for key in ("status", "objective", "lower_bound", "bound_source", "gap", "wall_time", "violations"):
        assert key in data
    assert data["status"] == "optimal"
    assert data["objective"] == data["lower_bound"]
    assert data["violations"] == []
    assert out.exists()
    checked = run_cli("check", str(bundled("js3x3")), str(out), "--json")
    assert checked.returncode == 0
    assert last_json(checked.stdout) == {
        "valid": True,
        "objective": data["objective"],
        "objectives": [data["objective"]],
        "violations": [],
        "level_names": ["makespan"],
        "user_objectives": [data["objective"]],
        "objective_text": str(data["objective"]),
    }


def test_check_rejects_corrupted_solution(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "solution.json"
    assert main(["solve", str(bundled("js3x3")), "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    data["tasks"][1]["start"] = 0  # the second operation of job 0 now starts with the first
    out.write_text(json.dumps(data))
    capsys.readouterr()
    assert main(["check", str(bundled("js3x3")), str(out)]) == 1
    printed = capsys.readouterr().out
    assert "INVALID" in printed and "[precedence]" in printed


def test_convert_to_json_then_solve_gives_same_objective(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "rcpsp8.json"
    assert main(["convert", str(bundled("rcpsp8.sm")), "--to", "json", "--out", str(target)]) == 0
    capsys.readouterr()
    assert main(["solve", str(bundled("rcpsp8.sm")), "--json"]) == 0
    original = last_json(capsys.readouterr().out)
    assert main(["solve", str(target), "--json"]) == 0
    converted = last_json(capsys.readouterr().out)
    assert converted["objective"] == original["objective"] and converted["status"] == "optimal"


def test_wt_needs_index_and_accepts_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(bundled("wt5.txt")), "--json"]) == 2
    assert "--index" in capsys.readouterr().err
    assert main(["solve", str(bundled("wt5.txt")), "--index", "1", "--json"]) == 0
    assert last_json(capsys.readouterr().out)["status"] == "optimal"


def test_malformed_input_is_one_line_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.txt"
    bad.write_text("2 2\n0 3 1 4\n1 2 0\n")
    completed = run_cli("solve", str(bad), "--format", "jobshop", "--json")
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert "broken.txt: line 3" in completed.stderr
    assert last_json(completed.stdout)["status"] == "error"


def test_missing_file_and_unknown_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(tmp_path / "nope.sm")]) == 2
    assert "cannot read" in capsys.readouterr().err
    odd = tmp_path / "mystery.dat"
    odd.write_text("hello world\n")
    assert main(["solve", str(odd)]) == 2
    assert "--format" in capsys.readouterr().err


def test_demo_runs_every_family(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--time-limit", "2", "--threads", "2"]) == 0
    table = capsys.readouterr().out
    for family in ("jobshop", "fjsp", "rcpsp", "tardiness", "pipelining", "podpack", "kvtree"):
        assert family in table
    assert "REJECTED" not in table and "error" not in table


@pytest.mark.parametrize("backend", ["mip", "lp"])
def test_solve_with_mip_and_lp_backends(backend: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(bundled("js3x3")), "--backend", backend, "--json"]) == 0
    data = last_json(capsys.readouterr().out)
    assert data["backend"] == backend
    assert data["bound_source"] == backend
    assert data["lower_bound"] is not None
    assert data["stats"]["formulation"] == "disjunctive"
    if backend == "mip":
        assert data["status"] == "optimal" and data["objective"] == data["lower_bound"]


def test_certify_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "solution.json"
    assert main(["solve", str(bundled("js3x3")), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["certify", str(bundled("js3x3")), str(out), "--time-limit", "5", "--json"]) == 0
    data = last_json(capsys.readouterr().out)
    for key in ("lower_bound", "bound_source", "gap", "optimal"):
        assert key in data
    assert data["optimal"] is True and data["gap"] == 0.0
    assert main(["certify", str(bundled("js3x3")), str(out), "--sources", "critical_path,machine_load"]) == 0
    text = capsys.readouterr().out
    assert "machine_load" in text and "cpsat" not in text


def test_cli_refuses_unsupported_formulation(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["solve", str(bundled("rcpsp8.sm")), "--backend", "mip", "--formulation", "disjunctive", "--json"])
    assert code == 2
    data = last_json(capsys.readouterr().out)
    assert data["status"] == "error" and "renewable" in data["message"]
    assert main(["solve", str(bundled("js3x3")), "--formulation", "disjunctive"]) == 2


def test_convert_to_mps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "model.mps"
    assert main(["convert", str(bundled("rcpsp8.sm")), "--to", "mps", "--out", str(out)]) == 0
    assert "time_indexed" in capsys.readouterr().out
    assert out.read_text().startswith("*") or "ROWS" in out.read_text()
    assert main(["convert", str(bundled("rcpsp8.sm")), "--to", "lp"]) == 2


def test_heuristic_alone_then_certified(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(bundled("js3x3")), "--heuristic", "mwkr", "--json"]) == 0
    alone = last_json(capsys.readouterr().out)
    assert alone["backend"] == "heuristic:mwkr" and alone["status"] == "feasible" and alone["violations"] == []
    assert alone["lower_bound"] is None
    args = ["solve", str(bundled("js3x3")), "--heuristic", "mwkr", "--certify", "--time-limit", "5", "--json"]
    assert main(args) == 0
    certified = last_json(capsys.readouterr().out)
    assert certified["objective"] == alone["objective"]
    assert certified["lower_bound"] is not None and certified["lower_bound"] <= certified["objective"]
    assert certified["gap"] is not None and certified["bound_source"]


def test_sgs_priority_and_warm_start(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["solve", str(bundled("rcpsp8.sm")), "--heuristic", "sgs_parallel", "--priority", "lst", "--json"]
    assert main(args) == 0
    assert last_json(capsys.readouterr().out)["stats"]["priority"] == "lst"
    assert main(["solve", str(bundled("rcpsp8.sm")), "--warm-start", "auto", "--json"]) == 0
    data = last_json(capsys.readouterr().out)
    assert data["stats"]["warm_start"]["chosen"] in ("sgs_serial", "sgs_parallel")
    assert main(["solve", str(bundled("js3x3")), "--heuristic", "nonsense"]) == 2
    assert main(["solve", str(bundled("js3x3")), "--priority", "lft"]) == 2


def test_gantt_and_plot_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chart, solution = tmp_path / "gantt.png", tmp_path / "solution.json"
    assert main(["solve", str(bundled("js3x3")), "--gantt", str(chart), "--out", str(solution)]) == 0
    assert chart.stat().st_size > 0
    again = tmp_path / "plot.png"
    assert main(["plot", str(bundled("js3x3")), str(solution), "--out", str(again)]) == 0
    assert again.stat().st_size > 0
