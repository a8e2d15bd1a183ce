"""Turning command-line targets (set names, ``SET:N``, files, folders, globs) into instances.

A target is one of

- the name of a shared benchmark set (under :func:`schedkit.instances.benchmarks_dir`):
  ``j30``, ``j60``, ``patterson``, ``jobshop`` (all of ``jobshop/instances``),
  its groups ``ft``, ``la``, ``abz``, ``orb``, ``ta``, ``brandimarte``,
  ``hurink-edata``, ``wt40`` (one file, 125 instances ``wt40#0`` ..
  ``wt40#124``) and ``podpack`` (the "Priority Matters" scenarios);
- a file, a folder (its files) or a glob (``instances/bundled/*.sm``);
  multi-instance files (OR-Library ``wt``) expand to one entry per instance;
- either of these followed by ``:N``: the first N instances in natural order
  (``j30:10`` = ``j301_1`` .. ``j301_10``).

Instance names are the file stems (``ta01``, ``j301_1``, ``mk01``), ``<stem>#k``
inside multi-instance files, ``<stem>_edata`` for the Hurink edata files (the
key of the FJSP bounds table; it keeps them apart from the job shop files of
the same name) and ``<config>_seed<seed>`` for pod packing scenarios. Names
are the row identity of a results file, so when two different files of one
expansion share a stem, their file names (then their paths) are used instead.
"""

from __future__ import annotations

import glob
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Entry = tuple[str, str, "int | None", str]
"""(set name, path, index inside the file or None, instance name)."""

PODPACK_FORMAT = "podpack"
"""Format name of the pod packing scenario files (read by :mod:`schedkit.bench.worker`, not ``read``)."""


@dataclass(frozen=True)
class BenchmarkSet:
    """A named set under the shared benchmark folder."""

    folder: str
    pattern: str
    family: str
    rename: Callable[[Path], str] | None = None
    multi: str | None = None  # "wt" or "podpack": one file holding many instances


def _edata_name(path: Path) -> str:
    return f"{path.stem}_edata"


SETS: dict[str, BenchmarkSet] = {
    "j30": BenchmarkSet("rcpsp/j30", "*.sm", "rcpsp"),
    "j60": BenchmarkSet("rcpsp/j60", "*.sm", "rcpsp"),
    "patterson": BenchmarkSet("rcpsp/patterson", "*.rcp", "rcpsp"),
    "jobshop": BenchmarkSet("jobshop/instances", "[a-z]*[0-9]", "jobshop"),
    "ft": BenchmarkSet("jobshop/instances", "ft[0-9]*", "jobshop"),
    "la": BenchmarkSet("jobshop/instances", "la[0-9]*", "jobshop"),
    "abz": BenchmarkSet("jobshop/instances", "abz[0-9]*", "jobshop"),
    "orb": BenchmarkSet("jobshop/instances", "orb[0-9]*", "jobshop"),
    "ta": BenchmarkSet("jobshop/instances", "ta[0-9]*", "jobshop"),
    "brandimarte": BenchmarkSet("fjsp/Brandimarte1993", "mk*.txt", "fjsp"),
    "hurink-edata": BenchmarkSet("fjsp/HurinkJurischThole1994/edata", "*[0-9].txt", "fjsp", rename=_edata_name),
    "wt40": BenchmarkSet("smtt", "wt40.txt", "tardiness", multi="wt"),
    "podpack": BenchmarkSet("podpack", "scenarios_*.json", "podpack", multi=PODPACK_FORMAT),
}
"""The named benchmark sets."""


class TargetError(ValueError):
    """A target names no known set and matches no file."""


def natural_key(text: str) -> list[object]:
    """Sort key that orders embedded numbers by value (``j301_2`` before ``j301_10``)."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


def family_of_set(set_name: str) -> str | None:
    """The problem family of a named set, or None for files and globs."""
    spec = SETS.get(set_name)
    return spec.family if spec else None


def _split_count(target: str) -> tuple[str, int | None]:
    head, sep, tail = target.rpartition(":")
    if sep and tail.isdigit() and head:
        return head, int(tail)
    return target, None


def _wt_entries(set_name: str, path: Path) -> list[Entry]:
    from schedkit.instances.errors import FormatError
    from schedkit.instances.readers import wt

    n = wt.jobs_from_name(path)
    try:
        count = len(wt.parse(path.read_text(), path.name, n)) if n else 0
    except (OSError, FormatError, ValueError):
        count = 0
    if count == 0:  # unreadable: one entry, so that the worker reports why
        return [(set_name, str(path), None, path.stem)]
    return [(set_name, str(path), k, f"{path.stem}#{k}") for k in range(count)]


def _podpack_entries(set_name: str, path: Path) -> list[Entry]:
    try:
        scenarios = json.loads(path.read_text())
    except (OSError, ValueError):
        return [(set_name, str(path), None, path.stem)]
    entries: list[Entry] = []
    for k, scenario in enumerate(scenarios if isinstance(scenarios, list) else []):
        config = scenario.get("config", "podpack") if isinstance(scenario, dict) else "podpack"
        seed = scenario.get("seed") if isinstance(scenario, dict) else None
        name = f"{config}_seed{seed}" if seed is not None else f"{path.stem}#{k}"
        entries.append((set_name, str(path), k, name))
    return entries


def _file_entries(set_name: str, path: Path, fmt: str | None, rename: Callable[[Path], str] | None) -> list[Entry]:
    from schedkit.instances.detect import format_from_name

    kind = fmt or format_from_name(path)
    if kind == "wt":
        return _wt_entries(set_name, path)
    if kind == PODPACK_FORMAT:
        return _podpack_entries(set_name, path)
    return [(set_name, str(path), None, rename(path) if rename else path.stem)]


def _named_set(name: str) -> list[Entry]:
    from schedkit.instances import benchmarks_dir

    spec = SETS[name]
    root = benchmarks_dir()
    if root is None:
        raise TargetError(
            f"benchmark set {name!r} needs the shared benchmark folder "
            "(../shared/benchmarks next to the repository, or $SCHEDKIT_BENCHMARKS)"
        )
    folder = root / spec.folder
    files = sorted((p for p in folder.glob(spec.pattern) if p.is_file()), key=lambda p: natural_key(p.name))
    if not files:
        raise TargetError(f"benchmark set {name!r}: no file matches {spec.pattern} in {folder}")
    entries: list[Entry] = []
    for path in files:
        entries.extend(_file_entries(name, path, spec.multi, spec.rename))
    return entries


def _is_instance_file(path: Path) -> bool:
    return path.is_file() and not path.name.startswith(".") and not path.name.lower().startswith("readme")


def _pattern(target: str, fmt: str | None) -> list[Entry]:
    path = Path(target)
    if path.is_dir():
        files = [p for p in path.iterdir() if _is_instance_file(p)]
    elif path.is_file():
        files = [path]
    else:
        files = [Path(p) for p in glob.glob(target, recursive=True) if _is_instance_file(Path(p))]
    if not files:
        known = ", ".join(SETS)
        raise TargetError(f"{target!r} is neither a benchmark set ({known}) nor an existing file, folder or glob")
    files.sort(key=lambda p: natural_key(str(p)))
    entries: list[Entry] = []
    set_name = path.name if path.is_dir() else target  # a folder is a set named after it
    for file in files:
        entries.extend(_file_entries(set_name, file, fmt, None))
    return entries


def _unique_names(entries: list[Entry]) -> list[Entry]:
    """Make instance names unique: clashing names of different files fall back to file names, then paths."""

    def clashes(items: list[Entry]) -> set[str]:
        seen: dict[str, set[tuple[str, int | None]]] = {}
        for _, path, index, name in items:
            seen.setdefault(name, set()).add((str(Path(path).resolve()), index))
        return {name for name, sources in seen.items() if len(sources) > 1}

    for fallback in (lambda p: Path(p).name, lambda p: str(Path(p))):
        bad = clashes(entries)
        if not bad:
            break
        entries = [
            (s, p, i, (fallback(p) + (f"#{i}" if i is not None else "")) if n in bad else n) for s, p, i, n in entries
        ]
    return entries


def expand(targets: list[str], format: str | None = None) -> list[Entry]:
    """Expand targets into ``(set_name, path, index, instance name)`` entries, in order, without duplicates.

    ``format`` applies to files and globs (named sets know their format).
    Raises :class:`TargetError` for a target that is neither a known set nor
    an existing file, folder or glob.
    """
    entries: list[Entry] = []
    seen: set[tuple[str, int | None]] = set()
    for target in targets:
        base, count = _split_count(target)
        if base in SETS:
            found = _named_set(base)
        elif base.lower() in SETS:
            found = _named_set(base.lower())
        else:
            found = _pattern(base, format)
        if count is not None:
            found = found[:count]
        for entry in found:
            source = (str(Path(entry[1]).resolve()), entry[2])
            if source not in seen:
                seen.add(source)
                entries.append(entry)
    return _unique_names(entries)
