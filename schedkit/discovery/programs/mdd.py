"""MDD as a discovery program: calls ``schedkit.heuristics.tardiness.mdd_order``."""

from __future__ import annotations

import numpy as np

from schedkit.heuristics.tardiness import JobArrays, mdd_order


def sequence(p: np.ndarray, d: np.ndarray, w: np.ndarray) -> list[int]:
    """The MDD order of the jobs (no releases)."""
    return [int(j) for j in mdd_order(JobArrays(p=p, d=d, w=w, r=np.zeros_like(p)))]
