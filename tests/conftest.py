"""Shared fixtures: the benchmark folder, and the tests folder on sys.path for helper modules."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def benchmarks() -> Path:
    """The shared benchmark folder (``../shared/benchmarks`` or ``$SCHEDKIT_BENCHMARKS``); skips when absent."""
    from instances.benchmarks import benchmarks_dir

    path = benchmarks_dir()
    if path is None:
        pytest.skip("shared benchmark folder not found (set SCHEDKIT_BENCHMARKS)")
    return path
