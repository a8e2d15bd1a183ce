"""``schedkit bench --method``: a solver method (e.g. rho) as part of a configuration, one row per run."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from schedkit.bench import Config, run_batch
from schedkit.bench.config import parse_method
from schedkit.cli.bench import add_bench_arguments, configs_from_args
from schedkit.instances import sd2_fjsp
from schedkit.models import save_problem


def test_method_specs_parse_and_name_the_configuration() -> None:
    assert parse_method("rho:strategy=all:window=12:early_stop=0.5:backfill=true") == (
        "rho",
        {"strategy": "all", "window": 12, "early_stop": 0.5, "backfill": True},
    )
    assert Config(method="rho:strategy=all").name == "cpsat+m:rho:strategy=all/tl10/th1"
    with pytest.raises(ValueError, match="key=value"):
        Config(method="rho:window")
    with pytest.raises(ValueError, match="heuristic"):
        Config(heuristic="mwkr", method="rho")


def test_cli_methods_combine_with_the_other_options() -> None:
    parser = argparse.ArgumentParser()
    add_bench_arguments(parser)
    args = parser.parse_args(["x", "--out", "r.csv", "--method", "rho,rho:strategy=all", "--time-limit", "1,2"])
    names = [config.name for config in configs_from_args(args)]
    assert names == [
        "cpsat+m:rho/tl1/th1",
        "cpsat+m:rho:strategy=all/tl1/th1",
        "cpsat+m:rho/tl2/th1",
        "cpsat+m:rho:strategy=all/tl2/th1",
    ]


def test_a_batch_runs_rho(tmp_path: Path) -> None:
    folder = tmp_path / "inst"
    folder.mkdir()
    save_problem(sd2_fjsp(4, 4, 6, seed=1), str(folder / "sd2.json"))
    config = Config(time_limit=20.0, threads=1, method="rho:window=8:commit=4:window_time_limit=0.5:early_stop=0.2")
    rows = run_batch([str(folder / "sd2.json")], [config], seeds=1, out=str(tmp_path / "r.csv"), progress=False)
    assert list(rows["status"]) == ["feasible"] or list(rows["status"]) == ["optimal"]
    assert list(rows["checker"]) == ["passed"]
    assert list(rows["config"]) == [config.name]
