"""Twill's cost normalisation: F by hand, the integer program against brute force, the kernels' tables."""

from __future__ import annotations

import itertools

import pytest

from schedkit.models.pipelining import blackwell_b200, cost_table, hopper_h100, ratio_error
from schedkit.models.pipelining.normalisation import apply, check_answer, distinct_costs
from schedkit.solvers.methods.cost_normalisation import normalise


def brute_force(costs: list[int], budget: int) -> tuple[int, int]:
    """The smallest F and, among the tables reaching it, the smallest sum (every C' >= 1, sum <= U)."""
    best = None
    for scaled in itertools.product(range(1, budget + 1), repeat=len(costs)):
        if sum(scaled) > budget:
            continue
        key = (ratio_error(costs, list(scaled)), sum(scaled))
        best = key if best is None or key < best else best
    assert best is not None
    return best


def test_ratio_error_by_hand() -> None:
    assert ratio_error([1024, 455], [9, 4]) == abs(1024 * 4 - 455 * 9) == 1
    assert ratio_error([512, 1024], [1, 2]) == 0
    assert ratio_error([512, 1024, 150], [3, 6, 1]) == max(0, abs(512 - 450), abs(1024 - 900))
    with pytest.raises(ValueError, match="2 costs but 1"):
        ratio_error([1, 2], [1])


@pytest.mark.parametrize(
    ("costs", "budget"),
    [([1024, 455], 20), ([512, 1024], 30), ([512, 1024, 150], 20), ([4, 64, 512], 25), ([92, 96, 512, 1116], 30)],
)
def test_program_matches_brute_force(costs: list[int], budget: int) -> None:
    answer = normalise({f"c{k}": c for k, c in enumerate(costs)}, budget)
    assert answer.optimal
    assert (answer.error, sum(answer.mapping.values())) == brute_force(costs, budget)
    assert check_answer(costs, [answer.mapping[c] for c in costs], budget) == []


def test_known_answers() -> None:
    assert normalise({"exp": 1024, "gemm": 455}, 20).mapping == {455: 4, 1024: 9}  # the old preset's 4:9
    exact = normalise({"gemm": 512, "exp": 1024}, 300)
    assert exact.mapping == {512: 1, 1024: 2} and exact.error == 0  # the smallest exact table


def test_zeros_stay_zero_and_names_share_values() -> None:
    table = {"gemm": 512, "gemm_pv": 512, "exp": 1024, "p_tail": 0}
    answer = normalise(table, 10)
    assert answer.scaled == {"gemm": 1, "gemm_pv": 1, "exp": 2, "p_tail": 0}
    assert apply(table, {512: 3, 1024: 6}) == {"gemm": 3, "gemm_pv": 3, "exp": 6, "p_tail": 0}
    assert distinct_costs(table) == [512, 1024]


def test_budget_below_the_number_of_costs() -> None:
    with pytest.raises(ValueError, match="budget U = 2 is below the 3 distinct costs"):
        normalise({"a": 1, "b": 2, "c": 3}, 2)


@pytest.mark.parametrize("kind", ["forward", "backward"])
@pytest.mark.parametrize("spec", [hopper_h100, blackwell_b200])
def test_kernel_tables_normalise_within_budget(kind: str, spec) -> None:
    raw = cost_table(kind, spec())
    answer = normalise(raw, 30)
    assert answer.optimal and sum(answer.mapping.values()) <= 30
    assert all(v >= 1 for k, v in answer.scaled.items() if raw[k] > 0)
    # The ratio that decides the bottleneck survives: exp vs GEMM of one sub-tile.
    if kind == "forward":
        assert (answer.scaled["exp"] > answer.scaled["gemm"]) == (raw["exp"] > raw["gemm"])
        assert (answer.scaled["exp"] == answer.scaled["gemm"]) == (raw["exp"] == raw["gemm"])
