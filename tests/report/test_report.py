"""schedkit.report against a hand-computed example."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from schedkit.cli import build_parser
from schedkit.cli.report import cmd_report
from schedkit.report import (
    COLUMNS,
    ResultsError,
    load_results,
    performance_profile,
    profile_fractions,
    profile_ratios,
    summarize,
)

INF = math.inf

# instance, set, config, seed, status, objective, gap, best_known, dev_pct, wall_time
ROWS = [
    ("a1", "A", "c1", 0, "optimal", 10, 0.0, 10, 0.0, 2.0),
    ("a2", "A", "c1", 0, "feasible", 12, 0.2, 10, 20.0, 10.0),
    ("a1", "A", "c2", 0, "optimal", 10, 0.0, 10, 0.0, 1.0),
    ("a2", "A", "c2", 0, "timeout", None, None, 10, None, 10.0),
    ("b1", "B", "c1", 0, "optimal", 20, 0.0, 20, 0.0, 4.0),
    ("b2", "B", "c1", 0, "feasible", 33, 0.1, 30, 10.0, 10.0),
    ("b1", "B", "c2", 0, "error", None, None, 20, None, 0.5),
    ("b2", "B", "c2", 0, "feasible", 30, 0.05, 30, 0.0, 10.0),
]


def _frame() -> pd.DataFrame:
    names = ["instance", "set", "config", "seed", "status", "objective", "gap", "best_known", "dev_pct", "wall_time"]
    df = pd.DataFrame(ROWS, columns=names)
    df["family"] = "jobshop"
    df["backend"] = "cpsat"
    df["time_limit"] = 10
    df["message"] = ""
    return df[[c for c in COLUMNS if c in df.columns]]


@pytest.fixture()
def results_csv(tmp_path: Path) -> Path:
    path = tmp_path / "runs.csv"
    _frame().to_csv(path, index=False)
    return path


def _row(summary: pd.DataFrame, **keys: str) -> pd.Series:
    mask = np.ones(len(summary), dtype=bool)
    for key, value in keys.items():
        mask &= (summary[key] == value).to_numpy()
    assert mask.sum() == 1
    return summary[mask].iloc[0]


def test_summary_by_set_and_config_matches_hand_computation(results_csv: Path) -> None:
    df = load_results(results_csv)
    assert list(df.columns) == list(COLUMNS)  # absent columns added empty
    summary = summarize(df)  # by set, config
    assert list(summary[["set", "config"]].itertuples(index=False, name=None)) == [
        ("A", "c1"),
        ("A", "c2"),
        ("B", "c1"),
        ("B", "c2"),
    ]
    # A/c1: a1 optimal (dev 0, gap 0, 2 s), a2 feasible (dev 20, gap 0.2, 10 s)
    r = _row(summary, set="A", config="c1")
    assert (r["count"], r["pct_optimal"], r["failed"]) == (2, 50.0, 0)
    assert r["mean_dev_pct"] == pytest.approx(10.0) and r["max_dev_pct"] == pytest.approx(20.0)
    assert r["mean_gap"] == pytest.approx(0.1) and r["mean_time"] == pytest.approx(6.0)
    # A/c2: a1 optimal (dev 0, gap 0, 1 s), a2 timeout (no dev, no gap, 10 s)
    r = _row(summary, set="A", config="c2")
    assert (r["count"], r["pct_optimal"], r["failed"]) == (2, 50.0, 1)
    assert r["mean_dev_pct"] == pytest.approx(0.0) and r["max_dev_pct"] == pytest.approx(0.0)
    assert r["mean_gap"] == pytest.approx(0.0) and r["mean_time"] == pytest.approx(5.5)
    # B/c1: b1 optimal (dev 0, gap 0, 4 s), b2 feasible (dev 10, gap 0.1, 10 s)
    r = _row(summary, set="B", config="c1")
    assert (r["count"], r["pct_optimal"], r["failed"]) == (2, 50.0, 0)
    assert r["mean_dev_pct"] == pytest.approx(5.0) and r["max_dev_pct"] == pytest.approx(10.0)
    assert r["mean_gap"] == pytest.approx(0.05) and r["mean_time"] == pytest.approx(7.0)
    # B/c2: b1 error (0.5 s), b2 feasible (dev 0, gap 0.05, 10 s)
    r = _row(summary, set="B", config="c2")
    assert (r["count"], r["pct_optimal"], r["failed"]) == (2, 0.0, 1)
    assert r["mean_dev_pct"] == pytest.approx(0.0) and r["max_dev_pct"] == pytest.approx(0.0)
    assert r["mean_gap"] == pytest.approx(0.05) and r["mean_time"] == pytest.approx(5.25)


def test_summary_by_config_only(results_csv: Path) -> None:
    summary = summarize(load_results(results_csv), by=["config"])
    r = _row(summary, config="c1")
    assert (r["count"], r["pct_optimal"], r["failed"]) == (4, 50.0, 0)
    assert r["mean_dev_pct"] == pytest.approx((0 + 20 + 0 + 10) / 4)
    assert r["max_dev_pct"] == pytest.approx(20.0)
    assert r["mean_gap"] == pytest.approx((0 + 0.2 + 0 + 0.1) / 4)
    assert r["mean_time"] == pytest.approx((2 + 10 + 4 + 10) / 4)
    r = _row(summary, config="c2")
    assert (r["count"], r["pct_optimal"], r["failed"]) == (4, 25.0, 2)
    assert r["mean_dev_pct"] == pytest.approx(0.0)  # over the two rows with a dev
    assert r["mean_gap"] == pytest.approx((0 + 0.05) / 2)
    assert r["mean_time"] == pytest.approx((1 + 10 + 0.5 + 10) / 4)


def test_group_without_any_dev_gives_nan() -> None:
    df = _frame()
    summary = summarize(df[df["status"] == "error"], by=["config"])
    assert len(summary) == 1
    assert math.isnan(summary["mean_dev_pct"].iloc[0]) and math.isnan(summary["mean_gap"].iloc[0])
    assert summary["failed"].iloc[0] == 1


def test_summarize_unknown_column() -> None:
    with pytest.raises(ValueError, match="nope"):
        summarize(_frame(), by=["nope"])


def test_profile_ratios_wall_time_by_hand(results_csv: Path) -> None:
    ratios = profile_ratios(load_results(results_csv), "wall_time")
    assert list(ratios.columns) == ["c1", "c2"]
    # solved (optimal/infeasible) only: a1 c1 2 s, c2 1 s; b1 c1 4 s, c2 error; a2 and b2 nobody proves
    expected = {("a1", 0): [2.0, 1.0], ("a2", 0): [INF, INF], ("b1", 0): [1.0, INF], ("b2", 0): [INF, INF]}
    assert {key: list(row) for key, row in zip(ratios.index, ratios.to_numpy())} == expected


def test_profile_ratios_objective_by_hand(results_csv: Path) -> None:
    ratios = profile_ratios(load_results(results_csv), "objective")
    # a1 10/10; a2 c1 12 vs c2 timeout; b1 c1 20 vs c2 error; b2 c1 33 vs c2 30
    expected = {("a1", 0): [1.0, 1.0], ("a2", 0): [1.0, INF], ("b1", 0): [1.0, INF], ("b2", 0): [1.1, 1.0]}
    got = {key: list(row) for key, row in zip(ratios.index, ratios.to_numpy())}
    assert got.keys() == expected.keys()
    for key in expected:
        assert got[key] == pytest.approx(expected[key])
    fractions = profile_fractions(ratios, [1.0, 1.05, 1.1, 100.0])
    assert fractions["c1"].tolist() == pytest.approx([0.75, 0.75, 1.0, 1.0])
    assert fractions["c2"].tolist() == pytest.approx([0.5, 0.5, 0.5, 0.5])


def test_profile_ratios_zero_best_missing_rows_and_seeds() -> None:
    df = pd.DataFrame(
        {
            "instance": ["x", "x", "x", "x", "y"],
            "seed": [0, 0, 1, 1, 0],
            "config": ["p", "q", "p", "q", "p"],
            "status": ["optimal", "feasible", "optimal", "optimal", "feasible"],
            "objective": [0, 3, 4, 6, 5],
        }
    )
    ratios = profile_ratios(df, "objective")
    got = {key: list(row) for key, row in zip(ratios.index, ratios.to_numpy())}
    # x/0: best 0 -> p 1, q inf; x/1: 4 vs 6; y/0: q has no row -> inf
    assert got == {("x", 0): [1.0, INF], ("x", 1): [1.0, 1.5], ("y", 0): [1.0, INF]}


def test_profile_ratios_rejects_duplicates_and_unknown_metric() -> None:
    df = _frame()
    with pytest.raises(ValueError, match="several rows"):
        profile_ratios(pd.concat([df, df]), "objective")
    with pytest.raises(ValueError, match="unknown metric"):
        profile_ratios(df, "gap")


def test_performance_profile_writes_png(results_csv: Path, tmp_path: Path) -> None:
    import matplotlib.image as mpimg

    df = load_results(results_csv)
    for metric in ("wall_time", "objective"):
        out = tmp_path / f"profile_{metric}.png"
        performance_profile(df, out, metric=metric)
        assert out.stat().st_size > 0
        image = mpimg.imread(out)
        assert image.ndim == 3 and 300 < image.shape[0] < 2000 and 400 < image.shape[1] < 2000


def test_parquet_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "runs.parquet"
    _frame().to_parquet(path, index=False)
    summary = summarize(load_results(path), by=["config"])
    assert summary["count"].tolist() == [4, 4]
    assert summary["failed"].tolist() == [0, 2]


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(ResultsError, match=r"nowhere\.csv: no such results file"):
        load_results(missing)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", "", "empty results file"),
        ("cols.csv", "instance,config\na,b\n", "missing column.*status"),
        ("status.csv", "instance,config,status\na,b,optimal\na,c,solved\n", "row 2: unknown status 'solved'"),
        ("number.csv", "instance,config,status,wall_time\na,b,optimal,fast\n", "row 1: column 'wall_time'"),
        ("runs.txt", "instance,config,status\n", "unknown results format '.txt'"),
        ("bad.parquet", "this is not parquet", "cannot read results"),
    ],
)
def test_malformed_files_name_the_file(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ResultsError, match=message) as info:
        load_results(path)
    assert name in str(info.value)


def _parse(argv: list[str]) -> argparse.Namespace:
    return build_parser().parse_args(["report", *argv])


def test_cmd_report_prints_table_json_and_plot(results_csv: Path, tmp_path: Path, capsys) -> None:
    plot = tmp_path / "p.png"
    args = _parse([str(results_csv), "--by", "config", "--plot", str(plot), "--metric", "objective", "--json"])
    assert args.func is cmd_report
    assert cmd_report(args) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert "pct_optimal" in out[0] and "c1" in "\n".join(out) and plot.stat().st_size > 0
    payload = json.loads(out[-1])
    assert payload["status"] == "ok" and payload["rows"] == 8 and payload["by"] == ["config"]
    c2 = next(row for row in payload["summary"] if row["config"] == "c2")
    assert c2 == {
        "config": "c2",
        "count": 4,
        "pct_optimal": 25.0,
        "mean_dev_pct": 0.0,
        "max_dev_pct": 0.0,
        "mean_gap": 0.025,
        "mean_time": 5.375,
        "failed": 2,
    }


def test_cmd_report_missing_file(tmp_path: Path, capsys) -> None:
    args = _parse([str(tmp_path / "gone.csv"), "--json"])
    assert cmd_report(args) == 2
    captured = capsys.readouterr()
    assert "gone.csv" in captured.err and captured.err.startswith("schedkit: error:")
    assert json.loads(captured.out.strip().splitlines()[-1])["status"] == "error"
