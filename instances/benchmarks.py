"""Where the shared benchmark data lives (PSPLIB, JSPLIB, FJSPLIB, OR-Library copies).

The data is not part of the package. Tests and benchmark scripts look for it
with :func:`benchmarks_dir` and skip cleanly when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "SCHEDKIT_BENCHMARKS"
"""Environment variable naming the benchmark folder explicitly."""


def benchmarks_dir() -> Path | None:
    """The benchmark folder, or None when it cannot be found.

    First ``$SCHEDKIT_BENCHMARKS`` (if set and a directory), then
    ``../shared/benchmarks`` next to the repository root (the layout of the
    development checkout).
    """
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        path = Path(explicit).expanduser()
        return path.resolve() if path.is_dir() else None
    repo_root = Path(__file__).resolve().parents[1]
    path = (repo_root / ".." / "shared" / "benchmarks").resolve()
    return path if path.is_dir() else None
