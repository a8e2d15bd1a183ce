"""Optional dependencies: a feature whose extra is not installed ends with one line naming the extra.

The core install is light; Dask (``schedkit[cluster]``) and pyarrow
(``schedkit[parquet]``) are extras. :func:`require` imports the module a
feature needs or raises :class:`MissingExtra`, a ``ValueError`` whose message
says which feature needs which extra and the command that installs it, which
the command line prints as its one-line error.
"""

from __future__ import annotations

import importlib
from types import ModuleType

EXTRAS: dict[str, str] = {"distributed": "cluster", "dask": "cluster", "pyarrow": "parquet"}
"""Module -> the extra that installs it."""


class MissingExtra(ValueError):
    """A feature needs an optional dependency that is not installed."""


def require(module: str, feature: str) -> ModuleType:
    """Import ``module`` for ``feature``, or raise :class:`MissingExtra` naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        extra = EXTRAS.get(module.split(".")[0], "all")
        raise MissingExtra(
            f"{feature} needs {module.split('.')[0]}, which is not installed: pip install 'schedkit[{extra}]'"
        ) from None
