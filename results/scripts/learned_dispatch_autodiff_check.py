"""Check the hand-written gradients of the learned dispatcher against PyTorch, and time both.

Usage (needs torch, which schedkit never requires)::

    OPENBLAS_NUM_THREADS=1 python results/scripts/learned_dispatch_autodiff_check.py [--batch 400] [--jobs 30]

The same network is written in PyTorch (autograd) from the same parameters;
on a batch of observations from random episodes of a Taillard-generated
``jobs x 15`` instance, the logits and every parameter gradient of
``sum(logits * W)`` (W random) are compared with NumPy's
(:mod:`schedkit.heuristics.shop.learned.backprop`), and one forward + backward
pass is timed in each, single-threaded.
"""

from __future__ import annotations

import argparse
import importlib
import os
import time
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from schedkit.heuristics.shop.learned import BatchState, init_params, shop_arrays  # noqa: E402
from schedkit.heuristics.shop.learned.backprop import backward  # noqa: E402
from schedkit.heuristics.shop.learned.network import (  # noqa: E402
    D_MODEL,
    LN_EPS,
    NEG,
    Params,
    forward,
    positional_encoding,  # noqa: E402
)
from schedkit.heuristics.shop.learned.observation import Observation, observe  # noqa: E402
from schedkit.instances import taillard_jobshop_from_seeds  # noqa: E402


def torch_forward(torch: Any, p: dict[str, Any], obs: Observation) -> Any:
    """The network of :func:`schedkit.heuristics.shop.learned.network.forward` in PyTorch."""
    t = torch.as_tensor
    feats = t(obs.features)
    fixed, legal = t((obs.features[..., 0] > 0.5).astype(np.int64)), t((obs.features[..., 3] > 0.5).astype(np.int64))
    e = torch.stack([p["emb_fixed"][fixed], feats[..., 1], feats[..., 2], p["emb_legal"][legal]], dim=-1)
    token = t(obs.token)
    is_token = token > 0
    e = torch.where(is_token[..., None], p["emb_token"][token], e)
    pe = t(positional_encoding(int(obs.index.max()) + 1))[t(obs.index)] * (~is_token)[..., None]
    x = e @ p["proj_w"].T + p["proj_b"] + pe

    def layer_norm(x, g, b):
        return torch.nn.functional.layer_norm(x, (D_MODEL,), g, b, LN_EPS)

    def encoder(prefix, x, mask):
        a = layer_norm(x, p[f"{prefix}.ln1_g"], p[f"{prefix}.ln1_b"])
        q, k, v = (a @ p[f"{prefix}.in_w"].T + p[f"{prefix}.in_b"]).split(D_MODEL, dim=-1)
        w = torch.softmax(q @ k.transpose(-1, -2) / np.sqrt(D_MODEL) + mask, dim=-1)
        x1 = x + (w @ v) @ p[f"{prefix}.out_w"].T + p[f"{prefix}.out_b"]
        c = layer_norm(x1, p[f"{prefix}.ln2_g"], p[f"{prefix}.ln2_b"])
        return (
            x1
            + torch.relu(c @ p[f"{prefix}.ff1_w"].T + p[f"{prefix}.ff1_b"]) @ p[f"{prefix}.ff2_w"].T
            + p[f"{prefix}.ff2_b"]
        )

    n, j, w = obs.token.shape
    pad = t(np.where(obs.padding, NEG, 0.0)).reshape(n * j, 1, w)
    h = encoder("enc1", x.reshape(n * j, w, D_MODEL), pad).reshape(n, j, w, D_MODEL).mean(dim=2)
    h = h + t(obs.wait)[..., None] * p["wait"]
    g = encoder("enc2", h, t(np.where(obs.conflict, 0.0, NEG))) + h
    job = (torch.tanh(g @ p["job.w1"].T + p["job.b1"]) @ p["job.w2"].T)[..., 0] + p["job.b2"]
    noop = (torch.tanh(g @ p["noop.w1"].T + p["noop.b1"]) @ p["noop.w2"].T)[..., 0].mean(dim=1) + p["noop.b2"]
    return torch.cat([job, noop[:, None]], dim=1)


def observations(jobs: int, batch: int, seed: int = 0) -> Observation:
    """``batch`` observations from random episodes of a ``jobs x 15`` Taillard-generated instance."""
    state = BatchState(shop_arrays(taillard_jobshop_from_seeds(jobs, 15, 1234 + seed, 5678)), 8)
    rng = np.random.default_rng(seed)
    seen: list[Observation] = []
    while sum(len(o) for o in seen) < batch:
        if state.done.all():
            state.reset()
        mask = state.action_mask()
        seen.append(observe(state).take(np.nonzero(~state.done)[0]))
        state.step(np.where(mask, rng.random(mask.shape), -1.0).argmax(axis=1))
    return Observation.concat(seen).take(np.arange(batch))


def main() -> None:
    """Compare, time, print."""
    torch = importlib.import_module("torch")  # only this measurement needs it

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=400)
    parser.add_argument("--jobs", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    torch.set_num_threads(1)
    obs = observations(args.jobs, args.batch)
    params: Params = init_params(0)
    weights = np.random.default_rng(1).standard_normal((len(obs), args.jobs + 1))

    def numpy_step() -> tuple[np.ndarray, Params]:
        keep: dict = {}
        logits = forward(params, obs, keep)
        return logits, backward(params, keep, weights)

    tp = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    tw = torch.as_tensor(weights)

    def torch_step() -> tuple[np.ndarray, dict]:
        for v in tp.values():
            v.grad = None
        logits = torch_forward(torch, tp, obs)
        (logits * tw).sum().backward()
        return logits.detach().numpy(), {k: v.grad.numpy() for k, v in tp.items()}

    nl, ng = numpy_step()
    tl, tg = torch_step()
    worst = max(float(np.abs(ng[k] - tg[k]).max() / (np.abs(tg[k]).max() + 1e-12)) for k in ng)
    print(f"logits: max |numpy - torch| = {np.abs(nl - tl).max():.2e}; gradients: max relative difference {worst:.2e}")
    for name, step in (("numpy (hand-written)", numpy_step), ("torch (autograd)", torch_step)):
        started = time.perf_counter()
        for _ in range(args.repeats):
            step()
        ms = 1000 * (time.perf_counter() - started) / args.repeats
        print(f"{name:22s} forward + backward of {args.batch} observations ({args.jobs} jobs): {ms:.1f} ms")


if __name__ == "__main__":
    main()
