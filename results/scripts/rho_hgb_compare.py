"""The gradient-boosted baseline of the RHO fixing classifier (scikit-learn, outside schedkit's dependencies).

Usage, in any environment with NumPy and scikit-learn (not schedkit's)::

    /tmp/rho-venv/bin/python results/scripts/rho_hgb_compare.py /tmp/rho_fixing_data.npz

Reads the rows ``train_rho_fixing.py`` saved (``--data``), fits
``HistGradientBoostingClassifier`` on the same columns as the linear and MLP
models (L-RHO's features plus the critical-path flag and slack: the first 54;
``--columns 69`` adds the neighbour means) and prints the same held-out
metrics as one JSON line, for the comparison table in ``results/rho_training.json``.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np


def metrics(p: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Log-loss, accuracy and F1 at 0.5, ROC AUC (as ``schedkit.solvers.methods.rho.training``)."""
    p = np.clip(p, 1e-7, 1 - 1e-7)
    predicted = p >= 0.5
    tp = float(np.sum(predicted & (y > 0.5)))
    precision, recall = tp / max(1.0, float(predicted.sum())), tp / max(1.0, float((y > 0.5).sum()))
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(len(p))
    ranks[order] = np.arange(1, len(p) + 1)
    pos, neg = float((y > 0.5).sum()), float((y <= 0.5).sum())
    return {
        "logloss": float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))),
        "accuracy": float(np.mean(predicted == (y > 0.5))),
        "auc": float((ranks[y > 0.5].sum() - pos * (pos + 1) / 2) / (pos * neg)) if pos and neg else float("nan"),
        "f1": 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall),
    }


def main() -> None:
    """Fit and evaluate the gradient-boosted model on the saved rows."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--columns", type=int, default=54)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    data = np.load(args.data)
    x_train, y_train = data["x_train"][:, : args.columns], data["y_train"]
    x_val, y_val = data["x_val"][:, : args.columns], data["y_val"]
    started = time.perf_counter()
    model = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.1, random_state=args.seed)
    model.fit(x_train, y_train)
    fit_seconds = time.perf_counter() - started
    p = model.predict_proba(x_val)[:, 1]
    row = {"model": f"hist_gradient_boosting/{args.columns}", "fit_seconds": round(fit_seconds, 2)}
    row.update({k: round(v, 4) for k, v in metrics(p, y_val).items()})
    print(json.dumps(row))


if __name__ == "__main__":
    main()
