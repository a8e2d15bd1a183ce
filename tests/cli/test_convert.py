"""schedkit convert: the LP/MPS file says which level it holds and refuses what it cannot express; the schema."""

from __future__ import annotations

from pathlib import Path

import highspy
import pytest

from schedkit.cli import main
from schedkit.demo import _podpack_demo
from schedkit.instances import bundled
from schedkit.models import save_problem
from schedkit.solvers import solve
from schedkit.solvers.mip import write, write_model


def _optimum(path: Path) -> float:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    assert h.readModel(str(path)) == highspy.HighsStatus.kOk
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return float(h.getInfo().objective_function_value)


def test_single_level_file_says_what_it_holds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "js.lp"
    assert main(["convert", str(bundled("js3x3")), "--to", "lp", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote level 0 'makespan' (of 1) of the disjunctive MIP to {out} (js3x3)"
    assert round(_optimum(out)) == 11


def test_lexicographic_problem_is_refused_then_written_level_by_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problem = _podpack_demo()
    source = tmp_path / "pods.json"
    save_problem(problem, source)
    out = tmp_path / "pods.mps"
    assert main(["convert", str(source), "--to", "mps", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "4 lexicographic levels (0 'placed>=2', 1 'disruption>=2'" in err and "--level K" in err
    assert not out.exists()
    with pytest.raises(ValueError, match="lexicographic levels"):
        write(problem, str(out))  # the library refuses too, instead of silently writing level 0
    values = solve(problem, time_limit=10, threads=1, backend="mip").objectives
    assert values is not None
    for level in range(4):
        locks = ",".join(str(v) for v in values[:level])
        argv = ["convert", str(source), "--to", "mps", "--out", str(out), "--level", str(level)]
        assert main([*argv, "--locks", locks] if locks else argv) == 0
        said = capsys.readouterr().out
        assert f"level {level} '" in said and "(of 4)" in said
        # maximised levels are written as maximisation: the optimum of step `level` is the lexicographic value
        assert round(abs(_optimum(out))) == abs(values[level])
    assert main(["convert", str(source), "--to", "mps", "--out", str(out), "--level", "2", "--locks", "3"]) == 2
    assert "level 2 needs the values of the 2 level(s) before it, got 1" in capsys.readouterr().err


def test_cyclic_problem_states_its_ii(tmp_path: Path) -> None:
    from tests.tiny_families import pipelining_tiny

    problem = pipelining_tiny()
    assert problem.cycle is not None
    levels = len(problem.objective.levels)
    written = write_model(problem, str(tmp_path / "p.lp"), level=0 if levels > 1 else None)
    assert written.ii == problem.cycle.ii_min and f"at II = {problem.cycle.ii_min}" in written.describe()
    with pytest.raises(ValueError, match="outside the problem's range"):
        write_model(problem, str(tmp_path / "p.lp"), level=0 if levels > 1 else None, ii=problem.cycle.ii_max + 1)


def test_convert_out_that_cannot_be_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "missing" / "x.json"
    assert main(["convert", str(bundled("js3x3")), "--out", str(target)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"schedkit: error: cannot write {target}: no such folder '{target.parent}'"
    )
    assert main(["convert", str(bundled("js3x3")), "--to", "lp", "--out", str(target.with_suffix(".lp"))]) == 2
    assert "cannot write" in capsys.readouterr().err
