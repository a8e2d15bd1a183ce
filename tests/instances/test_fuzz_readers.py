"""Fuzzing every bundled format: read() accepts a mutated file or raises FormatError, never anything else.

Seeded (the same mutations every run) and bounded in time (:data:`BUDGET`
seconds, well under a minute). Each round mutates every bundled instance file
once (see :mod:`tests.instances.fuzz_mutations`) and reads it twice: with the
format detected and with its own format forced. A read that raises anything
but :class:`~schedkit.instances.FormatError` (a ``RecursionError``, a bare
``ValueError``, ``MemoryError``...) or takes more than :data:`SLOW` seconds
fails the test with the mutated bytes.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from schedkit.instances import FormatError, bundled, bundled_names, detect_format, read
from tests.instances.fuzz_mutations import mutate

SEED = 20251129
BUDGET = 20.0
"""Seconds of fuzzing."""
SLOW = 2.0
"""A single read slower than this is a failure (a count trusted too far)."""


def test_mutated_bundled_files_read_or_raise_format_error(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    names = bundled_names()
    originals = {name: bundled(name).read_bytes() for name in names}
    formats = {name: detect_format(bundled(name)) for name in names}
    assert {"psplib", "patterson", "jobshop", "fjs", "wt", "json"} <= set(formats.values())
    failures: list[str] = []
    reads = accepted = rejected = 0
    started = time.perf_counter()
    while time.perf_counter() - started < BUDGET and len(failures) < 5:
        for name in names:
            data = mutate(originals[name], rng, name.endswith(".json"))
            path = tmp_path / name
            path.write_bytes(data)
            options = {"index": 0} if formats[name] == "wt" else {}
            for fmt in (None, formats[name]):
                began = time.perf_counter()
                try:
                    read(path, format=fmt, **options)
                    accepted += 1
                except FormatError:
                    rejected += 1
                except BaseException as error:  # noqa: BLE001 - anything else is the bug this test looks for
                    failures.append(f"{name} (format={fmt}): {type(error).__name__}: {error!s:.200} <- {data[:200]!r}")
                seconds = time.perf_counter() - began
                if seconds > SLOW:
                    failures.append(f"{name} (format={fmt}): {seconds:.1f} s <- {data[:200]!r}")
                reads += 1
    assert not failures, "\n".join(failures)
    assert reads >= 20 * len(names) and accepted > 0 and rejected > 0
    print(f"{reads} reads of mutated files: {accepted} accepted, {rejected} FormatError")
