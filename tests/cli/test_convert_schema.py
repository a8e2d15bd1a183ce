"""schedkit convert --schema prints (or writes) the IR's JSON Schema, the packaged file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schedkit.cli import main
from schedkit.instances import bundled
from schedkit.models.io.json_schema import SCHEMA_FILE


def test_schema_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", "--schema"]) == 0
    printed = capsys.readouterr().out
    assert printed == SCHEMA_FILE.read_text() and json.loads(printed)["title"] == "schedkit problem"
    out = tmp_path / "schema.json"
    assert main(["convert", "--schema", "--out", str(out)]) == 0
    assert out.read_text() == printed
    assert main(["convert", str(bundled("js3x3")), "--schema"]) == 2
    assert main(["convert"]) == 2
    assert "needs an instance file (or --schema)" in capsys.readouterr().err
