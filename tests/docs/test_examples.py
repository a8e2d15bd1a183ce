"""Every worked example of the documentation runs as written (they are the files the pages include)."""

from __future__ import annotations

import runpy
from pathlib import Path

import matplotlib.image as mpimg
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
FAMILIES = ("jobshop", "fjsp", "rcpsp", "tardiness", "pipelining", "podpack", "kvtree")


def test_one_example_per_family_and_a_page_for_each() -> None:
    scripts = {path.stem for path in EXAMPLES.glob("*.py")}
    assert set(FAMILIES) | {"getting_started"} <= scripts
    for family in FAMILIES:
        page = (EXAMPLES / f"{family}.md").read_text()
        assert f'--8<-- "examples/{family}.py"' in page  # the page shows exactly the tested file


@pytest.mark.parametrize("family", FAMILIES)
def test_family_example_runs_and_draws(family: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace = runpy.run_path(str(EXAMPLES / f"{family}.py"), run_name="__main__")
    result, problem = namespace["result"], namespace["problem"]
    assert result.ok and result.solution is not None
    assert len(result.solution.to_frame(problem)) == problem.num_tasks
    assert "certificate" in namespace and namespace["certificate"].violations == []
    image = mpimg.imread(tmp_path / f"{family}.png")
    assert image.shape[0] > 100 and image[..., :3].std() > 0.01


def test_getting_started_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runpy.run_path(str(EXAMPLES / "getting_started.py"), run_name="__main__")
    for name in ("schedule.csv", "schedule.png", "own.json", "own-solution.json"):
        assert (tmp_path / name).stat().st_size > 0
