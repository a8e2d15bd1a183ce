"""NBR as a discovery program: calls ``schedkit.heuristics.tardiness.nbr_order``."""

from __future__ import annotations

import numpy as np

from schedkit.heuristics.tardiness import JobArrays, nbr_order


def sequence(p: np.ndarray, d: np.ndarray, w: np.ndarray) -> list[int]:
    """The NBR order of the jobs (no releases)."""
    return [int(j) for j in nbr_order(JobArrays(p=p, d=d, w=w, r=np.zeros_like(p)))]
