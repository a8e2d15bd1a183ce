"""HiGHS's thread count, which is fixed per process once its scheduler starts.

HiGHS runs its parallel parts on one global task scheduler, created by the
first solve in a process with that solve's ``threads`` option. A later solve
that asks for a different count fails outright (``HighsStatus.kError``, model
status ``kNotset``: "global scheduler has already been initialized to use N
threads"), so ``solve(threads=2)`` followed by ``solve(threads=1)`` in one
process returned no MIP solution at all. Every HiGHS solve of the project sets
its thread count through :func:`highs_threads`, which restarts the scheduler
when the count changes (``Highs.resetThreadScheduler`` in highspy 1.16,
``Highs.resetGlobalScheduler`` from 1.8 on) and otherwise leaves the option unset so that HiGHS keeps the
scheduler it has (older highspy: the first count of the process stays).
"""

from __future__ import annotations

import highspy

_AUTO = 0  # HiGHS's own default: threads chosen by HiGHS
_started_with: int | None = None  # the count the scheduler was started with, None before the first solve


def highs_threads(threads: int | None) -> int | None:
    """The ``threads`` option value to give the next HiGHS solve, or None to leave it unset.

    Parameters
    ----------
    threads
        The count the caller asks for; None for HiGHS's default.

    Returns
    -------
    int | None
        ``threads`` when HiGHS can honour it (restarting its scheduler first
        if an earlier solve started it with another count); None when it
        cannot (no restart in this highspy) and the option must stay unset.
    """
    global _started_with
    wanted = _AUTO if threads is None else int(threads)
    if _started_with is None or _started_with == wanted:
        _started_with = wanted
        return threads
    # HiGHS 1.16 keeps a scheduler per calling thread (resetThreadScheduler); 1.8 to 1.15 one per process
    reset = getattr(highspy.Highs, "resetThreadScheduler", None) or getattr(highspy.Highs, "resetGlobalScheduler", None)
    if reset is None:
        return None  # this highspy cannot restart the scheduler: keep the count it started with
    reset(True)
    _started_with = wanted
    return threads


__all__ = ["highs_threads"]
