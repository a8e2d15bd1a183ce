"""Batch runs: every (instance, configuration, seed) of a benchmark in its own process, one row each.

>>> from schedkit.bench import Config, run_batch
>>> rows = run_batch(["j30:10", "ta:5"], [Config(time_limit=10)], seeds=1, out="results/runs.csv", jobs=2)

Each job runs in a fresh worker process (:mod:`schedkit.bench.worker`) killed
after its time limit plus a grace period, so a crash, a hang or a bad file
costs one row (status ``error`` or ``timeout`` with the cause), never the
batch. Rows (design.md, "Results"; :data:`~schedkit.bench.store.COLUMNS`) are
appended to a CSV or Parquet file as jobs finish; rows already in the file are
skipped, so an interrupted run is resumed by running the same command again.
Executors: a local pool of J workers, or Dask (:mod:`schedkit.bench.executors`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from schedkit.bench.config import Config, Job
from schedkit.bench.sets import SETS, TargetError, expand

if TYPE_CHECKING:
    import pandas

__all__ = ["SETS", "Config", "Job", "TargetError", "expand", "make_jobs", "make_row", "run_batch"]

SOLVED = frozenset({"optimal", "feasible"})


def make_jobs(targets: list[str], configs: Iterable[Config], seeds: int, format: str | None = None) -> list[Job]:
    """Every (instance, configuration, seed) of the batch, in that nesting order."""
    from schedkit.bench.sets import PODPACK_FORMAT

    configs = list(configs)
    if not configs:
        raise ValueError("no configuration to run")
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1:
        raise ValueError(f"seeds must be a positive integer, got {seeds!r}")
    jobs = []
    for set_name, path, index, instance in expand(targets, format):
        spec = SETS.get(set_name)
        if spec is not None:
            fmt = PODPACK_FORMAT if spec.multi == PODPACK_FORMAT else None
        else:
            fmt = format
        for config in configs:
            for seed in range(seeds):
                jobs.append(Job(path, fmt, index, config, seed, set_name, instance))
    return jobs


def make_row(job: Job, outcome: dict[str, Any], best_known: float | None = None) -> dict[str, Any]:
    """The results row of ``job`` from the fields its worker produced."""
    from schedkit.bench.known import deviation_pct
    from schedkit.bench.sets import family_of_set

    config = job.config
    status = outcome.get("status", "error")
    objective = outcome.get("objective")
    row: dict[str, Any] = {
        "instance": job.instance,
        "set": job.set_name,
        "family": outcome.get("family") or family_of_set(job.set_name),
        "size": outcome.get("size"),
        "config": config.name,
        "backend": config.backend_label,
        "warm_start": config.warm_start,
        "heuristic": config.heuristic,
        "time_limit": config.time_limit,
        "threads": config.threads,
        "seed": job.seed,
        "status": status,
        "objective": objective,
        "lower_bound": outcome.get("lower_bound"),
        "bound_source": outcome.get("bound_source"),
        "gap": outcome.get("gap"),
        "best_known": best_known,
        "dev_pct": deviation_pct(objective, best_known) if status in SOLVED else None,
        "wall_time": outcome.get("wall_time"),
        "time_to_best": outcome.get("time_to_best"),
        "checker": outcome.get("checker", "-"),
        "message": outcome.get("message", ""),
        "versions": outcome.get("versions"),
    }
    return row


def run_batch(
    targets: list[str],
    configs: list[Config],
    seeds: int,
    out: str,
    jobs: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    bounds: str | None = None,
    grace: float = 10.0,
    progress: bool = True,
    format: str | None = None,
) -> pandas.DataFrame:
    """Run every (instance of ``targets``, configuration, seed ``0..seeds-1``) not yet in ``out``.

    ``out`` ends in ``.csv`` or ``.parquet``; rows are appended as jobs
    finish. ``jobs`` workers run at once (``executor`` ``local`` or ``dask``;
    ``scheduler`` is a Dask scheduler address, else an embedded
    ``LocalCluster``). Best known values come from ``bounds`` (CSV
    ``instance,best_known``) and the shared benchmark folder. Each worker is
    killed after its time limit plus ``grace`` seconds. Returns all rows of
    ``out`` after the run.

    Raises
    ------
    TargetError
        A target is neither a known set nor an existing file or glob.
    ValueError
        Bad arguments (configurations, seeds, output extension, executor, bounds file).
    """
    from schedkit.bench.executors import make_executor
    from schedkit.bench.known import BestKnown
    from schedkit.bench.progress import BatchProgress
    from schedkit.bench.store import ResultStore

    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a positive integer, got {jobs!r}")
    if not grace >= 0:
        raise ValueError(f"grace must be >= 0, got {grace!r}")
    all_jobs = make_jobs(targets, configs, seeds, format)
    best = BestKnown(bounds)
    store = ResultStore(out)
    try:
        pending = [job for job in all_jobs if job.key not in store.keys]
        bar = BatchProgress(total=len(all_jobs), done=len(all_jobs) - len(pending), enabled=progress)
        try:
            if pending:
                runner = make_executor(executor, jobs, grace, scheduler)
                by_key = {job.key: job for job in pending}
                try:
                    for item in runner.results([job.to_dict() for job in pending]):
                        if item is None:
                            bar.update(running=runner.running)
                            continue
                        job = by_key[Job.from_dict(item[0]).key]
                        row = make_row(job, item[1], best(job.instance, job.path, job.index))
                        store.append(row)
                        bar.update(row, running=runner.running)
                finally:
                    runner.close()
        finally:
            bar.close()
    finally:
        store.close()
    return store.dataframe()
