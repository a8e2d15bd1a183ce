"""The shipped weights: they load, and reproduce the schedule the training run recorded with them."""

from __future__ import annotations

import json

import numpy as np

from schedkit.heuristics.shop.learned import WEIGHTS_PATH, learned_dispatch, load_params, shipped_params
from schedkit.heuristics.shop.learned.network import count_parameters
from schedkit.instances import taillard_jobshop_from_seeds
from schedkit.solvers import check, evaluate


def test_shipped_weights_give_the_training_runs_reference_schedule() -> None:
    params, extra = load_params(WEIGHTS_PATH)
    assert count_parameters(params) == 2450
    assert WEIGHTS_PATH.stat().st_size < 64_000
    reference = json.loads(str(extra["reference"]))
    problem = taillard_jobshop_from_seeds(
        reference["num_jobs"], reference["num_machines"], reference["time_seed"], reference["machine_seed"]
    )
    solution = learned_dispatch(problem, rollouts=reference["rollouts"], seed=reference["seed"])
    assert check(problem, solution) == []
    assert evaluate(problem, solution)[0] == int(extra["reference_makespan"])
    assert np.array_equal(np.array(solution.starts), extra["reference_starts"])
    assert all(np.array_equal(params[k], shipped_params()[k]) for k in params)


def test_the_weights_file_records_how_it_was_trained() -> None:
    _, extra = load_params(WEIGHTS_PATH)
    config = json.loads(str(extra["config"]))
    assert config["num_jobs"] == 30 and config["num_machines"] == 15
    assert config["objective"] in ("clipped", "imitation")
    imitated = "imitation" in extra or "initial_weights" in extra
    assert config["stop_after"] > 0 or imitated  # teacher updates ran, or imitation pre-training did
    if "imitation" in extra:
        imitation = json.loads(str(extra["imitation"]))
        assert imitation["num_jobs"] == 30 and imitation["num_machines"] == 15 and imitation["epochs"] > 0
    assert float(extra["training_seconds"]) > 0
