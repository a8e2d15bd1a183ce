r"""Makespan bounds by shaving: tests whether some schedule ends by ``t``.

For a problem whose only objective is the makespan over all tasks,

.. math::

    \exists\ \text{schedule with } C_{\max} \le t
    \iff \text{the same problem with horizon } t \text{ is feasible},

because the horizon bounds every end time (:attr:`ProblemData.effective_horizon`).
Destructive improvement (Klein & Scholl, 1999) tests ``t = LB, LB + 1, ...``
below the best known makespan ``UB``: each infeasibility proof raises the
bound by one, and a schedule found at ``t = LB`` is optimal (its makespan is
at most a proven bound). The test problem is much smaller than the
optimisation problem (every start lies in ``[0, t - p]``), and CP-SAT gets
an LP with cuts built eagerly (:data:`SHAVE_PARAMS`), which is where the
proof comes from on small flexible job shops: Kacem's 15 x 10 instance
(optimum 11, every load bound 10) is shown infeasible at ``t = 10`` in 21 s
on one worker, where CP-SAT's optimisation run needs 52-54 s on two to
prove 11.

Only what the backend proves is used: an INFEASIBLE answer of CP-SAT is
re-checked by the backend itself (``solve_cpsat``), and a schedule found is
returned for the caller's checker.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any

from schedkit.models import ProblemData, Sense, Solution, TermKind
from schedkit.solvers.backends import Backend, CpSatOptions, run_backend
from schedkit.solvers.result import Status

SHAVE_PARAMS: dict[str, Any] = {"linearization_level": 2, "add_lp_constraints_lazily": False}
"""CP-SAT parameters of a shaving test: the full LP relaxation with cuts, all rows at once. On Kacem's
15 x 10 (``t = 10``, one worker): default 42.6 s, ``linearization_level`` 2 alone 30.1 s, both 21.4-22.6 s."""


def makespan_only(problem: ProblemData) -> bool:
    """Whether the objective is one level minimising the makespan over all tasks (shaving's premise)."""
    levels = problem.objective.levels
    if len(levels) != 1 or levels[0].sense != Sense.MINIMIZE or len(levels[0].terms) != 1:
        return False
    term = levels[0].terms[0]
    return term.kind == TermKind.MAKESPAN and term.tasks is None and term.weight > 0


@dataclass
class ShaveTest:
    """One test ``C_max <= t``: the backend's answer and its time."""

    horizon: int
    status: str
    seconds: float


@dataclass
class Shaving:
    """What shaving established: a proven ``bound``, and a ``solution`` if one ended by a tested ``t``."""

    bound: int
    solution: Solution | None = None
    tests: list[ShaveTest] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (the schedule is left out)."""
        return {"bound": self.bound, "tests": [dataclasses.asdict(t) for t in self.tests]}


def shave(
    problem: ProblemData,
    lower: int,
    upper: int,
    backend: Backend,
    backend_options: Any,
    *,
    time_limit: float | None,
    threads: int | None,
    seed: int,
) -> Shaving:
    """Raise the makespan bound ``lower`` towards ``upper`` (the best known makespan) by tests ``C_max <= t``.

    Tests ``t = lower, lower + 1, ..., upper - 1`` while each proves
    infeasible and time is left; stops at the first schedule found (optimal:
    ``t`` was a proven bound) or the first unproven test. ``time_limit``
    covers all tests. Raises ``ValueError`` unless the objective is the
    makespan alone (:func:`makespan_only`).
    """
    if not makespan_only(problem):
        raise ValueError(f"problem '{problem.name}': shaving needs one level minimising the makespan of all tasks")
    started = time.perf_counter()
    options = backend_options
    if isinstance(options, CpSatOptions):
        options = dataclasses.replace(options, params={**SHAVE_PARAMS, **(options.params or {})})
    out = Shaving(lower)
    for t in range(lower, upper):
        left = None if time_limit is None else time_limit - (time.perf_counter() - started)
        if left is not None and left <= 0.05:
            break
        step = time.perf_counter()
        test = dataclasses.replace(problem, horizon=t, name=f"{problem.name}@C<={t}")
        outcome = run_backend(
            backend,
            test,
            options,
            time_limit=left,
            threads=threads,
            seed=seed,
            warm_start=None,
            callback=None,
            time_split=None,
        )
        out.tests.append(ShaveTest(t, outcome.status.value, round(time.perf_counter() - step, 3)))
        if outcome.status == Status.INFEASIBLE:
            out.bound = t + 1
            continue
        if outcome.solution is not None and outcome.status.has_solution:
            out.solution = outcome.solution
        break
    return out
