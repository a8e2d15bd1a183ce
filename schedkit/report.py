"""Reports over batch results: summary tables and Dolan-Moré performance profiles.

A results file (CSV or Parquet, chosen by extension) holds one row per run with
the columns written by the batch runner (:data:`COLUMNS`): ``instance``,
``set``, ``family``, ``size``, ``config``, ... , ``status``, ``objective``,
``gap``, ``dev_pct``, ``wall_time`` and so on.

>>> df = load_results("runs.csv")
>>> summarize(df, by=["set", "config"])
>>> performance_profile(df, "profile.png", metric="wall_time")

The command line front end is ``schedkit report RESULTS [--by set,config]
[--plot FILE] [--metric wall_time|objective] [--json]`` (see
:func:`add_report_arguments` and :func:`cmd_report`).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

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


class ResultsError(ValueError):
    """A results file that is missing, unreadable or malformed (the message names the file)."""


# -------------------------------------------------------------------- loading
def load_results(path: str | Path) -> pd.DataFrame:
    """Read a results file (``.csv`` or ``.parquet`` / ``.pq``) into a data frame.

    Missing optional columns are added empty (the columns come in the order of
    :data:`COLUMNS`, then any extra ones), numeric columns are converted to
    numbers and ``status`` is normalised to lower case. Raises
    :class:`ResultsError` naming the file when it is missing, of an unknown
    extension, unreadable, lacks a required column (:data:`REQUIRED_COLUMNS`),
    has a non-numeric value in a numeric column or an unknown status.
    """
    path = Path(path)
    if not path.is_file():
        raise ResultsError(f"{path}: no such results file")
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            df = pd.read_csv(path)
        elif suffix in (".parquet", ".pq"):
            df = pd.read_parquet(path)
        else:
            raise ResultsError(
                f"{path}: unknown results format {suffix or '(no extension)'!r}; expected .csv or .parquet"
            )
    except ResultsError:
        raise
    except pd.errors.EmptyDataError:
        raise ResultsError(f"{path}: empty results file (no header)") from None
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, ValueError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ResultsError(f"{path}: cannot read results: {first}") from None
    except Exception as error:  # pyarrow raises its own exception types on corrupt files
        raise ResultsError(f"{path}: cannot read results: {type(error).__name__}: {error}") from None
    return _normalise(df, str(path))


def _normalise(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check and normalise a raw results frame read from ``source``."""
    missing = [column for column in REQUIRED_COLUMNS if column not in df.columns]
    if missing:
        raise ResultsError(
            f"{source}: missing column(s) {', '.join(missing)} (found: {', '.join(map(str, df.columns))})"
        )
    df = df.copy()
    for column in COLUMNS:
        if column not in df.columns:
            df[column] = np.nan
    df = df[[*COLUMNS, *(column for column in df.columns if column not in COLUMNS)]]
    for column in NUMERIC_COLUMNS:
        try:
            df[column] = pd.to_numeric(df[column])
        except (ValueError, TypeError):
            bad = pd.to_numeric(df[column], errors="coerce").isna() & df[column].notna()
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise ResultsError(
                f"{source}: row {row + 1}: column {column!r}: not a number: {df[column].iloc[row]!r}"
            ) from None
    if df["status"].isna().any():
        row = int(np.flatnonzero(df["status"].isna().to_numpy())[0])
        raise ResultsError(f"{source}: row {row + 1}: empty status")
    df["status"] = df["status"].astype(str).str.strip().str.lower()
    unknown = ~df["status"].isin(STATUSES)
    if unknown.any():
        row = int(np.flatnonzero(unknown.to_numpy())[0])
        expected = ", ".join(STATUSES)
        raise ResultsError(
            f"{source}: row {row + 1}: unknown status {df['status'].iloc[row]!r}; expected one of: {expected}"
        )
    return df


# ------------------------------------------------------------------- summary
def summarize(df: pd.DataFrame, by: Sequence[str] = ("set", "config")) -> pd.DataFrame:
    """One row per group of ``by``, with the figures of :data:`SUMMARY_COLUMNS`.

    ``count``         rows in the group
    ``pct_optimal``   percentage (0-100) of rows with status ``optimal``
    ``mean_dev_pct``  mean of ``dev_pct`` over the rows that have one (NaN if none)
    ``max_dev_pct``   largest ``dev_pct`` over the rows that have one (NaN if none)
    ``mean_gap``      mean certified ``gap`` (a fraction) over the rows that have one
    ``mean_time``     mean ``wall_time`` over the rows that have one
    ``failed``        rows with status ``error`` or ``timeout``

    Groups are sorted by the ``by`` columns; a missing group key is kept as NaN.
    """
    by = list(by)
    if not by:
        raise ValueError("summarize: 'by' names no column")
    unknown = [column for column in by if column not in df.columns]
    if unknown:
        raise ValueError(f"summarize: unknown column(s) {', '.join(unknown)}; available: {', '.join(df.columns)}")
    work = pd.DataFrame(
        {
            **{column: df[column] for column in by},
            "optimal": (df["status"] == "optimal").astype(float),
            "dev_pct": pd.to_numeric(df.get("dev_pct"), errors="coerce"),
            "gap": pd.to_numeric(df.get("gap"), errors="coerce"),
            "wall_time": pd.to_numeric(df.get("wall_time"), errors="coerce"),
            "failed": df["status"].isin(FAILED_STATUSES).astype(int),
        },
        index=df.index,
    )
    grouped = work.groupby(by, dropna=False, sort=True)
    summary = pd.DataFrame(
        {
            "count": grouped.size(),
            "pct_optimal": 100.0 * grouped["optimal"].mean(),
            "mean_dev_pct": grouped["dev_pct"].mean(),
            "max_dev_pct": grouped["dev_pct"].max(),
            "mean_gap": grouped["gap"].mean(),
            "mean_time": grouped["wall_time"].mean(),
            "failed": grouped["failed"].sum(),
        }
    )
    return summary.reset_index()


# ------------------------------------------------------- performance profile
def profile_ratios(df: pd.DataFrame, metric: str = "wall_time") -> pd.DataFrame:
    """The performance ratios of a Dolan-Moré profile.

    A *problem* is one ``(instance, seed)`` pair (rows without a seed form one
    problem per instance). For each problem and config, the value is the
    config's ``metric`` when its row's status counts (:data:`SOLVED_STATUSES`)
    and the value is finite, else infinity; a config without a row for the
    problem also gets infinity. The ratio is the value divided by the best value
    over the configs; when no config succeeds, every ratio is infinity.

    ``wall_time`` values are floored at :data:`TIME_FLOOR`. ``objective`` ratios
    assume a minimisation with non-negative values: when the best objective is 0,
    a config with objective 0 has ratio 1 and any other infinity; a negative
    objective raises ``ValueError``. Two rows for the same problem and config
    (e.g. results of two time limits mixed) raise ``ValueError``: filter first.

    Returns a frame indexed by ``(instance, seed)`` with one column per config
    (sorted), holding floats >= 1 or ``inf``.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of: {', '.join(METRICS)}")
    for column in ("instance", "config", "status", metric):
        if column not in df.columns:
            raise ValueError(f"profile_ratios: missing column {column!r}")
    if df.empty:
        raise ValueError("profile_ratios: no result rows")
    seeds = df["seed"] if "seed" in df.columns else pd.Series(np.nan, index=df.index)
    work = pd.DataFrame(
        {
            "instance": df["instance"].astype(str),
            "seed": seeds.fillna(-1),
            "config": df["config"].astype(str),
            "value": pd.to_numeric(df[metric], errors="coerce").astype(float),
        }
    )
    solved = df["status"].isin(SOLVED_STATUSES[metric]) & np.isfinite(work["value"])
    work["value"] = work["value"].where(solved, np.inf)
    if metric == "wall_time":
        work["value"] = work["value"].clip(lower=TIME_FLOOR)
    elif (work["value"] < 0).any():
        raise ValueError("profile_ratios: negative objective values; ratios need a minimisation with values >= 0")
    duplicated = work.duplicated(["instance", "seed", "config"], keep=False)
    if duplicated.any():
        first = work[duplicated].iloc[0]
        raise ValueError(
            f"profile_ratios: several rows for instance {first['instance']!r}, seed {first['seed']}, "
            f"config {first['config']!r}; filter the results (e.g. one time limit) first"
        )
    values = work.pivot(index=["instance", "seed"], columns="config", values="value")
    values = values.reindex(sorted(values.columns), axis=1).fillna(np.inf)
    values.columns.name = "config"
    best = values.min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = values.div(best, axis=0)
    # best == 0 (objective): 0/0 -> 1, x/0 -> inf; no success at all (inf/inf) -> inf
    zero_best = (best == 0).to_numpy()
    if zero_best.any():
        block = values.to_numpy()[zero_best]
        ratios.iloc[np.flatnonzero(zero_best)] = np.where(block == 0, 1.0, np.inf)
    return ratios.fillna(np.inf).astype(float)


def profile_fractions(ratios: pd.DataFrame, taus: Sequence[float]) -> pd.DataFrame:
    """Fraction of problems with ratio ``<= tau``, for each tau (rows) and config (columns)."""
    values = ratios.to_numpy()
    taus_array = np.asarray(list(taus), dtype=float)
    counts = (values[None, :, :] <= taus_array[:, None, None]).sum(axis=1)
    fractions = counts / max(1, values.shape[0])
    return pd.DataFrame(fractions, index=pd.Index(taus_array, name="tau"), columns=ratios.columns)


def performance_profile(df: pd.DataFrame, path: str | Path, metric: str = "wall_time") -> None:
    """Plot the Dolan-Moré performance profile of the configs in ``df`` and save it (PNG) to ``path``.

    One step line per config: the fraction of problems (``(instance, seed)``
    pairs) on which the config is within a factor tau of the best config, over
    tau on a log axis (see :func:`profile_ratios` for the ratios and failures).
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, FormatStrFormatter, NullLocator

    ratios = profile_ratios(df, metric)
    finite = ratios.to_numpy()[np.isfinite(ratios.to_numpy())]
    tau_max = max(2.0, float(finite.max()) * 1.25) if finite.size else 2.0
    taus = np.unique(np.concatenate([[1.0], finite, [tau_max]]))
    fractions = profile_fractions(ratios, taus)
    figure = Figure(figsize=(7, 4.5), layout="constrained")
    ax = figure.add_subplot()
    for config in fractions.columns:
        ax.step(taus, fractions[config].to_numpy(), where="post", label=str(config), linewidth=1.8)
    ax.set_xscale("log")
    ax.set_xlim(1.0, tau_max)
    nice = [m * 10.0**e for e in range(0, 7) for m in (1, 1.1, 1.25, 1.5, 2, 3, 5)]
    ticks = [t for t in nice if t <= tau_max]
    ax.xaxis.set_major_locator(FixedLocator(ticks[:: max(1, len(ticks) // 12)]))
    ax.xaxis.set_major_formatter(FormatStrFormatter("%g"))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(f"tau (within a factor tau of the best {metric.replace('_', ' ')})")
    ax.set_ylabel("fraction of problems")
    ax.set_title(f"Performance profile: {metric.replace('_', ' ')} ({len(ratios)} problems)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="lower right", fontsize="small")
    figure.savefig(path, dpi=120)


# ------------------------------------------------------------- command line
def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``schedkit report`` to ``parser`` (and set ``func``)."""
    parser.add_argument("results", help="results file (.csv or .parquet) written by a batch run")
    parser.add_argument("--by", default="set,config", help="comma-separated columns to group by (default: set,config)")
    parser.add_argument("--plot", help="write a performance profile (PNG) to this file")
    parser.add_argument(
        "--metric", choices=list(METRICS), default="wall_time", help="performance profile metric (default: wall_time)"
    )
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object as the last line")
    parser.set_defaults(func=cmd_report)


def _json_value(value: Any) -> Any:
    """A JSON-safe version of a summary cell (NaN -> None, numpy scalars -> Python)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def format_summary(summary: pd.DataFrame) -> str:
    """The summary as an aligned text table (``-`` for missing figures)."""
    shown = summary.copy()
    for column in ("pct_optimal", "mean_dev_pct", "max_dev_pct", "mean_time"):
        shown[column] = shown[column].map(lambda v: "-" if pd.isna(v) else f"{v:.2f}")
    shown["mean_gap"] = shown["mean_gap"].map(lambda v: "-" if pd.isna(v) else f"{100 * v:.2f}%")
    return shown.to_string(index=False, na_rep="-")


def cmd_report(args: argparse.Namespace) -> int:
    """``schedkit report``: print the summary table; optionally write a profile plot and JSON.

    Returns 0, or 2 (with one ``schedkit: error:`` line on standard error, and a
    JSON error object with ``--json``) when the input is unusable.
    """
    by = [column.strip() for column in (args.by or "").split(",") if column.strip()]
    plot = getattr(args, "plot", None)
    metric = getattr(args, "metric", "wall_time") or "wall_time"
    try:
        df = load_results(args.results)
        summary = summarize(df, by=by)
        if plot:
            performance_profile(df, plot, metric=metric)
    except (ResultsError, ValueError, OSError) as error:
        if args.json:
            print(json.dumps({"status": "error", "message": str(error)}))
        print(f"schedkit: error: {error}", file=sys.stderr)
        return 2
    print(format_summary(summary))
    if plot:
        print(f"performance profile ({metric}) written to {plot}")
    if args.json:
        records = [{key: _json_value(value) for key, value in row.items()} for row in summary.to_dict("records")]
        payload = {"status": "ok", "results": str(args.results), "rows": len(df), "by": by, "summary": records}
        if plot:
            payload["plot"] = str(plot)
            payload["metric"] = metric
        print(json.dumps(payload, default=str))
    return 0


__all__ = [
    "COLUMNS",
    "FAILED_STATUSES",
    "METRICS",
    "STATUSES",
    "SUMMARY_COLUMNS",
    "ResultsError",
    "add_report_arguments",
    "cmd_report",
    "load_results",
    "performance_profile",
    "profile_fractions",
    "profile_ratios",
    "summarize",
]
