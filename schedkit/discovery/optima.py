"""Certified optima cached on disk, one JSON file per instance, keyed by the instance's data.

Computing the optimum of every suite instance is the expensive part of an
evaluation (the exact tardiness method takes up to tens of seconds on the
hardest n = 500 classes), and every candidate is scored against the same
instances, so each reference is computed once and kept.

The key is the SHA-256 of the family name and the instance arrays (names,
dtypes, shapes and bytes), so a changed generator or seed can never pick up a
stale optimum. A file holds ``{"value", "proven", "seconds"}``. An unproven
reference (time limit reached) is cached too but recomputed when asked with a
larger time limit than the one that produced it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

from schedkit.discovery.spec import Reference

__all__ = ["OptimumCache", "default_cache_dir", "instance_key"]


def default_cache_dir() -> Path:
    """``$SCHEDKIT_CACHE/optima`` if set, else ``~/.cache/schedkit/optima``."""
    root = os.environ.get("SCHEDKIT_CACHE")
    return Path(root) / "optima" if root else Path.home() / ".cache" / "schedkit" / "optima"


def instance_key(family: str, arrays: Mapping[str, np.ndarray]) -> str:
    """SHA-256 of the family and the arrays (see the module docstring)."""
    digest = hashlib.sha256(family.encode())
    for name in sorted(arrays):
        array = np.ascontiguousarray(arrays[name], dtype=np.int64)
        digest.update(f"|{name}|{array.shape}|".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


class OptimumCache:
    """References by instance key, in memory and (unless ``directory`` is None) on disk."""

    def __init__(self, directory: str | Path | None) -> None:
        self.directory = None if directory is None else Path(directory)
        self._memory: dict[str, tuple[Reference, float | None]] = {}

    def _path(self, key: str) -> Path | None:
        return None if self.directory is None else self.directory / f"{key}.json"

    def _load(self, key: str) -> tuple[Reference, float | None] | None:
        if key in self._memory:
            return self._memory[key]
        path = self._path(key)
        if path is None or not path.exists():
            return None
        try:
            data = json.loads(path.read_text())
            found = Reference(int(data["value"]), bool(data["proven"]), float(data["seconds"]))
            limit = data.get("time_limit")
        except (OSError, ValueError, KeyError, TypeError):
            return None  # unreadable: recompute
        self._memory[key] = (found, None if limit is None else float(limit))
        return self._memory[key]

    def get(
        self,
        family: str,
        arrays: Mapping[str, np.ndarray],
        compute: Callable[[float | None], Reference],
        time_limit: float | None,
    ) -> Reference:
        """The cached reference of the instance, computed by ``compute(time_limit)`` when missing."""
        key = instance_key(family, arrays)
        cached = self._load(key)
        if cached is not None:
            found, used_limit = cached
            if found.proven or (time_limit is not None and used_limit is not None and time_limit <= used_limit):
                return found
        found = compute(time_limit)
        self._memory[key] = (found, time_limit)
        path = self._path(key)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            record = {"value": found.value, "proven": found.proven, "seconds": found.seconds, "time_limit": time_limit}
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(record))
            temporary.replace(path)
        return found
