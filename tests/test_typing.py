"""The package type-checks with mypy (configured in pyproject.toml), as part of the single test command."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _mypy() -> list[str]:
    exe = shutil.which("mypy", path=str(Path(sys.executable).parent)) or shutil.which("mypy")
    if exe is None:
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    return [exe]


@pytest.mark.slow  # about 20 s of CPU on a fresh clone; under a second once .mypy_cache is warm
def test_mypy() -> None:
    completed = subprocess.run(_mypy(), cwd=ROOT, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr
