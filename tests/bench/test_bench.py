"""The batch runner: isolation of crashes and hangs, crash-safe resumable results, executors, best known values."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from schedkit.bench import Config, TargetError, expand, run_batch
from schedkit.bench.store import COLUMNS, ResultStore, load
from schedkit.cli.bench import add_bench_arguments, configs_from_args
from schedkit.instances import bundled

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = str(Path(bundled("js3x3")).parent)
FAST = Config(time_limit=2.0, threads=1)


def keys(frame: pd.DataFrame) -> list[tuple[str, str, int]]:
    return sorted(zip(frame["instance"], frame["config"], frame["seed"].astype(int)))


@pytest.fixture
def instance_dir(tmp_path: Path) -> Path:
    """Bundled single-instance files plus one malformed job shop file."""
    folder = tmp_path / "inst"
    folder.mkdir()
    for name in ("js3x3", "rcpsp8.sm", "fjs3x3.fjs", "mrcpsp6.mm", "rcpsp8.rcp"):
        (folder / name).write_bytes(Path(bundled(name)).read_bytes())
    (folder / "broken").write_text("2 2\n0 3 1 4\n0 2\n")
    return folder


# ------------------------------------------------------------ configs, sets
def test_config_names_and_validation():
    assert Config().name == "cpsat/tl10/th1"
    assert Config(heuristic="mwkr").name == "heuristic:mwkr"
    assert Config(warm_start="auto", time_limit=0.5, threads=2).name == "cpsat+ws:auto/tl0.5/th2"
    with pytest.raises(ValueError, match="backend"):
        Config(backend="gurobi")
    with pytest.raises(ValueError, match="not both"):
        Config(heuristic="spt", warm_start="auto")


def test_cli_options_make_every_combination():
    parser = argparse.ArgumentParser()
    add_bench_arguments(parser)
    args = parser.parse_args(["x", "--backend", "cpsat,mip", "--time-limit", "1,5", "--out", "r.csv"])
    assert [c.name for c in configs_from_args(args)] == ["cpsat/tl1/th1", "cpsat/tl5/th1", "mip/tl1/th1", "mip/tl5/th1"]
    args = parser.parse_args(["x", "--heuristic", "mwkr,spt", "--out", "r.csv"])
    assert [c.name for c in configs_from_args(args)] == ["heuristic:mwkr", "heuristic:spt"]


def test_expand_globs_multi_instance_files_and_counts():
    entries = expand([f"{BUNDLED}/*"])
    names = [name for _, _, _, name in entries]
    assert {"wt5#0", "wt5#1", "js3x3", "js3x3.json", "rcpsp8.sm", "rcpsp8.rcp"} <= set(names)  # clashes renamed
    assert len(names) == len(set(names))
    assert [i for _, p, i, _ in entries if p.endswith("wt5.txt")] == [0, 1]
    assert len(expand([f"{BUNDLED}/*:3"])) == 3
    assert len(expand([f"{BUNDLED}/*.sm", f"{BUNDLED}/rcpsp8.sm"])) == 1  # no duplicate
    with pytest.raises(TargetError, match="neither a benchmark set"):
        expand(["no-such-set"])


def test_expand_named_sets(benchmarks):
    j30 = expand(["j30:12"])
    assert [name for *_, name in j30][9:12] == ["j301_10", "j302_1", "j302_2"]  # natural order
    wt = expand(["wt40"])
    assert len(wt) == 125 and wt[7][2:] == (7, "wt40#7")
    assert [name for *_, name in expand(["hurink-edata:1", "la:1"])] == ["abz5_edata", "la01"]
    assert len(expand(["ta"])) >= 40 and len(expand(["podpack"])) == 7


# ------------------------------------------------------------- isolation
def test_crash_hang_and_malformed_input_cost_one_row_each(instance_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("SCHEDKIT_BENCH_TEST_CRASH", "rcpsp8.sm")
    monkeypatch.setenv("SCHEDKIT_BENCH_TEST_HANG", "fjs3x3")
    out = tmp_path / "runs.csv"
    started = time.monotonic()
    rows = run_batch([str(instance_dir)], [Config(time_limit=1.0)], seeds=1, out=str(out), jobs=2, grace=1.5)
    assert time.monotonic() - started < 30
    by = rows.set_index("instance")
    assert len(rows) == 6
    assert by.loc["rcpsp8.sm", "status"] == "error" and "signal SIGKILL" in by.loc["rcpsp8.sm", "message"]
    assert by.loc["fjs3x3", "status"] == "timeout" and "killed after 2.5 s" in by.loc["fjs3x3", "message"]
    assert by.loc["broken", "status"] == "error" and "broken: " in by.loc["broken", "message"]
    for name in ("js3x3", "mrcpsp6", "rcpsp8.rcp"):
        assert by.loc[name, "status"] == "optimal" and by.loc[name, "checker"] == "passed"
    assert by.loc["js3x3", "objective"] == 11 and by.loc["js3x3", "size"] == 9
    assert "ortools=" in by.loc["js3x3", "versions"] and "ortools=" in by.loc["fjs3x3", "versions"]
    assert list(pd.read_csv(out).columns) == list(COLUMNS)
    # a rerun finds every row present and runs nothing
    again = run_batch([str(instance_dir)], [Config(time_limit=1.0)], seeds=1, out=str(out), jobs=2, grace=1.5)
    assert keys(again) == keys(rows)


# ---------------------------------------------------------------- resume
def test_store_drops_a_cut_line_and_duplicates(tmp_path):
    out = tmp_path / "r.csv"
    with ResultStore(out) as store:
        assert store.append({"instance": "a", "config": "c", "seed": 0, "status": "optimal", "objective": 3})
        assert not store.append({"instance": "a", "config": "c", "seed": 0, "status": "optimal"})
    with out.open("a") as handle:
        handle.write("b,set,fam,3,c,cpsat")  # cut by a crash
    with ResultStore(out) as store:
        assert store.keys == {("a", "c", 0)}
        assert store.append({"instance": "b", "config": "c", "seed": 0, "status": "feasible"})
    frame = load(out)
    assert keys(frame) == [("a", "c", 0), ("b", "c", 0)] and frame["objective"].iloc[0] == 3


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_killed_batch_resumes_with_every_row_once(tmp_path, suffix):
    out = tmp_path / f"runs.{suffix}"
    journal = out if suffix == "csv" else ResultStore.journal_path(out)
    command = [sys.executable, "-m", "schedkit.cli.bench", f"{BUNDLED}/*", "--seeds", "2", "--time-limit", "2"]
    command += ["--jobs", "2", "--no-progress", "--out", str(out)]
    driver = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and driver.poll() is None:
            if journal.exists() and journal.read_text().count("\n") >= 1 + 4:  # header + 4 rows
                break
            time.sleep(0.05)
        assert driver.poll() is None, "the batch ended before it could be killed"
        os.kill(driver.pid, signal.SIGKILL)
    finally:
        driver.wait()
    runs = 2 * len(expand([f"{BUNDLED}/*"]))  # every bundled instance x 2 seeds
    partial = load(out)
    assert 4 <= len(partial) < runs
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    rows = load(out)
    assert len(rows) == runs == len(set(keys(rows)))  # each run exactly once
    lines = [line for line in journal.read_text().splitlines()[1:] if line]
    assert len(lines) == runs  # also no duplicate line in the file itself
    assert set(rows["status"]) == {"optimal"}
    if suffix == "parquet":
        assert keys(pd.read_parquet(out)) == keys(rows)


# -------------------------------------------------------------- executors
def test_local_and_dask_executors_give_the_same_rows(tmp_path):
    targets = [f"{BUNDLED}/*:5"]
    configs = [FAST, Config(heuristic="auto")]
    local = run_batch(targets, configs, seeds=1, out=str(tmp_path / "local.csv"), jobs=2)
    dask = run_batch(targets, configs, seeds=1, out=str(tmp_path / "dask.parquet"), jobs=2, executor="dask")
    columns = ["instance", "config", "seed", "status", "objective"]
    assert len(local) == 10
    left = local[columns].sort_values(columns[:3]).reset_index(drop=True)
    right = dask[columns].sort_values(columns[:3]).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right)


# ------------------------------------------------------------- best known
def test_best_known_and_deviation_on_shared_instances(benchmarks, tmp_path):
    rows = run_batch(
        ["ft:1", "wt40:1"], [FAST, Config(heuristic="edd")], seeds=1, out=str(tmp_path / "r.csv"), jobs=2
    ).set_index(["instance", "config"])
    ft06 = rows.loc[("ft06", FAST.name)]
    assert ft06["best_known"] == 55 and ft06["status"] == "optimal" and ft06["dev_pct"] == 0.0
    edd = rows.loc[("wt40#0", "heuristic:edd")]
    assert edd["best_known"] == 913 and edd["status"] == "feasible"
    assert edd["dev_pct"] == pytest.approx(100 * (edd["objective"] - 913) / 913)
    assert edd["backend"] == "heuristic" and edd["family"] == "tardiness" and edd["size"] == 40


def test_bounds_file_overrides_best_known(tmp_path):
    bounds = tmp_path / "bounds.csv"
    bounds.write_text("instance,best_known\njs3x3,10\n")
    rows = run_batch([f"{BUNDLED}/js3x3"], [FAST], seeds=1, out=str(tmp_path / "r.csv"), bounds=str(bounds))
    assert rows["best_known"].iloc[0] == 10 and rows["dev_pct"].iloc[0] == pytest.approx(10.0)
