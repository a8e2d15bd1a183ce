"""Append-only, crash-safe results files (CSV or Parquet by the extension of ``--out``).

CSV: one line per row. A row is written as one ``write`` of a complete line,
then flushed and ``fsync``-ed before the next job's row. On opening, anything
after the last newline (a line cut by a crash) is dropped from the file, and
rows whose key (instance, config, seed) was already seen are ignored, so a run
killed at any moment and restarted ends with every row exactly once.

Parquet cannot be appended to in place, so its rows live in a sidecar CSV
journal ``<out>.journal.csv`` (the crash-safe CSV store above, the source of
truth); after each row (at most every ``PARQUET_EVERY`` seconds, and always
when the store closes or reopens) the Parquet file is rewritten from the
journal to a temporary file that replaces it with ``os.replace`` (atomic), so
the Parquet file is always a complete, readable file. A journal missing next
to an existing Parquet file is rebuilt from it.
"""

from __future__ import annotations

import csv
import io
import os
import time
from pathlib import Path
from typing import Any

import pandas as pd

from schedkit.extras import require

COLUMNS: dict[str, str] = {
    "instance": "str",
    "set": "str",
    "family": "str",
    "size": "int",
    "config": "str",
    "backend": "str",
    "warm_start": "str",
    "heuristic": "str",
    "time_limit": "float",
    "threads": "int",
    "seed": "int",
    "status": "str",
    "objective": "int",
    "lower_bound": "float",
    "bound_source": "str",
    "gap": "float",
    "best_known": "float",
    "dev_pct": "float",
    "wall_time": "float",
    "time_to_best": "float",
    "checker": "str",
    "message": "str",
    "versions": "str",
}
"""The columns of a results file and their types (design.md, "Results")."""

FAILED = frozenset({"error", "timeout"})
"""Statuses counted as failed runs."""

PARQUET_EVERY = 1.0
"""Minimum seconds between two rewrites of a Parquet file during a run."""

Key = tuple[str, str, int]


def _parse(value: str, kind: str) -> Any:
    if value == "":
        return None
    if kind == "int":
        try:
            return int(value)
        except ValueError:
            return int(float(value))
    if kind == "float":
        return float(value)
    return value


def _render(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if value == value else ""
    return str(value)


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a DataFrame with the columns of :data:`COLUMNS` and their types (nullable ints)."""
    data = pd.DataFrame(rows, columns=list(COLUMNS))
    for name, kind in COLUMNS.items():
        if kind == "int":
            data[name] = pd.array([None if v is None or v != v else int(v) for v in data[name]], dtype="Int64")
        elif kind == "float":
            data[name] = pd.to_numeric(data[name], errors="coerce").astype("float64")
        else:
            data[name] = data[name].astype("object")
    return data


def row_key(row: dict[str, Any]) -> Key:
    """The identity of a row: (instance, config, seed)."""
    return (str(row["instance"]), str(row["config"]), int(row["seed"]))


def parse_csv(text: str, source: str | Path = "results") -> tuple[list[str] | None, list[dict[str, Any]]]:
    """The header and the rows of a results CSV; a last line without its newline (cut by a crash) is ignored."""
    text = text[: text.rfind("\n") + 1]
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return None, []
    missing = [c for c in ("instance", "config", "seed") if c not in header]
    if missing:
        raise ValueError(f"{source}: not a schedkit results file (no column {', '.join(missing)})")
    rows = []
    for values in reader:
        if len(values) != len(header):
            continue
        record = dict(zip(header, values))
        rows.append({name: _parse(record.get(name, ""), kind) for name, kind in COLUMNS.items()})
    return header, rows


class CsvJournal:
    """An append-only CSV file of rows, safe against a kill at any moment (see the module docstring)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.rows: list[dict[str, Any]] = []
        self.keys: set[Key] = set()
        self._load()
        self._handle = self.path.open("a", newline="")

    def _load(self) -> None:
        if not self.path.exists() or self.path.stat().st_size == 0:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(",".join(COLUMNS) + "\n")
            self._sync_dir()
            return
        raw = self.path.read_bytes()
        complete = raw.rfind(b"\n") + 1
        if complete != len(raw):  # a line cut by a crash: drop it
            with self.path.open("r+b") as handle:
                handle.truncate(complete)
                handle.flush()
                os.fsync(handle.fileno())
        header, rows = parse_csv(raw[:complete].decode("utf-8", errors="replace"), self.path)
        if header is None:
            self.path.write_text(",".join(COLUMNS) + "\n")
            return
        self._header = header
        for row in rows:
            self._remember(row)

    def _sync_dir(self) -> None:
        try:
            fd = os.open(self.path.parent, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)

    def _remember(self, row: dict[str, Any]) -> bool:
        key = row_key(row)
        if key in self.keys:
            return False
        self.keys.add(key)
        self.rows.append(row)
        return True

    def append(self, row: dict[str, Any]) -> bool:
        """Write ``row`` durably; False (nothing written) when its key is already present."""
        row = {name: row.get(name) for name in COLUMNS}
        if not self._remember(row):
            return False
        header = getattr(self, "_header", list(COLUMNS))
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([_render(row.get(name)) for name in header])
        self._handle.write(buffer.getvalue())
        self._handle.flush()
        os.fsync(self._handle.fileno())
        return True

    def close(self) -> None:
        """Close the file."""
        self._handle.close()


class ResultStore:
    """The results file of a batch: ``.csv`` or ``.parquet`` (``.pq``), resumable and crash-safe."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        if suffix not in (".csv", ".parquet", ".pq"):
            raise ValueError(f"{path}: the results file must end in .csv or .parquet")
        self.parquet = suffix != ".csv"
        if self.parquet:
            require("pyarrow", f"{path}: Parquet results")
        self._written = 0.0
        if self.parquet:
            journal = self.journal_path(self.path)
            if not journal.exists() and self.path.exists():
                self._bootstrap(journal)
            self._journal = CsvJournal(journal)
            self._write_parquet()
        else:
            self._journal = CsvJournal(self.path)

    @staticmethod
    def journal_path(path: str | Path) -> Path:
        """The sidecar CSV journal of a Parquet results file."""
        path = Path(path)
        return path.with_name(path.name + ".journal.csv")

    def _bootstrap(self, journal: Path) -> None:
        existing = pd.read_parquet(self.path)
        rows = [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in existing.to_dict("records")]
        temporary = CsvJournal(journal)
        for row in rows:
            temporary.append(row)
        temporary.close()

    @property
    def keys(self) -> set[Key]:
        """Keys (instance, config, seed) of the rows present."""
        return self._journal.keys

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The rows present, in file order."""
        return self._journal.rows

    def append(self, row: dict[str, Any]) -> bool:
        """Add ``row`` unless its key is present; True when it was written."""
        added = self._journal.append(row)
        if added and self.parquet and time.monotonic() - self._written >= PARQUET_EVERY:
            self._write_parquet()
        return added

    def _write_parquet(self) -> None:
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        frame(self.rows).to_parquet(temporary, index=False)
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)
        self._written = time.monotonic()

    def dataframe(self) -> pd.DataFrame:
        """All rows as a typed DataFrame."""
        return frame(self.rows)

    def close(self) -> None:
        """Finish: bring the Parquet file up to date and close the journal."""
        if self.parquet:
            self._write_parquet()
        self._journal.close()

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load(path: str | Path) -> pd.DataFrame:
    """Read a results file (CSV, or Parquet through its journal when present) as a typed DataFrame, one row per key."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        _, rows = parse_csv(path.read_text(errors="replace"), path)
    else:
        journal = ResultStore.journal_path(path)
        if journal.exists():
            return load(journal)
        rows = [
            {k: (None if pd.isna(v) else v) for k, v in r.items()} for r in pd.read_parquet(path).to_dict("records")
        ]
    seen: set[Key] = set()
    unique = []
    for row in rows:
        if row_key(row) not in seen:
            seen.add(row_key(row))
            unique.append(row)
    return frame(unique)
