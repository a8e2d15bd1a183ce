"""The documentation site builds (mkdocs --strict: every page, snippet, link and API reference resolves)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_site_builds_strictly(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings")
    pytest.importorskip("material")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    site = tmp_path / "site"
    for page in ("index.html", "getting-started/index.html", "examples/jobshop/index.html", "api/models/index.html"):
        assert (site / page).is_file(), page
    assert "to_frame" in (site / "api" / "models" / "index.html").read_text()
    page = re.sub(r"<[^>]+>", "", (site / "examples" / "jobshop" / "index.html").read_text())
    assert "sk.jobshop(" in page and "sk.certify(problem, rule.solution" in page  # the tested file is shown
    for image in ("jobshop_10x10.png", "fjsp_10x5.png"):
        assert (site / "images" / image).stat().st_size > 10_000
