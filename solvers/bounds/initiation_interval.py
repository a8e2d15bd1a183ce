"""``ii_bound``: the initiation interval of a cyclic schedule is at least max(ii_min, ResMII, RecMII).

* **ResMII.** On a modulo resource of capacity c, the usages of one iteration
  are counted at the residues modulo II (a usage of length L covers the
  residues L times in total), so summing the constraint ``load(r) <= c`` over
  the II residues gives ``sum amount * length <= II * c``. With e_j the least
  energy of forced task j over its allowed modes (:mod:`.usage`),
  ``II >= ceil(sum_j e_j / c)``.
* **RecMII.** For a given II every precedence between forced tasks is an arc
  of weight ``lag - distance * II`` (plus the transfer lag when it always
  applies) in the temporal network (:mod:`.temporal`, with minimum and
  maximum durations linking starts and ends, releases, pinned starts,
  deadlines and the horizon). II is infeasible when the network has a
  positive cycle or a head above an upper limit; since the weights only
  decrease as II grows, the feasible IIs form an interval ``[RecMII, ...)``
  and a binary search over ``[max(ii_min, ResMII), ii_max]`` finds RecMII.

Everything is computed from the IR, never from ``meta``. When no II up to
``ii_max`` passes, the problem is infeasible and nothing is claimed.
"""

from __future__ import annotations

from schedkit.models import ProblemData, ResourceKind, Term, TermKind
from schedkit.solvers.bounds.bound import Bound, Side, TermBound, level_bound
from schedkit.solvers.bounds.facts import task_facts
from schedkit.solvers.bounds.temporal import TemporalNetwork
from schedkit.solvers.bounds.usage import usage_shape


def res_mii(problem: ProblemData) -> tuple[int, str] | None:
    """ResMII over the modulo resources and the resource that sets it (None = no II fits the energy)."""
    facts = task_facts(problem)
    best, where = 0, ""
    for r, res in enumerate(problem.resources):
        if res.kind is not ResourceKind.MODULO:
            continue
        energy = 0
        for j in range(problem.num_tasks):
            if facts.forced[j]:
                shape = usage_shape(problem, facts, j, r)
                energy += shape.energy if shape is not None else 0
        if energy == 0:
            continue
        if res.capacity == 0:
            return None
        need = -(-energy // res.capacity)
        if need > best:
            best, where = need, res.name
    return best, where


def _feasible(problem: ProblemData, ii: int) -> bool:
    return TemporalNetwork(problem, ii).heads() is not None


def ii_lower_bound(problem: ProblemData) -> TermBound | None:
    """Lower bound on the initiation interval (see the module docstring)."""
    cycle = problem.cycle
    if cycle is None:
        return None
    resource = res_mii(problem)
    if resource is None:
        return None
    res_value, res_name = resource
    low = max(cycle.ii_min, res_value)
    if low > cycle.ii_max or not _feasible(problem, cycle.ii_max):
        return None
    if _feasible(problem, low):
        rec = low
    else:
        bad, good = low, cycle.ii_max  # invariant: bad infeasible, good feasible
        while good - bad > 1:
            middle = (bad + good) // 2
            if _feasible(problem, middle):
                good = middle
            else:
                bad = middle
        rec = good
    parts = [f"ii_min {cycle.ii_min}", f"ResMII {res_value}" + (f" ({res_name})" if res_name else "")]
    parts.append(f"recurrences allow no II below {rec}")
    return rec, ", ".join(parts)


def ii_bound(problem: ProblemData) -> Bound | None:
    """Level 0 with an initiation-interval term: max(ii_min, ResMII, RecMII)."""

    def improve(term: Term, side: Side) -> TermBound | None:
        if side is Side.LOWER and term.kind is TermKind.INITIATION_INTERVAL:
            return ii_lower_bound(problem)
        return None

    return level_bound(problem, "ii_bound", improve)
