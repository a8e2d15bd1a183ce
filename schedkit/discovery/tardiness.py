"""The discovery specification for single-machine total tardiness, ``1 || sum T_j``.

The evolved function is ``sequence(p, d, w)``: processing times, due dates
and weights of n jobs (read-only int64 numpy arrays; the suite is unweighted,
so ``w`` is all ones) in, the processing order out (every job index
``0..n-1`` exactly once). As in Cetinkaya et al. (arXiv 2510.24013), whose
EDD and MDD challengers came out of such a search, instances come from the
standard generator of Potts & Van Wassenhove
(:func:`schedkit.instances.generators.tardiness.tardiness_classes`: the 25
TF x RDD classes, ``per_class`` instances each) at n = 20, 100, 200 and 500,
and an answer is scored by its gap to the optimum that
:func:`schedkit.solvers.exact_tardiness.solve_exact_tardiness` proves.

The parent process, not the candidate, turns a valid order into a schedule
(:func:`schedkit.heuristics.tardiness.schedule`), has the independent checker
verify it and takes the objective from the checker.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from schedkit.discovery.spec import Reference, Specification, SuiteInstance
from schedkit.heuristics.tardiness import job_arrays, schedule
from schedkit.instances.generators.tardiness import tardiness_classes
from schedkit.solvers import check, evaluate
from schedkit.solvers.exact_tardiness import solve_exact_tardiness

__all__ = ["DESCRIPTION", "TARDINESS", "tardiness_instances"]

DESCRIPTION = """\
Single-machine total tardiness (1 || sum T_j). One machine processes n jobs one at a time, without
preemption or idle time, in the order you return. Job j has processing time p[j] and due date d[j]; it
completes at C_j, the sum of the processing times up to and including it, and its tardiness is
T_j = max(0, C_j - d[j]). The goal is the order with the least total weighted tardiness sum_j w[j] T_j
(here every weight w[j] is 1).

Contract: a Python file defining `sequence(p, d, w)`. p, d and w are read-only numpy int64 arrays of
length n (do not modify them). Return the processing order: a list or 1-D array containing every job index
0..n-1 exactly once. Instances have n = 20 to 500 jobs, p[j] in 1..100, due dates spread around a fraction
of the total processing time (the Potts & Van Wassenhove TF x RDD classes). Each call has a time limit;
an answer that repeats or misses a job, raises, times out or exhausts memory is penalised. Score: the mean
gap (value - optimum) / optimum in percent over the instances, lower is better.
"""


def tardiness_instances(sizes: Sequence[int], per_class: int = 1, seed: int = 0) -> list[SuiteInstance]:
    """The seeded suite: for each n, the 25 TF x RDD classes of the standard generator, unweighted."""
    out = []
    for n in sizes:
        for problem in tardiness_classes(n, per_class=per_class, seed=seed, weighted=False):
            jobs = job_arrays(problem)
            out.append(SuiteInstance(problem.name, f"n={n}", {"p": jobs.p, "d": jobs.d, "w": jobs.w}, problem))
    return out


def check_sequence(instance: SuiteInstance, output: list[int]) -> str | None:
    """Why ``output`` is not a processing order of the instance's jobs (None when it is)."""
    n = int(instance.arrays["p"].shape[0])
    wrong = [j for j in output if not 0 <= j < n]
    if wrong:
        return f"job index {wrong[0]} is outside 0..{n - 1}"
    counts = np.bincount(np.asarray(output, dtype=np.int64), minlength=n)
    repeated = np.nonzero(counts > 1)[0].tolist()
    missing = np.nonzero(counts == 0)[0].tolist()
    parts = []
    if repeated:
        parts.append(f"job{'s' if len(repeated) > 1 else ''} {', '.join(map(str, repeated[:5]))} repeated")
    if missing:
        parts.append(f"job{'s' if len(missing) > 1 else ''} {', '.join(map(str, missing[:5]))} missing")
    if parts:
        return f"returned {len(output)} indices for {n} jobs: " + "; ".join(parts)
    return None


def total_tardiness(instance: SuiteInstance, output: list[int]) -> int:
    """The checker's objective of the left-justified schedule of the order ``output`` (a valid order)."""
    solution = schedule(instance.problem, output)
    violations = check(instance.problem, solution)
    if violations:  # cannot happen for a permutation; kept so a bug never scores
        raise AssertionError(f"{instance.name}: the schedule of a valid order fails the checker: {violations[0]}")
    return int(evaluate(instance.problem, solution)[0])


def exact_reference(instance: SuiteInstance, time_limit: float | None) -> Reference:
    """The optimum proven by the exact method (its lower bound when it runs out of ``time_limit``)."""
    certificate = solve_exact_tardiness(instance.problem, time_limit)
    value = certificate.optimum if certificate.proven and certificate.optimum is not None else certificate.lower_bound
    return Reference(int(value), certificate.proven, certificate.seconds)


TARDINESS = Specification(
    name="tardiness",
    function="sequence",
    signature="sequence(p, d, w) -> list[int]",
    description=DESCRIPTION,
    template=Path(__file__).with_name("templates") / "tardiness.py",
    default_sizes=(20, 100, 200, 500),
    instances=tardiness_instances,
    check_output=check_sequence,
    objective=total_tardiness,
    reference=exact_reference,
)
"""The single-machine total tardiness specification."""
