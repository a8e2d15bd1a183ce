"""Fit the fixing classifier in NumPy: logistic regression or a small MLP, Adam on the binary cross-entropy.

Used by ``results/scripts/train_rho_fixing.py``; nothing here runs at solve
time. The loss is ``-mean(w_y [y log p + (1 - y) log(1 - p)])`` with class
weight ``w_1 = pos_weight`` (L-RHO uses 0.5: labels are mostly 1) plus
``l2 / 2 * sum W^2``; training is deterministic given the seed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from schedkit.solvers.methods.rho.model import FixingModel


def fit(
    features: np.ndarray,
    labels: np.ndarray,
    *,
    feature_set: str,
    hidden: tuple[int, ...] = (64, 64),
    epochs: int = 60,
    batch: int = 256,
    lr: float = 1e-3,
    l2: float = 1e-4,
    pos_weight: float = 1.0,
    seed: int = 0,
    info: dict[str, Any] | None = None,
) -> FixingModel:
    """Train a model on rows ``features`` with 0/1 ``labels``; ``hidden=()`` is logistic regression."""
    rng = np.random.default_rng(seed)
    x = np.asarray(features, dtype=float)
    y = np.asarray(labels, dtype=float)
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std[std < 1e-8] = 1.0
    z = (x - mean) / std
    sizes = [z.shape[1], *hidden, 1]
    layers = [[rng.normal(0.0, np.sqrt(2.0 / a), (a, b)), np.zeros(b)] for a, b in zip(sizes, sizes[1:])]
    moments = [[np.zeros_like(p) for p in layer] for layer in layers]
    squares = [[np.zeros_like(p) for p in layer] for layer in layers]
    beta1, beta2, step = 0.9, 0.999, 0
    for _ in range(epochs):
        perm = rng.permutation(len(z))
        for begin in range(0, len(z), batch):
            idx = perm[begin : begin + batch]
            grads = _gradients(layers, z[idx], y[idx], pos_weight, l2)
            step += 1
            for k, layer in enumerate(layers):
                for j in range(2):
                    moments[k][j] = beta1 * moments[k][j] + (1 - beta1) * grads[k][j]
                    squares[k][j] = beta2 * squares[k][j] + (1 - beta2) * grads[k][j] ** 2
                    m_hat = moments[k][j] / (1 - beta1**step)
                    v_hat = squares[k][j] / (1 - beta2**step)
                    layer[j] -= lr * m_hat / (np.sqrt(v_hat) + 1e-8)
    kind = "logistic" if not hidden else "mlp"
    return FixingModel(kind, feature_set, mean, std, [(w, b) for w, b in layers], dict(info or {}))


def _gradients(
    layers: list[list[np.ndarray]], z: np.ndarray, y: np.ndarray, pos_weight: float, l2: float
) -> list[list[np.ndarray]]:
    """Gradients of the weighted cross-entropy (plus L2 on the weights) by backpropagation."""
    activations = [z]
    h = z
    for k, (w, b) in enumerate(layers):
        h = h @ w + b
        if k < len(layers) - 1:
            h = np.maximum(h, 0.0)
        activations.append(h)
    logits = activations[-1][:, 0]
    p = 1.0 / (1.0 + np.exp(-np.clip(logits, -50, 50)))
    weight = np.where(y > 0.5, pos_weight, 1.0)
    delta = (weight * (p - y) / len(y))[:, None]
    grads: list[list[np.ndarray]] = [[np.zeros(0), np.zeros(0)] for _ in layers]
    for k in range(len(layers) - 1, -1, -1):
        w = layers[k][0]
        grads[k] = [activations[k].T @ delta + l2 * w, delta.sum(axis=0)]
        if k > 0:
            delta = (delta @ w.T) * (activations[k] > 0)
    return grads


def metrics(model: FixingModel, features: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Log-loss, accuracy at 0.5, ROC AUC and the positive rate of ``model`` on a labelled set."""
    y = np.asarray(labels, dtype=float)
    p = np.clip(model.predict_proba(features), 1e-7, 1 - 1e-7)
    return classification_metrics(p, y)


def classification_metrics(p: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Log-loss, accuracy at 0.5, ROC AUC (rank statistic), F1 at 0.5 and the positive rate."""
    p = np.clip(np.asarray(p, dtype=float), 1e-7, 1 - 1e-7)
    y = np.asarray(y, dtype=float)
    logloss = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    predicted = p >= 0.5
    accuracy = float(np.mean(predicted == (y > 0.5)))
    tp = float(np.sum(predicted & (y > 0.5)))
    precision = tp / max(1.0, float(predicted.sum()))
    recall = tp / max(1.0, float((y > 0.5).sum()))
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(len(p))
    ranks[order] = np.arange(1, len(p) + 1)
    positives, negatives = float((y > 0.5).sum()), float((y <= 0.5).sum())
    auc = (
        float((ranks[y > 0.5].sum() - positives * (positives + 1) / 2) / (positives * negatives))
        if positives and negatives
        else float("nan")
    )
    return {"logloss": logloss, "accuracy": accuracy, "auc": auc, "f1": f1, "positive_rate": float(y.mean())}
