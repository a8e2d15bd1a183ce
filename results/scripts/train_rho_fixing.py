r"""Train the RHO fixing classifier: L-RHO's oracle labels on SD2 instances, model classes compared, the best shipped.

Usage (on 2 idle cores; rerun the same command to resume, collected instances are kept in ``--data-dir``)::

    nice -n 19 .venv/bin/python results/scripts/train_rho_fixing.py --instances 16 --val 3 --workers 2 \
        --max-minutes 40 --out solvers/methods/rho/weights.npz
    # a smoke run (a minute):
    .venv/bin/python results/scripts/train_rho_fixing.py --size 6x5x8 --window 12 --commit 5 \
        --instances 3 --val 1 --data-dir /tmp/rho_smoke --out /tmp/rho_weights.npz --report /tmp/rho_training.json

Data (L-RHO's recipe, section 3 of the research notes): each SD2 instance is
rolled out with the look-ahead oracle strategy; at every window with an
overlap the window is re-solved ``--trials`` times without fixing, hinting the
previous machines, the best trial is kept and an overlap operation is
labelled 1 when its machine stayed; the rollout continues with those
operations fixed. Every CP-SAT call is single-threaded with a conflict budget
(``--conflicts``) instead of a wall-clock limit, so the labels depend on the
seed only, not on the machine's load. Each instance's rows are written to
``--data-dir`` as soon as it is done; no new instance starts after
``--max-minutes``, and the models are then fitted on what was collected.

Models (all on the same rows, split by instance): logistic regression on
L-RHO's features, logistic regression and an MLP with Graph-RHO's critical-path
flag and slack added, and the MLP with one round of mean message passing over
the window graph (job and machine neighbours) added: the graph network's
view. scikit-learn's HistGradientBoosting is compared separately
(``rho_hgb_compare.py``, outside the project's dependencies) on the saved
rows. The graph variant is shipped only if it beats the best of the others
on held-out AUC by more than ``--graph-margin``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import time
from pathlib import Path
from typing import Any

import numpy as np

from schedkit.instances import sd2_fjsp
from schedkit.solvers.methods.rho import RhoOptions, run_rho
from schedkit.solvers.methods.rho.features import feature_names, overlap_features
from schedkit.solvers.methods.rho.model import FixingModel
from schedkit.solvers.methods.rho.strategies import adaptive_threshold
from schedkit.solvers.methods.rho.training import classification_metrics, fit

SLICES = {"lrho": len(feature_names("lrho")), "critical": len(feature_names("critical"))}


def collect(args: tuple[int, dict[str, Any], float, str]) -> dict[str, Any] | None:
    """Roll one instance out with the oracle: graph-feature rows, labels, window ids (None after the deadline).

    The rows are saved to ``data_dir/instance_<index>.npz`` and reused when that file exists.
    """
    index, config, deadline, data_dir = args
    path = Path(data_dir) / f"instance_{index}.npz"
    if path.exists():
        with np.load(path) as saved:
            return {key: saved[key] for key in saved.files} | {"index": index}
    if time.time() > deadline:
        return None
    jobs, machines, ops = config["size"]
    problem = sd2_fjsp(jobs, machines, ops, seed=config["seed"] * 1000 + index)
    options = RhoOptions(
        window=config["window"],
        commit=config["commit"],
        strategy="oracle",
        window_time_limit=config["window_time"],
        early_stop=None,
        oracle_trials=config["trials"],
        conflict_limit=config["conflicts"],
    )
    rows: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    windows: list[np.ndarray] = []

    def observe(context, decision, result) -> None:  # type: ignore[no-untyped-def]
        if not context.overlap:
            return
        rows.append(overlap_features(context, "graph").astype(np.float32))
        labels.append(np.array([int(t in decision.fixed) for t in context.overlap], dtype=np.int8))
        windows.append(np.full(len(context.overlap), index * 1000 + context.index, dtype=np.int32))

    started = time.perf_counter()
    run = run_rho(problem, options, threads=1, seed=config["seed"] + index, observer=observe)
    if not rows:
        return None
    makespan = max(
        (a.start + problem.tasks[i].modes[a.mode].duration for i, a in enumerate(run.solution.tasks)),  # type: ignore[union-attr]
        default=0,
    )
    out = {
        "x": np.concatenate(rows),
        "y": np.concatenate(labels),
        "window": np.concatenate(windows),
        "seconds": np.array(time.perf_counter() - started),
        "oracle_makespan": np.array(makespan),
    }
    np.savez_compressed(path, **out)
    return out | {"index": index}


def adaptive_precision(model: FixingModel, x: np.ndarray, y: np.ndarray, window: np.ndarray) -> dict[str, float]:
    """Per window, fix by the adaptive threshold: the fraction fixed and how many of those were truly stable."""
    p = model.predict_proba(x)
    fixed = np.zeros(len(p), dtype=bool)
    for w in np.unique(window):
        rows = window == w
        fixed[rows] = p[rows] >= adaptive_threshold(p[rows])
    return {
        "fixed_fraction": float(fixed.mean()),
        "precision_of_fixed": float(y[fixed].mean()) if fixed.any() else float("nan"),
        "stable_left_free": float(y[~fixed].mean()) if (~fixed).any() else float("nan"),
    }


def main() -> None:
    """Parse the arguments and run (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="20x10x30", help="jobs x machines x operations per job (L-RHO: 20x10x30)")
    parser.add_argument("--instances", type=int, default=16, help="SD2 instances rolled out (the last --val held out)")
    parser.add_argument("--val", type=int, default=4)
    parser.add_argument("--window", type=int, default=80)
    parser.add_argument("--commit", type=int, default=30)
    parser.add_argument("--trials", type=int, default=3, help="oracle re-solves per window")
    parser.add_argument("--conflicts", type=int, default=400, help="CP-SAT conflicts per window solve")
    parser.add_argument("--window-time", type=float, default=60.0, help="safety wall limit per window solve")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-minutes", type=float, default=38.0, help="no new instance is started after this")
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--graph-margin", type=float, default=0.005)
    parser.add_argument("--out", default="solvers/methods/rho/weights.npz")
    parser.add_argument("--data", default="/tmp/rho_fixing_data.npz", help="the labelled rows (for rho_hgb_compare.py)")
    parser.add_argument("--data-dir", default="/tmp/rho_fixing_instances", help="one file per collected instance")
    parser.add_argument("--report", default="results/rho_training.json")
    args = parser.parse_args()
    started = time.time()
    size = tuple(int(v) for v in args.size.lower().split("x"))
    config = dict(
        size=size,
        window=args.window,
        commit=args.commit,
        trials=args.trials,
        conflicts=args.conflicts,
        window_time=args.window_time,
        seed=args.seed,
    )
    deadline = started + 60 * args.max_minutes
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    tasks = [(i, config, deadline, args.data_dir) for i in range(args.instances)]
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        collected = [r for r in pool.imap(collect, tasks) if r is not None]
    collection_seconds = time.time() - started
    print(f"collected {len(collected)} instances in {collection_seconds:.0f} s", flush=True)
    if len(collected) < 2:
        raise SystemExit("fewer than two instances collected: raise --max-minutes or lower --conflicts")
    val_count = min(args.val, len(collected) - 1)
    train, val = collected[:-val_count], collected[-val_count:]

    def stack(part: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (
            np.concatenate([r["x"] for r in part]).astype(float),
            np.concatenate([r["y"] for r in part]).astype(float),
            np.concatenate([r["window"] for r in part]),
        )

    x_train, y_train, _ = stack(train)
    x_val, y_val, w_val = stack(val)
    np.savez_compressed(args.data, x_train=x_train, y_train=y_train, x_val=x_val, y_val=y_val, w_val=w_val)
    candidates = [
        ("logistic", "lrho", ()),
        ("logistic", "critical", ()),
        ("mlp", "critical", (64, 64)),
        ("mlp", "graph", (64, 64)),
    ]
    results = []
    models: dict[str, FixingModel] = {}
    for kind, feature_set, hidden in candidates:
        columns = SLICES.get(feature_set, x_train.shape[1])
        fit_started = time.perf_counter()
        model = fit(
            x_train[:, :columns],
            y_train,
            feature_set=feature_set,
            hidden=hidden,
            epochs=args.epochs,
            seed=args.seed,
        )
        fit_seconds = time.perf_counter() - fit_started
        infer_started = time.perf_counter()
        p = model.predict_proba(x_val[:, :columns])
        infer_ms = 1000 * (time.perf_counter() - infer_started) / max(1, len(np.unique(w_val)))
        row = {
            "model": f"{kind}/{feature_set}",
            "parameters": int(sum(w.size + b.size for w, b in model.layers)),
            "fit_seconds": round(fit_seconds, 2),
            "ms_per_window": round(infer_ms, 3),
            **{k: round(v, 4) for k, v in classification_metrics(p, y_val).items()},
            **{k: round(v, 4) for k, v in adaptive_precision(model, x_val[:, :columns], y_val, w_val).items()},
        }
        results.append(row)
        models[row["model"]] = model
        print(json.dumps(row), flush=True)
    flat = [r for r in results if not r["model"].endswith("/graph")]
    best_flat = max(flat, key=lambda r: r["auc"])
    graph = next(r for r in results if r["model"].endswith("/graph"))
    chosen = graph if graph["auc"] > best_flat["auc"] + args.graph_margin else best_flat
    reason = (
        f"graph features beat {best_flat['model']} by {graph['auc'] - best_flat['auc']:+.4f} AUC "
        f"(margin {args.graph_margin}): "
        + ("shipped the graph variant" if chosen is graph else f"shipped {best_flat['model']}")
    )
    total_seconds = time.time() - started
    info = {
        "trained_on": f"SD2 {args.size}, seeds {args.seed * 1000}..{args.seed * 1000 + args.instances - 1}",
        "rows_train": int(len(y_train)),
        "rows_val": int(len(y_val)),
        "positive_rate_train": round(float(y_train.mean()), 4),
        "validation": {k: v for k, v in chosen.items() if k != "model"},
        "choice": reason,
        "seed": args.seed,
        "conflicts": args.conflicts,
        "trials": args.trials,
        "total_seconds": round(total_seconds, 1),
    }
    model = models[chosen["model"]]
    model.info = info
    model.save(args.out)
    report = {
        "config": {**config, "size": args.size, "instances_collected": len(collected), "val_instances": val_count},
        "collection_seconds": round(collection_seconds, 1),
        "total_seconds": round(total_seconds, 1),
        "instance_seconds": [round(float(r["seconds"]), 1) for r in collected],
        "oracle_rho_makespans": [int(r["oracle_makespan"]) for r in collected],
        "positive_rate_train": info["positive_rate_train"],
        "rows_train": info["rows_train"],
        "rows_val": info["rows_val"],
        "models": results,
        "chosen": chosen["model"],
        "choice": reason,
        "weights": str(args.out),
    }
    Path(args.report).write_text(json.dumps(report, indent=2) + "\n")
    print(reason)
    print(f"wrote {args.out} and {args.report}; {total_seconds / 60:.1f} minutes in all")


if __name__ == "__main__":
    main()
