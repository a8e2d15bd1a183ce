"""Gradients of the policy network by hand (reverse mode over :func:`network.forward`'s kept values).

The network is tiny (2,442 parameters) and fixed, so its backward pass is
written out once, layer by layer, instead of pulling in an autodiff framework:
training then needs NumPy only. The formulas, for ``dy = dL/dy``:

* linear ``y = x Wᵀ + b``: ``dW = Σ dyᵀ x``, ``db = Σ dy``, ``dx = dy W``;
* LayerNorm ``y = g x̂ + b``, ``x̂ = (x - μ)/σ``:
  ``dx = (1/σ) (dx̂ - mean(dx̂) - x̂ mean(dx̂ x̂))`` with ``dx̂ = g dy``;
* attention ``P = softmax(q kᵀ/√d + M)``, ``o = P v``: ``dP = do vᵀ``,
  ``dv = Pᵀ do``, ``dS = P (dP - Σ_k dP P)``, ``dq = dS k/√d``, ``dk = dSᵀ q/√d``;
* ReLU and tanh: ``dx = dy [x > 0]``, ``dx = dy (1 - y²)``;
* embedding lookups scatter-add their rows' gradients; ``h' = h + wait u``
  gives ``du = Σ dh' wait``.

``tests/heuristics/shop/learned/test_backprop.py`` checks every parameter's
gradient against central finite differences.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from schedkit.heuristics.shop.learned.network import D_MODEL, Params
from schedkit.heuristics.shop.learned.observation import FloatArray


def _sum_outer(dy: FloatArray, x: FloatArray) -> FloatArray:
    """``Σ over all leading axes of dyᵀ x``: the weight gradient of a linear layer."""
    return dy.reshape(-1, dy.shape[-1]).T @ x.reshape(-1, x.shape[-1])


def _sum_rows(dy: FloatArray) -> FloatArray:
    return dy.reshape(-1, dy.shape[-1]).sum(axis=0)


def _layer_norm_back(dy: FloatArray, xhat: FloatArray, inv: FloatArray, gain: FloatArray) -> tuple[FloatArray, ...]:
    dxhat = dy * gain
    dx = inv * (dxhat - dxhat.mean(axis=-1, keepdims=True) - xhat * (dxhat * xhat).mean(axis=-1, keepdims=True))
    return dx, _sum_rows(dy * xhat), _sum_rows(dy)


def encoder_layer_back(
    params: Params, prefix: str, dy: FloatArray, keep: dict[str, FloatArray], grads: Params
) -> FloatArray:
    """Back through :func:`network.encoder_layer`: accumulate into ``grads``, return ``dL/dx``."""
    p = prefix
    # feed-forward block: y = x1 + relu(c W1ᵀ + b1) W2ᵀ + b2
    grads[f"{p}.ff2_w"] += _sum_outer(dy, keep["r"])
    grads[f"{p}.ff2_b"] += _sum_rows(dy)
    df1 = (dy @ params[f"{p}.ff2_w"]) * (keep["f1"] > 0)
    grads[f"{p}.ff1_w"] += _sum_outer(df1, keep["c"])
    grads[f"{p}.ff1_b"] += _sum_rows(df1)
    dc = df1 @ params[f"{p}.ff1_w"]
    dx1_ln, dg2, db2 = _layer_norm_back(dc, keep["xhat2"], keep["inv2"], params[f"{p}.ln2_g"])
    grads[f"{p}.ln2_g"] += dg2
    grads[f"{p}.ln2_b"] += db2
    dx1 = dy + dx1_ln
    # attention block: x1 = x + (P v) Woᵀ + bo
    grads[f"{p}.out_w"] += _sum_outer(dx1, keep["o"])
    grads[f"{p}.out_b"] += _sum_rows(dx1)
    do = dx1 @ params[f"{p}.out_w"]
    weights, q, k, v = keep["weights"], keep["q"], keep["k"], keep["v"]
    dweights = do @ np.swapaxes(v, -1, -2)
    dv = np.swapaxes(weights, -1, -2) @ do
    dscores = weights * (dweights - (dweights * weights).sum(axis=-1, keepdims=True)) / np.sqrt(D_MODEL)
    dq = dscores @ k
    dk = np.swapaxes(dscores, -1, -2) @ q
    dqkv = np.concatenate([dq, dk, dv], axis=-1)
    grads[f"{p}.in_w"] += _sum_outer(dqkv, keep["a"])
    grads[f"{p}.in_b"] += _sum_rows(dqkv)
    da = dqkv @ params[f"{p}.in_w"]
    dx_ln, dg1, db1 = _layer_norm_back(da, keep["xhat1"], keep["inv1"], params[f"{p}.ln1_g"])
    grads[f"{p}.ln1_g"] += dg1
    grads[f"{p}.ln1_b"] += db1
    return dx1 + dx_ln


def backward(params: Params, keep: dict[str, Any], dlogits: FloatArray) -> Params:
    """``dL/dθ`` for every parameter, given ``dlogits = dL/dlogits (N, J + 1)`` and ``forward``'s ``keep``."""
    grads: Params = {name: np.zeros_like(value) for name, value in params.items()}
    n, j1 = dlogits.shape
    j = j1 - 1
    g = keep["g"]
    # heads
    dl_job = dlogits[:, :j, None]  # (N, J, 1)
    dl_noop = np.broadcast_to(dlogits[:, j, None, None] / j, (n, j, 1))
    dg = np.zeros_like(g)
    for head, dl, act in (("job", dl_job, keep["a_job"]), ("noop", dl_noop, keep["a_noop"])):
        grads[f"{head}.w2"] += _sum_outer(dl, act)
        grads[f"{head}.b2"] += _sum_rows(dl)
        dz = (dl @ params[f"{head}.w2"]) * (1.0 - act * act)
        grads[f"{head}.w1"] += _sum_outer(dz, g)
        grads[f"{head}.b1"] += _sum_rows(dz)
        dg += dz @ params[f"{head}.w1"]
    # g = enc2(h') + h';  h' = h + wait u;  h = mean of the enc1 output over the window
    dh = dg + encoder_layer_back(params, "enc2", dg, keep["enc2"], grads)
    grads["wait"] += _sum_rows(dh * keep["wait"][..., None])
    w = keep["y"].shape[1]
    dy = np.broadcast_to(dh[:, :, None, :] / w, (n, j, w, D_MODEL)).reshape(n * j, w, D_MODEL)
    dx = encoder_layer_back(params, "enc1", dy, keep["enc1"], grads).reshape(n, j, w, D_MODEL)
    # x = W_p e + b_p + PE
    e = keep["e"]
    grads["proj_w"] += _sum_outer(dx, e)
    grads["proj_b"] += _sum_rows(dx)
    de = dx @ params["proj_w"]
    is_token = keep["is_token"]
    np.add.at(grads["emb_token"], keep["token"][is_token], de[is_token])
    op = ~is_token
    np.add.at(grads["emb_fixed"], keep["fixed"][op], de[..., 0][op])
    np.add.at(grads["emb_legal"], keep["legal"][op], de[..., 3][op])
    return grads
