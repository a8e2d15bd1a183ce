"""``schedkit pods``: generate, default, plan (plan JSON, plugin answer, plot) and a tiny study; input errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schedkit.cli import main
from schedkit.models.podpack import Plan

SCENARIOS = "podpack/scenarios_nodes4_pods16_prio4_util095.json"


def last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


def test_generate_then_plan_a_plugin_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    request = tmp_path / "request.json"
    assert main(["pods", "generate", "--seed", "7", "--to", "plugin", "--out", str(request)]) == 0
    payload = json.loads(request.read_text())
    assert len(payload["solver_input"]["nodes"]) == 4 and len(payload["solver_input"]["pods"]) == 16
    capsys.readouterr()
    plan_file, picture = tmp_path / "plan.json", tmp_path / "plan.png"
    assert main(["pods", "plan", str(request), "--out", str(plan_file), "--plot", str(picture), "--json"]) == 0
    data = last_json(capsys.readouterr().out)
    assert data["status"] in ("optimal", "feasible") and data["budget"]["name"] == "paper"
    assert Plan.from_dict(json.loads(plan_file.read_text())).to_dict() == data["plan"]
    assert picture.stat().st_size > 1000
    assert main(["pods", "plan", str(request), "--plugin-output"]) == 0
    answer = last_json(capsys.readouterr().out)
    assert answer["status"] in ("OPTIMAL", "FEASIBLE") and {"placements", "evictions", "phases"} <= set(answer)


def test_default_and_plan_on_a_shared_scenario(benchmarks: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(benchmarks / SCENARIOS)
    assert main(["pods", "default", path, "--index", "4", "--json"]) == 0
    data = last_json(capsys.readouterr().out)
    assert data["placed_by_priority"] == {"4": 6, "3": 2, "1": 5} and data["failing"]
    assert main(["pods", "plan", path, "--index", "4", "--time-limit", "5"]) == 0
    text = capsys.readouterr().out
    assert "improved" in text and "p4:6 p3:2 p1:7" in text
    assert main(["pods", "plan", path, "--index", "2", "--time-limit", "5", "--certify-running", "--json"]) == 0
    certificate = last_json(capsys.readouterr().out)["running_certificate"]
    assert certificate["optimal"] and certificate["order"] == "per_tier"
    assert [level["proven"] for level in certificate["levels"]] == [True] * 6


def test_tiny_study_writes_a_resumable_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "study.csv"
    args = ["pods", "study", "--nodes", "4", "--pods-per-node", "4", "--priorities", "2", "--util", "1.0"]
    args += ["--seeds", "2", "--time-limit", "0.5", "--backend", "cpsat,mip", "--out", str(out), "--json"]
    assert main(args) == 0
    data = last_json(capsys.readouterr().out)
    overall = [row for row in data["table"] if row["backend"] == "cpsat"]
    assert overall and overall[0]["seeds"] == 2
    rows = out.read_text().splitlines()
    assert main(args) == 0  # resumed: nothing new to run
    assert out.read_text().splitlines() == rows
    assert last_json(capsys.readouterr().out)["table"] == data["table"]
    if data["comparison"]:
        entry = data["comparison"][0]
        assert entry["cpsat_wins"] + entry["mip_wins"] + entry["ties"] + entry["both_failed"] == entry["scenarios"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pods", "plan", "missing.json"], "cannot read"),
        (["pods", "study", "--backend", "gurobi", "--seeds", "1"], "--backend"),
        (["pods", "generate", "--nodes", "0"], "num_nodes"),
    ],
)
def test_input_errors_are_one_line(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
