"""The Gantt charts shown in the documentation: a 10 x 10 job shop and a flexible job shop, solved by CP-SAT.

    python results/scripts/docs_figures.py [--time-limit 10] [--threads 1] [--out docs/images]

Instances come from the seeded generators (no benchmark files needed):
``random_jobshop(10, 10, seed=1)`` and ``sd2_fjsp(10, 5, 6, seed=1)``. Each
schedule passes the checker before it is drawn; the script prints the
objective, bound and status of both.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import schedkit as sk
from schedkit.instances import random_jobshop, sd2_fjsp


def main() -> None:
    """Solve both instances and write their charts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[2] / "docs" / "images"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cases = [
        ("jobshop_10x10.png", random_jobshop(10, 10, seed=1, name="random 10x10")),
        ("fjsp_10x5.png", sd2_fjsp(10, 5, 6, seed=1, name="sd2 10 jobs x 5 machines")),
    ]
    for filename, problem in cases:
        result = sk.solve(problem, time_limit=args.time_limit, threads=args.threads)
        assert result.solution is not None and sk.check(problem, result.solution) == []
        sk.plot(problem, result.solution, out / filename)
        print(
            f"{filename}: {problem.name}, {problem.num_tasks} operations, {result.status.value}, "
            f"makespan {result.objective}, bound {result.lower_bound}, {result.wall_time:.1f} s"
        )


if __name__ == "__main__":
    main()
