"""``max_lateness``: earliest ends, and preemptive EDD on every disjunctive set.

Maximum lateness is ``max_{j in P, due} (E_j - d_j)`` (0 when no present task
of the term's subset has a due date). If some forced task of the subset has a
due date, every such task k is present, so ``L_max >= head(E_k) - d_k``
(temporal network, :mod:`.temporal`). Moreover, for a set J of forced tasks
that run one at a time (:mod:`.disjunctive`), the tasks' intervals form a
non-preemptive one-machine schedule with heads ``head(S_j)``, processing
times dmin_j and completions E_j; giving the due-dated members of the
subset the tail ``-d_j`` (the others none), Jackson's preemptive schedule
(:mod:`.one_machine`, i.e. preemptive EDD with release dates; plain EDD when
all heads are equal, where it is optimal for ``1 || L_max``) bounds
``max (E_j - d_j)`` from below. The bound is the largest of these.
"""

from __future__ import annotations

from schedkit.models import ProblemData, Term, TermKind
from schedkit.solvers.bounds.bound import Bound, TermBound, lower_bound_source
from schedkit.solvers.bounds.disjunctive import disjunctive_sets
from schedkit.solvers.bounds.one_machine import Job, jackson_preemptive
from schedkit.solvers.bounds.temporal import heads, network


def lateness_bound(problem: ProblemData, term: Term) -> TermBound | None:
    """Lower bound on a max-lateness term (see the module docstring)."""
    found = heads(problem)
    if found is None:
        return None
    facts = network(problem).facts
    members = set(range(problem.num_tasks) if term.tasks is None else term.tasks)
    due: dict[int, int] = {}  # forced members with a due date
    for j in members:
        due_date = problem.tasks[j].due_date
        if facts.forced[j] and due_date is not None:
            due[j] = due_date
    if not due:
        return None
    late = max(due, key=lambda j: found.end(j) - due[j])
    best: TermBound = (found.end(late) - due[late], f"{problem.tasks[late].name} at its earliest end")

    def tail(j: int) -> int | None:
        """Jackson's tail of task j: minus its due date (None when it is not a member with one)."""
        due_date = problem.tasks[j].due_date
        return -due_date if j in members and due_date is not None else None

    for group in disjunctive_sets(problem):
        jobs = [Job(found.start(j), facts.dmin[j], tail(j)) for j in group.tasks]
        value = jackson_preemptive(jobs, group.availability.blocked())
        if value is not None and value > best[0]:
            name = problem.resources[group.resource].name
            best = (value, f"preemptive EDD of {len(jobs)} tasks on {name}")
    return best


def max_lateness(problem: ProblemData) -> Bound | None:
    """Level 0 with a max-lateness term: earliest ends and preemptive EDD (see the module docstring)."""
    return lower_bound_source(problem, "max_lateness", TermKind.MAX_LATENESS, lateness_bound)
