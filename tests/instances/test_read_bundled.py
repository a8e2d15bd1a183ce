"""Every reader on the tiny bundled instances, checked value by value against the files."""

import pytest

from schedkit.instances import FORMATS, bundled, bundled_names, read
from schedkit.models import ResourceKind, load_problem, save_problem


def demands_of(problem, task, mode=0):
    return {problem.resources[d.resource].name: d.amount for d in problem.tasks[task].modes[mode].demands}


def arcs(problem):
    return sorted((p.a, p.b) for p in problem.precedences)


def test_bundled_lists_every_file_and_rejects_unknown_names():
    names = bundled_names()
    for name in ["js3x3", "js3x3.json", "rcpsp8.sm", "rcpsp8.rcp", "mrcpsp6.mm", "fjs3x3.fjs", "wt5.txt"]:
        assert name in names
        assert bundled(name).is_file()
    with pytest.raises(FileNotFoundError, match="available"):
        bundled("nope.sm")


def test_formats_are_the_documented_names():
    assert set(FORMATS) == {
        "psplib",
        "patterson",
        "jobshop",
        "fjs",
        "wt",
        "json",
        "podpack-plugin",
        "rcpsp-max",
        "mplib",
    }


def test_jobshop_3x3():
    problem = read(bundled("js3x3"))
    assert problem.name == "js3x3"
    assert problem.family == "jobshop"
    assert problem.meta["format"] == "jobshop"
    assert problem.meta["source"] == str(bundled("js3x3"))
    assert problem.num_tasks == 9
    assert [r.kind for r in problem.resources] == [ResourceKind.UNARY] * 3
    expected = [[(0, 3), (1, 2), (2, 2)], [(0, 2), (2, 1), (1, 4)], [(1, 4), (2, 3), (0, 1)]]
    for j, job in enumerate(problem.meta["jobs"]):
        ops = [(problem.tasks[t].modes[0].demands[0].resource, problem.tasks[t].modes[0].duration) for t in job]
        assert ops == expected[j]
    assert arcs(problem) == [(0, 1), (1, 2), (3, 4), (4, 5), (6, 7), (7, 8)]


def test_psplib_single_mode():
    problem = read(bundled("rcpsp8.sm"))
    assert problem.name == "rcpsp8"
    assert problem.family == "rcpsp"
    assert problem.meta["format"] == "psplib"
    assert problem.num_tasks == 8
    assert [(r.name, r.kind, r.capacity) for r in problem.resources] == [
        ("R1", ResourceKind.RENEWABLE, 4),
        ("R2", ResourceKind.RENEWABLE, 3),
    ]
    assert [t.modes[0].duration for t in problem.tasks] == [0, 3, 4, 2, 5, 3, 4, 0]
    assert demands_of(problem, 1) == {"R1": 2, "R2": 1}
    assert demands_of(problem, 2) == {"R1": 3}
    assert demands_of(problem, 0) == {}
    assert arcs(problem) == [(0, 1), (0, 2), (0, 3), (1, 4), (2, 4), (2, 5), (3, 6), (4, 7), (5, 6), (6, 7)]


def test_patterson_is_the_same_project_as_the_sm_file():
    rcp = read(bundled("rcpsp8.rcp"))
    sm = read(bundled("rcpsp8.sm"))
    assert rcp.meta["format"] == "patterson"
    assert rcp == sm  # same name, tasks, resources, arcs and objective


def test_psplib_multi_mode_with_budgets():
    problem = read(bundled("mrcpsp6.mm"))
    assert problem.name == "mrcpsp6"
    assert problem.meta["multi_mode"] is True
    assert [(r.name, r.kind, r.capacity) for r in problem.resources] == [
        ("R1", ResourceKind.RENEWABLE, 5),
        ("R2", ResourceKind.RENEWABLE, 4),
        ("N1", ResourceKind.CONSUMABLE, 20),
        ("N2", ResourceKind.CONSUMABLE, 15),
    ]
    assert [len(t.modes) for t in problem.tasks] == [1, 2, 3, 2, 1, 1]
    assert [m.duration for m in problem.tasks[2].modes] == [2, 4, 6]
    assert demands_of(problem, 1, 0) == {"R1": 4, "N1": 6}
    assert demands_of(problem, 1, 1) == {"R1": 2, "N1": 3, "N2": 2}
    assert demands_of(problem, 2, 0) == {"R1": 3, "R2": 2, "N2": 7}
    assert demands_of(problem, 3, 1) == {"R2": 2, "N1": 3, "N2": 1}
    assert arcs(problem) == [(0, 1), (0, 2), (1, 3), (2, 3), (2, 4), (3, 5), (4, 5)]


def test_fjs():
    problem = read(bundled("fjs3x3.fjs"))
    assert problem.name == "fjs3x3"
    assert problem.family == "fjsp"
    assert problem.meta["format"] == "fjs"
    assert problem.num_tasks == 7
    assert problem.meta["num_machines"] == 3

    def alternatives(task):
        return [(m.demands[0].resource, m.duration) for m in problem.tasks[task].modes]

    # File machines are 1-based; the IR is 0-based.
    assert alternatives(0) == [(0, 3), (1, 5)]
    assert alternatives(1) == [(2, 4)]
    assert alternatives(3) == [(0, 4), (2, 6)]
    assert alternatives(5) == [(0, 2), (1, 3), (2, 4)]
    assert alternatives(6) == [(0, 3)]
    assert problem.meta["jobs"] == [[0, 1], [2, 3, 4], [5, 6]]


def test_wt_instances():
    first = read(bundled("wt5.txt"), index=0)
    second = read(bundled("wt5.txt"), index=1)
    assert first.name == "wt5#0" and second.name == "wt5#1"
    assert first.family == "tardiness"
    assert first.meta["format"] == "wt" and first.meta["index"] == 0
    assert [t.modes[0].duration for t in first.tasks] == [12, 7, 25, 3, 18]
    assert [t.weight for t in first.tasks] == [4, 1, 9, 2, 6]
    assert [t.due_date for t in first.tasks] == [20, 35, 30, 10, 60]
    assert [t.modes[0].duration for t in second.tasks] == [5, 30, 14, 9, 22]
    assert [t.weight for t in second.tasks] == [3, 8, 2, 10, 5]
    assert [t.due_date for t in second.tasks] == [0, 45, 28, 15, 70]


def test_wt_job_count_option(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_text(bundled("wt5.txt").read_text())
    problem = read(path, format="wt", index=1, n=5)
    assert problem.name == "tiny#1"
    assert problem.num_tasks == 5
    # With n=15 an instance has 45 numbers; 30 numbers cannot be split into such instances.
    with pytest.raises(ValueError, match="multiple of 45"):
        read(path, format="wt", index=0, n=15)


def test_json():
    problem = read(bundled("js3x3.json"))
    assert problem.meta["format"] == "json"
    assert problem == read(bundled("js3x3"))


@pytest.mark.parametrize("name", ["js3x3", "rcpsp8.sm", "rcpsp8.rcp", "mrcpsp6.mm", "fjs3x3.fjs", "wt5.txt"])
def test_json_round_trip(tmp_path, name):
    problem = read(bundled(name), index=0 if name.startswith("wt") else None)
    path = tmp_path / "problem.json"
    save_problem(problem, path)
    again = read(path)
    assert again == problem
    assert again.name == problem.name
    assert again.meta["format"] == "json"
    assert load_problem(path) == problem


def test_name_option_and_argument_errors(tmp_path):
    assert read(bundled("js3x3"), name="mine").name == "mine"
    assert read(bundled("wt5.txt"), index=0, name="w").name == "w"
    with pytest.raises(TypeError, match="no option"):
        read(bundled("js3x3"), n=3)
    with pytest.raises(TypeError, match="index="):
        read(bundled("rcpsp8.sm"), index=0)
    with pytest.raises(ValueError, match="unknown format"):
        read(bundled("js3x3"), format="xml")
    with pytest.raises(FileNotFoundError):
        read(tmp_path / "missing.sm")


def test_explicit_format_overrides_detection(tmp_path):
    path = tmp_path / "looks_like.json"
    path.write_text(bundled("js3x3").read_text())
    problem = read(path, format="jobshop")
    assert problem.meta["format"] == "jobshop" and problem.num_tasks == 9
