"""The columns of a batch result row, the statuses, and the metrics a report compares (no pandas here)."""

from __future__ import annotations

COLUMNS: tuple[str, ...] = (
    "instance",
    "set",
    "family",
    "size",
    "config",
    "backend",
    "warm_start",
    "heuristic",
    "time_limit",
    "threads",
    "seed",
    "status",
    "objective",
    "lower_bound",
    "bound_source",
    "gap",
    "best_known",
    "dev_pct",
    "wall_time",
    "time_to_best",
    "checker",
    "message",
    "versions",
)
"""Every column of a result row, in the order the batch runner writes them."""

REQUIRED_COLUMNS: tuple[str, ...] = ("instance", "config", "status")
"""Columns a results file must have; the others are added (empty) when absent."""

NUMERIC_COLUMNS: tuple[str, ...] = (
    "size",
    "time_limit",
    "threads",
    "seed",
    "objective",
    "lower_bound",
    "gap",
    "best_known",
    "dev_pct",
    "wall_time",
    "time_to_best",
)
"""Columns holding numbers (empty cells read as NaN)."""

STATUSES: tuple[str, ...] = ("optimal", "feasible", "infeasible", "time_limit", "unknown", "error", "timeout")
"""Every status a result row may carry."""

FAILED_STATUSES: tuple[str, ...] = ("error", "timeout")
"""Statuses counted in the ``failed`` column of :func:`summarize`."""

METRICS: tuple[str, ...] = ("wall_time", "objective")
"""Metrics a performance profile can compare."""

SOLVED_STATUSES: dict[str, tuple[str, ...]] = {
    "wall_time": ("optimal", "infeasible"),
    "objective": ("optimal", "feasible"),
}
"""Per metric, the statuses whose value counts; any other row is a failure (ratio = infinity).

A run's wall time measures a *solve* only when it ended with a proof
(``optimal`` or ``infeasible``); an objective only exists when a checked
schedule was found (``optimal`` or ``feasible``).
"""

TIME_FLOOR = 1e-6
"""Wall times below this many seconds are raised to it, so that ratios stay finite."""

SUMMARY_COLUMNS: tuple[str, ...] = (
    "count",
    "pct_optimal",
    "mean_dev_pct",
    "max_dev_pct",
    "mean_gap",
    "mean_time",
    "failed",
)
"""The figures :func:`summarize` computes per group."""
