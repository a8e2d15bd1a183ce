"""``schedkit solve --method rho --method-option KEY=VALUE``: a method from the command line, checked like any solve."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schedkit.cli import main
from schedkit.instances import sd2_fjsp
from schedkit.models import save_problem


def test_solve_with_the_rho_method(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sd2.json"
    save_problem(sd2_fjsp(4, 4, 6, seed=2), str(path))
    options = ["window=8", "commit=4", "strategy=first", "window_time_limit=0.5", "early_stop=0.2"]
    argv = ["solve", str(path), "--method", "rho", "--threads", "1", "--json"]
    argv += [part for option in options for part in ("--method-option", option)]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert data["status"] in ("feasible", "optimal") and data["violations"] == []
    assert data["backend"] == "rho:cpsat" and data["stats"]["rho"]["strategy"] == "first"
    assert data["stats"]["rho"]["windows"] == 1 + -(-(24 - 8) // 4)


def test_method_options_need_a_method(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sd2.json"
    save_problem(sd2_fjsp(2, 2, 2, seed=0), str(path))
    assert main(["solve", str(path), "--method-option", "window=8"]) == 2
    assert "--method" in capsys.readouterr().err
    assert main(["solve", str(path), "--method", "rho", "--method-option", "windows=8"]) == 2
    assert "windows" in capsys.readouterr().err
