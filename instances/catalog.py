"""Tiny instances bundled with the package (made for schedkit; small enough to solve by hand).

| file | format | what |
| --- | --- | --- |
| ``js3x3`` | jobshop | 3 jobs x 3 machines, with ``#`` comment lines, no extension |
| ``rcpsp8.sm`` | psplib | 6 activities + 2 dummies, 2 renewable resources |
| ``rcpsp8.rcp`` | patterson | the same project as ``rcpsp8.sm`` in Patterson form |
| ``mrcpsp6.mm`` | psplib | multi-mode: 4 activities + 2 dummies, 1-3 modes, 2 renewable, 2 non-renewable |
| ``fjs3x3.fjs`` | fjs | 3 jobs, 3 machines, 7 operations with 1-3 eligible machines |
| ``wt5.txt`` | wt | two weighted tardiness instances with 5 jobs each |
| ``js3x3.json`` | json | ``js3x3`` in the IR JSON |
| ``rcpspmax3.sch`` | rcpsp-max | 3 activities, start-to-start lags including a maximal one (optimum 7) |
| ``mplib2.rcmp`` | mplib | 2 projects with releases, due dates and an arc between them (optimum 9) |
"""

from __future__ import annotations

from pathlib import Path

BUNDLED_DIR = Path(__file__).resolve().parent / "bundled"
"""The folder of the bundled instance files (package data)."""


def bundled_names() -> list[str]:
    """File names of the bundled instances."""
    return sorted(p.name for p in BUNDLED_DIR.iterdir() if p.is_file() and not p.name.startswith("."))


def bundled(name: str) -> Path:
    """The path of the bundled instance file ``name`` (e.g. ``"js3x3"``, ``"rcpsp8.sm"``)."""
    path = BUNDLED_DIR / name
    if name not in bundled_names():
        raise FileNotFoundError(f"no bundled instance {name!r}; available: {', '.join(bundled_names())}")
    return path
