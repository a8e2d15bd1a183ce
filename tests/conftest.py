"""Shared fixtures: the benchmark folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def benchmarks() -> Path:
    """The shared benchmark folder (``../shared/benchmarks`` or ``$SCHEDKIT_BENCHMARKS``); skips when absent."""
    from schedkit.instances.benchmarks import benchmarks_dir

    path = benchmarks_dir()
    if path is None:
        pytest.skip("shared benchmark folder not found (set SCHEDKIT_BENCHMARKS)")
    return path
