"""The options of the ``rho`` method (rolling-horizon optimisation) and their defaults.

The defaults are L-RHO's makespan settings (Li et al., ICLR 2025): windows of
H = 80 operations, S = 30 committed per window, a per-window limit with an
early stop after 3 s without improvement. Fixing strategies are described in
:mod:`schedkit.solvers.methods.rho.strategies`.
"""

from __future__ import annotations

from dataclasses import dataclass

STRATEGIES: tuple[str, ...] = ("none", "all", "first", "random", "hint", "learned", "oracle")
"""Overlap strategies: fix none, fix all, fix the first ``fix_fraction``, fix each with probability
``fix_probability``, hint the previous machine instead of fixing, learned fixing, and the look-ahead
oracle (the labels themselves: costly, for studies and training)."""


@dataclass(frozen=True)
class RhoOptions:
    """Options of ``solve(problem, method="rho", ...)``.

    Attributes
    ----------
    window
        H, the number of unexecuted operations in a window.
    commit
        S, how many of a window's operations (earliest starts first) are committed.
    strategy
        What happens to the operations a window shares with the previous one (:data:`STRATEGIES`).
    window_time_limit
        Seconds per window solve (also capped by what is left of ``time_limit``).
    early_stop
        Stop a window solve after this many seconds without an improving solution
        (None: run to ``window_time_limit`` or optimality).
    fix_fraction
        ``first``: the fraction of the overlap (in the previous window's order) that is fixed.
    fix_probability
        ``random``: the probability that an overlap operation is fixed.
    threshold
        ``learned``: fix when the predicted probability is at least this, or ``"adaptive"``
        (Graph-RHO: the probability of the operation at 60 % of the sorted list, clipped to [0.3, 0.9]).
    oracle_trials
        ``oracle``: how many unrestricted re-solves the look-ahead oracle keeps the best of.
    backfill
        Let later windows use idle gaps that committed operations left on a machine (False, as
        L-RHO: a machine is available from the end of its last committed operation).
    conflict_limit
        CP-SAT conflicts per window solve, or None: a deterministic budget, so single-threaded
        runs (training data) are reproducible whatever the machine's load.
    warm_windows
        Start every window from the previous window's placements with the new operations
        appended first-fit (:mod:`.warm`), and keep that schedule if the solver finds nothing
        better. L-RHO has no such start (False reproduces it); with it, the overlap's machines
        are already hinted, so ``hint`` coincides with ``none``.
    window_objective
        ``"makespan"`` (L-RHO: the window's makespan) or ``"makespan_flow"`` (the makespan
        weighted by the window size plus the sum of end times, see :func:`.window.build_window`;
        not lexicographic: on one 600-operation SD2 instance with 1,000 conflicts per window it
        gave 1,641 against the plain makespan's 1,487).
    """

    window: int = 80
    commit: int = 30
    strategy: str = "none"
    window_time_limit: float = 60.0
    early_stop: float | None = 3.0
    fix_fraction: float = 0.5
    fix_probability: float = 0.8
    threshold: float | str = "adaptive"
    oracle_trials: int = 3
    backfill: bool = False
    conflict_limit: int | None = None
    warm_windows: bool = True
    window_objective: str = "makespan"

    def validate(self) -> None:
        """Refuse values that make no sense, naming the option."""
        if self.window < 1:
            raise ValueError(f"window= must be at least 1, got {self.window}")
        if not 1 <= self.commit <= self.window:
            raise ValueError(f"commit= must be in 1..window ({self.window}), got {self.commit}")
        if self.strategy not in STRATEGIES:
            raise ValueError(f"unknown strategy= {self.strategy!r}; one of: {', '.join(STRATEGIES)}")
        if not self.window_time_limit > 0:
            raise ValueError(f"window_time_limit= must be positive, got {self.window_time_limit}")
        if self.early_stop is not None and not self.early_stop > 0:
            raise ValueError(f"early_stop= must be positive or None, got {self.early_stop}")
        if not 0 <= self.fix_fraction <= 1:
            raise ValueError(f"fix_fraction= must be in [0, 1], got {self.fix_fraction}")
        if not 0 <= self.fix_probability <= 1:
            raise ValueError(f"fix_probability= must be in [0, 1], got {self.fix_probability}")
        if isinstance(self.threshold, str):
            if self.threshold != "adaptive":
                raise ValueError(f"threshold= is a probability or 'adaptive', got {self.threshold!r}")
        elif not 0 <= self.threshold <= 1:
            raise ValueError(f"threshold= must be in [0, 1], got {self.threshold}")
        if self.oracle_trials < 1:
            raise ValueError(f"oracle_trials= must be at least 1, got {self.oracle_trials}")
        if self.window_objective not in ("makespan", "makespan_flow"):
            raise ValueError(f"window_objective= is 'makespan' or 'makespan_flow', got {self.window_objective!r}")
        if self.conflict_limit is not None and self.conflict_limit < 1:
            raise ValueError(f"conflict_limit= must be positive or None, got {self.conflict_limit}")
