"""The policy network of Tassel et al. (2023) in NumPy: 2,450 parameters, d = 8, one head.

Per token (see :mod:`schedkit.heuristics.shop.learned.observation`) the input
is ``e = [E_fixed[fixed], start, duration, E_legal[legal]]`` (4 numbers; a
START or END token is the learned 4-vector ``E_tok[token]`` instead), then

    ``x = W_p e + b_p + PE(index)``       (PE sinusoidal, 0 for START/END)

A pre-norm transformer encoder layer (1 head, feed-forward width 32, ReLU)

    ``x <- x + Attn(LN_1(x));  x <- x + W_2 relu(W_1 LN_2(x) + b_1) + b_2``

runs over each job's 5 tokens (padding tokens are not attended to) and the job
embedding is their mean ``h_j``, plus the job's wait times a learned vector,
``h_j + wait_j u`` (the one addition to the authors' 2,442 parameters: 8 more,
see :mod:`schedkit.heuristics.shop.learned.observation` for why). A second
encoder layer runs across jobs, each job attending only to the jobs it
conflicts with (``conflict``, itself included), with an outer residual:
``g = Enc_2(h) + h``. Logits:

    ``l_j = MLP_job(g_j)``,   ``l_noop = (1/J) sum_j MLP_noop(g_j)``

with ``MLP = Linear(8, 32), tanh, Linear(32, 1)``. The policy is the softmax of
the logits over the legal actions, at a temperature.

:func:`forward` can keep what :mod:`schedkit.heuristics.shop.learned.backprop`
needs to differentiate it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from schedkit.heuristics.shop.learned.arrays import IntArray
from schedkit.heuristics.shop.learned.observation import ConflictGroups, FloatArray, Observation
from schedkit.heuristics.shop.learned.state import BoolArray

D_MODEL = 8
"""Width of every embedding."""
D_FF = 32
"""Width of the encoders' feed-forward layers and of the heads."""
LN_EPS = 1e-5

Params = dict[str, FloatArray]
"""Parameter name -> array (float64)."""

WEIGHTS_PATH = Path(__file__).with_name("weights.npz")
"""The trained weights shipped with the package."""

_INV_SQRT_D = float(1.0 / np.sqrt(D_MODEL))

NEG = -1e30
"""The additive attention mask of a key that may not be attended to."""


def parameter_shapes() -> dict[str, tuple[int, ...]]:
    """Every parameter's shape (the network's definition)."""
    shapes: dict[str, tuple[int, ...]] = {
        "emb_fixed": (2,),
        "emb_legal": (2,),
        "emb_token": (3, 4),
        "proj_w": (D_MODEL, 4),
        "proj_b": (D_MODEL,),
        "wait": (D_MODEL,),
    }
    for enc in ("enc1", "enc2"):
        shapes.update(
            {
                f"{enc}.ln1_g": (D_MODEL,),
                f"{enc}.ln1_b": (D_MODEL,),
                f"{enc}.in_w": (3 * D_MODEL, D_MODEL),
                f"{enc}.in_b": (3 * D_MODEL,),
                f"{enc}.out_w": (D_MODEL, D_MODEL),
                f"{enc}.out_b": (D_MODEL,),
                f"{enc}.ln2_g": (D_MODEL,),
                f"{enc}.ln2_b": (D_MODEL,),
                f"{enc}.ff1_w": (D_FF, D_MODEL),
                f"{enc}.ff1_b": (D_FF,),
                f"{enc}.ff2_w": (D_MODEL, D_FF),
                f"{enc}.ff2_b": (D_MODEL,),
            }
        )
    for head in ("job", "noop"):
        shapes.update(
            {f"{head}.w1": (D_FF, D_MODEL), f"{head}.b1": (D_FF,), f"{head}.w2": (1, D_FF), f"{head}.b2": (1,)}
        )
    return shapes


def init_params(seed: int = 0) -> Params:
    """Fresh parameters, initialised as the authors' (PyTorch defaults, xavier and orthogonal inits)."""
    rng = np.random.default_rng(seed)
    params: Params = {}
    for name, shape in parameter_shapes().items():
        if name.endswith(("_g",)):
            params[name] = np.ones(shape)
        elif name.endswith(("_b", ".b1", ".b2")) or name in ("proj_b",):
            params[name] = np.zeros(shape)
        elif name.startswith("emb") or name == "wait":
            params[name] = rng.standard_normal(shape)
        elif name.startswith(("job.", "noop.")):
            gain = np.sqrt(2.0) if name.endswith("w1") else 0.01
            params[name] = _orthogonal(rng, shape, gain)
        else:  # xavier uniform
            bound = np.sqrt(6.0 / (shape[0] + shape[1]))
            params[name] = rng.uniform(-bound, bound, shape)
    return params


def _orthogonal(rng: np.random.Generator, shape: tuple[int, ...], gain: float) -> FloatArray:
    rows, cols = shape
    a = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))
    return gain * (q if rows >= cols else q.T)[:rows, :cols]


def count_parameters(params: Params) -> int:
    """Number of trainable numbers."""
    return int(sum(p.size for p in params.values()))


def save_params(params: Params, path: Path | str, **extra: Any) -> None:
    """Write ``params`` (and ``extra`` arrays, e.g. a reference schedule) to an ``.npz``."""
    arrays = {f"param:{k}": v for k, v in params.items()}
    arrays.update({f"extra:{k}": np.asarray(v) for k, v in extra.items()})
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]  # keys are "param:"/"extra:" names, never allow_pickle


def load_params(path: Path | str = WEIGHTS_PATH) -> tuple[Params, dict[str, Any]]:
    """The parameters and the extra arrays stored by :func:`save_params`; ``ValueError`` on a bad file."""
    shapes = parameter_shapes()
    with np.load(path) as data:
        params = {
            k.split(":", 1)[1]: np.asarray(data[k], dtype=np.float64) for k in data.files if k.startswith("param:")
        }
        extra = {k.split(":", 1)[1]: data[k] for k in data.files if k.startswith("extra:")}
    for name, shape in shapes.items():
        if name not in params or params[name].shape != shape:
            found = params[name].shape if name in params else "missing"
            raise ValueError(f"{path}: parameter '{name}' should have shape {shape}, found {found}")
    return params, extra


def positional_encoding(length: int) -> FloatArray:
    """The sinusoidal table ``PE[pos, 2i] = sin(pos / 10000^(2i/d))``, ``PE[pos, 2i+1] = cos(...)``."""
    pos = np.arange(length)[:, None]
    div = np.exp(np.arange(0, D_MODEL, 2) * (-np.log(10000.0) / D_MODEL))
    table = np.zeros((length, D_MODEL))
    table[:, 0::2] = np.sin(pos * div)
    table[:, 1::2] = np.cos(pos * div)
    return table


def layer_norm(x: FloatArray, gain: FloatArray, bias: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``(y, xhat, 1/sigma)`` of a LayerNorm over the last axis."""
    width = x.shape[-1]
    centred = x - x.sum(axis=-1, keepdims=True) / width
    inv = 1.0 / np.sqrt((centred * centred).sum(axis=-1, keepdims=True) / width + LN_EPS)
    xhat = centred * inv
    return xhat * gain + bias, xhat, inv


def encoder_layer(
    params: Params, prefix: str, x: FloatArray, mask: FloatArray, keep: dict[str, FloatArray] | None
) -> FloatArray:
    """A pre-norm transformer encoder layer over ``x (..., L, 8)``; ``mask (..., L, L)`` is additive."""
    a, xhat1, inv1 = layer_norm(x, params[f"{prefix}.ln1_g"], params[f"{prefix}.ln1_b"])
    qkv = a @ params[f"{prefix}.in_w"].T + params[f"{prefix}.in_b"]
    q, k, v = qkv[..., :D_MODEL], qkv[..., D_MODEL : 2 * D_MODEL], qkv[..., 2 * D_MODEL :]
    scores = q @ np.swapaxes(k, -1, -2) * _INV_SQRT_D + mask
    scores -= scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    o = weights @ v
    x1 = x + o @ params[f"{prefix}.out_w"].T + params[f"{prefix}.out_b"]
    c, xhat2, inv2 = layer_norm(x1, params[f"{prefix}.ln2_g"], params[f"{prefix}.ln2_b"])
    f1 = c @ params[f"{prefix}.ff1_w"].T + params[f"{prefix}.ff1_b"]
    r = np.maximum(f1, 0.0)
    y = x1 + r @ params[f"{prefix}.ff2_w"].T + params[f"{prefix}.ff2_b"]
    if keep is not None:
        keep.update(a=a, xhat1=xhat1, inv1=inv1, q=q, k=k, v=v, weights=weights, o=o, c=c, xhat2=xhat2, inv2=inv2)
        keep.update(f1=f1, r=r)
    return y


def encode_windows(
    params: Params,
    features: FloatArray,
    token: IntArray,
    index: IntArray,
    padding: BoolArray,
    keep: dict[str, Any] | None = None,
) -> FloatArray:
    """The job embeddings ``h (..., 8)`` of windows ``features (..., 5, 4)`` (the first encoder, pooled)."""
    lead, w = token.shape[:-1], token.shape[-1]
    dtype = params["proj_w"].dtype
    feats = features.astype(dtype, copy=False)
    fixed = (feats[..., 0] > 0.5).astype(np.int64)
    legal = (feats[..., 3] > 0.5).astype(np.int64)
    e = np.stack([params["emb_fixed"][fixed], feats[..., 1], feats[..., 2], params["emb_legal"][legal]], axis=-1)
    is_token = token > 0
    e = np.where(is_token[..., None], params["emb_token"][token], e)
    pe = _pe_table(int(index.max(initial=0)) + 1, dtype)[index] * (~is_token)[..., None]
    x = e @ params["proj_w"].T + params["proj_b"] + pe
    pad = np.where(padding, NEG, 0.0).astype(dtype).reshape(-1, 1, w)
    enc1: dict[str, FloatArray] | None = {} if keep is not None else None
    y = encoder_layer(params, "enc1", x.reshape(-1, w, D_MODEL), pad, enc1)
    h = y.reshape(*lead, w, D_MODEL).mean(axis=-2)
    if keep is not None:
        keep.update(e=e, is_token=is_token, fixed=fixed, legal=legal, enc1=enc1, y=y, token=token)
    return h


def decide(
    params: Params,
    h: FloatArray,
    wait: FloatArray,
    conflict: BoolArray | ConflictGroups,
    mask: BoolArray,
    keep: dict[str, Any] | None = None,
) -> FloatArray:
    """The logits ``(N, J + 1)`` from the job embeddings ``h (N, J, 8)``: wait, second encoder, heads.

    ``conflict`` is the dense ``(N, J, J)`` mask or, for inference, its
    :class:`ConflictGroups`.

    With ``keep`` every logit is computed and the intermediate values are
    stored. Without it (inference) two shortcuts give the same values for the
    legal actions: a job that conflicts with no other attends only to itself in
    the second encoder, so its attention output is its own value vector (no
    J x J product), and the job head runs on the legal jobs only (the other
    logits are ``-inf``).
    """
    n, j = wait.shape
    h = h + wait[..., None].astype(h.dtype) * params["wait"]
    if keep is None:
        groups = conflict if isinstance(conflict, ConflictGroups) else ConflictGroups.from_dense(conflict)
        g = _sparse_encoder_layer(params, "enc2", h, groups) + h
        a_noop = np.tanh(g @ params["noop.w1"].T + params["noop.b1"])
        logits = np.full((n, j + 1), -np.inf)
        episodes, jobs = np.nonzero(mask[:, :j])
        a_job = np.tanh(g[episodes, jobs] @ params["job.w1"].T + params["job.b1"])
        logits[episodes, jobs] = (a_job @ params["job.w2"].T)[:, 0] + params["job.b2"][0]
        noop = (a_noop @ params["noop.w2"].T)[..., 0].mean(axis=1) + params["noop.b2"][0]
        logits[:, j] = np.where(mask[:, j], noop, -np.inf)
        return logits
    if isinstance(conflict, ConflictGroups):
        raise TypeError("decide() needs the dense conflict mask to keep values for the backward pass")
    additive = np.where(conflict, 0.0, NEG)
    enc2: dict[str, FloatArray] = {}
    g = encoder_layer(params, "enc2", h, additive, enc2) + h
    a_job = np.tanh(g @ params["job.w1"].T + params["job.b1"])
    a_noop = np.tanh(g @ params["noop.w1"].T + params["noop.b1"])
    logits = np.empty((n, j + 1))
    logits[:, :j] = (a_job @ params["job.w2"].T)[..., 0] + params["job.b2"][0]
    logits[:, j] = (a_noop @ params["noop.w2"].T)[..., 0].mean(axis=1) + params["noop.b2"][0]
    keep.update(enc2=enc2, g=g, a_job=a_job, a_noop=a_noop, wait=wait)
    return logits


def forward(params: Params, obs: Observation, keep: dict[str, Any] | None = None) -> FloatArray:
    """The logits ``(N, J + 1)`` (No-Op last) of a batch of observations.

    With ``keep`` (a dict), the intermediate values are stored in it for
    :func:`schedkit.heuristics.shop.learned.backprop.backward` and every logit
    is computed; without it only the legal ones are (see :func:`decide`). The
    arithmetic runs in the parameters' dtype.
    """
    h = encode_windows(params, obs.features, obs.token, obs.index, obs.padding, keep)
    return decide(params, h, obs.wait, obs.conflict, obs.mask, keep)


_PE_CACHE: dict[tuple[int, str], FloatArray] = {}


def _pe_table(length: int, dtype: Any) -> FloatArray:
    """:func:`positional_encoding` in ``dtype``, cached (at least 128 rows)."""
    key = (max(length, 128), np.dtype(dtype).name)
    if key not in _PE_CACHE:
        _PE_CACHE[key] = positional_encoding(key[0]).astype(dtype)
    return _PE_CACHE[key]


def _sparse_encoder_layer(params: Params, prefix: str, h: FloatArray, conflict: ConflictGroups) -> FloatArray:
    """:func:`encoder_layer` across jobs, computing attention within each conflict group only.

    A job in no group attends to itself alone (attention weight 1), so its
    attention output is its own value vector; a job in a group attends to the
    group's jobs, exactly as the dense mask would have it.
    """
    p = prefix
    a, _, _ = layer_norm(h, params[f"{p}.ln1_g"], params[f"{p}.ln1_b"])
    qkv = a @ params[f"{p}.in_w"].T + params[f"{p}.in_b"]
    q, k, v = qkv[..., :D_MODEL], qkv[..., D_MODEL : 2 * D_MODEL], qkv[..., 2 * D_MODEL :]
    o = v.copy()
    sizes = (conflict.jobs >= 0).sum(axis=1)
    width = 2
    while conflict.episode.size and width // 2 < sizes.max():
        # groups of (width / 2, width] jobs together: padding to the largest group would cost up to J^2 per group
        chosen = np.flatnonzero((sizes > width // 2) & (sizes <= width))
        if chosen.size:
            episode = conflict.episode[chosen, None]
            present = conflict.jobs[chosen, :width] >= 0
            jobs = np.where(present, conflict.jobs[chosen, :width], 0)
            qg, kg, vg = q[episode, jobs], k[episode, jobs], v[episode, jobs]  # (G, W, d)
            scores = (qg @ kg.transpose(0, 2, 1)) * _INV_SQRT_D
            scores = np.where(present[:, None, :], scores, -np.inf)
            scores -= scores.max(axis=-1, keepdims=True)
            weights = np.exp(scores)
            weights /= weights.sum(axis=-1, keepdims=True)
            out = weights @ vg
            o[np.broadcast_to(episode, jobs.shape)[present], jobs[present]] = out[present]
        width *= 2
    x1 = h + o @ params[f"{p}.out_w"].T + params[f"{p}.out_b"]
    c, _, _ = layer_norm(x1, params[f"{p}.ln2_g"], params[f"{p}.ln2_b"])
    r = np.maximum(c @ params[f"{p}.ff1_w"].T + params[f"{p}.ff1_b"], 0.0)
    return x1 + r @ params[f"{p}.ff2_w"].T + params[f"{p}.ff2_b"]


def as_dtype(params: Params, dtype: Any) -> Params:
    """The parameters cast to ``dtype`` (float32 for fast inference)."""
    return {name: value.astype(dtype) for name, value in params.items()}


def masked_log_softmax(logits: FloatArray, mask: FloatArray | np.ndarray, temperature: float = 1.0) -> FloatArray:
    """``log softmax(logits / T)`` over the legal actions (``-inf`` elsewhere)."""
    z = np.where(mask, logits / temperature, -np.inf)
    top = z.max(axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return z - top - np.log(np.exp(z - top).sum(axis=-1, keepdims=True))
