"""Potts & Van Wassenhove's generator for single-machine total (weighted) tardiness.

Source: C. N. Potts and L. N. Van Wassenhove (1985), as used for the
OR-Library wt sets (``wtinfo.txt``) and by Fisher (1976): ``p_j ~ U{1..100}``,
``P = sum p_j``, due dates ``d_j ~ U[P(1 - TF - RDD/2), P(1 - TF + RDD/2)]``
(integers; negative values clipped to 0), optional weights ``w_j ~ U{1..10}``.
TF (tardiness factor) and RDD (relative range of due dates) each take values
in {0.2, 0.4, 0.6, 0.8, 1.0}, giving 25 classes, usually 5 instances each.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from fractions import Fraction

import numpy as np

from schedkit.instances.generators._common import check_positive, check_range
from schedkit.models import ProblemData
from schedkit.models.tardiness import tardiness

TF_VALUES: tuple[float, ...] = (0.2, 0.4, 0.6, 0.8, 1.0)
"""The standard tardiness factors."""
RDD_VALUES: tuple[float, ...] = (0.2, 0.4, 0.6, 0.8, 1.0)
"""The standard relative ranges of due dates."""


def _exact(value: float) -> Fraction:
    # 0.6 as 3/5, not as the nearest double, so that the due-date interval bounds are exact.
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def potts_vanwassenhove(
    num_jobs: int,
    tf: float,
    rdd: float,
    seed: int = 0,
    weighted: bool = True,
    processing_range: Sequence[int] = (1, 100),
    weight_range: Sequence[int] = (1, 10),
    name: str = "",
) -> ProblemData:
    """A random ``1 || sum w_j T_j`` instance (``1 || sum T_j`` when ``weighted=False``).

    The due-date interval ``[P(1 - TF - RDD/2), P(1 - TF + RDD/2)]`` is
    rounded inwards to integers (``ceil`` of the lower and ``floor`` of the
    upper bound; when it holds no integer the lower bound is used), and every
    drawn due date below 0 becomes 0.
    """
    check_positive("num_jobs", num_jobs)
    tf_x, rdd_x = _exact(tf), _exact(rdd)
    if tf_x < 0 or rdd_x < 0:
        raise ValueError(f"tf and rdd must be non-negative, got tf={tf!r}, rdd={rdd!r}")
    p_low, p_high = check_range("processing_range", processing_range)
    w_low, w_high = check_range("weight_range", weight_range)
    rng = np.random.default_rng(seed)
    p = rng.integers(p_low, p_high, size=num_jobs, endpoint=True).tolist()
    weights = rng.integers(w_low, w_high, size=num_jobs, endpoint=True).tolist() if weighted else None
    total = sum(p)
    low = math.ceil(total * (1 - tf_x - rdd_x / 2))
    high = max(low, math.floor(total * (1 - tf_x + rdd_x / 2)))
    due = [max(0, d) for d in rng.integers(low, high, size=num_jobs, endpoint=True).tolist()]
    label = name or f"{'wt' if weighted else 'tt'}{num_jobs}_tf{float(tf):g}_rdd{float(rdd):g}_s{seed}"
    problem = tardiness(p, due, weights, name=label)
    problem.meta["generator"] = {
        "name": "potts_vanwassenhove",
        "num_jobs": num_jobs,
        "tf": float(tf),
        "rdd": float(rdd),
        "seed": seed,
        "weighted": weighted,
    }
    return problem


def tardiness_classes(
    num_jobs: int,
    per_class: int = 5,
    seed: int = 0,
    weighted: bool = True,
    tf_values: Sequence[float] = TF_VALUES,
    rdd_values: Sequence[float] = RDD_VALUES,
) -> Iterator[ProblemData]:
    """The standard benchmark grid: ``per_class`` instances for each (TF, RDD) pair, TF outermost.

    Instance number ``i`` of the grid (0-based, in yield order) uses the seed
    ``seed * 1_000_003 + i``, so any single instance can be regenerated alone
    with :func:`potts_vanwassenhove`.
    """
    check_positive("per_class", per_class)
    i = 0
    for tf in tf_values:
        for rdd in rdd_values:
            for k in range(per_class):
                yield potts_vanwassenhove(
                    num_jobs,
                    tf,
                    rdd,
                    seed=seed * 1_000_003 + i,
                    weighted=weighted,
                    name=f"{'wt' if weighted else 'tt'}{num_jobs}_tf{tf:g}_rdd{rdd:g}_{k}",
                )
                i += 1
