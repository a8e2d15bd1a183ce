"""The fixing classifier: a small NumPy network (or logistic regression) shipped as ``weights.npz``.

``p(fix) = sigmoid(f(z))`` with ``z = (x - mean) / std`` the standardised
features of :mod:`.features` and ``f`` either linear (``W x + b``, logistic
regression) or a multilayer perceptron with ReLU hidden layers. Inference is
a few matrix products in NumPy: no framework is needed to use the model.

The file holds ``kind``, ``feature_set``, ``mean``, ``std``, the layers
``W0, b0, W1, b1, ...`` and a JSON ``info`` string (how it was trained).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from schedkit.solvers.methods.rho.features import feature_names, overlap_features
from schedkit.solvers.methods.rho.loop import WindowContext

WEIGHTS_FILE = "weights.npz"


@dataclass
class FixingModel:
    """A trained fixing classifier (see the module docstring)."""

    kind: str
    feature_set: str
    mean: np.ndarray
    std: np.ndarray
    layers: list[tuple[np.ndarray, np.ndarray]]
    info: dict[str, Any] = field(default_factory=dict)

    def logits(self, features: np.ndarray) -> np.ndarray:
        """Logits of rows of raw features."""
        h = (np.asarray(features, dtype=float) - self.mean) / self.std
        for k, (w, b) in enumerate(self.layers):
            h = h @ w + b
            if k < len(self.layers) - 1:
                h = np.maximum(h, 0.0)
        return h[:, 0]

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """``p(fix)`` of rows of raw features."""
        return 1.0 / (1.0 + np.exp(-np.clip(self.logits(features), -50, 50)))

    def __call__(self, context: WindowContext) -> np.ndarray:
        """``p(fix)`` of the overlap operations of a window (a :data:`~.loop.Predictor`)."""
        if not context.overlap:
            return np.zeros(0)
        return self.predict_proba(overlap_features(context, self.feature_set))

    def save(self, path: str | Path) -> None:
        """Write the model as ``.npz``."""
        arrays: dict[str, Any] = {
            "kind": np.array(self.kind),
            "feature_set": np.array(self.feature_set),
            "mean": self.mean,
            "std": self.std,
            "info": np.array(json.dumps(self.info)),
        }
        for k, (w, b) in enumerate(self.layers):
            arrays[f"W{k}"], arrays[f"b{k}"] = w.astype(np.float32), b.astype(np.float32)
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: str | Path) -> FixingModel:
        """Read a model written by :meth:`save`; ``ValueError`` naming the file if it is not one."""
        try:
            with np.load(path, allow_pickle=False) as data:
                count = sum(1 for key in data.files if key.startswith("W"))
                layers = [(data[f"W{k}"].astype(float), data[f"b{k}"].astype(float)) for k in range(count)]
                model = cls(
                    str(data["kind"]),
                    str(data["feature_set"]),
                    data["mean"].astype(float),
                    data["std"].astype(float),
                    layers,
                    json.loads(str(data["info"])),
                )
        except (OSError, KeyError, ValueError) as error:
            raise ValueError(f"{path}: not a RHO fixing model ({error})") from None
        expected = len(feature_names(model.feature_set))
        if model.mean.shape != (expected,) or not layers or layers[0][0].shape[0] != expected:
            raise ValueError(f"{path}: the model does not match the {expected} features of set {model.feature_set!r}")
        return model


def packaged_model_available() -> bool:
    """Whether schedkit ships a trained fixing model (``solvers/methods/rho/weights.npz``)."""
    return resources.files("schedkit.solvers.methods.rho").joinpath(WEIGHTS_FILE).is_file()


@cache
def packaged_model() -> FixingModel:
    """The model shipped with schedkit (``solvers/methods/rho/weights.npz``); ``ValueError`` when there is none."""
    if not packaged_model_available():
        raise ValueError(
            "no trained fixing model in the package (solvers/methods/rho/weights.npz): "
            "train one with results/scripts/train_rho_fixing.py, or pass predictor= to run_rho"
        )
    path = resources.files("schedkit.solvers.methods.rho").joinpath(WEIGHTS_FILE)
    with resources.as_file(path) as file:
        return FixingModel.load(file)
