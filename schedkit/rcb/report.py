"""Feasibility against difficulty: per-level rates, violation categories, axis ablations and the weighted AUC.

For each difficulty level k (the number of non-redundant precedence edges)
with ``n_k`` graded answers of which ``f_k`` are feasible, the feasibility
rate is ``r_k = f_k / n_k``. Two areas under the feasibility-vs-difficulty
curve summarise a ramp (both in [0, 1], 1 = every answer feasible):

* ``auc``: the plain mean of ``r_k`` over the levels run;
* ``wauc``: the weighted mean ``sum_k w_k r_k / sum_k w_k`` with
  ``w_k = k + 1``: harder levels weigh more, linearly in the number of
  edges (level 0 keeps a positive weight). R-ConstraintBench reports a
  "weighted AUC" without publishing its weights; this linear weighting is
  schedkit's choice, stated here and in every report.

The *degradation threshold* is the first level (in increasing k) whose
rate falls below one half (None when none does). The axis table compares
the feasibility rate of the answers to instances with an axis on and off
(the ablation view), and the category table sums the violations of the
infeasible answers (see :mod:`schedkit.rcb.grade`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from schedkit.rcb.grade import CATEGORIES, Grade

__all__ = ["RampReport", "format_report", "summarise", "weighted_auc"]

WEIGHTING = "w_k = k + 1 (linear in the number of non-redundant edges)"
"""The WAUC weighting, as printed in reports."""


def weighted_auc(rates: dict[int, float]) -> float:
    """``sum_k (k + 1) r_k / sum_k (k + 1)`` over the levels of ``rates`` (level -> feasibility rate)."""
    if not rates:
        return 0.0
    weights = {k: k + 1 for k in rates}
    return sum(weights[k] * rates[k] for k in rates) / sum(weights.values())


@dataclass
class RampReport:
    """Per-level rows and the summary figures of a graded ramp."""

    levels: list[dict[str, Any]]
    auc: float
    wauc: float
    threshold: int | None
    total: int
    feasible: int
    unparsed: int
    categories: dict[str, int]
    axes: dict[str, dict[str, Any]] = field(default_factory=dict)
    weighting: str = WEIGHTING

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "levels": self.levels,
            "auc": self.auc,
            "wauc": self.wauc,
            "weighting": self.weighting,
            "threshold": self.threshold,
            "total": self.total,
            "feasible": self.feasible,
            "unparsed": self.unparsed,
            "categories": self.categories,
            "axes": self.axes,
        }


def summarise(grades: Sequence[Grade]) -> RampReport:
    """The report of ``grades`` (any order; grouped by level)."""
    by_level: dict[int, list[Grade]] = {}
    for grade in grades:
        by_level.setdefault(grade.level, []).append(grade)
    rows = []
    rates: dict[int, float] = {}
    for level in sorted(by_level):
        mine = by_level[level]
        counts: Counter[str] = Counter()
        for grade in mine:
            counts.update(grade.counts)
        feasible = sum(grade.feasible for grade in mine)
        rates[level] = feasible / len(mine)
        rows.append(
            {
                "level": level,
                "answers": len(mine),
                "feasible": feasible,
                "rate": rates[level],
                "unparsed": sum(not grade.parsed for grade in mine),
                "categories": {c: counts[c] for c in CATEGORIES if counts[c]},
            }
        )
    total: Counter[str] = Counter()
    for grade in grades:
        total.update(grade.counts)
    axes: dict[str, dict[str, Any]] = {}
    for axis in sorted({axis for grade in grades for axis in grade.axes}):
        on = [g for g in grades if g.axes.get(axis)]
        off = [g for g in grades if axis in g.axes and not g.axes[axis]]
        axes[axis] = {
            "on": len(on),
            "rate_on": sum(g.feasible for g in on) / len(on) if on else None,
            "off": len(off),
            "rate_off": sum(g.feasible for g in off) / len(off) if off else None,
        }
    threshold = next((level for level in sorted(rates) if rates[level] < 0.5), None)
    return RampReport(
        levels=rows,
        auc=sum(rates.values()) / len(rates) if rates else 0.0,
        wauc=weighted_auc(rates),
        threshold=threshold,
        total=len(grades),
        feasible=sum(g.feasible for g in grades),
        unparsed=sum(not g.parsed for g in grades),
        categories={c: total[c] for c in CATEGORIES if total[c]},
        axes=axes,
    )


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def format_report(report: RampReport, title: str = "") -> str:
    """The report as a text table."""
    lines = [title] if title else []
    shown = [c for c in CATEGORIES if report.categories.get(c)]
    header = f"{'k':>4} {'answers':>8} {'feasible':>9} {'rate':>6} {'unparsed':>9}" + "".join(
        f" {c:>11}" for c in shown
    )
    lines.append(header)
    for row in report.levels:
        cells = "".join(f" {row['categories'].get(c, 0):>11}" for c in shown)
        lines.append(
            f"{row['level']:>4} {row['answers']:>8} {row['feasible']:>9} {_rate(row['rate']):>6} {row['unparsed']:>9}"
            + cells
        )
    lines.append("")
    share = _rate(report.feasible / report.total if report.total else None)
    lines.append(f"answers {report.total}, feasible {report.feasible} ({share}), unparsed {report.unparsed}")
    lines.append(f"AUC (mean rate over levels) {report.auc:.3f}")
    lines.append(f"WAUC {report.wauc:.3f}  (weights {report.weighting})")
    threshold = "none (every level at or above 50%)" if report.threshold is None else f"k = {report.threshold}"
    lines.append(f"degradation threshold (first level below 50% feasible): {threshold}")
    if report.axes:
        lines.append("")
        lines.append("axis         on: answers  rate    off: answers  rate")
        for axis, row in report.axes.items():
            lines.append(
                f"{axis:<12} {row['on']:>12} {_rate(row['rate_on']):>5} {row['off']:>13} {_rate(row['rate_off']):>5}"
            )
    if report.categories:
        lines.append("")
        lines.append("violations by category: " + ", ".join(f"{c} {n}" for c, n in report.categories.items()))
    return "\n".join(lines)
