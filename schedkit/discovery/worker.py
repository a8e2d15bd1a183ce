"""The child side of :mod:`schedkit.discovery.sandbox`: run one candidate program on a batch of instances.

Run as a script (``python worker.py JOB.json``), never imported by the
parent, and it imports nothing of schedkit, so the child starts in the time
it takes to import numpy. The job file holds the program path, the function
name, the limits and the instances (each a dict of integer lists, passed to
the function as read-only int64 numpy arrays, by keyword).

Before the candidate is loaded the child limits itself with
``resource.setrlimit``: ``RLIMIT_AS`` (address space, so an unbounded
allocation ends in ``MemoryError``) and ``RLIMIT_CPU`` (CPU seconds of the
whole batch; the kernel stops the process past it). Each call runs under a
``SIGALRM`` timer of ``seconds_per_instance``; when it fires, :class:`TimeUp`
(a ``BaseException``, so a candidate's ``except Exception`` does not swallow
it) ends the call. Outcomes are appended to the results file one JSON line
per instance and flushed at once, so whatever finished before a crash is kept:

``{"index": i, "output": [...], "seconds": s}``  the returned sequence;
``{"index": i, "error": "...", "kind": k, "seconds": s}``  with ``kind`` one of
``exception``, ``timeout``, ``memory``, ``output`` (not a sequence of integers);
``{"load_error": "..."}``  the program could not be loaded.

The limits guard the evaluation loop against runaway programs; they are not a
security sandbox (the program runs with the user's rights).
"""

from __future__ import annotations

import importlib.util
import json
import resource
import signal
import sys
import time
import traceback
from typing import Any


class TimeUp(BaseException):
    """The per-instance timer fired."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise TimeUp


def _limit(memory_mb: float | None, cpu_seconds: float | None) -> None:
    """Apply the limits where the platform allows it (the parent's wall-clock timeout always applies)."""
    if memory_mb is not None:
        limit = int(memory_mb * 1024 * 1024)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):  # e.g. macOS refuses RLIMIT_AS
            pass
    if cpu_seconds is not None:
        soft = max(1, int(cpu_seconds + 0.999))
        try:
            resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))
        except (ValueError, OSError):
            pass


def _describe(error: BaseException, program: str) -> str:
    """The error's type and message, after the failing line of the program when the traceback shows it."""
    frames = traceback.extract_tb(error.__traceback__)
    where = next((f"line {f.lineno}: " for f in reversed(frames) if f.filename == program), "")
    text = f"{type(error).__name__}: {error}".strip().rstrip(":")
    return (where + text)[:500]


def _as_sequence(output: Any, np: Any) -> list[int]:
    """``output`` as a list of Python ints; ``ValueError`` if it is not a flat sequence of integers."""
    array = np.asarray(output)
    if array.ndim != 1:
        raise ValueError(f"returned an array of shape {array.shape}, not a flat sequence")
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer) or array.size == 0):
        if array.dtype.kind == "f" and np.all(np.isfinite(array)) and np.all(array == np.round(array)):
            return [int(x) for x in array.tolist()]
        raise ValueError(f"returned values of type {array.dtype}, not integers")
    return [int(x) for x in array.tolist()]


def main(job_path: str) -> int:
    """Run the job described in ``job_path`` (see the module docstring)."""
    with open(job_path) as handle:
        job = json.load(handle)
    _limit(job.get("memory_mb"), job.get("cpu_seconds"))
    out = open(job["results"], "a", buffering=1)
    import numpy as np

    instances = []
    for item in job["instances"]:
        arrays = {}
        for key, values in item.items():
            array = np.asarray(values, dtype=np.int64)
            array.setflags(write=False)
            arrays[key] = array
        instances.append(arrays)
    signal.signal(signal.SIGALRM, _on_alarm)
    try:
        spec = importlib.util.spec_from_file_location("candidate_program", job["program"])
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {job['program']}")
        module = importlib.util.module_from_spec(spec)
        signal.setitimer(signal.ITIMER_REAL, float(job["seconds_per_instance"]))
        try:
            spec.loader.exec_module(module)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        function = getattr(module, job["function"], None)
        if not callable(function):
            raise AttributeError(f"the program defines no function {job['function']}()")
    except TimeUp:
        out.write(json.dumps({"load_error": "loading the program took longer than the per-instance time limit"}) + "\n")
        return 0
    except BaseException as error:  # the program failed to load: every instance fails the same way
        out.write(json.dumps({"load_error": _describe(error, job["program"])}) + "\n")
        return 0
    for index, arrays in enumerate(instances):
        started = time.perf_counter()
        record: dict[str, Any] = {"index": index}
        try:
            signal.setitimer(signal.ITIMER_REAL, float(job["seconds_per_instance"]))
            try:
                result = function(**arrays)
                try:
                    record["output"] = _as_sequence(result, np)
                except (TypeError, ValueError) as error:
                    record.update(kind="output", error=str(error)[:500])
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except TimeUp:
            record.update(kind="timeout", error=f"took longer than {job['seconds_per_instance']:g} s")
        except MemoryError:
            record.update(kind="memory", error=f"exceeded the memory limit of {job.get('memory_mb')} MB")
        except BaseException as error:
            record.update(kind="exception", error=_describe(error, job["program"]))
        record["seconds"] = round(time.perf_counter() - started, 6)
        out.write(json.dumps(record) + "\n")
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
