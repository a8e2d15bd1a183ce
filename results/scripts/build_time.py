"""Measure IR -> CP-SAT build time (and checker time) on large generated instances.

Usage: python results/scripts/build_time.py [--repeats 5]

Prints, per instance, the median over repeats of: building the IR problem,
compiling it to a CP-SAT model (``CpSatModel``), and checking a schedule.
Targets (issue #2): compile under 1 s for a 2000-operation flexible job shop
and a 50x20 job shop. The checker verifies a sequential schedule.
"""

from __future__ import annotations

import argparse
import statistics
import time

from schedkit.instances import sd2_fjsp, taillard_jobshop
from schedkit.models import ProblemData, Solution
from schedkit.solvers import check
from schedkit.solvers.cpsat import CpSatModel


def sequential_schedule(problem: ProblemData) -> Solution:
    """Every operation one after the other in task order, mode 0: feasible for a (flexible) job shop."""
    starts, t = [], 0
    for task in problem.tasks:
        starts.append(t)
        t += task.modes[0].duration
    return Solution.from_lists(starts)


def median_time(fn, repeats: int) -> tuple[float, object]:
    """Median wall time of ``fn()`` over ``repeats`` calls, and its last result."""
    times, out = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), out


def main() -> None:
    """Print the timing table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    cases = [
        ("fjsp SD2 40x10x50 (2000 ops)", lambda: sd2_fjsp(40, 10, 50, seed=0)),
        ("jobshop ta61 50x20 (1000 ops)", lambda: taillard_jobshop(61)),
        ("jobshop ta71 100x20 (2000 ops)", lambda: taillard_jobshop(71)),
    ]
    print(f"{'instance':32} {'tasks':>6} {'modes':>6} {'IR build':>9} {'CP-SAT build':>13} {'vars':>7} {'check':>8}")
    for label, factory in cases:
        ir_time, problem = median_time(factory, args.repeats)
        build_time, compiled = median_time(lambda problem=problem: CpSatModel(problem), args.repeats)
        schedule = sequential_schedule(problem)
        check_time, violations = median_time(lambda p=problem, s=schedule: check(p, s), args.repeats)
        assert not violations
        modes = sum(len(t.modes) for t in problem.tasks)
        print(
            f"{label:32} {problem.num_tasks:>6} {modes:>6} {ir_time:8.3f}s {build_time:12.3f}s "
            f"{compiled.num_variables:>7} {1000 * check_time:6.1f}ms"
        )


if __name__ == "__main__":
    main()
