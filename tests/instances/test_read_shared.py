"""Readers and detection on the shared benchmark files (skipped when ../shared/benchmarks is absent)."""

import pytest

from schedkit.instances import FormatError, UnknownFormatError, benchmarks_dir, detect_format, read


@pytest.fixture(scope="module")
def shared():
    path = benchmarks_dir()
    if path is None:
        pytest.skip("shared benchmark folder not found (set SCHEDKIT_BENCHMARKS)")
    return path


LAST_OP_OF_TA01 = (5, 97)  # last pair of the last job line of ta01


def test_ta01(shared):
    problem = read(shared / "jobshop" / "instances" / "ta01")
    assert problem.name == "ta01"
    assert problem.meta["format"] == "jobshop"
    assert problem.meta["num_jobs"] == 15 and problem.meta["num_machines"] == 15
    assert problem.num_tasks == 225 and problem.num_resources == 15
    assert len(problem.precedences) == 15 * 14
    first = problem.tasks[0].modes[0]
    assert (first.demands[0].resource, first.duration) == (6, 94)
    last = problem.tasks[problem.meta["jobs"][14][14]].modes[0]
    assert (last.demands[0].resource, last.duration) == LAST_OP_OF_TA01
    # Every job visits every machine once.
    for job in problem.meta["jobs"]:
        assert sorted(problem.tasks[t].modes[0].demands[0].resource for t in job) == list(range(15))


def test_ft06_with_comment_lines(shared):
    problem = read(shared / "jobshop" / "instances" / "ft06")
    assert problem.num_tasks == 36
    assert [problem.tasks[t].modes[0].duration for t in problem.meta["jobs"][0]] == [1, 3, 6, 7, 3, 6]


def test_j301_1(shared):
    problem = read(shared / "rcpsp" / "j30" / "j301_1.sm")
    assert problem.name == "j301_1"
    assert problem.meta["format"] == "psplib"
    assert problem.num_tasks == 32
    assert [r.capacity for r in problem.resources] == [12, 13, 4, 12]
    assert [r.name for r in problem.resources] == ["R1", "R2", "R3", "R4"]
    assert problem.tasks[1].modes[0].duration == 8
    assert [(d.resource, d.amount) for d in problem.tasks[1].modes[0].demands] == [(0, 4)]
    successors_of_first = sorted(p.b for p in problem.precedences if p.a == 0)
    assert successors_of_first == [1, 2, 3]
    assert sorted(p.b for p in problem.precedences if p.a == 7) == [11, 18, 26]  # job 8: 12 19 27


def test_pat1(shared):
    problem = read(shared / "rcpsp" / "patterson" / "pat1.rcp")
    assert problem.name == "pat1"
    assert problem.meta["format"] == "patterson"
    assert problem.num_tasks == 14
    assert [r.capacity for r in problem.resources] == [2, 1, 2]
    assert sorted(p.b for p in problem.precedences if p.a == 0) == [1, 2, 3]
    assert problem.tasks[1].modes[0].duration == 6
    assert [(d.resource, d.amount) for d in problem.tasks[1].modes[0].demands] == [(0, 1)]
    assert len(problem.precedences) == 20


def test_mk01(shared):
    problem = read(shared / "fjsp" / "Brandimarte1993" / "mk01.txt")
    assert problem.name == "mk01"
    assert problem.meta["format"] == "fjs"
    assert problem.meta["num_jobs"] == 10 and problem.meta["num_machines"] == 6
    assert problem.num_tasks == 55
    # First operation: "2 1 5 3 4" -> machines 1 and 3 (0 and 2 here) with times 5 and 4.
    assert [(m.demands[0].resource, m.duration) for m in problem.tasks[0].modes] == [(0, 5), (2, 4)]


def test_hurink_edata_la01(shared):
    problem = read(shared / "fjsp" / "HurinkJurischThole1994" / "edata" / "la01.txt")
    assert problem.name == "la01"
    assert problem.meta["num_jobs"] == 10 and problem.meta["num_machines"] == 5
    assert problem.num_tasks == 50
    assert [(m.demands[0].resource, m.duration) for m in problem.tasks[0].modes] == [(1, 21)]
    # Operation 3 of job 0: "2 3 34 5 34" -> machines 2 and 4 (0-based), both 34.
    assert [(m.demands[0].resource, m.duration) for m in problem.tasks[4].modes] == [(2, 34), (4, 34)]


def test_wt40_instance_0(shared):
    path = shared / "smtt" / "wt40.txt"
    problem = read(path, index=0)
    assert problem.name == "wt40#0"
    assert problem.meta["format"] == "wt" and problem.meta["index"] == 0
    values = [int(x) for x in path.read_text().split()]
    assert len(values) == 125 * 120
    assert [t.modes[0].duration for t in problem.tasks] == values[0:40]
    assert [t.weight for t in problem.tasks] == values[40:80]
    assert [t.due_date for t in problem.tasks] == values[80:120]
    assert [t.modes[0].duration for t in problem.tasks][:3] == [26, 24, 79]
    assert [t.due_date for t in problem.tasks][:3] == [1588, 1620, 1731]
    last = read(path, index=124)
    assert [t.due_date for t in last.tasks] == values[-40:]
    with pytest.raises(FormatError, match=r"out of range.*125"):
        read(path, index=125)
    with pytest.raises(FormatError, match="pass index="):
        read(path)


EXPECTED = {
    "rcpsp/j30": ("*.sm", "psplib", 480),
    "rcpsp/j60": ("*.sm", "psplib", 480),
    "rcpsp/patterson": ("*.rcp", "patterson", 110),
    "jobshop/instances": ("[!R]*", "jobshop", 98),
    "fjsp/Brandimarte1993": ("mk*.txt", "fjs", 15),
    "fjsp/HurinkJurischThole1994/edata": ("[!R]*.txt", "fjs", 66),
    "smtt": ("wt40.txt", "wt", 1),
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_detection_and_reading_of_every_shared_instance(shared, folder):
    pattern, fmt, count = EXPECTED[folder]
    files = sorted((shared / folder).glob(pattern))
    assert len(files) == count
    for path in files:
        assert detect_format(path) == fmt, path
        problem = read(path, index=0 if fmt == "wt" else None)
        assert problem.meta["format"] == fmt
        assert problem.num_tasks > 0


@pytest.mark.parametrize(
    "relative", ["jobshop/instances/README.md", "smtt/wtopt40.txt", "smtt/wtinfo.txt", "rcpsp/j30_bounds.csv"]
)
def test_non_instance_files_are_not_detected(shared, relative):
    with pytest.raises(UnknownFormatError, match="format="):
        detect_format(shared / relative)


def test_psplib_result_tables_are_rejected_clearly(shared):
    with pytest.raises(FormatError, match="not a PSPLIB"):
        read(shared / "rcpsp" / "j30opt.sm")
