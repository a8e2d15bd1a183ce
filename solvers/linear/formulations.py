"""Choose and build the MIP formulation that fits a problem's structure.

The rule (``formulation=None``):

1. cyclic problems: ``modulo`` (time-indexed at a fixed II, II enumerated);
2. no timed task: ``assignment`` (the direct 0/1 model of packing and selection);
3. machines only (unary resources, budgets, bins; no renewable capacity, no
   reservation tables, no optional tasks) on two or more machines:
   ``disjunctive``, the model of choice for shops;
4. one machine: ``time_indexed`` while it has at most
   :data:`TIME_INDEXED_LIMIT` pulse variables (its LP bound is the strongest
   known for single-machine tardiness), else ``positional``;
5. otherwise ``time_indexed`` (RCPSP, calendars, optional timed tasks), up to
   :data:`TIME_INDEXED_MAX` pulse variables.

Every choice is checked against the capability matrix first, so a request
the formulation cannot honour fails before any model is built.
"""

from __future__ import annotations

from schedkit.models import ProblemData, Sense, TermKind
from schedkit.solvers.capabilities import MIP_FORMULATIONS, UnsupportedFeature, features, missing, require
from schedkit.solvers.linear.disjunctive import Disjunctive
from schedkit.solvers.linear.encoding import TaskEncoding
from schedkit.solvers.linear.positional import Positional, single_machine
from schedkit.solvers.linear.time_indexed import TimeIndexed, time_indexed_size

TIME_INDEXED_LIMIT = 50_000
"""Above this many pulse variables a single machine gets the positional model."""

TIME_INDEXED_MAX = 3_000_000
"""The time-indexed model is never built with more pulse variables than this."""


def choose(problem: ProblemData, requested: str | None = None) -> str:
    """The formulation for ``problem``: ``requested`` if it supports the problem, else the rule above."""
    used = features(problem)
    if requested is not None:
        if requested not in MIP_FORMULATIONS:
            raise ValueError(f"unknown MIP formulation '{requested}'; choose from {', '.join(MIP_FORMULATIONS)}")
        require(problem, requested)
        if requested == "positional" and single_machine(problem) is None:
            raise UnsupportedFeature("positional", ["structure"], "needs one unary machine used by every task")
        _check_size(problem, requested)
        return requested
    candidates = [f for f in MIP_FORMULATIONS if not missing(problem, f, used)]
    if not candidates:
        closest = min(MIP_FORMULATIONS, key=lambda f: len(missing(problem, f, used)))
        raise UnsupportedFeature(
            "mip", missing(problem, closest, used), f"closest formulation: {closest}; backend 'cpsat' supports all"
        )
    if "modulo" in candidates and problem.is_cyclic:
        return "modulo"
    if "assignment" in candidates:
        return "assignment"
    machine = single_machine(problem)
    if machine is not None:
        if "time_indexed" in candidates and time_indexed_size(problem) <= TIME_INDEXED_LIMIT:
            return "time_indexed"
        if "positional" in candidates:
            return "positional"
    if "disjunctive" in candidates and machine is None:
        return "disjunctive"
    if "time_indexed" in candidates:
        _check_size(problem, "time_indexed")
        return "time_indexed"
    return candidates[0]


def _check_size(problem: ProblemData, formulation: str) -> None:
    if formulation not in ("time_indexed", "modulo"):
        return
    size = time_indexed_size(problem)
    if size > TIME_INDEXED_MAX:
        raise UnsupportedFeature(
            formulation,
            ["horizon"],
            f"the time-indexed model would have {size:,} pulse variables (limit {TIME_INDEXED_MAX:,}); "
            "use backend 'cpsat' or a shorter horizon",
        )


def build(problem: ProblemData, formulation: str, ii: int = 0) -> TaskEncoding:
    """Build the encoding of ``problem`` in ``formulation`` (``ii``: the fixed II of a cyclic problem)."""
    encoding: TaskEncoding
    if formulation in ("time_indexed", "assignment", "modulo"):
        encoding = TimeIndexed(problem, ii)
    elif formulation == "disjunctive":
        encoding = Disjunctive(problem)
    elif formulation == "positional":
        encoding = Positional(problem)
    else:
        raise ValueError(f"unknown MIP formulation '{formulation}'")
    encoding.finish()
    return encoding


def ii_first(problem: ProblemData) -> bool:
    """Whether the first level minimises the initiation interval alone."""
    levels = problem.objective.levels
    if not levels:
        return True
    terms = levels[0].terms
    return all(t.kind == TermKind.INITIATION_INTERVAL for t in terms) and all(
        (t.weight > 0) == (levels[0].sense == Sense.MINIMIZE) for t in terms
    )
