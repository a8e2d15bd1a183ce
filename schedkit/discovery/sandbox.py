"""Run a candidate program file in a separate process with time and memory limits.

:func:`run_program` writes a job file, starts ``python worker.py JOB`` (see
:mod:`schedkit.discovery.worker`) and reads back one :class:`Outcome` per
instance. Three limits apply, so that no candidate can stop the caller:

* per instance, a wall-clock timer in the child (``seconds_per_instance``);
* for the whole batch, ``RLIMIT_CPU`` in the child and a wall-clock timeout in
  the parent (``seconds_per_instance`` times the number of instances plus
  ``startup_seconds``), after which the parent kills the child;
* ``RLIMIT_AS`` (``memory_mb``) in the child (Linux; a platform that refuses
  it runs without a memory limit).

What the candidate prints is discarded (its standard output goes to
``/dev/null``, so a program printing in a loop cannot fill the parent's
memory); the last lines of its standard error explain a crash.

Whatever the child finished before it died is kept; every instance it did
not reach gets an outcome of kind ``killed`` saying why the process ended.
BLAS and OpenMP thread pools are pinned to one thread in the child, so the
memory limit is not spent on thread stacks and the CPU limit counts one core.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["WORKER", "Limits", "Outcome", "run_program"]

WORKER = Path(__file__).with_name("worker.py")
"""The child script."""

_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


@dataclass(frozen=True)
class Limits:
    """Resource limits of one evaluation (see the module docstring)."""

    seconds_per_instance: float = 10.0
    memory_mb: float | None = 2048.0
    startup_seconds: float = 20.0

    def total_seconds(self, count: int) -> float:
        """Wall-clock budget of a batch of ``count`` instances."""
        return self.seconds_per_instance * max(count, 1) + self.startup_seconds


@dataclass(frozen=True)
class Outcome:
    """What one call of the candidate gave: ``output`` (a list of ints) or ``kind`` and ``error``.

    ``kind`` is ``ok``, ``exception``, ``timeout``, ``memory``, ``output``
    (the return value is not a sequence of integers), ``load`` (the program
    could not be loaded) or ``killed`` (the process ended before this instance).
    """

    kind: str
    output: list[int] | None = None
    error: str = ""
    seconds: float = 0.0


def _child_environment() -> dict[str, str]:
    env = dict(os.environ)
    for name in _THREAD_VARIABLES:
        env[name] = "1"
    return env


def _tail(path: Path, size: int = 4096) -> str:
    """The last ``size`` bytes of a file, as text."""
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - size))
        return handle.read().decode(errors="replace")


def _death(returncode: int | None, timed_out: bool, stderr: str, limits: Limits, count: int) -> str:
    """Why the child ended early, in one sentence."""
    if timed_out:
        return f"killed after {limits.total_seconds(count):g} s, the wall-clock budget of the batch"
    assert returncode is not None
    if returncode < 0:
        name = signal.Signals(-returncode).name if -returncode in signal.valid_signals() else str(-returncode)
        hint = " (CPU time limit)" if name == "SIGXCPU" else " (probably the memory limit)" if name == "SIGKILL" else ""
        return f"process killed by {name}{hint}"
    tail = stderr.strip().splitlines()[-1][:300] if stderr.strip() else "no message"
    return f"process exited with code {returncode} before finishing: {tail}"


def run_program(
    program: str | Path,
    function: str,
    instances: Sequence[Mapping[str, np.ndarray]],
    limits: Limits | None = None,
) -> list[Outcome]:
    """Call ``function`` of the program file ``program`` on every instance, in a child process.

    Each instance is a mapping of argument names to integer arrays (passed by
    keyword, read-only). Returns one :class:`Outcome` per instance, in order;
    never raises because of the program.
    """
    limits = limits if limits is not None else Limits()
    program = Path(program).resolve()
    count = len(instances)
    with tempfile.TemporaryDirectory(prefix="schedkit-discover-") as tmp:
        results = Path(tmp) / "results.jsonl"
        job = {
            "program": str(program),
            "function": function,
            "seconds_per_instance": limits.seconds_per_instance,
            "memory_mb": limits.memory_mb,
            "cpu_seconds": limits.total_seconds(count),
            "results": str(results),
            "instances": [{key: np.asarray(value).tolist() for key, value in item.items()} for item in instances],
        }
        job_path = Path(tmp) / "job.json"
        job_path.write_text(json.dumps(job))
        timed_out = False
        returncode: int | None = None
        errors = Path(tmp) / "stderr.txt"
        with open(errors, "wb") as error_file:
            try:
                completed = subprocess.run(
                    [sys.executable, str(WORKER), str(job_path)],
                    stdout=subprocess.DEVNULL,
                    stderr=error_file,
                    timeout=limits.total_seconds(count),
                    env=_child_environment(),
                    cwd=tmp,
                )
                returncode = completed.returncode
            except subprocess.TimeoutExpired:
                timed_out = True
        stderr = _tail(errors)
        lines = results.read_text().splitlines() if results.exists() else []
    outcomes: dict[int, Outcome] = {}
    for line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by the child's death
        if "load_error" in record:
            return [Outcome("load", error=f"the program could not be loaded: {record['load_error']}")] * count
        seconds = float(record.get("seconds", 0.0))
        if "output" in record:
            outcomes[record["index"]] = Outcome("ok", output=record["output"], seconds=seconds)
        else:
            outcomes[record["index"]] = Outcome(record["kind"], error=record["error"], seconds=seconds)
    if len(outcomes) < count:
        reason = _death(returncode, timed_out, stderr, limits, count)
        if returncode == 0 and not timed_out:
            reason = "the worker ended without reporting this instance"
        for index in range(count):
            outcomes.setdefault(index, Outcome("killed", error=reason))
    return [outcomes[index] for index in range(count)]
