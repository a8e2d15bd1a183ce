"""HiGHS's thread count, which its task scheduler fixes once started.

HiGHS runs its parallel parts on a task scheduler created by the first solve
(per process up to highspy 1.15, per calling thread in 1.16) with that solve's
``threads`` option. A later solve that asks for a different count fails
outright (``HighsStatus.kError``, model status ``kNotset``: "the scheduler has
already been initialized to use N threads"), so ``solve(threads=2)`` followed
by ``solve(threads=1)`` in one process returned no MIP solution at all, and so
did any solve with an explicit count after user code had run HiGHS with its
default. Every HiGHS solve of the project that sets a thread count goes
through :func:`highs_threads`, which restarts the scheduler first
(``Highs.resetThreadScheduler`` in highspy 1.16, ``Highs.resetGlobalScheduler``
from 1.8 on; about 0.04 ms). Solves that leave the count to HiGHS (the
selection hot path) run on whatever scheduler exists.
"""

from __future__ import annotations

import highspy


def highs_threads(threads: int | None) -> int | None:
    """Make HiGHS's next solve in this thread able to use ``threads``; the option value to set, or None.

    Parameters
    ----------
    threads
        The count the caller asks for; None for HiGHS's default (the option
        stays unset and any existing scheduler is used).

    Returns
    -------
    int | None
        ``threads`` once the scheduler has been restarted; None when it is
        None or when this highspy (before 1.8) cannot restart the scheduler:
        the option then stays unset so that the solve runs on the scheduler
        the process started with instead of failing.
    """
    if threads is None:
        return None
    reset = getattr(highspy.Highs, "resetThreadScheduler", None) or getattr(highspy.Highs, "resetGlobalScheduler", None)
    if reset is None:
        return None
    reset(True)
    return int(threads)


__all__ = ["highs_threads"]
