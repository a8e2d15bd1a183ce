"""One import package: a built wheel holds only ``schedkit``; a user's own ``models``/``solvers`` never clash."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import schedkit
from schedkit.instances import bundled

ROOT = Path(__file__).resolve().parents[1]
SUBPACKAGES = ("models", "solvers", "heuristics", "instances")


def _tracked_files() -> list[str]:
    completed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if completed.returncode != 0:
        pytest.skip("not a git checkout")
    return [name for name in completed.stdout.decode().split("\0") if name]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from the tracked files of this checkout (a clean clone's content), without network."""
    source = tmp_path_factory.mktemp("source")
    for name in _tracked_files():
        origin, target = ROOT / name, source / name
        if not origin.exists() and not origin.is_symlink():
            continue  # deleted in the work tree
        target.parent.mkdir(parents=True, exist_ok=True)
        if origin.is_symlink():
            target.symlink_to(origin.readlink())
        else:
            shutil.copy2(origin, target)
    out = tmp_path_factory.mktemp("dist")
    completed = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    (built,) = out.glob("schedkit-*.whl")
    return built


def test_the_wheel_holds_one_top_level_package(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"schedkit"}
    for sub in SUBPACKAGES:
        assert f"schedkit/{sub}/__init__.py" in names
    assert "schedkit/py.typed" in names
    assert any(name.startswith("schedkit/instances/bundled/") for name in names)


def test_the_version_has_one_source(wheel: Path) -> None:
    assert wheel.name.startswith(f"schedkit-{schedkit.__version__}-")
    completed = subprocess.run(
        [sys.executable, "-m", "schedkit", "--version"], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == f"schedkit {schedkit.__version__}"


def _user_project(tmp_path: Path) -> Path:
    """A project with its own models.py, solvers/ package and heuristics.py (very common names)."""
    project = tmp_path / "project"
    (project / "solvers").mkdir(parents=True)
    (project / "models.py").write_text("class ProblemData:  # the user's own\n    pass\n")
    (project / "solvers" / "__init__.py").write_text("def solve():\n    return 'the user solver'\n")
    (project / "heuristics.py").write_text("RULES = 'the user rules'\n")
    return project


def test_a_user_project_with_its_own_models_and_solvers_runs_schedkit(tmp_path: Path) -> None:
    project = _user_project(tmp_path)
    instance = str(bundled("js3x3"))
    completed = subprocess.run(
        [sys.executable, "-m", "schedkit", "solve", instance, "--json", "--time-limit", "10"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout.strip().splitlines()[-1])["status"] == "optimal"
    script = (
        "import schedkit as sk, models, solvers, heuristics\n"
        f"result = sk.solve(sk.read({instance!r}), time_limit=10)\n"
        "assert result.ok and sk.check(sk.read(" + repr(instance) + "), result.solution) == []\n"
        "assert solvers.solve() == 'the user solver' and heuristics.RULES == 'the user rules'\n"
        "assert models.ProblemData.__module__ == 'models'\n"
        "print('ok')\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=project, capture_output=True, text=True, timeout=120, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "ok"


def test_no_module_loads_under_a_second_name() -> None:
    import schedkit.cli  # noqa: F401  (everything the command line pulls in)

    bare = sorted(name for name in sys.modules if name.split(".")[0] in SUBPACKAGES)
    assert bare == []
    for sub in SUBPACKAGES:  # from the repository root, a bare import is refused
        completed = subprocess.run(
            [sys.executable, "-c", f"import {sub}"], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert completed.returncode != 0
        assert f"import schedkit.{sub}, not {sub}" in completed.stderr


def test_the_public_api_is_flat_and_complete() -> None:
    for name in schedkit.__all__:
        assert hasattr(schedkit, name), name
    for name in ("Model", "read", "solve", "check", "certify", "run_heuristic", "Result", "Status", "Solution"):
        assert name in schedkit.__all__
    for builder in ("rcpsp", "tardiness", "jobshop", "fjsp", "pipelining", "podpack", "kvtree"):
        assert callable(getattr(schedkit, builder))
