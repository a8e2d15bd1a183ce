"""Reports over batch results: summary tables and Dolan-Moré performance profiles.

A results file (CSV or Parquet, chosen by extension) holds one row per run with
the columns written by the batch runner (:data:`COLUMNS`): ``instance``,
``set``, ``family``, ``size``, ``config``, ... , ``status``, ``objective``,
``gap``, ``dev_pct``, ``wall_time`` and so on.

>>> df = load_results("runs.csv")
>>> summarize(df, by=["set", "config"])
>>> performance_profile(df, "profile.png", metric="wall_time")

The command line front end is ``schedkit report RESULTS [--by set,config]
[--plot FILE] [--metric wall_time|objective] [--json]`` (:mod:`schedkit.cli.report`).
"""

from __future__ import annotations

from schedkit.report.columns import COLUMNS, FAILED_STATUSES, METRICS, STATUSES, SUMMARY_COLUMNS
from schedkit.report.profile import performance_profile, profile_fractions, profile_ratios
from schedkit.report.results import ResultsError, load_results
from schedkit.report.summary import format_summary, summarize

__all__ = [
    "COLUMNS",
    "FAILED_STATUSES",
    "METRICS",
    "STATUSES",
    "SUMMARY_COLUMNS",
    "ResultsError",
    "format_summary",
    "load_results",
    "performance_profile",
    "profile_fractions",
    "profile_ratios",
    "summarize",
]
