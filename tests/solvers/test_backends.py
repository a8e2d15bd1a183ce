"""Backend options are typed: anything a backend does not take is refused, naming it, before solving."""

from __future__ import annotations

import pytest

from schedkit.solvers import BACKENDS, solve
from schedkit.solvers.backends import CpSatOptions, LpOptions, MipOptions, get_backend
from tests.tiny_families import jobshop_tiny


@pytest.mark.parametrize(
    ("backend", "options", "message"),
    [
        ("cpsat", {"solver": "cbc"}, r"backend 'cpsat' does not take solver=; its options: log, params"),
        ("cpsat", {"formulation": "disjunctive"}, r"does not take formulation="),
        ("cpsat", {"params": {"num_workerz": 2}}, r"CP-SAT has no parameter 'num_workerz'"),
        ("mip", {"params": {}}, r"backend 'mip' does not take params=; its options: solver, formulation, log"),
        ("mip", {"formulation": "timeindexed"}, r"unknown formulation 'timeindexed'; one of: time_indexed"),
        ("lp", {"solver": "highspy"}, r"backend 'lp' does not take solver="),
    ],
)
def test_foreign_or_misspelt_options_raise_before_solving(backend: str, options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        solve(jobshop_tiny(), backend=backend, **options)


def test_unknown_backend_lists_the_available_ones() -> None:
    with pytest.raises(ValueError, match="unknown backend 'gurobi'; available: cpsat, mip, lp"):
        get_backend("gurobi")


def test_every_backend_declares_a_typed_options_class() -> None:
    assert {name: backend.options for name, backend in BACKENDS.items()} == {
        "cpsat": CpSatOptions,
        "mip": MipOptions,
        "lp": LpOptions,
    }


def test_valid_options_reach_the_backend() -> None:
    result = solve(jobshop_tiny(), backend="cpsat", params={"num_workers": 1}, time_limit=5)
    assert result.ok
    result = solve(jobshop_tiny(), backend="mip", solver="highspy", formulation="disjunctive", time_limit=5)
    assert result.ok and result.stats["formulation"] == "disjunctive"
