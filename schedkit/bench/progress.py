"""The batch progress bar: finished / total, running and failed counts, elapsed time (tqdm)."""

from __future__ import annotations

import shutil
import sys
from typing import Any

from schedkit.bench.store import FAILED


class BatchProgress:
    """A tqdm bar over the rows of a batch; silent when disabled or when standard error is not a terminal."""

    def __init__(self, total: int, done: int = 0, enabled: bool = True, description: str = "bench") -> None:
        from tqdm import tqdm

        self.enabled = bool(enabled and sys.stderr.isatty())
        self.failed = 0
        self.running = 0
        self._bar = tqdm(
            total=total,
            initial=done,
            desc=description,
            unit="run",
            disable=not self.enabled,
            ncols=shutil.get_terminal_size().columns or 100,
            bar_format="{desc}: {n_fmt}/{total_fmt} finished{postfix} |{bar}| {elapsed} elapsed, {remaining} left",
        )
        self._show()

    def _show(self) -> None:
        self._bar.set_postfix_str(f"running {self.running}, failed {self.failed}", refresh=True)

    def update(self, row: dict[str, Any] | None = None, running: int | None = None) -> None:
        """Count one finished ``row`` (when given) and show the current number of running jobs."""
        if running is not None:
            self.running = running
        if row is not None:
            if row.get("status") in FAILED:
                self.failed += 1
            self._bar.update(1)
        self._show()

    def close(self) -> None:
        """Close the bar."""
        self._bar.close()
