"""``schedkit rcb``: generate, prompt, grade (writer, folder, one answer), report; one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schedkit.cli import main
from schedkit.cli.common import InputError
from schedkit.cli.rcb import parse_levels


def test_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suite = tmp_path / "ramp"
    assert main(["rcb", "generate", str(suite), "--levels", "0:10:5", "--per-level", "2", "--seed", "3"]) == 0
    manifest = json.loads((suite / "manifest.json").read_text())
    assert [entry["level"] for entry in manifest["instances"]] == [0, 0, 5, 5, 10, 10]
    assert main(["rcb", "prompt", str(suite)]) == 0
    prompts = sorted((suite / "prompts").glob("*.txt"))
    assert len(prompts) == 6 and "Answer with one line per task" in prompts[0].read_text()
    capsys.readouterr()
    assert main(["rcb", "grade", str(suite), "--writer", "greedy", "--json"]) == 0
    graded = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert graded["total"] == 6 and graded["unparsed"] == 0 and len(list((suite / "answers").glob("*.txt"))) == 6
    assert main(["rcb", "report", str(suite / "grades.jsonl"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["wauc"] == graded["wauc"] and [row["level"] for row in report["levels"]] == [0, 5, 10]
    # grading the folder of answers again gives the same verdicts
    assert (
        main(["rcb", "grade", str(suite), "--answers", str(suite / "answers"), "--out", str(tmp_path / "g.jsonl")]) == 0
    )
    assert (tmp_path / "g.jsonl").read_text() == (suite / "grades.jsonl").read_text()
    # one instance, one answer: a witness is feasible (exit 0), a partial answer is not (exit 1)
    instance = suite / "instances" / "rcb_k005_0.json"
    problem = json.loads(instance.read_text())
    names = [task["name"] for task in problem["tasks"]]
    witness = tmp_path / "witness.txt"
    witness.write_text("\n".join(f"{n}: {s}" for n, s in zip(names, problem["meta"]["witness_starts"])))
    assert main(["rcb", "grade", str(instance), "--answer", str(witness)]) == 0
    partial = tmp_path / "partial.txt"
    partial.write_text(f"{names[0]}: 0\n")
    capsys.readouterr()
    assert main(["rcb", "grade", str(instance), "--answer", str(partial)]) == 1
    assert f"missing: {len(names) - 1}" in capsys.readouterr().out


def test_migration_suite(tmp_path: Path) -> None:
    suite = tmp_path / "dc"
    assert main(["rcb", "generate", str(suite), "--domain", "migration", "--levels", "0,4", "--per-level", "1"]) == 0
    assert main(["rcb", "prompt", str(suite)]) == 0
    assert "Data-centre migration" in next((suite / "prompts").glob("*.txt")).read_text()


def test_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_levels("0:10:5") == [0, 5, 10] and parse_levels("3,1") == [3, 1]
    with pytest.raises(InputError):
        parse_levels("5:1")
    assert main(["rcb", "prompt", str(tmp_path)]) == 2
    assert "no manifest.json" in capsys.readouterr().err
    assert main(["rcb", "report", str(tmp_path / "none.jsonl")]) == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"instance": "x"}\n')
    assert main(["rcb", "report", str(bad)]) == 2
    assert "line 1" in capsys.readouterr().err
    suite = tmp_path / "s"
    assert main(["rcb", "generate", str(suite), "--levels", "0", "--per-level", "1"]) == 0
    assert main(["rcb", "grade", str(suite), "--writer", "nowhere_xyz:write"]) == 2
    assert "cannot import" in capsys.readouterr().err
