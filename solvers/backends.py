"""The backends behind :func:`schedkit.solvers.solve`, each with its typed options.

A backend is a name, an options dataclass and a ``run`` function. The options
a user passes to ``solve(problem, backend=..., **options)`` are checked
against the backend's dataclass before anything is solved: a misspelt or
foreign option (``solver="cbc"`` on CP-SAT, ``formulation=`` on CP-SAT, a
CP-SAT parameter that does not exist, a MIP solver that is not installed)
raises ``ValueError`` naming the option and the accepted ones.

Every ``run`` has the signature ``run(problem, *, time_limit, threads, seed,
warm_start, callback, time_split, options) -> BackendOutcome`` and solves the
levels with :func:`schedkit.solvers.lexicographic.solve_levels` (the LP
backend bounds the first level only).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from schedkit.models import ProblemData, Solution
from schedkit.solvers.capabilities import MIP_FORMULATIONS
from schedkit.solvers.lexicographic import TimeSplit
from schedkit.solvers.result import BackendOutcome, Progress

DEFAULT_MIP_SOLVER = "appsi_highs"
DIRECT_MIP_SOLVER = "highspy"
_HIGHS_NAMES = (DEFAULT_MIP_SOLVER, "highs_appsi", DIRECT_MIP_SOLVER)
_OTHER_MIP_SOLVERS = ("cbc", "glpk", "highs", "scip", "gurobi", "gurobi_direct", "cplex", "cplex_direct", "xpress")
"""Pyomo solver names looked for when listing what is installed."""


@dataclass(frozen=True)
class CpSatOptions:
    """Options of the ``cpsat`` backend.

    Attributes
    ----------
    log
        Print CP-SAT's search log.
    params
        CP-SAT parameters by name (``{"num_search_workers": 8}``, any field of
        ``SatParameters``).
    """

    log: bool = False
    params: Mapping[str, Any] | None = None

    def validate(self) -> None:
        """Reject parameter names CP-SAT does not have."""
        if not self.params:
            return
        from ortools.sat import sat_parameters_pb2

        known = set(sat_parameters_pb2.SatParameters.DESCRIPTOR.fields_by_name)
        unknown = sorted(set(self.params) - known)
        if unknown:
            raise ValueError(f"CP-SAT has no parameter {', '.join(map(repr, unknown))} (see SatParameters)")


@dataclass(frozen=True)
class MipOptions:
    """Options of the ``mip`` backend.

    Attributes
    ----------
    solver
        ``appsi_highs`` (HiGHS through Pyomo, the default), ``highspy`` (the
        same model handed to HiGHS directly) or any installed Pyomo solver.
    formulation
        Force one of the MIP formulations (default: chosen by structure).
    log
        Stream the solver's log.
    """

    solver: str = DEFAULT_MIP_SOLVER
    formulation: str | None = None
    log: bool = False

    def validate(self) -> None:
        """Reject an unknown formulation or a solver that is not installed."""
        _check_formulation(self.formulation)
        if self.solver not in _HIGHS_NAMES and not _pyomo_solver_available(self.solver):
            raise ValueError(
                f"MIP solver {self.solver!r} is not installed; installed: {', '.join(installed_mip_solvers())}"
            )


@dataclass(frozen=True)
class LpOptions:
    """Options of the ``lp`` backend (the LP relaxation, solved by HiGHS directly).

    Attributes
    ----------
    formulation
        Force one of the MIP formulations to relax (default: chosen by structure).
    log
        Stream HiGHS's log.
    """

    formulation: str | None = None
    log: bool = False

    def validate(self) -> None:
        """Reject an unknown formulation."""
        _check_formulation(self.formulation)


def _check_formulation(name: str | None) -> None:
    if name is not None and name not in MIP_FORMULATIONS:
        raise ValueError(f"unknown formulation {name!r}; one of: {', '.join(MIP_FORMULATIONS)}")


@cache
def _pyomo_solver_available(name: str) -> bool:
    import pyomo.environ as pyo

    try:
        factory = pyo.SolverFactory(name)
        return bool(factory is not None and factory.available(exception_flag=False))
    except Exception:  # an unknown name or a broken installation: not available
        return False


def installed_mip_solvers() -> list[str]:
    """The MIP solvers usable here: the HiGHS ones and every installed Pyomo solver of a known list."""
    return [
        DEFAULT_MIP_SOLVER,
        DIRECT_MIP_SOLVER,
        *(name for name in _OTHER_MIP_SOLVERS if _pyomo_solver_available(name)),
    ]


RunFunction = Callable[..., BackendOutcome]


@dataclass(frozen=True)
class Backend:
    """A backend: its name, what it is for, its options type and its run function."""

    name: str
    description: str
    options: type
    run: RunFunction

    @property
    def option_names(self) -> list[str]:
        """The options the backend accepts."""
        return [f.name for f in dataclasses.fields(self.options)]

    def parse_options(self, options: Mapping[str, Any]) -> Any:
        """The options as the backend's dataclass; ``ValueError`` naming anything it does not accept."""
        unknown = sorted(set(options) - set(self.option_names))
        if unknown:
            names = ", ".join(f"{name}=" for name in unknown)
            raise ValueError(
                f"backend {self.name!r} does not take {names}; its options: {', '.join(self.option_names)}"
            )
        parsed = self.options(**options)
        parsed.validate()
        return parsed


def _run_cpsat(problem: ProblemData, *, options: CpSatOptions, **common: Any) -> BackendOutcome:
    from schedkit.solvers.cpsat import solve_cpsat

    params = dict(options.params) if options.params else None
    return solve_cpsat(problem, log=options.log, params=params, **common)


def _run_mip(problem: ProblemData, *, options: MipOptions, **common: Any) -> BackendOutcome:
    entered = time.perf_counter()  # importing Pyomo (seconds) counts against the time limit
    from schedkit.solvers.mip import solve_mip

    return solve_mip(
        problem, solver=options.solver, formulation=options.formulation, log=options.log, started=entered, **common
    )


def _run_lp(problem: ProblemData, *, options: LpOptions, **common: Any) -> BackendOutcome:
    entered = time.perf_counter()
    from schedkit.solvers.lp import solve_lp

    common.pop("time_split", None)  # one level: nothing to split
    return solve_lp(problem, formulation=options.formulation, log=options.log, started=entered, **common)


BACKENDS: dict[str, Backend] = {
    backend.name: backend
    for backend in (
        Backend("cpsat", "OR-Tools CP-SAT: every construct of the IR", CpSatOptions, _run_cpsat),
        Backend(
            "mip", "a MIP formulation chosen by structure, solved by HiGHS or any Pyomo solver", MipOptions, _run_mip
        ),
        Backend("lp", "the LP relaxation of the MIP: a bound (a schedule when integral)", LpOptions, _run_lp),
    )
}
"""The backends by name."""


def get_backend(name: str) -> Backend:
    """The backend called ``name``; ``ValueError`` listing the available ones otherwise."""
    try:
        return BACKENDS[name]
    except KeyError:
        raise ValueError(f"unknown backend {name!r}; available: {', '.join(BACKENDS)}") from None


def run_backend(
    backend: Backend,
    problem: ProblemData,
    options: Any,
    *,
    time_limit: float | None,
    threads: int | None,
    seed: int,
    warm_start: Solution | None,
    callback: Callable[[Progress], Any] | None,
    time_split: TimeSplit | None,
) -> BackendOutcome:
    """Run ``backend`` with parsed ``options`` and the common arguments."""
    return backend.run(
        problem,
        options=options,
        time_limit=time_limit,
        threads=threads,
        seed=seed,
        warm_start=warm_start,
        callback=callback,
        time_split=time_split,
    )
