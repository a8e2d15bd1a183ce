"""Numba's ``njit`` when Numba is installed, the plain Python function otherwise.

The local searches (:mod:`schedkit.heuristics.shop.local_search`,
:mod:`schedkit.heuristics.rcpsp.genetic`, :mod:`schedkit.heuristics.tardiness.dynasearch`)
walk neighbourhoods move by move; such loops do not vectorise, so they are
compiled with Numba (``cache=True``: the machine code is written next to the
module and later processes load it instead of compiling). Without Numba the
same functions run as plain Python, correct but one to two orders of magnitude
slower. :data:`HAVE_NUMBA` says which.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])

try:  # pragma: no cover - depends on the environment
    import numba

    HAVE_NUMBA = True

    def njit(function: F) -> F:
        """Compile ``function`` with ``numba.njit(cache=True)``."""
        return cast(F, numba.njit(cache=True)(function))  # the Dispatcher is called like the function it compiles

except ImportError:  # pragma: no cover - depends on the environment
    HAVE_NUMBA = False

    def njit(function: F) -> F:
        """Return ``function`` unchanged (Numba is not installed)."""
        return function
