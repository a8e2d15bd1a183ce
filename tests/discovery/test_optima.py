"""The optimum cache: once per instance, on disk, keyed by the data; unproven values redone with more time."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from schedkit.discovery import OptimumCache, Reference
from schedkit.discovery.optima import instance_key


def test_cache_computes_once_and_survives_a_new_process(tmp_path: Path) -> None:
    arrays = {"p": np.array([3, 1, 2]), "d": np.array([2, 2, 2]), "w": np.ones(3, dtype=np.int64)}
    calls: list[float | None] = []

    def compute(limit: float | None) -> Reference:
        calls.append(limit)
        return Reference(7, True, 0.1)

    first = OptimumCache(tmp_path)
    assert first.get("tardiness", arrays, compute, 10.0) == Reference(7, True, 0.1)
    assert first.get("tardiness", arrays, compute, 10.0).value == 7
    assert OptimumCache(tmp_path).get("tardiness", arrays, compute, 10.0).value == 7  # read from disk
    assert calls == [10.0] and len(list(tmp_path.glob("*.json"))) == 1


def test_unproven_reference_is_recomputed_with_a_larger_limit(tmp_path: Path) -> None:
    arrays = {"p": np.array([5]), "d": np.array([1]), "w": np.array([1])}
    cache = OptimumCache(tmp_path)
    assert not cache.get("t", arrays, lambda limit: Reference(3, False), 1.0).proven
    assert cache.get("t", arrays, lambda limit: Reference(99, True), 0.5).value == 3  # no more time: kept
    assert cache.get("t", arrays, lambda limit: Reference(4, True), 5.0) == Reference(4, True)


def test_key_depends_on_every_array_and_the_family() -> None:
    base = {"p": np.array([1, 2]), "d": np.array([3, 4])}
    keys = {
        instance_key("a", base),
        instance_key("b", base),
        instance_key("a", {"p": np.array([1, 2]), "d": np.array([3, 5])}),
        instance_key("a", {"p": np.array([1, 2]), "q": np.array([3, 4])}),
    }
    assert len(keys) == 4
