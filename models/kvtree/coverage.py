"""When ETS's coverage term can matter, and the clusters it rewards.

ETS adds ``(lambda_s / K) * sum_k c_k`` only when ``lambda_s > 0``, there is
more than one leaf and the new step texts are not all identical
(``apply_sim`` in ETS's ``rebase.py``). Since at least one leaf is always
kept, at least one cluster is always covered: with a single cluster the term
is the constant ``lambda_s`` and cannot change which selection is best. So
the term is used exactly when ``lambda_s > 0``, there are at least two leaves
and at least two clusters -- which implies two distinct texts, because
identical texts have identical embeddings. Leaving it out otherwise keeps the
0/1 program smaller and its value free of a meaningless constant.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence


def coverage_can_matter(lambda_s: float, num_leaves: int, num_clusters: int) -> bool:
    """Whether the coverage term can change the best selection (see the module docstring)."""
    return lambda_s > 0 and num_leaves > 1 and num_clusters > 1


def distinct_texts(texts: Sequence[Hashable]) -> int:
    """Number of distinct step texts (ETS computes the clusters only when there are two or more)."""
    return len(set(texts))


def coverage_clusters(clusters: Sequence[Sequence[int]], lambda_s: float, num_leaves: int) -> list[list[int]]:
    """The clusters to reward: all of them when the coverage term can matter, none otherwise."""
    if coverage_can_matter(lambda_s, num_leaves, len(clusters)):
        return [list(group) for group in clusters]
    return []
