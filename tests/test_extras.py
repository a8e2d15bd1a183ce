"""A feature whose optional extra is missing ends with one line naming the extra to install."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from schedkit.cli import main
from schedkit.extras import MissingExtra, require
from schedkit.instances import bundled


@pytest.fixture()
def without(monkeypatch: pytest.MonkeyPatch):
    def hide(*modules: str) -> None:
        for module in modules:
            monkeypatch.setitem(sys.modules, module, None)  # import raises ImportError

    return hide


def test_require_names_the_extra(without) -> None:
    without("pyarrow")
    with pytest.raises(
        MissingExtra, match=r"Parquet needs pyarrow, which is not installed: pip install 'schedkit\[parquet\]'"
    ):
        require("pyarrow", "Parquet")


def test_bench_to_parquet_without_pyarrow_is_one_line(without, tmp_path: Path, capsys) -> None:
    without("pyarrow")
    code = main(["bench", str(bundled("js3x3")), "--out", str(tmp_path / "r.parquet"), "--no-progress"])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "schedkit[parquet]" in err[0]


def test_bench_on_dask_without_distributed_is_one_line(without, tmp_path: Path, capsys) -> None:
    without("distributed", "dask")
    code = main(
        ["bench", str(bundled("js3x3")), "--executor", "dask", "--out", str(tmp_path / "r.csv"), "--no-progress"]
    )
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "schedkit[cluster]" in err[0]
