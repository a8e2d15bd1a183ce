"""EDDC as a discovery program: calls ``schedkit.heuristics.tardiness.eddc_order``."""

from __future__ import annotations

import numpy as np

from schedkit.heuristics.tardiness import JobArrays, eddc_order


def sequence(p: np.ndarray, d: np.ndarray, w: np.ndarray) -> list[int]:
    """The EDDC order of the jobs (no releases)."""
    return [int(j) for j in eddc_order(JobArrays(p=p, d=d, w=w, r=np.zeros_like(p)))]
