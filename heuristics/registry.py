"""Every heuristic by name, which ones apply to a problem, and ``auto``: the best of them.

Rule names are the ones of the command line: ``edd``, ``spt``, ``wspt``,
``mdd``, ``atc``, ``eddc``, ``mddc``, ``wilkerson_irwin`` (single machine), ``mwkr``,
``mopnr``, ``fdd_mwkr``, ``lwkr``, ``fifo`` (and ``spt``) for job shops and
flexible job shops, ``sgs_serial`` and ``sgs_parallel`` (with a priority
``lft``, ``lst``, ``mts``, ``grpw`` or ``random``) for RCPSP. ``spt`` means
the single-machine rule on one machine and the dispatch rule on a shop.
``learned`` is the learned dispatcher (:mod:`schedkit.heuristics.shop.learned`),
for job shops: it runs by name (and as a warm start) but is not among the
static rules that :func:`rules_for` lists and ``auto`` tries (it takes
seconds, not milliseconds, on large shops).

Which rules apply is decided by structure, not by the family label: each
family module reads the problem and refuses what it cannot schedule, so a
hand-built single-machine problem gets the tardiness rules too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from schedkit.models import ProblemData, Solution

SHOP_RULES = ("mwkr", "mopnr", "fdd_mwkr", "lwkr", "fifo", "spt")
SGS_RULES = ("sgs_serial", "sgs_parallel")
LEARNED_RULES = ("learned",)
"""The learned dispatcher (job shops): the best of 32 sampled rollouts of the shipped policy."""
PRIORITIES = ("lft", "lst", "mts", "grpw", "random")
LOCAL_SEARCH_RULES = ("tabu", "dynasearch", "ga")
"""Local searches with a time budget (:mod:`schedkit.heuristics.local_search`): shop tabu search,
iterated dynasearch (one machine, weighted tardiness), the RCPSP genetic algorithm."""


class HeuristicError(ValueError):
    """A heuristic cannot schedule this problem (the message says why)."""


def _single_machine_rules() -> dict[str, Callable[[ProblemData], Solution]]:
    from schedkit.heuristics.tardiness import RULES

    return dict(RULES)


def _is_single_machine(problem: ProblemData) -> bool:
    from schedkit.heuristics.tardiness.sequence import job_arrays

    try:
        job_arrays(problem)
    except ValueError:
        return False
    return True


def _is_shop(problem: ProblemData) -> bool:
    from schedkit.heuristics.shop import read_shop

    try:
        read_shop(problem)
    except ValueError:
        return False
    return True


def _is_project(problem: ProblemData) -> bool:
    from schedkit.heuristics.rcpsp import read_project

    try:
        read_project(problem)
    except ValueError:
        return False
    return True


def rules_for(problem: ProblemData) -> list[str]:
    """Names of the rules that can schedule ``problem`` (empty when none applies)."""
    if _is_single_machine(problem):
        return list(_single_machine_rules())
    if _is_shop(problem):
        return list(SHOP_RULES)
    if _is_project(problem):
        return list(SGS_RULES)
    return []


def all_rules() -> list[str]:
    """Every rule name the registry knows."""
    names = list(_single_machine_rules())
    quick = names + [n for n in (*SHOP_RULES, *SGS_RULES, *LEARNED_RULES) if n not in names]
    return quick + [n for n in LOCAL_SEARCH_RULES if n not in quick]


def local_searches_for(problem: ProblemData) -> list[str]:
    """Names of the local searches (:data:`LOCAL_SEARCH_RULES`) that can improve a schedule of ``problem``."""
    from schedkit.heuristics.local_search import applicable

    return applicable(problem)


def run_rule(
    problem: ProblemData,
    name: str,
    priority: str | None = None,
    seed: int = 0,
    improve: bool = False,
    time_limit: float | None = None,
) -> Solution:
    """Schedule ``problem`` with rule ``name`` (``priority``, ``improve``: SGS only; ``seed``: random priority).

    ``time_limit``: seconds for a local search (``tabu``, ``dynasearch``, ``ga``; default theirs).
    """
    if name in LOCAL_SEARCH_RULES:
        from schedkit.heuristics.local_search import run_local_search

        try:
            return run_local_search(problem, name, seed=seed, time_limit=time_limit)
        except ValueError as error:
            raise HeuristicError(f"{name}: {error}") from None
    if name not in all_rules():
        raise HeuristicError(f"unknown heuristic '{name}'; known: {', '.join(all_rules())}, auto")
    if priority is not None and name not in SGS_RULES:
        raise HeuristicError(f"--priority applies to sgs_serial and sgs_parallel, not '{name}'")
    try:
        if _is_single_machine(problem) and name in _single_machine_rules():
            return _single_machine_rules()[name](problem)
        if name in SHOP_RULES:
            from schedkit.heuristics.shop import dispatch

            return dispatch(problem, rule=name, schedule="non_delay", machine_choice="earliest_end")
        if name in LEARNED_RULES:
            from schedkit.heuristics.shop.learned import learned_dispatch

            return learned_dispatch(problem, seed=seed)
        if name in SGS_RULES:
            from schedkit.heuristics.rcpsp import sgs

            scheme = "serial" if name == "sgs_serial" else "parallel"
            return sgs(problem, scheme=scheme, priority=priority or "lft", seed=seed, improve=improve)
    except ValueError as error:
        raise HeuristicError(f"{name}: {error}") from None
    applicable = rules_for(problem)
    hint = f"rules for this problem: {', '.join(applicable)}" if applicable else "no rule applies to this problem"
    raise HeuristicError(f"heuristic '{name}' does not apply to this problem; {hint}")


@dataclass
class Heuristic:
    """A rule's schedule with what it took: the rule (and options), the schedule, seconds."""

    rule: str
    solution: Solution
    seconds: float
    options: dict[str, Any]


def candidates(problem: ProblemData) -> list[tuple[str, dict[str, Any]]]:
    """The (rule, options) pairs ``auto`` tries for ``problem``."""
    rules = rules_for(problem)
    if not rules:
        return []
    if rules[0] in SGS_RULES:
        return [(rule, {"priority": p, "improve": True}) for rule in SGS_RULES for p in ("lft", "lst", "mts")]
    if rules[0] in SHOP_RULES:
        return [(rule, {}) for rule in ("fdd_mwkr", "mwkr", "mopnr", "spt", "fifo")]
    return [(rule, {}) for rule in rules]


def auto(
    problem: ProblemData,
    score: Callable[[ProblemData, Solution], tuple[int, ...] | None],
    time_limit: float | None = None,
) -> Heuristic | None:
    """The best schedule over :func:`candidates`; None if no rule applies.

    ``score(problem, solution)`` returns a key, smaller is better (None
    rejects the schedule). The caller supplies it (``solve()`` passes the
    checker's evaluation with maximised levels negated), so this package
    stays independent of the solvers. With a ``time_limit`` (seconds), the
    applicable local searches (:func:`local_searches_for`) then improve the
    best rule's schedule, sharing that time.
    """
    best: Heuristic | None = None
    best_key: tuple[int, ...] | None = None
    for rule, options in candidates(problem):
        started = time.perf_counter()
        try:
            solution = run_rule(problem, rule, **options)
        except HeuristicError:
            continue
        seconds = time.perf_counter() - started
        key = score(problem, solution)
        if key is not None and (best_key is None or key < best_key):
            best, best_key = Heuristic(rule, solution, seconds, options), key
    if time_limit is not None and time_limit > 0 and best is not None:
        best = _improve_by_local_search(problem, score, best, best_key, time_limit)
    return best


def _improve_by_local_search(
    problem: ProblemData,
    score: Callable[[ProblemData, Solution], tuple[int, ...] | None],
    best: Heuristic,
    best_key: tuple[int, ...] | None,
    time_limit: float,
) -> Heuristic:
    """``best`` improved by the first applicable local search of :data:`LOCAL_SEARCH_RULES` for ``time_limit``.

    The first only: a job shop is also an RCPSP, but the tabu search on its
    critical path beats the activity-list GA there.
    """
    from schedkit.heuristics.local_search import run_local_search

    for name in local_searches_for(problem)[:1]:
        started = time.perf_counter()
        share = time_limit
        try:
            solution = run_local_search(problem, name, time_limit=share, warm_start=best.solution)
        except ValueError:
            continue
        key = score(problem, solution)
        if key is not None and (best_key is None or key < best_key):
            options = {"start": best.rule, "time_limit": round(share, 3)}
            best, best_key = Heuristic(name, solution, time.perf_counter() - started, options), key
    return best
