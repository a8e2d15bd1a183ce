"""Throughput of the batch runner: instances per minute with 1 and 2 workers on 40 short jobs.

    python results/scripts/bench_throughput.py [--workers 1,2] [--time-limit 1] [--seeds 5] [--executor local]

The 40 jobs are the 8 bundled instances (``instances/bundled``) x 5 seeds,
CP-SAT with one thread and a 1 s limit; each job is a fresh worker process
(read, solve, check, one JSON line), so on instances this small the figure is
dominated by the per-process cost (Python start, imports), which is what
``--jobs`` parallelises. Results go to a temporary folder, one file per
worker count, so every run starts from an empty file.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from schedkit.bench import Config, run_batch
from schedkit.instances import bundled


def main() -> None:
    """Run the batch once per worker count and print instances per minute side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2", help="worker counts to compare (default 1,2)")
    parser.add_argument("--time-limit", type=float, default=1.0, help="seconds per job (default 1)")
    parser.add_argument("--seeds", type=int, default=5, help="seeds per instance (default 5: 8 x 5 = 40 jobs)")
    parser.add_argument("--executor", choices=["local", "dask"], default="local")
    args = parser.parse_args()
    targets = [str(Path(bundled("js3x3")).parent / "*")]
    config = Config(time_limit=args.time_limit, threads=1)
    print(f"{'workers':>7} {'jobs':>5} {'seconds':>8} {'inst/min':>9} {'speed-up':>8}  statuses")
    base = None
    with tempfile.TemporaryDirectory() as folder:
        for workers in [int(w) for w in args.workers.split(",")]:
            out = Path(folder) / f"runs_{workers}.csv"
            started = time.perf_counter()
            options = {"jobs": workers, "executor": args.executor, "progress": False}
            rows = run_batch(targets, [config], args.seeds, str(out), **options)
            seconds = time.perf_counter() - started
            rate = 60.0 * len(rows) / seconds
            base = base or rate
            statuses = ", ".join(f"{k} {v}" for k, v in rows["status"].value_counts().items())
            print(f"{workers:>7} {len(rows):>5} {seconds:>8.1f} {rate:>9.1f} {rate / base:>7.2f}x  {statuses}")


if __name__ == "__main__":
    main()
