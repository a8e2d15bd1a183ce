"""``machine_load``: the one-machine bound with heads and tails, on every disjunctive resource.

Take a unary or renewable resource r with largest capacity c, and the forced
tasks whose every allowed mode holds r with pieces of amount > c / 2 (on a
unary resource: every piece). Two such pieces can never overlap (together
they exceed c), nor run where the capacity is below the smallest of their
amounts: r acts as one machine for them. For each such task j
(:mod:`.usage`, :mod:`.temporal`):

* head r_j = head(S_j) + first usage offset (its pieces start no earlier);
* work p_j = the least total length of its pieces over its modes;
* tail q_j with ``C >= (end of its last piece) + q_j``, from the longest
  paths to the ends of the forced tasks of the makespan term
  (None when there is no such path: the job still occupies the machine).

Jackson's preemptive schedule (:mod:`.one_machine`) then bounds the
makespan from below; it dominates ``min r + sum p + min q`` over every
subset of the jobs. The bound is the largest over the resources.
"""

from __future__ import annotations

from schedkit.models import ProblemData, ResourceKind, Term, TermKind
from schedkit.solvers.bounds.bound import Bound, TermBound, lower_bound_source
from schedkit.solvers.bounds.capacity import Profile
from schedkit.solvers.bounds.one_machine import Job, jackson_preemptive
from schedkit.solvers.bounds.temporal import end_node, makespan_context, start_node
from schedkit.solvers.bounds.usage import heavy_amount, usage_shape, usage_tail


def machine_bound(problem: ProblemData, term: Term) -> TermBound | None:
    """Lower bound on a makespan term from the one-machine relaxations."""
    context = makespan_context(problem, term)
    if context is None:
        return None
    found, net, tails = context
    facts = net.facts
    best: TermBound | None = None
    for r, res in enumerate(problem.resources):
        if res.kind not in (ResourceKind.UNARY, ResourceKind.RENEWABLE):
            continue
        threshold = heavy_amount(res.max_capacity)
        jobs: list[Job] = []
        smallest = None
        for j in range(problem.num_tasks):
            if not facts.forced[j]:
                continue
            shape = usage_shape(problem, facts, j, r, threshold)
            if shape is None:
                continue
            smallest = shape.amount if smallest is None else min(smallest, shape.amount)
            tail = usage_tail(shape, tails[start_node(j)], tails[end_node(j)])
            jobs.append(Job(found.start(j) + shape.first, shape.work, tail))
        if smallest is None:
            continue
        value = jackson_preemptive(jobs, Profile.of(res).at_least(smallest).blocked())
        if value is None:
            continue
        if best is None or value > best[0]:
            best = (value, f"Jackson's preemptive schedule of {len(jobs)} tasks on {res.name}")
    return best


def machine_load(problem: ProblemData) -> Bound | None:
    """Level 0 with a makespan term: the best one-machine bound (see the module docstring)."""
    return lower_bound_source(problem, "machine_load", TermKind.MAKESPAN, machine_bound)
