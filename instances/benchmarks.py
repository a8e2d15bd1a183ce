"""Where the shared benchmark data lives (PSPLIB, JSPLIB, FJSPLIB, OR-Library copies).

The data is not part of the package. Tests and benchmark scripts look for it
with :func:`benchmarks_dir` and skip cleanly when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "SCHEDKIT_BENCHMARKS"
"""Environment variable naming the benchmark folder explicitly."""


def benchmarks_dir(start: Path | None = None) -> Path | None:
    """The benchmark folder, or None when it cannot be found.

    First ``$SCHEDKIT_BENCHMARKS`` (if set and a directory), then the first
    ``shared/benchmarks`` folder found in ``start`` (default: the working
    directory) or one of its parents. From a development checkout with
    ``../shared`` beside it, that is ``../shared/benchmarks``. The lookup never
    depends on where the package is installed.
    """
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        path = Path(explicit).expanduser()
        return path.resolve() if path.is_dir() else None
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        path = folder / "shared" / "benchmarks"
        if path.is_dir():
            return path
    return None
