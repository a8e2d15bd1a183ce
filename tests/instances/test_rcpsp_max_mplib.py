"""RCPSP/max (.sch) and MPLIB (.rcmp): the bundled files read as computed by hand, solved to their hand optima."""

from __future__ import annotations

from pathlib import Path

import pytest

from schedkit.instances import FORMATS, FormatError, bundled, detect_format, read
from schedkit.solvers import Status, check, solve


def test_formats_are_registered_with_their_extensions() -> None:
    assert {"rcpsp-max", "mplib"} <= set(FORMATS)
    assert detect_format(bundled("rcpspmax3.sch")) == "rcpsp-max"
    assert detect_format(bundled("mplib2.rcmp")) == "mplib"


def test_rcpsp_max_by_hand() -> None:
    problem = read(bundled("rcpspmax3.sch"))
    assert problem.family == "rcpsp" and problem.num_tasks == 5 and problem.resources[0].capacity == 2
    assert [t.modes[0].duration for t in problem.tasks] == [0, 3, 2, 4, 0]
    # start-to-start lag l on i -> j is the end-to-start lag l - d_i
    lags = {(p.a, p.b): p.lag for p in problem.precedences}
    assert lags[(1, 2)] == 1 - 3 and lags[(2, 1)] == -4 - 2 and lags[(3, 4)] == 4 - 4
    result = solve(problem, time_limit=10, threads=1)
    # a1 (demand 2 = capacity) at 0; a2 in [S1 + 1, S1 + 4] and not over a1 -> 3; a3 from 3: makespan 7
    assert result.status == Status.OPTIMAL and result.objective == 7
    starts = result.solution.starts
    assert starts[1] + 1 <= starts[2] <= starts[1] + 4  # the minimal and the maximal lag
    assert check(problem, result.solution) == []


def test_mplib_by_hand() -> None:
    problem = read(bundled("mplib2.rcmp"))
    assert [t.name for t in problem.tasks] == ["1:1", "1:2", "1:3", "1:4", "2:1", "2:2", "2:3"]
    assert problem.meta["projects"] == [[0, 1, 2, 3], [4, 5, 6]]
    assert problem.meta["release_dates"] == [0, 1] and problem.meta["due_dates"] == [6, 8]
    assert [t.release for t in problem.tasks] == [0, 0, 0, 0, 1, 1, 1]
    assert problem.tasks[3].due_date == 6 and problem.tasks[6].due_date == 8
    assert (1, 5) in {(p.a, p.b) for p in problem.precedences}  # the arc 1:2 -> 2:2 across projects
    result = solve(problem, time_limit=10, threads=1)
    # B (demand 2 = capacity) overlaps nothing, C follows A: 3 + 4 + 2 = 9
    assert result.status == Status.OPTIMAL and result.objective == 9


def _variant(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = bundled(name).read_text()
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("3 1 0 0", "3 1 1 0", "line 1: non-renewable and doubly constrained resources are not read"),
        ("1 1 2 2 4 [1] [3]", "1 2 2 2 4 [1] [3]", "line 3: activity 1 has 2 modes"),
        ("1 1 2 2 4 [1] [3]", "1 1 2 2 4 [1] 3", "line 3: expected a bracketed lag"),
        ("1 1 2 2 4 [1] [3]", "1 1 2 2 9 [1] [3]", "line 3: activity 1: successor 9 is not in 0..4"),
        ("3 1 4 1\n", "3 1 4 3\n", "line 10: activity 3 demands 3 of resource 1, whose capacity is 2"),
        ("3 1 0 0", "30 1 0 0", "line 12: expected 66 data lines for 30 activities"),
    ],
)
def test_rcpsp_max_errors_name_the_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        read(_variant(tmp_path, "rcpspmax3.sch", old, new))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("3 1 2 1:4 2:2", "3 1 2 1:4 2:9", "line 8: activity 1:2: successor 2:9 does not exist"),
        ("3 1 2 1:4 2:2", "3 1 2 1:4 2-2", "line 8: activity 1:2: expected a successor 'project:activity'"),
        ("2 2 1 1:4", "2 2 1 1:1", "line 7: the successor lists contain a cycle: activities 1:1 -> 1:3 -> 1:1"),
        ("4 0 6", "400000000 0 6", "line 5: project 1 declares 400000000 activities but the file ends"),
        ("2\n1\n2\n", "2\n1\n2 2\n", "line 3: expected 1 capacities, found 2"),
    ],
)
def test_mplib_errors_name_the_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        read(_variant(tmp_path, "mplib2.rcmp", old, new))
