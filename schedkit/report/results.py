"""Batch results as a table: the columns a run writes, and loading a CSV or Parquet file with clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from schedkit.extras import require
from schedkit.report.columns import COLUMNS, NUMERIC_COLUMNS, REQUIRED_COLUMNS, STATUSES


class ResultsError(ValueError):
    """A results file that is missing, unreadable or malformed (the message names the file)."""


def load_results(path: str | Path) -> pd.DataFrame:
    """Read a results file (``.csv`` or ``.parquet`` / ``.pq``) into a data frame.

    Missing optional columns are added empty (the columns come in the order of
    :data:`COLUMNS`, then any extra ones), numeric columns are converted to
    numbers and ``status`` is normalised to lower case. Raises
    :class:`ResultsError` naming the file when it is missing, of an unknown
    extension, unreadable, lacks a required column (:data:`REQUIRED_COLUMNS`),
    has a non-numeric value in a numeric column or an unknown status.
    """
    path = Path(path)
    if not path.is_file():
        raise ResultsError(f"{path}: no such results file")
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            df = pd.read_csv(path)
        elif suffix in (".parquet", ".pq"):
            require("pyarrow", f"{path}: reading Parquet results")
            df = pd.read_parquet(path)
        else:
            raise ResultsError(
                f"{path}: unknown results format {suffix or '(no extension)'!r}; expected .csv or .parquet"
            )
    except ResultsError:
        raise
    except pd.errors.EmptyDataError:
        raise ResultsError(f"{path}: empty results file (no header)") from None
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, ValueError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ResultsError(f"{path}: cannot read results: {first}") from None
    except Exception as error:  # pyarrow raises its own exception types on corrupt files
        raise ResultsError(f"{path}: cannot read results: {type(error).__name__}: {error}") from None
    return _normalise(df, str(path))


def _normalise(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check and normalise a raw results frame read from ``source``."""
    missing = [column for column in REQUIRED_COLUMNS if column not in df.columns]
    if missing:
        raise ResultsError(
            f"{source}: missing column(s) {', '.join(missing)} (found: {', '.join(map(str, df.columns))})"
        )
    df = df.copy()
    for column in COLUMNS:
        if column not in df.columns:
            df[column] = np.nan
    df = df[[*COLUMNS, *(column for column in df.columns if column not in COLUMNS)]]
    for column in NUMERIC_COLUMNS:
        try:
            df[column] = pd.to_numeric(df[column])
        except (ValueError, TypeError):
            bad = pd.to_numeric(df[column], errors="coerce").isna() & df[column].notna()
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise ResultsError(
                f"{source}: row {row + 1}: column {column!r}: not a number: {df[column].iloc[row]!r}"
            ) from None
    if df["status"].isna().any():
        row = int(np.flatnonzero(df["status"].isna().to_numpy())[0])
        raise ResultsError(f"{source}: row {row + 1}: empty status")
    df["status"] = df["status"].astype(str).str.strip().str.lower()
    unknown = ~df["status"].isin(STATUSES)
    if unknown.any():
        row = int(np.flatnonzero(unknown.to_numpy())[0])
        expected = ", ".join(STATUSES)
        raise ResultsError(
            f"{source}: row {row + 1}: unknown status {df['status'].iloc[row]!r}; expected one of: {expected}"
        )
    return df
