"""One batch job in its own process: ``python -m schedkit.bench.worker '<job JSON>'``.

The worker reads the instance, solves it (:func:`schedkit.solvers.solve`, or
:func:`schedkit.solvers.run_heuristic` for a heuristic configuration) and prints one
JSON line with the outcome fields of a results row. A problem with the input
or the configuration (``FormatError``, ``ModelError``, an unsupported
construct, an unknown rule) is an outcome too: status ``error`` with the
one-line message, exit code 0. The worker exits by itself when the process
that launched it disappears (so a killed batch leaves no stray solvers).

:func:`run_job` is the driver side: it launches the worker with a hard limit
(time limit + grace, then the whole process group is killed) and turns any
ending (a JSON line, a crash, a signal, a timeout) into a row dict.

Test hooks: ``SCHEDKIT_BENCH_TEST_CRASH=<instance>[,<instance>...]`` makes
the worker of those instances kill itself with SIGKILL, and
``SCHEDKIT_BENCH_TEST_HANG=...`` makes it sleep instead of solving.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

CRASH_ENV = "SCHEDKIT_BENCH_TEST_CRASH"
HANG_ENV = "SCHEDKIT_BENCH_TEST_HANG"
VERSIONED = ("schedkit", "ortools", "highspy", "pyomo")

_running: set[subprocess.Popen[str]] = set()
_running_lock = threading.Lock()


@lru_cache(maxsize=1)
def versions() -> str:
    """Installed versions of schedkit and its solvers, e.g. ``schedkit=0.1.0 ortools=9.15.6755 ...``."""
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for name in VERSIONED:
        try:
            parts.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name}=-")
    return " ".join(parts)


def one_line(text: str, limit: int = 500) -> str:
    """``text`` on a single line (newlines folded), at most ``limit`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


# --------------------------------------------------------------- worker side
def _hooked(instance: str, env: str) -> bool:
    return instance in {name.strip() for name in os.environ.get(env, "").split(",") if name.strip()}


def _watch_parent() -> None:
    """Exit as soon as the launching process is gone (we were re-parented)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(70)

    threading.Thread(target=watch, daemon=True, name="parent-watchdog").start()


def _read(job: dict[str, Any]) -> Any:
    from schedkit.bench.sets import PODPACK_FORMAT

    if job.get("format") == PODPACK_FORMAT:
        from schedkit.models.podpack import from_scenario

        scenarios = json.loads(Path(job["path"]).read_text())
        return from_scenario(scenarios[job["index"] or 0], name=job["instance"])
    from schedkit.instances import read

    return read(job["path"], format=job.get("format"), index=job.get("index"))


def solve_job(job: dict[str, Any]) -> dict[str, Any]:
    """Read and solve one job in this process; return the outcome fields of its row."""
    from schedkit.bench.config import parse_method
    from schedkit.instances import FormatError
    from schedkit.models import ModelError
    from schedkit.solvers import UnsupportedFeature, run_heuristic, solve

    config = job["config"]
    out: dict[str, Any] = {"status": "error", "checker": "-", "message": ""}
    started = time.perf_counter()
    try:
        problem = _read(job)
        out.update(family=problem.family, size=problem.num_tasks)
        if config.get("heuristic"):
            result = run_heuristic(problem, config["heuristic"], seed=job["seed"])
        else:
            method, method_options = parse_method(config["method"]) if config.get("method") else (None, {})
            result = solve(
                problem,
                backend=config["backend"],
                time_limit=config["time_limit"],
                threads=config["threads"],
                seed=job["seed"],
                warm_start=config.get("warm_start"),
                method=method,
                **method_options,
            )
    except OSError as error:
        out["message"] = one_line(f"{job['path']}: cannot read: {error.strerror or error}")
    except (FormatError, ModelError, UnsupportedFeature, ValueError, TypeError, KeyError, IndexError) as error:
        out["message"] = one_line(str(error) or type(error).__name__)
    except Exception as error:  # noqa: BLE001 - any failure is one row, never the batch
        out["message"] = one_line(f"{type(error).__name__}: {error}")
    else:
        out.update(
            status=result.status.value,
            objective=result.objective,
            lower_bound=result.lower_bound,
            bound_source=result.bound_source,
            gap=result.gap,
            wall_time=result.wall_time,
            time_to_best=result.time_to_best,
            checker="passed" if result.ok else ("failed" if result.violations else "-"),
            message=one_line(result.message or "; ".join(v.message for v in result.violations)),
        )
    out.setdefault("wall_time", time.perf_counter() - started)
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point of the worker process: solve the job given as JSON, print one JSON line."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m schedkit.bench.worker '<job JSON>'", file=sys.stderr)
        return 2
    _watch_parent()
    job = json.loads(argv[0])
    if _hooked(job["instance"], CRASH_ENV):
        os.kill(os.getpid(), signal.SIGKILL)
    if _hooked(job["instance"], HANG_ENV):
        time.sleep(3600)
    out = solve_job(job)
    out["versions"] = versions()
    sys.stdout.write(json.dumps(out, default=float) + "\n")
    sys.stdout.flush()
    return 0


# --------------------------------------------------------------- driver side
def _kill_group(process: subprocess.Popen[str]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def kill_running() -> None:
    """Kill every worker process launched by :func:`run_job` in this process and still running."""
    with _running_lock:
        processes = list(_running)
    for process in processes:
        _kill_group(process)


def _last_json(stdout: str) -> dict[str, Any] | None:
    for line in reversed(stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                data = json.loads(line)
            except ValueError:
                return None
            return data if isinstance(data, dict) else None
    return None


def run_job(job: dict[str, Any], grace: float = 10.0) -> dict[str, Any]:
    """Run ``job`` (a :meth:`Job.to_dict`) in a fresh worker process; return its row fields.

    The worker is killed (its whole process group) after the configuration's
    time limit plus ``grace`` seconds: status ``timeout``. A worker that dies
    without printing its line gives status ``error`` with the signal or the
    exit code and the last line of its standard error.
    """
    limit = float(job["config"]["time_limit"]) + float(grace)
    command = [sys.executable, "-m", "schedkit.bench.worker", json.dumps(job)]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    with _running_lock:
        _running.add(process)
    timed_out = False
    try:
        try:
            stdout, stderr = process.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(process)
            stdout, stderr = process.communicate()
    finally:
        _kill_group(process)  # helpers the worker may have left behind
        with _running_lock:
            _running.discard(process)
    elapsed = time.perf_counter() - started
    data = None if timed_out else _last_json(stdout)
    if data is not None and process.returncode == 0:
        return data
    row: dict[str, Any] = {"status": "error", "checker": "-", "wall_time": elapsed, "versions": versions()}
    if timed_out:
        row["status"] = "timeout"
        row["message"] = f"killed after {limit:g} s (time limit {job['config']['time_limit']:g} s + grace {grace:g} s)"
    elif process.returncode < 0:
        try:
            name = signal.Signals(-process.returncode).name
        except ValueError:
            name = str(-process.returncode)
        row["message"] = f"worker killed by signal {name}"
    else:
        tail = [line for line in stderr.splitlines() if line.strip()]
        row["message"] = one_line(
            f"worker exited with code {process.returncode}" + (f": {tail[-1]}" if tail else ", no output")
        )
    return row


if __name__ == "__main__":
    raise SystemExit(main())
