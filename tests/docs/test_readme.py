"""The README's Python snippets run as written (each ```python block, in order, in a fresh namespace).

Blocks that read ``../shared/benchmarks`` run against the shared benchmark
folder when it is present (the path is pointed at it) and are skipped
otherwise. Each block runs in a temporary folder, so files it writes (an
``.mps`` model) do not land in the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
SHARED = "../shared/benchmarks"


def _blocks() -> list[str]:
    return BLOCK.findall(README.read_text(encoding="utf-8"))


def test_the_readme_has_python_snippets() -> None:
    assert len(_blocks()) >= 1


@pytest.mark.parametrize("number", range(len(_blocks())), ids=lambda k: f"block{k + 1}")
def test_readme_block_runs(number: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = _blocks()[number]
    if SHARED in code:
        from schedkit.instances import benchmarks_dir

        found = benchmarks_dir()
        if found is None:
            pytest.skip("the block reads ../shared/benchmarks, which is absent")
        code = code.replace(SHARED, str(found))
    monkeypatch.chdir(tmp_path)
    exec(compile(code, f"README.md python block {number + 1}", "exec"), {"__name__": "__readme__"})
