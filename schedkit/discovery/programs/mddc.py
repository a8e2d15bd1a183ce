"""MDDC as a discovery program: calls ``schedkit.heuristics.tardiness.mddc_order``."""

from __future__ import annotations

import numpy as np

from schedkit.heuristics.tardiness import JobArrays, mddc_order


def sequence(p: np.ndarray, d: np.ndarray, w: np.ndarray) -> list[int]:
    """The MDDC order of the jobs (no releases)."""
    return [int(j) for j in mddc_order(JobArrays(p=p, d=d, w=w, r=np.zeros_like(p)))]
