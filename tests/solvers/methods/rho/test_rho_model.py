"""The learned fixing model: shipped in the package, predicting in milliseconds; features and training by hand."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from schedkit.instances import sd2_fjsp
from schedkit.models.fjsp import fjsp
from schedkit.solvers import check, solve
from schedkit.solvers.methods.rho import Decision, RhoOptions, adaptive_threshold, run_rho
from schedkit.solvers.methods.rho.features import critical_slack, feature_names, overlap_features
from schedkit.solvers.methods.rho.loop import WindowContext
from schedkit.solvers.methods.rho.model import FixingModel, packaged_model, packaged_model_available
from schedkit.solvers.methods.rho.state import CommittedState
from schedkit.solvers.methods.rho.structure import RhoStructure
from schedkit.solvers.methods.rho.training import classification_metrics, fit


@pytest.mark.skipif(not packaged_model_available(), reason="no trained weights.npz shipped yet")
def test_the_packaged_model_loads_and_predicts_in_milliseconds() -> None:
    model = packaged_model()
    assert model.feature_set in ("lrho", "critical", "graph")
    assert model.mean.shape == (len(feature_names(model.feature_set)),)
    assert "trained_on" in model.info
    timings: list[tuple[int, int, float, np.ndarray]] = []

    def predict(context: WindowContext, decision: object, result: object) -> None:
        if context.overlap and not timings:  # the state is live: predict during the window
            model(context)  # warm-up
            started = time.perf_counter()
            probabilities = model(context)
            timings.append((len(context.tasks), len(context.overlap), time.perf_counter() - started, probabilities))

    options = RhoOptions(window_time_limit=0.3, early_stop=0.1)
    run_rho(sd2_fjsp(20, 10, 8, seed=7), options, threads=1, observer=predict)  # 160 operations: window 2 is 50 + 30
    size, overlap, elapsed, probabilities = timings[0]
    assert size == 80 and overlap == 50
    assert probabilities.shape == (50,) and np.all((probabilities >= 0) & (probabilities <= 1))
    assert elapsed < 0.05, f"features and prediction of one window took {1000 * elapsed:.1f} ms"


def _synthetic_model() -> FixingModel:
    """A model fitted on random rows: stands in for the shipped one to exercise the learned path."""
    rng = np.random.default_rng(0)
    width = len(feature_names("critical"))
    x = rng.normal(size=(400, width))
    return fit(x, (x[:, width - 2] > 0).astype(float), feature_set="critical", hidden=(8,), epochs=5, seed=0)


def test_learned_rho_schedules_pass_the_checker_and_fix_the_top_share() -> None:
    problem = sd2_fjsp(6, 5, 8, seed=3)
    options = RhoOptions(window=12, commit=5, strategy="learned", window_time_limit=0.5, early_stop=0.2)
    decisions: list[Decision] = []
    run = run_rho(
        problem, options, threads=1, predictor=_synthetic_model(), observer=lambda c, d, r: decisions.append(d)
    )
    assert run.solution is not None and check(problem, run.solution) == []
    for decision in decisions[1:]:  # the first window has no overlap
        assert decision.probabilities is not None and decision.threshold is not None
        assert decision.threshold == pytest.approx(adaptive_threshold(list(decision.probabilities.values())))
        assert set(decision.fixed) == {t for t, p in decision.probabilities.items() if p >= decision.threshold}


def test_without_shipped_weights_the_learned_strategy_says_how_to_get_them() -> None:
    if packaged_model_available():
        pytest.skip("weights are shipped")
    result = solve(sd2_fjsp(4, 3, 4, seed=0), method="rho", strategy="learned", window=6, commit=3, threads=1)
    assert result.status.value == "error" and "train_rho_fixing.py" in result.message


def test_critical_slack_by_hand() -> None:
    # job 0: a1 on m0 [0,3), a2 on m1 [3,5); job 1: b1 on m1 [0,2), b2 on m0 [3,7)
    problem = fjsp([[[(0, 3), (1, 9)], [(1, 2), (0, 9)]], [[(1, 2), (0, 9)], [(0, 4), (1, 9)]]])
    structure = RhoStructure.of(problem)
    previous = {0: (0, 0), 1: (0, 3), 2: (0, 0), 3: (0, 3)}
    context = WindowContext(problem, structure, CommittedState(problem), (0, 1, 2, 3), (0, 1, 2, 3), previous, 1)
    # C = 7; b2: LS 3 = S; a2: LS 5, S 3; a1: LF = min(LS a2, LS b2) = 3, LS 0; b1: LF 3, LS 1
    assert critical_slack(problem, context) == {0: 0, 1: 2, 2: 1, 3: 0}
    rows = overlap_features(context, "critical")
    names = feature_names("critical")
    assert list(rows[:, names.index("critical")]) == [1.0, -1.0, -1.0, 1.0]
    assert rows[0, names.index("task.alt_machine")] == 0 and rows[1, names.index("task.alt_duration")] == 2
    assert rows[0, names.index("machine.overlap_count")] == 2  # a1 and b2 ran on m0


def test_training_learns_a_separable_rule_and_round_trips(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    width = len(feature_names("lrho"))
    x = rng.normal(size=(2000, width))
    y = (x[:, 3] - 0.5 * x[:, 10] > 0).astype(float)
    for hidden in ((), (16,)):
        model = fit(x[:1500], y[:1500], feature_set="lrho", hidden=hidden, epochs=100, lr=1e-2, seed=1)
        scores = classification_metrics(model.predict_proba(x[1500:]), y[1500:])
        assert scores["accuracy"] > 0.9 and scores["auc"] > 0.98
        path = tmp_path / f"model{len(hidden)}.npz"
        model.save(path)
        again = FixingModel.load(path)
        assert again.kind == model.kind
        assert np.allclose(again.predict_proba(x[:10]), model.predict_proba(x[:10]), atol=1e-5)


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bogus.npz"
    np.savez(path, something=np.zeros(3))
    with pytest.raises(ValueError, match="bogus.npz"):
        FixingModel.load(path)
