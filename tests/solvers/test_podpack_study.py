"""The study's pieces: scenarios after the emulated default, classification, tables, the backend comparison."""

from __future__ import annotations

import pytest

from schedkit.solvers.methods.podpack_study import (
    StudyRow,
    cells,
    compare_backends,
    config_of,
    read_rows,
    run_scenario,
    run_study,
    scenario,
    study_seeds,
    summarize_rows,
)


def row(seed: int, outcome: str, backend: str = "cpsat", time: float = 1.0, objectives: str = "", **kw) -> StudyRow:
    status = {"certified": "optimal", "improved": "optimal"}.get(outcome, "feasible")
    return StudyRow(
        "nodes4_pods16_prio2_util100", 4, 4, 2, 1.0, seed, True, backend, 1.0, "paper", outcome, status,
        wall_time=time, objectives=objectives, **kw,
    )  # fmt: skip


def test_summary_percentages_are_of_failing_scenarios():
    rows = [
        row(1, "improved", time=0.2),
        row(2, "improved", time=0.4),
        row(3, "certified", time=0.1),
        row(4, "unresolved", time=1.0, open_level="placed>=1", open_default=10, open_bound=12.0),
        StudyRow("nodes4_pods16_prio2_util100", 4, 4, 2, 1.0, 5, False),
    ]
    (entry,) = summarize_rows(rows)
    assert (entry["seeds"], entry["failing"], entry["solved"]) == (5, 4, 4)
    assert (entry["improved"], entry["certified"], entry["unresolved"]) == (50.0, 25.0, 25.0)
    assert entry["median_time"] == pytest.approx(0.3) and entry["unresolved_gap"] == 2


def test_backend_comparison_counts_wins_ties_and_failures():
    rows = [
        row(1, "improved", "cpsat", 0.5, "5 0 9 2"),
        row(1, "improved", "mip", 0.7, "5 0 8 0"),  # fewer p>=1 placed: cpsat wins
        row(2, "certified", "cpsat", 0.1, "5 0 9 0"),
        row(2, "certified", "mip", 0.3, "5 0 9 0"),  # tie, both proven
        row(3, "unresolved", "cpsat", 1.0, "5 1 9 0"),
        row(3, "improved", "mip", 1.0, "5 0 9 4"),  # less disruption at the first tier: mip wins
        row(4, "error", "cpsat"),
        row(4, "error", "mip"),
    ]
    (entry,) = compare_backends(rows)
    assert (entry["cpsat_wins"], entry["mip_wins"], entry["ties"], entry["both_failed"]) == (1, 1, 1, 1)
    assert (entry["ties_proven_cpsat"], entry["ties_proven_mip"]) == (1, 1)
    assert entry["mean_cpsat_s"] == pytest.approx(0.65) and entry["scenarios"] == 4


def test_scenarios_and_their_outcomes():
    seeds = study_seeds(3)
    assert seeds == study_seeds(3) and len(set(seeds)) == 3 and all(0 < s < 2**63 for s in seeds)
    case = scenario(seeds[0], 4, 4, 2, 1.05)
    assert case.config == config_of((4, 4, 2, 1.05)) == "nodes4_pods16_prio2_util105"
    assert case.failing  # at 105 % utilisation not every pod can run
    result = run_scenario(case, time_limit=2)
    assert result.outcome in ("improved", "certified", "unresolved")
    assert result.default_placed and result.optimizer_placed and result.status in ("optimal", "feasible")
    if result.outcome == "certified":
        assert result.optimizer_placed == result.default_placed


def test_run_study_round_trips_through_its_csv(tmp_path):
    out = str(tmp_path / "rows.csv")
    grid = cells([4], [4], [1], [0.9])
    rows = run_study(grid, study_seeds(2), time_limits=[0.5], out=out)
    again = read_rows(out)
    assert [r.to_dict() for r in again] == [r.to_dict() for r in rows]
