r"""Train the learned dispatcher (imitation of expert schedules, then CP-SAT as the teacher) and write the weights.

Usage (the shipped weights: imitation pre-training only; single-threaded, about 25 minutes on one core)::

    OPENBLAS_NUM_THREADS=1 .venv/bin/python results/scripts/train_learned_dispatch.py --imitate \\
        --imitation-instances 128 --imitation-expert-moves 5000 --imitation-epochs 25 --imitation-lr 0.002 \\
        --updates 0 --seed 0

``--imitate`` pre-trains on tabu-search schedules
(:mod:`schedkit.solvers.methods.dispatch_imitation`); ``--updates N`` then runs
the teacher loop (:mod:`schedkit.solvers.methods.dispatch_training`) from those
weights, or from ``--init FILE``, or from random ones.
Every imitation epoch and every update is logged as one JSON line to ``--log`` (default
``results/learned_dispatch_training.jsonl``). The weights file also stores
the settings, the training time, and a *reference*: the makespan and starts
that :func:`schedkit.heuristics.shop.learned.learned_dispatch` gives with the
trained weights on a fixed instance and seed
(``tests/heuristics/shop/learned/test_weights.py`` checks that the shipped
weights reproduce it).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # single-threaded: tiny matrices, a shared machine

import numpy as np  # noqa: E402

from schedkit.heuristics.shop import RULES  # noqa: E402
from schedkit.heuristics.shop.learned import learned_dispatch, load_params, save_params  # noqa: E402
from schedkit.heuristics.shop.learned.network import WEIGHTS_PATH, count_parameters  # noqa: E402
from schedkit.instances import taillard_jobshop_from_seeds  # noqa: E402
from schedkit.models import ProblemData  # noqa: E402
from schedkit.solvers import check, evaluate  # noqa: E402
from schedkit.solvers.methods.dispatch_imitation import ImitationConfig, imitation_record, pretrain  # noqa: E402
from schedkit.solvers.methods.dispatch_training import TrainingConfig, config_record, train  # noqa: E402

REFERENCE = {"num_jobs": 20, "num_machines": 10, "time_seed": 424242, "machine_seed": 171717, "rollouts": 8, "seed": 3}
"""The fixed instance and sampling seed of the stored reference schedule."""


def reference_instance() -> ProblemData:
    """The instance of the stored reference (Taillard's generator)."""
    r = REFERENCE
    return taillard_jobshop_from_seeds(r["num_jobs"], r["num_machines"], r["time_seed"], r["machine_seed"], "reference")


def main() -> None:
    """Parse arguments, train, write the weights, the log and a short held-out comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    defaults = TrainingConfig()
    for name, value in config_record(defaults).items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    imitation_defaults = ImitationConfig()
    for name, value in imitation_record(imitation_defaults).items():
        parser.add_argument(f"--imitation-{name.replace('_', '-')}", type=type(value), default=value)
    parser.add_argument(
        "--imitate", action="store_true", help="pre-train by imitating expert schedules before the teacher updates"
    )
    parser.add_argument("--init", help="start from these weights (a file written by this script) instead of the seed's")
    parser.add_argument("--out", default=str(WEIGHTS_PATH), help="weights file to write")
    parser.add_argument("--max-minutes", type=float, help="stop after the update that passes this wall time")
    parser.add_argument("--log", default="results/learned_dispatch_training.jsonl", help="JSON lines, one per update")
    args = parser.parse_args()
    config = TrainingConfig(**{k: getattr(args, k) for k in config_record(defaults)})
    imitation = (
        ImitationConfig(**{k: getattr(args, f"imitation_{k}") for k in imitation_record(imitation_defaults)})
        if args.imitate
        else None
    )
    log_path = Path(args.log)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with log_path.open("w") as log:
        header: dict = {"config": config_record(config)}
        if imitation is not None:
            header["imitation"] = imitation_record(imitation)
        log.write(json.dumps(header) + "\n")

        def write_epoch(stats: dict) -> None:
            stats["elapsed"] = round(time.perf_counter() - started, 1)
            log.write(json.dumps({"imitation": stats}) + "\n")
            log.flush()
            loss = f"loss {stats['loss']:.4f}" if "loss" in stats else f"{stats['samples']} samples"
            print(f"imitation epoch {stats['epoch']:3d}  {loss}  hold-out greedy {np.mean(stats['holdout']):7.1f}")

        def write(stats: dict) -> None:
            stats["elapsed"] = round(time.perf_counter() - started, 1)
            log.write(json.dumps(stats) + "\n")
            log.flush()
            agent, teacher = np.mean(stats["agent"]), np.mean(stats["teacher"]) if stats["teacher"] else float("nan")
            print(f"update {stats['update']:3d}  agent {agent:7.1f}  teacher {teacher:7.1f}  {stats['seconds']:6.1f}s")

        params = None if args.init is None else load_params(args.init)[0]
        if imitation is not None:
            params, _ = pretrain(imitation, params=params, log=write_epoch)
        deadline = None if args.max_minutes is None else started + 60 * args.max_minutes
        params, history = train(config, params=params, log=write, deadline=deadline)
    seconds = time.perf_counter() - started
    config.stop_after = len(history)  # what ran: rerun with --stop-after to reproduce a time-capped run
    extra = {} if imitation is None else {"imitation": json.dumps(imitation_record(imitation))}
    if args.init is not None:
        _, before = load_params(args.init)
        extra["initial_weights"] = json.dumps({k: str(v) for k, v in before.items() if k != "reference_starts"})

    problem = reference_instance()
    solution = learned_dispatch(problem, rollouts=REFERENCE["rollouts"], seed=REFERENCE["seed"], params=params)
    assert not check(problem, solution), "the reference schedule fails the checker"
    makespan = evaluate(problem, solution)[0]
    save_params(
        params,
        args.out,
        config=json.dumps(config_record(config)),
        training_seconds=seconds,
        reference=json.dumps(REFERENCE),
        reference_makespan=makespan,
        reference_starts=np.array(solution.starts, dtype=np.int64),
        **extra,
    )
    print(f"trained {count_parameters(params)} parameters in {seconds:.0f} s; wrote {args.out}")

    # held-out check: fresh 30 x 15 instances, the learned dispatcher vs the best static rule
    rng = np.random.default_rng(10_000 + config.seed)
    for i in range(3):
        ts, ms = (int(x) for x in rng.integers(1, 2**31 - 2, size=2))
        test = taillard_jobshop_from_seeds(config.num_jobs, config.num_machines, ts, ms, f"heldout{i}")
        learned = evaluate(test, learned_dispatch(test, params=params))[0]
        rules = {name: evaluate(test, rule(test))[0] for name, rule in RULES.items()}
        best = min(rules, key=rules.__getitem__)
        print(f"held-out {i}: learned {learned}, best rule {best} {rules[best]}")


if __name__ == "__main__":
    main()
