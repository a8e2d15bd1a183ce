"""Best known objective values: from the bound files of the shared benchmark folder, or a user CSV.

Values of the shared folder are keyed by the resolved instance file (and the
index inside a multi-instance file), so they apply however the file was
named on the command line (a set name or a glob) and never to a different
file with the same stem. The sources, as their READMEs describe them:

- ``jobshop/bounds.csv``: ``upper_bound`` of ``instances/<instance>``;
- ``rcpsp/j30_bounds.csv``, ``rcpsp/j60_bounds.csv``: ``upper_bound`` of ``<set>/<instance>.sm``;
- ``rcpsp/patterson_optimum.csv``: ``optimum`` of ``patterson/<problem>``;
- ``fjsp/bounds.csv``: ``upper_bound`` of ``<file>`` (Brandimarte, Hurink edata);
- ``smtt/wtopt40.txt``: line k is the optimum of instance k of ``wt40.txt``.

Pod packing has a lexicographic objective with no single reference value: none.
A ``--bounds`` CSV (columns ``instance,best_known``) is keyed by instance name
and takes precedence.
"""

from __future__ import annotations

import csv
from pathlib import Path

Key = tuple[str, "int | None"]


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _number(text: str | None) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _key(path: Path, index: int | None = None) -> Key:
    return (str(path.resolve()), index)


def shared_best_known(root: Path | None) -> dict[Key, float]:
    """Best known values of the shared benchmark folder ``root`` (empty when None)."""
    table: dict[Key, float] = {}
    if root is None:
        return table

    def put(path: Path, value: float | None, index: int | None = None) -> None:
        if value is not None:
            table[_key(path, index)] = value

    for row in _read_csv(root / "jobshop" / "bounds.csv"):
        put(root / "jobshop" / "instances" / row["instance"], _number(row.get("upper_bound")))
    for name in ("j30", "j60"):
        for row in _read_csv(root / "rcpsp" / f"{name}_bounds.csv"):
            put(root / "rcpsp" / name / f"{row['instance']}.sm", _number(row.get("upper_bound")))
    for row in _read_csv(root / "rcpsp" / "patterson_optimum.csv"):
        put(root / "rcpsp" / "patterson" / row["problem"], _number(row.get("optimum")))
    for row in _read_csv(root / "fjsp" / "bounds.csv"):
        put(root / "fjsp" / row["file"], _number(row.get("upper_bound")))
    optima = root / "smtt" / "wtopt40.txt"
    if optima.is_file():
        for k, line in enumerate(v for v in optima.read_text().split()):
            put(root / "smtt" / "wt40.txt", _number(line), k)
    return table


def user_best_known(path: str | Path) -> dict[str, float]:
    """A ``--bounds`` file: CSV with columns ``instance`` and ``best_known``."""
    rows = _read_csv(Path(path))
    if not Path(path).is_file():
        raise ValueError(f"{path}: bounds file not found")
    if rows and not {"instance", "best_known"} <= set(rows[0]):
        raise ValueError(f"{path}: a bounds file needs the columns instance,best_known")
    table = {}
    for row in rows:
        value = _number(row.get("best_known"))
        if row.get("instance") and value is not None:
            table[row["instance"].strip()] = value
    return table


class BestKnown:
    """Looks up the best known value of an instance (``--bounds`` first, then the shared folder)."""

    def __init__(self, bounds: str | Path | None = None, root: Path | None = None) -> None:
        if root is None:
            from schedkit.instances import benchmarks_dir

            root = benchmarks_dir()
        self._shared = shared_best_known(root)
        self._user = user_best_known(bounds) if bounds else {}

    def __call__(self, instance: str, path: str, index: int | None) -> float | None:
        """The best known value of ``instance`` (file ``path``, ``index``), or None."""
        if instance in self._user:
            return self._user[instance]
        return self._shared.get(_key(Path(path), index))


def deviation_pct(objective: float | None, best_known: float | None) -> float | None:
    """``100 * (objective - best_known) / |best_known|``; 0 when both are 0; None when undefined."""
    if objective is None or best_known is None:
        return None
    if best_known == 0:
        return 0.0 if objective == 0 else None
    return 100.0 * (objective - best_known) / abs(best_known)
