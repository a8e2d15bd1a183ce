"""Per-group summary of batch results: proven optima, deviation from best known, certified gap, time, failures."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from schedkit.report.columns import FAILED_STATUSES


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


def format_summary(summary: pd.DataFrame) -> str:
    """The summary as an aligned text table (``-`` for missing figures)."""
    shown = summary.copy()
    for column in ("pct_optimal", "mean_dev_pct", "max_dev_pct", "mean_time"):
        shown[column] = shown[column].map(lambda v: "-" if pd.isna(v) else f"{v:.2f}")
    shown["mean_gap"] = shown["mean_gap"].map(lambda v: "-" if pd.isna(v) else f"{100 * v:.2f}%")
    return shown.to_string(index=False, na_rep="-")
