"""The local searches as named heuristics: ``tabu`` (shops), ``dynasearch`` (one machine), ``ga`` (RCPSP).

Each runs for a time budget (``time_limit`` seconds, default the module's
``DEFAULT_TIME_LIMIT``) from the best quick rule's schedule (or a given
one) and never returns worse than its start:

* ``tabu``: :func:`schedkit.heuristics.shop.local_search.tabu_search`, job shops and flexible job
  shops minimising the makespan;
* ``dynasearch``: :func:`schedkit.heuristics.tardiness.dynasearch.dynasearch`, one machine,
  total weighted tardiness, no releases;
* ``ga``: :func:`schedkit.heuristics.rcpsp.genetic.genetic`, (multi-mode) RCPSP minimising the makespan.

:func:`applicable` lists the ones that accept a problem (each reads the
problem and refuses what it cannot handle, with the reason).
"""

from __future__ import annotations

from collections.abc import Callable

from schedkit.models import ProblemData, Solution

LOCAL_SEARCH_RULES: tuple[str, ...] = ("tabu", "dynasearch", "ga")

DEFAULT_TIMES: dict[str, float] = {"tabu": 2.0, "dynasearch": 1.0, "ga": 2.0}
"""Seconds each local search runs when no time limit is given (the modules' ``DEFAULT_TIME_LIMIT``)."""


def _tabu(problem: ProblemData, seed: int, time_limit: float | None, warm_start: Solution | None) -> Solution:
    from schedkit.heuristics.shop.local_search import tabu_search

    return tabu_search(problem, time_limit=time_limit, seed=seed, warm_start=warm_start)


def _dynasearch(problem: ProblemData, seed: int, time_limit: float | None, warm_start: Solution | None) -> Solution:
    import numpy as np

    from schedkit.heuristics.tardiness.dynasearch import dynasearch_order
    from schedkit.heuristics.tardiness.sequence import job_arrays, schedule, sequence_of

    jobs = job_arrays(problem)
    start = None if warm_start is None else np.asarray(sequence_of(warm_start, problem), dtype=np.int64)
    order = dynasearch_order(jobs, time_limit=time_limit, seed=seed, start=start)
    return schedule(problem, order, jobs)


def _ga(problem: ProblemData, seed: int, time_limit: float | None, warm_start: Solution | None) -> Solution:
    from schedkit.heuristics.rcpsp.genetic import genetic

    return genetic(problem, time_limit=time_limit, seed=seed, warm_start=warm_start)


RUNNERS: dict[str, Callable[[ProblemData, int, float | None, Solution | None], Solution]] = {
    "tabu": _tabu,
    "dynasearch": _dynasearch,
    "ga": _ga,
}


def refusal(problem: ProblemData, name: str) -> str | None:
    """Why local search ``name`` cannot handle ``problem`` (None when it can)."""
    try:
        if name == "tabu":
            from schedkit.heuristics.shop.local_search.arrays import shop_arrays
            from schedkit.heuristics.shop.local_search.tabu import _check_objective

            shop_arrays(problem)
            _check_objective(problem)
        elif name == "dynasearch":
            from schedkit.heuristics.tardiness.sequence import job_arrays

            if job_arrays(problem).has_releases:
                return "dynasearch assumes no release dates"
        elif name == "ga":
            from schedkit.heuristics.rcpsp.genetic import project_arrays

            project_arrays(problem)
        else:
            return f"unknown local search {name!r}"
    except ValueError as error:
        return str(error)
    return None


def applicable(problem: ProblemData) -> list[str]:
    """The local searches that accept ``problem``."""
    return [name for name in LOCAL_SEARCH_RULES if refusal(problem, name) is None]


def run_local_search(
    problem: ProblemData,
    name: str,
    seed: int = 0,
    time_limit: float | None = None,
    warm_start: Solution | None = None,
) -> Solution:
    """Run local search ``name`` (``ValueError`` with the reason when it does not apply)."""
    reason = refusal(problem, name)
    if reason is not None:
        raise ValueError(reason)
    return RUNNERS[name](problem, seed, time_limit, warm_start)
