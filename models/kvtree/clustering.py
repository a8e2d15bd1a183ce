"""Semantic clusters of step embeddings: average-linkage agglomeration on cosine distance, cut at a threshold."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np


def cosine_distances(matrix: np.ndarray) -> np.ndarray:
    """Condensed pairwise cosine distances ``1 - cos(u, v)`` (scipy's ``pdist`` order), by one matrix product.

    The same values as ``pdist(matrix, "cosine")`` up to rounding, about 20x
    faster for 768-d sentence embeddings; clipped to [0, 2].
    """
    from scipy.spatial.distance import squareform

    unit = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    square = 1.0 - unit @ unit.T
    np.fill_diagonal(square, 0.0)
    np.clip(square, 0.0, 2.0, out=square)
    condensed: np.ndarray = squareform(square, checks=False)
    return condensed


def cluster_embeddings(
    embeddings: Any, threshold: float = 0.05, items: Sequence[Hashable] | None = None
) -> list[list[Any]]:
    """Group step embeddings by average-linkage cosine clustering cut at ``threshold``.

    ``embeddings`` is an (n, d) array, one row per leaf. Agglomerative
    clustering (scipy ``linkage(method="average", metric="cosine")``) merges
    the two groups with the smallest mean cosine distance ``1 - cos(u, v)``
    until it exceeds ``threshold`` (``fcluster`` with criterion
    ``"distance"``), as ETS does with 0.05. Returns groups of row positions
    (or of ``items[pos]`` when ``items`` is given, e.g. the leaves' node
    indices), each sorted, ordered by their first member.
    """
    from scipy.cluster.hierarchy import fcluster, linkage

    matrix = np.asarray(embeddings, dtype=float)
    if matrix.ndim != 2:
        raise ValueError(f"embeddings must be a 2-d array (one row per leaf), got shape {matrix.shape}")
    n = matrix.shape[0]
    if items is not None and len(items) != n:
        raise ValueError(f"items has {len(items)} entries for {n} embeddings")
    if not np.all(np.isfinite(matrix)):
        raise ValueError("embeddings must be finite")
    zero = np.flatnonzero(np.linalg.norm(matrix, axis=1) == 0) if n else np.array([], dtype=int)
    if zero.size:
        raise ValueError(f"embedding row {int(zero[0])} is zero: its cosine distance is undefined")
    if n == 0:
        return []
    if n == 1:
        labels = np.array([1])
    else:
        labels = fcluster(linkage(cosine_distances(matrix), method="average"), t=threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for position, label in enumerate(labels):
        groups.setdefault(int(label), []).append(position)
    ordered = sorted(groups.values(), key=lambda members: members[0])
    if items is None:
        return ordered
    return [[items[position] for position in group] for group in ordered]
