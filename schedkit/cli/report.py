"""``schedkit report``: the summary table of a results file, a performance-profile plot, JSON."""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

import numpy as np

from schedkit.cli.common import write_figure
from schedkit.report.columns import METRICS


def register(sub: Any) -> None:
    """Add the ``report`` command to the subparsers ``sub``."""
    parser = sub.add_parser("report", help="summarise a results file; performance-profile plot")
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


def cmd_report(args: argparse.Namespace) -> int:
    """``schedkit report``: print the summary table; optionally write a profile plot and JSON.

    Returns 0, or 2 (with one ``schedkit: error:`` line on standard error, and a
    JSON error object with ``--json``) when the input is unusable, or when the
    profile cannot be drawn (no run measured anything) or written; the summary
    is printed first in that case.
    """
    from schedkit.report.profile import performance_profile
    from schedkit.report.results import ResultsError, load_results
    from schedkit.report.summary import format_summary, summarize

    by = [column.strip() for column in (args.by or "").split(",") if column.strip()]
    plot = getattr(args, "plot", None)
    metric = getattr(args, "metric", "wall_time") or "wall_time"
    try:
        df = load_results(args.results)
        summary = summarize(df, by=by)
    except (ResultsError, ValueError, OSError) as error:
        if args.json:
            print(json.dumps({"status": "error", "message": str(error)}))
        print(f"schedkit: error: {error}", file=sys.stderr)
        return 2
    print(format_summary(summary))
    failure = None
    if plot:  # after the summary: a profile that cannot be drawn or written loses nothing else
        try:
            failure = write_figure(performance_profile(df, metric=metric), plot)
        except ValueError as error:  # nothing measured to compare
            failure = str(error)
        if failure is None:
            print(f"performance profile ({metric}) written to {plot}")
    if args.json:
        records = [{key: _json_value(value) for key, value in row.items()} for row in summary.to_dict("records")]
        payload = {"status": "ok", "results": str(args.results), "rows": len(df), "by": by, "summary": records}
        if plot:
            payload["plot"] = None if failure else str(plot)
            payload["metric"] = metric
        if failure:
            payload["status"] = "error"
            payload["message"] = failure
        print(json.dumps(payload, default=str))
    if failure:
        print(f"schedkit: error: {failure}", file=sys.stderr)
        return 2
    return 0
