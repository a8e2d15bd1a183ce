"""``schedkit discover``: template, evaluate, a short search, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schedkit.cli import main


def _last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def test_template_evaluate_and_search(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "mine.py"
    assert main(["discover", "tardiness", "--write-template", str(template)]) == 0
    assert "def sequence(p: np.ndarray, d: np.ndarray, w: np.ndarray)" in template.read_text()
    common = ["--sizes", "20", "--cache", str(tmp_path / "optima"), "--seconds-per-instance", "5"]
    capsys.readouterr()
    assert main(["discover", "tardiness", "--evaluate", str(template), "--json", *common]) == 0
    mine = _last_json(capsys.readouterr().out)
    assert main(["discover", "tardiness", "--evaluate", "edd", "--json", *common]) == 0
    edd = _last_json(capsys.readouterr().out)
    assert mine["invalid"] == 0 and mine["mean_gap"] == pytest.approx(edd["mean_gap"])  # the template is EDD
    best = tmp_path / "best.py"
    log = tmp_path / "log.jsonl"
    args = ["discover", "tardiness", "--budget", "3", "--islands", "2", "--out", str(best), "--log", str(log)]
    assert main([*args, "--program", str(template), "--json", *common]) == 0
    summary = _last_json(capsys.readouterr().out)
    assert summary["samples"] == 3 and summary["best_mean_gap"] <= summary["initial_mean_gap"]
    assert "def sequence(" in best.read_text() and len(log.read_text().splitlines()) == 4


def test_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["discover", "tardiness", "--operator", "no_such_module_xyz:mutate", "--sizes", "20"]) == 2
    assert "cannot import no_such_module_xyz" in capsys.readouterr().err
    assert main(["discover", "tardiness", "--evaluate", str(tmp_path / "missing.py")]) == 2
    assert "no such program file" in capsys.readouterr().err
