"""The dependency direction of the README, checked on every import of every module.

``models`` imports nothing else of ours; ``instances`` imports ``models``;
``heuristics`` imports ``models`` and the independent checker; the checker
imports no solver; ``solvers`` may call ``heuristics`` (warm starts, methods);
the MIP and LP backends build on ``solvers.linear`` and never import each
other; nothing below the command line imports the application layer
(``schedkit.cli``, ``bench``, ``report``, ``plots``, ...).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPLICATION = ("cli", "bench", "report", "plots", "discovery", "rcb", "demo", "extras")


def _imports(path: Path) -> set[str]:
    """The schedkit modules a file imports (absolute imports; the project uses no relative ones)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: relative import"
            found.add(node.module)
    return {name for name in found if name.split(".")[0] == "schedkit"}


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _layer(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


ALLOWED = {
    "models": {"schedkit.models"},
    "instances": {"schedkit.models", "schedkit.instances"},
    "heuristics": {"schedkit.models", "schedkit.heuristics", "schedkit.solvers"},
}


@pytest.mark.parametrize("folder", sorted(ALLOWED))
def test_lower_layers_import_only_what_they_may(folder: str) -> None:
    for path in _modules(folder):
        for module in _imports(path):
            assert _layer(module) in ALLOWED[folder], f"{path.relative_to(ROOT)} imports {module}"
            if folder == "heuristics" and _layer(module) == "schedkit.solvers":
                assert module == "schedkit.solvers.checker", f"{path.relative_to(ROOT)} imports {module}"


def test_the_checker_imports_no_solver() -> None:
    assert {_layer(m) for m in _imports(ROOT / "solvers" / "checker.py")} <= {"schedkit.models"}


def test_mip_and_lp_do_not_import_each_other() -> None:
    for folder, other in (("mip", "lp"), ("lp", "mip")):
        for path in sorted((ROOT / "solvers" / folder).glob("*.py")):
            imported = _imports(path)
            assert not any(m.startswith(f"schedkit.solvers.{other}") for m in imported), path
    for path in sorted((ROOT / "solvers" / "linear").glob("*.py")):
        imported = _imports(path)
        assert not any(m.startswith(("schedkit.solvers.mip", "schedkit.solvers.lp")) for m in imported), path


@pytest.mark.parametrize("folder", ["models", "solvers", "heuristics", "instances"])
def test_nothing_imports_the_application_layer_upward(folder: str) -> None:
    for path in _modules(folder):
        for module in _imports(path):
            parts = module.split(".")
            assert len(parts) < 2 or parts[1] not in APPLICATION, f"{path.relative_to(ROOT)} imports {module}"
