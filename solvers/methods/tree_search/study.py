"""ETS against REBASE (and beam search, DVTS) on seeded synthetic trees: accuracy, KV, selection time.

For each width N and each tree (one synthetic problem, seed ``seed * 100000 +
t``), every method searches the *same* lazy tree (children are drawn per node
and child index, so methods expanding the same node see the same children).
Per width and method the study reports:

* accuracy of the weighted majority vote (ETS's evaluation), of best-of-N and
  of the plain majority; for ETS, the paired difference to REBASE in points
  with a 95% interval (normal approximation over trees);
* total KV (ETS's figure summed over depths, mean per tree), peak KV (mean of
  the per-tree maxima) and the selection-based KV;
* selection wall time per depth: median and 95th percentile over every
  selection, and the median over the selections with at least 3/4 N
  candidates (``full``: the "256 leaves" figure at N = 256);
* the KV ratio REBASE / ETS (total, peak, and on the selection-based KV) and the modelled throughput
  ratio ETS / REBASE (:class:`~schedkit.solvers.methods.tree_search.kv.ThroughputModel`).

Selection times include everything the selector does (REBASE's walk; ETS's
outcome weights, clustering, program, re-allocation) except computing the
embeddings, which a real search does on the GPU.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from schedkit.solvers.methods.tree_search.engine import WIDTHS, SearchResult, tree_search
from schedkit.solvers.methods.tree_search.kv import DepthRecord, ThroughputModel
from schedkit.solvers.methods.tree_search.selectors import METHODS

PAPER_KV_RATIO = 1.8
"""ETS's reported reduction of the average KV cache size against REBASE (arXiv 2502.13575, abstract)."""

PAPER_THROUGHPUT_RATIO = 1.4
"""ETS's reported throughput gain against REBASE (same source)."""


@dataclass
class MethodRow:
    """One (width, method) line of the study table."""

    width: int
    method: str
    trees: int
    accuracy: float
    best_of_n: float
    majority: float
    total_kv: float
    peak_kv: float
    selection_kv: float
    decoded_tokens: float
    selection_ms_median: float
    selection_ms_p95: float
    selection_ms_full_median: float | None
    selections: int
    throughput: float
    kv_ratio: float | None = None
    peak_ratio: float | None = None
    selection_kv_ratio: float | None = None
    accuracy_delta: float | None = None
    accuracy_delta_ci: float | None = None
    throughput_ratio: float | None = None


@dataclass
class StudyResult:
    """The rows, the settings and the per-tree outcomes."""

    rows: list[MethodRow]
    settings: dict[str, Any]
    per_tree: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (rows, settings, per-tree outcomes) for JSON."""
        return {"settings": self.settings, "rows": [asdict(row) for row in self.rows], "per_tree": self.per_tree}


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _warm_up() -> None:
    """Import and exercise the solver path once so the first timed selection pays no import."""
    from schedkit.instances.generators.kvtree import synthetic_kvtree

    problem = synthetic_kvtree(0)
    tree_search(problem.root(), problem, problem, method="ets", width=8, embedder=problem)


def run_study(
    widths: Sequence[int] = WIDTHS,
    trees: int = 200,
    seed: int = 0,
    methods: Sequence[str] = METHODS,
    canonical: float | None = None,
    lambda_cs: Sequence[float] = (1.0,),
    solver: str = "auto",
    check: bool = False,
    throughput_model: ThroughputModel | None = None,
    progress: Any = None,
) -> StudyResult:
    """Run the study (see the module docstring); ``canonical`` overrides the generator's knob of that name.

    ``lambda_cs`` runs ETS once per KV weight: ``ets`` for ETS's own 1.0, ``ets-lc<value>`` for the others
    (a method knob, reported beside the paper's setting, never instead of it). ``progress`` is called with a
    one-line message after each width and method.
    """
    from schedkit.instances.generators.kvtree import synthetic_kvtree

    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown method(s) {', '.join(unknown)}; expected some of {', '.join(METHODS)}")
    if trees < 1:
        raise ValueError(f"trees must be >= 1, got {trees!r}")
    variants = [
        (("ets" if lc == 1.0 else f"ets-lc{lc:g}") if m == "ets" else m, m, lc if m == "ets" else 1.0)
        for m in methods
        for lc in (lambda_cs if m == "ets" else (1.0,))
    ]
    model = throughput_model or ThroughputModel()
    knobs: dict[str, Any] = {} if canonical is None else {"canonical": canonical}
    _warm_up()
    rows: list[MethodRow] = []
    per_tree: list[dict[str, Any]] = []
    for width in widths:
        outcomes: dict[str, list[SearchResult]] = {label: [] for label, _, _ in variants}
        for t in range(trees):
            problem = synthetic_kvtree(seed * 100_000 + t, **knobs)
            for label, method, lambda_c in variants:
                result = tree_search(
                    problem.root(),
                    problem,
                    problem,
                    method=method,
                    width=width,
                    embedder=problem,
                    lambda_c=lambda_c,
                    solver=solver,
                    check=check,
                )
                outcomes[label].append(result)
                per_tree.append(
                    {
                        "width": width,
                        "tree": t,
                        "method": label,
                        "correct": bool(result.weighted_vote().correct),
                        "total_kv": result.total_kv,
                        "peak_kv": result.peak_kv,
                        "depths": len(result.depths),
                        "answers": len(result.answers),
                    }
                )
        for label, _, _ in variants:
            rows.append(_row(width, label, outcomes[label], model))
            if progress is not None:
                row = rows[-1]
                progress(f"N={width} {method}: accuracy {row.accuracy:.3f}, total KV {row.total_kv:.0f}")
        _compare(rows, width, outcomes)
    settings = {
        "widths": list(widths),
        "trees": trees,
        "seed": seed,
        "methods": [label for label, _, _ in variants],
        "generator": {"canonical": canonical} if canonical is not None else "defaults",
        "lambda_c": list(lambda_cs),
        "lambda_s": "ETS's per-width values",
        "solver": solver,
        "throughput_model": asdict(model),
        "paper_kv_ratio": PAPER_KV_RATIO,
        "paper_throughput_ratio": PAPER_THROUGHPUT_RATIO,
    }
    return StudyResult(rows, settings, per_tree)


def _row(width: int, method: str, results: list[SearchResult], model: ThroughputModel) -> MethodRow:
    n = len(results)
    times = [record.selection_seconds * 1000 for result in results for record in result.depths]
    full = [
        record.selection_seconds * 1000
        for result in results
        for record in result.depths
        if record.candidates >= 0.75 * width
    ]
    peak = sum(result.peak_kv for result in results) / n
    depths: list[list[DepthRecord]] = [result.depths for result in results]
    return MethodRow(
        width=width,
        method=method,
        trees=n,
        accuracy=sum(bool(r.weighted_vote().correct) for r in results) / n,
        best_of_n=sum(bool(r.best_of_n().correct) for r in results) / n,
        majority=sum(bool(r.majority_vote().correct) for r in results) / n,
        total_kv=sum(r.total_kv for r in results) / n,
        peak_kv=peak,
        selection_kv=sum(sum(d.kv_selection for d in r.depths) for r in results) / n,
        decoded_tokens=sum(sum(d.decoded_tokens for d in r.depths) for r in results) / n,
        selection_ms_median=statistics.median(times) if times else 0.0,
        selection_ms_p95=_percentile(times, 0.95) if times else 0.0,
        selection_ms_full_median=statistics.median(full) if full else None,
        selections=len(times),
        throughput=model.throughput(depths, peak),
    )


def _compare(rows: list[MethodRow], width: int, outcomes: dict[str, list[SearchResult]]) -> None:
    """Fill the ratios to REBASE on this width's rows."""
    if "rebase" not in outcomes:
        return
    base = next(row for row in rows if row.width == width and row.method == "rebase")
    base_correct = [bool(r.weighted_vote().correct) for r in outcomes["rebase"]]
    for row in rows:
        if row.width != width or row.method == "rebase":
            continue
        row.kv_ratio = base.total_kv / row.total_kv if row.total_kv else None
        row.peak_ratio = base.peak_kv / row.peak_kv if row.peak_kv else None
        row.selection_kv_ratio = base.selection_kv / row.selection_kv if row.selection_kv else None
        row.throughput_ratio = row.throughput / base.throughput if base.throughput else None
        diffs = [float(bool(r.weighted_vote().correct)) - float(b) for r, b in zip(outcomes[row.method], base_correct)]
        row.accuracy_delta = 100 * statistics.fmean(diffs)
        spread = statistics.stdev(diffs) if len(diffs) > 1 else 0.0
        row.accuracy_delta_ci = 100 * 1.96 * spread / math.sqrt(len(diffs))


def format_table(result: StudyResult) -> str:
    """The study as a fixed-width text table, with the paper's figures for reference."""
    header = (
        f"{'N':>4} {'method':<9} {'trees':>5} {'acc':>6} {'bestN':>6} {'maj':>6} {'dAcc(pt)':>14} "
        f"{'total KV':>10} {'peak KV':>9} {'KV x':>5} {'peak x':>6} {'sel x':>5} {'sel ms':>7} {'p95':>7} {'full':>7} "
        f"{'thru x':>6}"
    )
    lines = [header]
    for row in result.rows:
        delta = "-" if row.accuracy_delta is None else f"{row.accuracy_delta:+.1f}+-{row.accuracy_delta_ci:.1f}"
        full = "-" if row.selection_ms_full_median is None else f"{row.selection_ms_full_median:.2f}"
        lines.append(
            f"{row.width:>4} {row.method:<9} {row.trees:>5} {row.accuracy:>6.3f} {row.best_of_n:>6.3f} "
            f"{row.majority:>6.3f} {delta:>14} {row.total_kv:>10.0f} {row.peak_kv:>9.0f} "
            f"{_x(row.kv_ratio):>5} {_x(row.peak_ratio):>6} {_x(row.selection_kv_ratio):>5} "
            f"{row.selection_ms_median:>7.2f} {row.selection_ms_p95:>7.2f} {full:>7} {_x(row.throughput_ratio):>6}"
        )
    lines.append(
        f"KV x = REBASE total KV / method total KV (paper: {PAPER_KV_RATIO}x for ETS); sel x = the same on the "
        "expanded leaves and their ancestors (families.md's definition); "
        f"thru x = modelled throughput / REBASE's (paper: {PAPER_THROUGHPUT_RATIO}x); "
        "dAcc = weighted-vote accuracy minus REBASE's, points, 95% interval; full = median selection ms "
        "with >= 3/4 N candidates."
    )
    return "\n".join(lines)


def _x(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
