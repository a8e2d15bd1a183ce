"""Command-line edges: option values, one-line errors with the usage line, --json last, pipes, unwritable outputs."""

from __future__ import annotations

import errno
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from schedkit.cli import build_parser, main
from schedkit.cli.common import write_text
from schedkit.instances import FORMATS, bundled, read
from schedkit.solvers.backends import installed_mip_solvers

JS = str(bundled("js3x3"))


def last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--time-limit", "0"], "--time-limit: must be a positive, finite number of seconds"),
        (["--time-limit", "-3"], "--time-limit: must be a positive, finite number of seconds"),
        (["--time-limit", "nan"], "--time-limit: must be a positive, finite number of seconds"),
        (["--time-limit", "inf"], "--time-limit: must be a positive, finite number of seconds"),
        (["--time-limit", "soon"], "--time-limit: expected a number of seconds"),
        (["--threads", "0"], "--threads: must be at least 1, got 0"),
        (["--threads", "two"], "--threads: expected an integer >= 1"),
        (["--index", "-1"], "--index: must be at least 0"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_bad_option_values_are_one_line_and_the_usage_line(
    option: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["solve", JS, *option, "--json"]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 2, captured.err
    assert lines[0].startswith("schedkit solve: error:") and message in lines[0]
    assert lines[1].startswith("usage: schedkit solve PATH [options]")
    assert last_json(captured.out)["status"] == "error" and message in last_json(captured.out)["message"]


def test_certify_time_limit_is_checked_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["certify", JS, "x.json", "--time-limit", "0"]) == 2
    assert "usage: schedkit certify PROBLEM SOLUTION [options]" in capsys.readouterr().err


def test_missing_argument_and_unknown_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "schedkit solve: error: the following arguments are required: path",
        "usage: schedkit solve PATH [options]  (schedkit solve --help lists them)",
    ]
    assert main(["sovle", JS]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "invalid choice: 'sovle'" in err[0] and err[1].startswith("usage: schedkit COMMAND")


def test_solver_must_be_installed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", JS, "--backend", "mip", "--solver", "gurobi_typo", "--json"]) == 2
    captured = capsys.readouterr()
    message = last_json(captured.out)["message"]
    assert "gurobi_typo" in message and all(name in message for name in installed_mip_solvers())
    assert captured.err.count("\n") == 1


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from schedkit import __version__

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out.strip() == f"schedkit {__version__}"


def test_help_lists_every_format() -> None:
    help_text = build_parser()._subparsers._group_actions[0].choices["solve"].format_help()  # type: ignore[union-attr]
    flat = " ".join(help_text.split())
    for name in FORMATS:
        assert name in flat
    assert "--num-jobs" in flat


def test_wt_jobs_per_instance_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    renamed = tmp_path / "five_jobs.txt"  # the name no longer says 5
    shutil.copy(bundled("wt5.txt"), renamed)
    assert main(["solve", str(renamed), "--format", "wt", "--index", "0"]) == 2
    err = capsys.readouterr().err
    assert "--num-jobs" in err and "n=" not in err
    assert main(["solve", str(renamed), "--format", "wt", "--index", "0", "--num-jobs", "5", "--json"]) == 0
    expected = read(bundled("wt5.txt"), index=0)
    assert last_json(capsys.readouterr().out)["objective"] is not None
    assert expected.num_tasks == 5
    assert main(["solve", JS, "--num-jobs", "5"]) == 2
    assert "--num-jobs" in capsys.readouterr().err


def test_schedule_csv_and_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "schedule.csv"
    assert main(["solve", str(bundled("fjs3x3.fjs")), "--schedule", str(csv), "--json", "--include-schedule"]) == 0
    data = last_json(capsys.readouterr().out)
    frame = pd.read_csv(csv)
    assert list(frame.columns) == [
        "task",
        "job",
        "operation",
        "mode",
        "location",
        "resources",
        "start",
        "end",
        "present",
    ]
    assert frame["end"].max() == data["objective"]
    assert [row["task"] for row in data["schedule"]] == frame["task"].tolist()
    assert [row["end"] for row in data["schedule"]] == frame["end"].tolist()
    rows = tmp_path / "schedule.json"
    assert main(["solve", str(bundled("fjs3x3.fjs")), "--schedule", str(rows)]) == 0
    assert json.loads(rows.read_text()) == data["schedule"]
    assert main(["solve", JS, "--schedule", str(tmp_path / "s.xlsx")]) == 2
    assert "--schedule writes .csv or .json" in capsys.readouterr().err


def test_unwritable_outputs_say_what_was_computed_then_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder"
    completed = subprocess.run(
        [sys.executable, "-m", "schedkit", "solve", JS, "--out", "/dev/full", "--schedule", str(missing / "s.csv")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2
    assert "objective    11" in completed.stdout and "status       optimal" in completed.stdout
    err = completed.stderr.strip().splitlines()
    assert err == [
        "schedkit: error: cannot write /dev/full: No space left on device",
        f"schedkit: error: cannot write {missing / 's.csv'}: no such folder '{missing}'",
    ]
    assert not missing.exists()


def test_unwritable_outputs_with_json_end_with_the_json_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["solve", JS, "--out", str(tmp_path / "none" / "x.json"), "--json"]) == 2
    captured = capsys.readouterr()
    data = last_json(captured.out)
    assert data["status"] == "optimal" and data["objective"] == 11
    assert data["write_errors"] == [
        f"cannot write {tmp_path / 'none' / 'x.json'}: no such folder '{tmp_path / 'none'}'"
    ]
    # a chart name without an image suffix is refused before solving (matplotlib would write 'chart.png' instead)
    assert main(["solve", JS, "--gantt", str(tmp_path / "chart")]) == 2
    assert "unknown image type (no suffix)" in capsys.readouterr().err
    assert main(["solve", JS, "--gantt", str(tmp_path)]) == 2
    assert "it is a folder" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("code", "reason"), [(errno.ENOSPC, "No space left on device"), (errno.EROFS, "Read-only file system")]
)
def test_write_text_reports_full_and_read_only_disks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, reason: str
) -> None:
    import builtins

    real_open = builtins.open
    target = tmp_path / "out.csv"

    class Failing:
        def __init__(self, path: object, *args: object, **kwargs: object) -> None:
            self.handle = real_open(path, *args, **kwargs)  # type: ignore[call-overload]

        def __enter__(self) -> Failing:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, text: str) -> int:
            self.handle.write(text[:3])  # a partial write, then the disk fails
            raise OSError(code, reason)

    monkeypatch.setattr(builtins, "open", Failing)
    assert write_text(target, "task,start\n") == f"cannot write {target}: {reason}"
    monkeypatch.undo()
    assert not target.exists()  # no truncated file left behind


def test_broken_pipe_ends_quietly(tmp_path: Path) -> None:
    from schedkit.instances import taillard_jobshop
    from schedkit.models import save_problem

    big = tmp_path / "ta71.json"  # its JSON is far larger than a pipe's buffer
    save_problem(taillard_jobshop(71), big)
    assert big.stat().st_size > 4 * 65536
    process = subprocess.Popen(
        [sys.executable, "-m", "schedkit", "convert", str(big), "--to", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # like `| head -1`
    err = process.stderr.read().decode()
    code = process.wait(timeout=120)
    assert first.strip() == b"{"
    assert err == "" and code in (0, 141)  # 0 where the pipe takes everything before the reader closes


def test_broken_pipe_in_process_returns_141_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class ClosedPipe:
        """A standard output whose reader went away: every write raises, as on a closed pipe."""

        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self) -> int:
            raise ValueError("no descriptor")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["convert", str(bundled("rcpsp8.sm")), "--to", "json"]) == 141
    assert main(["solve", JS, "--json"]) == 141
    monkeypatch.undo()
    assert capsys.readouterr().err == ""


def test_json_last_line_on_an_internal_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import schedkit.solvers

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(schedkit.solvers, "solve", broken)
    assert main(["solve", JS, "--json"]) == 1
    captured = capsys.readouterr()
    assert last_json(captured.out) == {
        "status": "error",
        "message": "internal error: RuntimeError: a bug",
        "violations": [],
    }
    assert captured.err.count("\n") == 1 and "SCHEDKIT_TRACEBACK" in captured.err


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--time-limit", "5,0"], "--time-limit values must be positive and finite, got 0"),
        (["--time-limit", "inf"], "--time-limit values must be positive and finite, got inf"),
        (["--threads", "2,0"], "--threads values must be at least 1, got 0"),
    ],
)
def test_bench_option_values(
    option: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["bench", str(bundled("js3x3")), *option, "--out", str(tmp_path / "r.csv")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "r.csv").exists()
