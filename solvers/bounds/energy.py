"""``resource_energy``: the resource-time the forced tasks need must fit under the capacity profile.

For a unary or renewable resource r and the forced tasks j that use r in
every allowed mode (:mod:`.usage`): task j needs at least e_j = min over its
modes of sum(amount * length) resource-time units, all of it after its head
h_j = head(S_j) + first usage offset, and all of it before ``C - q_j``, where
C is the makespan of the term and q_j its usage tail (longest paths to the
forced ends of the term, :mod:`.temporal`). Since the load never exceeds the
capacity at any time, for every head threshold h and tail threshold q the
set J = {j : h_j >= h, q_j >= q} satisfies

    integral_h^(C - q) capacity(t) dt >= sum_{j in J} e_j,

so ``C >= T*(h, E(J)) + q`` with T* the first time the capacity available
from h reaches E(J) (:meth:`.capacity.Profile.reach`; ``h + ceil(E / c)``
without a calendar). With h = min head, q = min tail this is the classical
``min release + ceil(sum e / capacity)``; the bound is the largest over all
threshold pairs (all heads x all tails, or heads only and tails only above
``MAX_PAIRS`` tasks) and over the resources. Tasks without a path to the
term's ends have no tail and are left out (a relaxation).
"""

from __future__ import annotations

from schedkit.models import ProblemData, ResourceKind, Term, TermKind
from schedkit.solvers.bounds.bound import Bound, TermBound, lower_bound_source
from schedkit.solvers.bounds.capacity import Profile
from schedkit.solvers.bounds.temporal import end_node, makespan_context, start_node
from schedkit.solvers.bounds.usage import usage_shape, usage_tail

MAX_PAIRS = 400
"""Above this many tasks on a resource, thresholds are tried on heads alone and on tails alone."""


def _energy_on(profile: Profile, items: list[tuple[int, int, int]]) -> tuple[int, int, int, int] | None:
    """Best ``(bound, head, tail, energy)`` over the threshold pairs for items ``(head, tail, energy)``.

    None when no item exists, or when some set's energy can never be delivered (the problem is infeasible).
    """
    heads_sorted = sorted({h for h, _, _ in items})
    pairwise = len(items) <= MAX_PAIRS
    best: tuple[int, int, int, int] | None = None
    min_head = heads_sorted[0]
    for h in heads_sorted:
        chosen = sorted(((q, e) for hj, q, e in items if hj >= h), reverse=True)
        candidates: list[tuple[int, int]] = []
        if pairwise or h == min_head:
            energy = 0
            for index, (q, e) in enumerate(chosen):
                energy += e
                if index + 1 == len(chosen) or chosen[index + 1][0] != q:
                    candidates.append((q, energy))
        else:
            candidates.append((chosen[-1][0], sum(e for _, e in chosen)))
        for q, energy in candidates:
            reached = profile.reach(h, energy)
            if reached is None:
                return None
            value = reached + q
            if best is None or value > best[0]:
                best = (value, h, q, energy)
    return best


def energy_bound(problem: ProblemData, term: Term) -> TermBound | None:
    """Lower bound on a makespan term from the energy of each unary or renewable resource."""
    context = makespan_context(problem, term)
    if context is None:
        return None
    found, net, tails = context
    facts = net.facts
    best: TermBound | None = None
    for r, res in enumerate(problem.resources):
        if res.kind not in (ResourceKind.UNARY, ResourceKind.RENEWABLE):
            continue
        items = []
        for j in range(problem.num_tasks):
            if not facts.forced[j]:
                continue
            shape = usage_shape(problem, facts, j, r)
            if shape is None:
                continue
            tail = usage_tail(shape, tails[start_node(j)], tails[end_node(j)])
            if tail is not None:
                items.append((found.start(j) + shape.first, tail, shape.energy))
        if not items:
            continue
        result = _energy_on(Profile.of(res), items)
        if result is None:
            return None
        value, h, q, energy = result
        if best is None or value > best[0]:
            best = (value, f"{res.name}: energy {energy} from t={h} on the capacity profile, then tail {q}")
    return best


def resource_energy(problem: ProblemData) -> Bound | None:
    """Level 0 with a makespan term: the energy bound (see the module docstring)."""
    return lower_bound_source(problem, "resource_energy", TermKind.MAKESPAN, energy_bound)
