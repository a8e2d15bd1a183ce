"""A small tardiness suite with its optima, shared by the discovery tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from schedkit.discovery import TARDINESS, Evaluator, Limits, OptimumCache


@pytest.fixture(scope="session")
def small_evaluator(tmp_path_factory: pytest.TempPathFactory) -> Evaluator:
    """The 25 TF x RDD classes at n = 20 (one instance each), optima cached in a temporary folder."""
    cache: Path = tmp_path_factory.mktemp("optima")
    return Evaluator.for_spec(
        TARDINESS, sizes=(20,), per_class=1, seed=0, cache=OptimumCache(cache), limits=Limits(5.0)
    )
