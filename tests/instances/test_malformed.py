"""Malformed input: every case gives a FormatError naming the file and the 1-based line.

Each case edits one line of a bundled file (found by its content, so the
expected line number is computed, not hard-coded) and checks the error's
file, line and reason.
"""

import pytest

from schedkit.instances import FormatError, UnknownFormatError, benchmarks_dir, bundled, read


def edit(name, old, new):
    """The text of bundled file ``name`` with the line whose stripped content is ``old`` replaced.

    ``new=None`` deletes the line. Returns ``(text, line_number)``.
    """
    lines = bundled(name).read_text().splitlines()
    matches = [i for i, line in enumerate(lines) if line.strip() == old]
    assert len(matches) == 1, (name, old)
    index = matches[0]
    if new is None:
        del lines[index]
    else:
        lines[index] = new
    return "\n".join(lines) + "\n", index + 1


def check(tmp_path, file_name, text, fmt, line, *phrases, **kwargs):
    path = tmp_path / file_name
    path.write_text(text)
    with pytest.raises(FormatError) as info:
        read(path, format=fmt, **kwargs)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.source == file_name
    assert error.line == line
    message = str(error)
    prefix = f"{file_name}: line {line}: " if line is not None else f"{file_name}: "
    assert message.startswith(prefix), message
    for phrase in phrases:
        assert phrase in message, message
    return error


# ------------------------------------------------------------------ job shop
def test_jobshop_taillard_example(tmp_path):
    shared = benchmarks_dir()
    if shared is None:
        pytest.skip("shared benchmark folder not found")
    lines = (shared / "jobshop" / "instances" / "ta01").read_text().splitlines()
    lines[2] = " ".join(lines[2].split()[:-1])
    error = check(tmp_path, "ta01", "\n".join(lines), "jobshop", 3)
    assert str(error) == "ta01: line 3: expected 30 integers (15 machine/time pairs), found 29"


@pytest.mark.parametrize(
    "old, new, phrase",
    [
        ("0 2 2 1 1 4", "0 2 2 1 1", "expected 6 integers (3 machine/time pairs), found 5"),
        ("0 3 1 2 2 2", "0 3 1 x 2 2", "expected an integer (time of job 0 operation 1), found 'x'"),
        ("1 4 2 3 0 1", "1 4 3 3 0 1", "job 2 operation 1: machine 3 is not in 0..2"),
        ("0 3 1 2 2 2", "0 -3 1 2 2 2", "time of job 0 operation 0 must be at least 0, found -3"),
        ("3 3", "3 3 3", "expected 2 integers 'n m' (jobs, machines), found 3"),
        ("3 3", "3 0", "number of machines must be at least 1, found 0"),
    ],
)
def test_jobshop_line_errors(tmp_path, old, new, phrase):
    text, line = edit("js3x3", old, new)
    check(tmp_path, "js", text, "jobshop", line, phrase)


def test_jobshop_truncated_and_extra_lines(tmp_path):
    text, line = edit("js3x3", "1 4 2 3 0 1", None)
    check(tmp_path, "js", text, "jobshop", line - 1, "file ends early: expected 3 job lines, found 2")
    text = bundled("js3x3").read_text() + "0 1 1 1 2 1\n"
    check(tmp_path, "js", text, "jobshop", 7, "unexpected extra data after the 3 job lines")
    check(tmp_path, "js", "", "jobshop", 1, "no data")
    check(tmp_path, "js", "# only a comment\n", "jobshop", 1, "no data")


def test_jobshop_comments_among_the_data_are_fine(tmp_path):
    text, _ = edit("js3x3", "0 2 2 1 1 4", "# a comment among the jobs\n0 2 2 1 1 4")
    path = tmp_path / "js"
    path.write_text(text)
    assert read(path, format="jobshop") == read(bundled("js3x3"), name="js")


def test_malformed_file_without_extension_asks_for_format(tmp_path):
    text, _ = edit("js3x3", "0 2 2 1 1 4", "0 2 2 1 1")
    path = tmp_path / "js"
    path.write_text(text)
    with pytest.raises(UnknownFormatError) as info:
        read(path)
    message = str(info.value)
    assert "format=" in message and "--format" in message
    assert "not jobshop (line 5: expected 6 integers" in message


def test_ambiguous_content_asks_for_format(tmp_path):
    path = tmp_path / "tiny"
    path.write_text("1 2\n1 1 1 5\n")  # a 1x2 job shop, and also a valid 1-job FJSPLIB file
    with pytest.raises(UnknownFormatError, match=r"ambiguous.*jobshop and fjs.*format="):
        read(path)
    assert read(path, format="jobshop").num_tasks == 2
    assert read(path, format="fjs").num_tasks == 1


# ----------------------------------------------------------------------- fjs
@pytest.mark.parametrize(
    "old, new, phrase",
    [
        ("3\t1\t2\t2\t2\t1\t4\t3\t6\t1\t3\t3", "3 1 2 2 2 1 4 3 6 1 3", "job 1: line ends early: expected time of op"),
        (
            "2\t2\t1\t3\t2\t5\t1\t3\t4",
            "2 2 1 3 2 5 1 3 4 7",
            "job 0: expected 9 numbers for its 2 operations, found 10",
        ),
        ("2\t2\t1\t3\t2\t5\t1\t3\t4", "2 2 0 3 2 5 1 3 4", "job 0 operation 0: machine 0 is not in 1..3"),
        ("2\t3\t1\t2\t2\t3\t3\t4\t1\t1\t3", "2 3 1 2 2 3 4 4 1 1 3", "job 2 operation 0: machine 4 is not in 1..3"),
        ("2\t2\t1\t3\t2\t5\t1\t3\t4", "2 0 1 3 4", "number of machines of operation 0 of job 0 must be at least 1"),
        ("2\t2\t1\t3\t2\t5\t1\t3\t4", "2 2 1 3 1 5 1 3 4", "job 0 operation 0: machine 1 is listed twice"),
        ("2\t2\t1\t3\t2\t5\t1\t3\t4", "2 2 1 3 2 five 1 3 4", "found 'five'"),
        ("3\t3\t1.57", "3 3 abc", "expected a number (average machines per operation), found 'abc'"),
        ("3\t3\t1.57", "3 3 1.5 7", "expected 2 or 3 numbers 'J M [average]', found 4"),
    ],
)
def test_fjs_line_errors(tmp_path, old, new, phrase):
    text, line = edit("fjs3x3.fjs", old, new)
    check(tmp_path, "bad.fjs", text, None, line, phrase)


def test_fjs_truncated_and_extra(tmp_path):
    text, line = edit("fjs3x3.fjs", "2\t3\t1\t2\t2\t3\t3\t4\t1\t1\t3", None)
    check(tmp_path, "bad.fjs", text, None, line - 1, "file ends early: expected 3 job lines, found 2")
    text = bundled("fjs3x3.fjs").read_text() + "1 1 1 5\n"
    check(tmp_path, "bad.fjs", text, None, 5, "unexpected extra data after the 3 job lines")


def test_fjs_header_without_average_is_fine(tmp_path):
    text, _ = edit("fjs3x3.fjs", "3\t3\t1.57", "3 3")
    path = tmp_path / "ok.fjs"
    path.write_text(text)
    assert read(path).num_tasks == 7


# -------------------------------------------------------------------- psplib
SM_ROWS = {
    "job3": "3        1          2           5   6",
    "job7": "7        1          1           8",
    "req4": "4      1     2       1    2",
    "req5": "5      1     5       2    2",
    "req3": "3      1     4       3    0",
    "caps": "4    3",
}


@pytest.mark.parametrize(
    "key, new, phrase",
    [
        ("job3", "   3        1          2           5   9", "job 3: successor 9 is not in 1..8"),
        ("job3", "   3        1          2           5", "expected 2 successors of job 3, found 1"),
        ("job3", "   3        1          2           5   3", "job 3 lists itself as a successor"),
        ("job3", "   4        1          2           5   6", "expected the line of job 3, found job 4"),
        ("req4", "  4      1     x       1    2", "expected an integer (duration of job 4 mode 1), found 'x'"),
        ("req4", "  4      1     2       1    2   7", "expected 5 integers (jobnr, mode, duration, 2 requests)"),
        ("req5", None, "expected the first mode of job 5, found job 6"),
        ("req3", "  3      1     4       9    0", "job 3 mode 1 requests 9 of R 1, whose capacity is 4"),
        ("caps", "    4", "expected 2 capacities (2 R, 0 N, 0 D), found 1"),
        ("caps", "    4   x3", "expected an integer (capacity), found 'x3'"),
    ],
)
def test_psplib_line_errors(tmp_path, key, new, phrase):
    text, line = edit("rcpsp8.sm", SM_ROWS[key], new)
    # Deleting the job 5 line moves the job 6 line up into its place, so the line number is the same.
    check(tmp_path, "bad.sm", text, None, line, phrase)


def test_psplib_cycle(tmp_path):
    text, _ = edit("rcpsp8.sm", SM_ROWS["job7"], "   7        1          1           3")
    lines = text.splitlines()
    job3 = next(i for i, row in enumerate(lines) if row.strip() == SM_ROWS["job3"]) + 1
    check(tmp_path, "bad.sm", text, None, job3, "the precedence relations contain a cycle: jobs 3 -> 6 -> 7 -> 3")


def test_psplib_truncated_and_job_count(tmp_path):
    lines = bundled("rcpsp8.sm").read_text().splitlines()
    cut = next(i for i, line in enumerate(lines) if line.strip() == SM_ROWS["req3"])
    check(
        tmp_path,
        "bad.sm",
        "\n".join(lines[: cut + 1]),
        None,
        cut + 1,
        "REQUESTS/DURATIONS ends early: job 4 has 1 modes, 0 are listed",
    )
    text, _ = edit("rcpsp8.sm", "jobs (incl. supersource/sink ):  8", "jobs (incl. supersource/sink ):  9")
    last_row = next(i for i, line in enumerate(lines) if line.strip().startswith("8        1          0")) + 1
    check(tmp_path, "bad.sm", text, None, last_row, "PRECEDENCE RELATIONS: expected 9 job lines, found 8")
    check(tmp_path, "bad.sm", "just some text\n", None, None, "no 'PRECEDENCE RELATIONS:' section")
    without_capacities = "\n".join(lines[: next(i for i, line in enumerate(lines) if "AVAILABILITIES" in line)])
    check(
        tmp_path,
        "bad.sm",
        without_capacities,
        None,
        len(without_capacities.splitlines()),
        "file ends without a 'RESOURCEAVAILABILITIES:' section",
    )


MM_ROWS = {
    "job2mode2": "2     5       2    0    3    2",
    "job3mode3": "3     6       1    1    2    2",
    "job5": "5      1     5       2    2    4    4",
}


def test_multi_mode_errors(tmp_path):
    # A missing further mode: job 2 declares 2 modes, the next line starts job 3.
    text, line = edit("mrcpsp6.mm", MM_ROWS["job2mode2"], None)
    check(tmp_path, "bad.mm", text, None, line, "job 2 has 2 modes but only 1 are listed")
    # A further mode for a job that declares only one.
    text, line = edit(
        "mrcpsp6.mm", MM_ROWS["job5"], "  5      1     5       2    2    4    4\n         2     6 1 1 1 1"
    )
    check(tmp_path, "bad.mm", text, None, line + 1, "expected 7 integers (job 6: jobnr, mode, duration, 4 requests)")
    # Modes out of order.
    text, line = edit("mrcpsp6.mm", MM_ROWS["job3mode3"], "         4     6       1    1    2    2")
    check(tmp_path, "bad.mm", text, None, line, "job 3: expected mode 3, found mode 4")
    # A consumption above the budget.
    text, line = edit("mrcpsp6.mm", MM_ROWS["job5"], "  5      1     5       2    2   40    4")
    check(tmp_path, "bad.mm", text, None, line, "job 5 mode 1 requests 40 of N 1, whose capacity is 20")


# ----------------------------------------------------------------- patterson
@pytest.mark.parametrize(
    "old, new, phrase",
    [
        ("3\t2\t1\t1\t5", "3 2 1 1 9", "activity 2: successor 9 is not in 1..8"),
        ("4\t3\t0\t2\t5\t6", "4 3 0 2 5 six", "expected an integer (successor 2 of 2 of activity 3), found 'six'"),
        ("4\t3\t0\t2\t5\t6", "4 5 0 2 5 6", "activity 3 demands 5 of resource 1, whose capacity is 4"),
        ("4\t3\t0\t2\t5\t6", "-4 3 0 2 5 6", "duration of activity 3 must be at least 0, found -4"),
        ("8\t2", "8 x", "expected an integer (number of resources K), found 'x'"),
    ],
)
def test_patterson_errors(tmp_path, old, new, phrase):
    text, line = edit("rcpsp8.rcp", old, new)
    check(tmp_path, "bad.rcp", text, None, line, phrase)


def test_patterson_truncated_and_extra(tmp_path):
    text = bundled("rcpsp8.rcp").read_text()
    lines = text.splitlines()
    check(
        tmp_path, "bad.rcp", "\n".join(lines[:-1]), None, 9, "unexpected end of file: expected duration of activity 8"
    )
    check(tmp_path, "bad.rcp", text + "7\n", None, 11, "unexpected extra data '7' after the 8 activity records")
    cut = "\n".join(lines[:3]) + "\n3 2 1 2 5"  # activity 2 announces 2 successors, gives 1
    check(tmp_path, "bad.rcp", cut, None, 4, "unexpected end of file: expected successor 2 of 2 of activity 2")


# ------------------------------------------------------------------------ wt
def test_wt_errors(tmp_path):
    text = bundled("wt5.txt").read_text()
    check(tmp_path, "wt5.txt", text + " 99\n", "wt", 4, "expected a multiple of 15 integers", "found 31", index=0)
    check(tmp_path, "wt5.txt", text.replace(" 25 ", " 2x5 "), "wt", 1, "found '2x5'", index=0)
    check(tmp_path, "wt5.txt", text, "wt", None, "holds 2 instances: pass index= (--index on the command line), 0..1,")
    check(tmp_path, "wt5.txt", text, "wt", None, "instance index 2 is out of range", index=2)
    check(tmp_path, "wt5.txt", text, "wt", None, "instance index -1 is out of range", index=-1)
    check(tmp_path, "tardy.txt", text, "wt", None, "number of jobs per instance is unknown: pass n=", index=0)
    check(tmp_path, "wt5.txt", text, "wt", None, "n= must be a positive integer", index=0, n=0)
    check(tmp_path, "wt5.txt", "", "wt", 1, "no data", index=0)


# ---------------------------------------------------------------------- json
def test_json_errors(tmp_path):
    check(
        tmp_path,
        "p.json",
        '{\n "schema": "schedkit/problem",\n "version": 1,\n "tasks": [\n}\n',
        None,
        5,
        "invalid JSON",
    )
    bad_key = '{"schema": "schedkit/problem", "version": 1, "tasks": [], "colour": 1}'
    check(tmp_path, "p.json", bad_key, None, None, "unknown key(s): colour")
    negative = (
        '{"schema": "schedkit/problem", "version": 1, "resources": [],'
        ' "tasks": [{"name": "t", "modes": [{"duration": -1}]}]}'
    )
    check(tmp_path, "p.json", negative, None, None, "task 't' (#0)", "duration")
    check(tmp_path, "p.json", "[1, 2]", None, None, "must be a JSON object")


def test_binary_file(tmp_path):
    path = tmp_path / "bad.sm"
    path.write_bytes(b"PRECEDENCE\n\xff\xfe\x00garbage")
    with pytest.raises(FormatError, match=r"bad.sm: line 2: not a text file"):
        read(path)
