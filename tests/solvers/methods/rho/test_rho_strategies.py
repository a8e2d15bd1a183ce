"""Each fixing strategy changes what the next window may do: fixed operations keep their machine."""

from __future__ import annotations

import numpy as np
import pytest

from schedkit.instances import sd2_fjsp
from schedkit.solvers.methods.rho import RhoOptions, adaptive_threshold, decide, run_rho
from schedkit.solvers.methods.rho.loop import WindowContext
from schedkit.solvers.methods.rho.state import CommittedState
from schedkit.solvers.methods.rho.strategies import Decision
from schedkit.solvers.methods.rho.structure import RhoStructure
from schedkit.solvers.methods.rho.window import build_window
from schedkit.solvers.methods.rho.window_solver import WindowResult


def _windows(strategy: str, **options: object) -> list[tuple[WindowContext, Decision, WindowResult]]:
    problem = sd2_fjsp(6, 5, 8, seed=4)
    seen: list[tuple[WindowContext, Decision, WindowResult]] = []
    opts = RhoOptions(window=12, commit=5, strategy=strategy, window_time_limit=0.5, early_stop=0.2, **options)  # type: ignore[arg-type]
    run = run_rho(problem, opts, threads=1, seed=1, observer=lambda c, d, r: seen.append((c, d, r)))
    assert run.solution is not None
    return seen


def _fixed_kept_their_machine(seen: list[tuple[WindowContext, Decision, WindowResult]]) -> int:
    count = 0
    for context, decision, result in seen:
        local = {t: i for i, t in enumerate(context.tasks)}
        for task, mode in decision.fixed.items():
            assert mode == context.previous[task][0]  # fixed to the previous window's machine ...
            assert result.solution.tasks[local[task]].mode == mode  # ... and the window kept it
            count += 1
    return count


def test_fix_all_fixes_every_overlap_operation() -> None:
    seen = _windows("all")
    for context, decision, _ in seen:
        assert set(decision.fixed) == set(context.overlap)
    assert _fixed_kept_their_machine(seen) == sum(len(c.overlap) for c, _, _ in seen) > 0


def test_fix_first_fixes_the_first_half_in_the_previous_order() -> None:
    seen = _windows("first")
    for context, decision, _ in seen:
        assert list(decision.fixed) == list(context.overlap[: len(context.overlap) // 2])
    assert _fixed_kept_their_machine(seen) > 0


def test_fix_random_fixes_about_p_of_the_overlap() -> None:
    seen = _windows("random", fix_probability=0.8)
    fixed = _fixed_kept_their_machine(seen)
    overlap = sum(len(c.overlap) for c, _, _ in seen)
    assert 0.6 * overlap <= fixed < overlap


def test_fix_none_and_hint_fix_nothing() -> None:
    for strategy in ("none", "hint"):
        seen = _windows(strategy)
        assert all(not d.fixed for _, d, _ in seen)
        if strategy == "hint":
            assert all(set(d.hinted) == set(c.overlap) for c, d, _ in seen)


def test_the_oracle_fixes_exactly_the_operations_whose_machine_it_kept() -> None:
    seen = _windows("oracle", oracle_trials=2)
    assert _fixed_kept_their_machine(seen) > 0


def test_a_fixed_operation_has_one_machine_left_in_the_window_problem() -> None:
    problem = sd2_fjsp(4, 5, 5, seed=0)
    structure = RhoStructure.of(problem)
    state = CommittedState(problem)
    tasks = structure.order[:10]
    flexible = next(t for t in tasks if len(problem.tasks[t].modes) > 1)
    window = build_window(problem, structure, state, tasks, {flexible: 1})
    pinned = window.problem.tasks[window.local()[flexible]]
    assert pinned.pin is not None and pinned.pin.mode == 1
    assert all(window.problem.tasks[i].pin is None for i, t in enumerate(tasks) if t != flexible)


def test_adaptive_threshold_by_hand() -> None:
    # sorted: 0.95 0.9 0.8 0.7 0.2; k = int(5 * 0.6) = 3 -> 0.7: four fixed
    assert adaptive_threshold([0.2, 0.9, 0.7, 0.95, 0.8]) == pytest.approx(0.7)
    assert adaptive_threshold([0.99] * 10) == pytest.approx(0.9)  # clipped: only those >= 0.9
    assert adaptive_threshold([0.1] * 10) == pytest.approx(0.3)  # clipped: none fixed
    assert adaptive_threshold([0.5]) == pytest.approx(0.5)
    decision = decide(
        "learned",
        [10, 11, 12, 13, 14],
        {t: 0 for t in range(10, 15)},
        rng=np.random.default_rng(0),
        probabilities=[0.2, 0.9, 0.7, 0.95, 0.8],
    )
    assert set(decision.fixed) == {11, 12, 13, 14} and decision.threshold == pytest.approx(0.7)
    fixed_half = decide(
        "learned", [10, 11], {10: 0, 11: 2}, rng=np.random.default_rng(0), probabilities=[0.4, 0.6], threshold=0.5
    )
    assert fixed_half.fixed == {11: 2}
