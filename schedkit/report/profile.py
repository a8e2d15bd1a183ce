"""Dolan-Moré performance profiles over configurations: ratios to the best per problem, and the plot."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from schedkit.report.columns import METRICS, SOLVED_STATUSES, TIME_FLOOR

if TYPE_CHECKING:
    from matplotlib.figure import Figure


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


def performance_profile(df: pd.DataFrame, path: str | Path | None = None, metric: str = "wall_time") -> Figure:
    """The Dolan-Moré performance profile of the configs in ``df``: returns the Figure, saved to ``path`` if given.

    One step line per config: the fraction of problems (``(instance, seed)``
    pairs) on which the config is within a factor tau of the best config, over
    tau on a log axis (see :func:`profile_ratios` for the ratios and failures).

    Only measured values are drawn. A wall time measures a solve only when the
    run proved something (optimal or infeasible): a config none of whose runs
    did is not drawn (a flat line at 0 would look like data) and is named in a
    note; problems that no config solved are left out and counted in the
    title. When nothing was solved at all there is no profile: ``ValueError``
    says so (compare ``metric="objective"`` instead). The same rules hold for
    the objective of runs that found no schedule.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, FormatStrFormatter, NullLocator

    ratios = profile_ratios(df, metric)
    solved_by_some = np.isfinite(ratios.to_numpy()).any(axis=1)
    what = "proved optimality or infeasibility" if metric == "wall_time" else "found a schedule"
    if not solved_by_some.any():
        hint = "; compare --metric objective instead" if metric == "wall_time" else ""
        raise ValueError(
            f"no performance profile of {metric.replace('_', ' ')}: no run {what}, so there is nothing to compare{hint}"
        )
    left_out = int((~solved_by_some).sum())
    ratios = ratios[solved_by_some]
    never = [str(c) for c in ratios.columns if not np.isfinite(ratios[c].to_numpy()).any()]
    drawn = ratios[[c for c in ratios.columns if str(c) not in never]]
    finite = drawn.to_numpy()[np.isfinite(drawn.to_numpy())]
    tau_max = max(2.0, float(finite.max()) * 1.25) if finite.size else 2.0
    taus = np.unique(np.concatenate([[1.0], finite, [tau_max]]))
    fractions = profile_fractions(drawn, list(taus))
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
    ax.set_ylabel(f"fraction of the {len(drawn)} problems")
    title = f"Performance profile: {metric.replace('_', ' ')} ({len(drawn)} problems"
    title += (
        f"; {left_out} that no run {'proved' if metric == 'wall_time' else 'solved'} left out)" if left_out else ")"
    )
    ax.set_title(title, fontsize=10)
    if never:
        ax.text(
            0.01,
            0.98,
            f"not drawn, no run {what}: {', '.join(never)}",
            transform=ax.transAxes,
            fontsize=8,
            va="top",
            color="#555555",
        )
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="lower right", fontsize="small")
    if path is not None:
        figure.savefig(path, dpi=120)
    return figure
