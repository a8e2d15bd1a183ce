"""A wall-time profile draws only measured solves: never-proving configs and unproven problems are not data."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from schedkit.cli import main
from schedkit.report import performance_profile


def _runs(rows: list[tuple[str, str, str, float, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["instance", "config", "status", "wall_time", "objective"])


def test_config_that_never_proves_is_named_not_drawn() -> None:
    df = _runs(
        [
            ("a", "exact", "optimal", 1.0, 10),
            ("b", "exact", "optimal", 2.0, 12),
            ("c", "exact", "feasible", 10.0, 15),  # proved by nobody: left out of the wall-time profile
            ("a", "rule", "feasible", 0.01, 11),
            ("b", "rule", "feasible", 0.01, 12),
            ("c", "rule", "feasible", 0.01, 15),
        ]
    )
    figure = performance_profile(df, metric="wall_time")
    ax = figure.axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["exact"]
    assert any("not drawn" in t.get_text() and "rule" in t.get_text() for t in ax.texts)
    assert "2 problems" in ax.get_title() and "1 that no run proved left out" in ax.get_title()
    # the drawn line is the data: exact is best on both problems it proved
    assert ax.get_lines()[0].get_ydata()[0] == 1.0
    # by objective every config found schedules: both drawn, nothing left out
    figure = performance_profile(df, metric="objective")
    assert sorted(line.get_label() for line in figure.axes[0].get_lines()) == ["exact", "rule"]
    assert "left out" not in figure.axes[0].get_title()


def test_no_proof_at_all_is_no_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    df = _runs([("a", "x", "feasible", 1.0, 5), ("a", "y", "time_limit", 2.0, None)])
    with pytest.raises(ValueError, match="no run proved optimality or infeasibility"):
        performance_profile(df, metric="wall_time")
    csv = tmp_path / "runs.csv"
    df.to_csv(csv, index=False)
    plot = tmp_path / "profile.png"
    assert main(["report", str(csv), "--plot", str(plot), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].split()[:3] == ["set", "config", "count"]  # the summary came first
    payload = json.loads(captured.out.strip().splitlines()[-1])
    assert payload["status"] == "error" and payload["summary"] and payload["plot"] is None
    assert captured.err.count("\n") == 1 and "--metric objective" in captured.err
    assert not plot.exists()
