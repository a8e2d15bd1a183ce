"""Executors: run job dicts through :func:`~schedkit.bench.worker.run_job` and yield outcomes as they finish.

``local``: a pool of J threads, each launching one worker process at a time.
``dask``: each job is a Dask task that launches the same worker process on a
Dask worker and returns the row fields; the scheduler is ``--scheduler
ADDRESS`` or an embedded ``LocalCluster`` of J single-threaded worker
processes. Either way the driver receives outcomes as they complete and is
the only writer of the results file.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from schedkit.bench.worker import kill_running, one_line, run_job, versions
from schedkit.extras import require

Outcome = tuple[dict[str, Any], dict[str, Any]]
"""A job dict and the row fields its run produced."""

EXECUTORS = ("local", "dask")


class LocalExecutor:
    """A pool of ``workers`` threads, each running one worker process at a time."""

    def __init__(self, workers: int = 1, grace: float = 10.0) -> None:
        self.workers = max(1, int(workers))
        self.grace = grace
        self._lock = threading.Lock()
        self._running = 0

    @property
    def running(self) -> int:
        """Jobs whose worker process is running now."""
        return self._running

    def _run(self, job: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._running += 1
        try:
            return run_job(job, self.grace)
        finally:
            with self._lock:
                self._running -= 1

    def results(self, jobs: list[dict[str, Any]], poll: float = 0.5) -> Iterator[Outcome | None]:
        """Yield ``(job, outcome)`` as jobs finish, and None every ``poll`` seconds without one (for the display)."""
        pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="bench")
        futures: dict[Future[dict[str, Any]], dict[str, Any]] = {}
        try:
            futures = {pool.submit(self._run, job): job for job in jobs}
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=poll, return_when=FIRST_COMPLETED)
                if not done:
                    yield None
                for future in done:
                    yield futures[future], _outcome(future)
        finally:
            for future in futures:
                future.cancel()
            kill_running()
            pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        """Nothing to release."""


def _outcome(future: Any) -> dict[str, Any]:
    try:
        return future.result()
    except Exception as error:  # noqa: BLE001 - the launcher itself failed: one error row
        return {
            "status": "error",
            "checker": "-",
            "message": one_line(f"executor: {type(error).__name__}: {error}"),
            "versions": versions(),
        }


class DaskExecutor:
    """Jobs as Dask tasks, on the cluster at ``scheduler`` or on an embedded ``LocalCluster``."""

    def __init__(self, workers: int = 1, grace: float = 10.0, scheduler: str | None = None) -> None:
        require("distributed", "--executor dask")
        from distributed import Client, LocalCluster

        self.grace = grace
        self._cluster = None
        if scheduler:
            self._client = Client(scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=max(1, int(workers)),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self._client = Client(self._cluster)
        self._slots = max(1, sum(self._client.nthreads().values()))
        self._outstanding = 0

    @property
    def running(self) -> int:
        """Jobs running now (at most the cluster's thread count)."""
        return min(self._slots, self._outstanding)

    def results(self, jobs: list[dict[str, Any]], poll: float = 0.5) -> Iterator[Outcome | None]:
        """Yield ``(job, outcome)`` as tasks complete (``distributed.as_completed``)."""
        from distributed import as_completed

        futures = {}
        try:
            for job in jobs:
                future = self._client.submit(run_job, job, self.grace, pure=False)
                futures[future.key] = (future, job)
            self._outstanding = len(futures)
            for future in as_completed([f for f, _ in futures.values()]):
                self._outstanding -= 1
                yield futures[future.key][1], _outcome(future)
        finally:
            pending = [f for f, _ in futures.values() if not f.done()]
            if pending:
                self._client.cancel(pending)

    def close(self) -> None:
        """Close the client (and the embedded cluster)."""
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(
    kind: str, workers: int = 1, grace: float = 10.0, scheduler: str | None = None
) -> LocalExecutor | DaskExecutor:
    """The executor named ``kind`` (``local`` or ``dask``)."""
    if kind == "local":
        if scheduler:
            raise ValueError("--scheduler applies to --executor dask")
        return LocalExecutor(workers, grace)
    if kind == "dask":
        return DaskExecutor(workers, grace, scheduler)
    raise ValueError(f"unknown executor {kind!r}; expected one of {', '.join(EXECUTORS)}")
