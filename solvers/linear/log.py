"""HiGHS's log as it happens: each line written to standard output when HiGHS produces it."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def streamed_log(highs: Any, show: bool = True) -> Iterator[None]:
    """Route HiGHS's log of ``highs`` (a ``highspy.Highs``) to standard output line by line (``show``), or nowhere.

    APPSI captures the solver's output and hands it on at the end, and C
    output into a pipe is block-buffered, so ``schedkit solve --log | tee``
    used to show the whole log when the solve ended. HiGHS's logging callback
    instead delivers each line as it is written; it goes to a duplicate of the
    process's standard output, flushed at once.

    Without ``show`` the log is still produced and dropped: HiGHS 1.12's
    presolve reads its clock where it reports, so with its output switched off
    an 8 s limit ran 17 s of presolve on a j30 time-indexed model, and 0.8 s
    with logging on.
    """
    callback = getattr(highs, "cbLogging", None)
    if callback is None:  # highspy before 1.8 has no logging callback: HiGHS writes its log itself, at the end
        yield
        return
    fd = -1
    if show:
        sys.stdout.flush()
        fd = os.dup(sys.__stdout__.fileno() if sys.__stdout__ is not None else 1)

    def write(event: Any) -> None:
        if fd >= 0:
            os.write(fd, str(getattr(event, "message", "")).encode("utf-8", "replace"))

    callback.subscribe(write)
    try:
        yield
    finally:
        callback.unsubscribe(write)
        if fd >= 0:
            os.close(fd)


__all__ = ["streamed_log"]
