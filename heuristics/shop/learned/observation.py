"""What the policy sees of a dispatching state: per job, a window of operations, its wait, the conflicts.

Per job j a window of ``WINDOW = 5`` tokens (Tassel et al. 2023):

* slot 0: the job's last fixed operation, or a START token if none is fixed;
* slots 1-4: its next unfixed operations (slot 1 is the one an action would
  start), then END tokens once the job runs out (only the first END is
  attended to; the later ones are padding).

An operation token has four features ``[fixed, start, duration, legal]``:

* ``fixed`` 1 for slot 0, else 0;
* ``start``: for the fixed operation its start, for slot 1 the job's earliest
  start ``lb_j``, for slot ``i + 1`` the chained bound ``start_i + p_i``; all
  relative to ``lb_j`` (to the job's end once it is done) and scaled by the
  mean duration p̄ of the instance: ``(start - lb_j) / p̄``;
* ``duration``: ``(p - p̄) / σ_p`` (σ_p the standard deviation of the durations);
* ``legal``: 1 when it is slot 1 and the job is a legal action.

Beside the window, ``wait[j] = (lb_j - t) / p̄`` says how far the job's next
start lies past the current time t (0 once the job is done). The authors feed
starts relative to nothing (absolute, z-scored per state); splitting them into
"relative to the job" and "the job's wait" carries the same information (the
start relative to t is their sum) but keeps a window unchanged until its own
job moves (it acts, is pushed, or turns legal or illegal), so a rollout
re-encodes only those windows (:mod:`schedkit.heuristics.shop.learned.rollout`).

``index`` is the operation's position in its job plus one (0 for START/END),
fed to a sinusoidal position encoding; ``token`` is 0 for an operation, 1 for
START, 2 for END; ``padding`` marks the END tokens after the first.
``conflict[j, k]`` (J x J) is 1 when j = k, or when neither job is done and
their next operations need the same machine: the jobs competing for one
machine, now or when they arrive. The jobs that are not legal yet are
included because they are what a No-Op waits for: with conflicts among legal
jobs only, the policy cannot see that a job with much work left is about to
reach a machine, and on expert schedules (about 28 % of whose decisions are
No-Ops, on 30 x 15 instances) the imitation loss fell to 0.92 rather than
0.80, with greedy episodes 16 % longer (32 training instances, 8 epochs).
``mask`` is the action mask (J + 1, No-Op last).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from schedkit.heuristics.shop.learned.arrays import IntArray
from schedkit.heuristics.shop.learned.state import INF, BatchState, BoolArray

WINDOW = 5
"""Tokens per job: the last fixed operation (or START) and up to four next ones (or END)."""

FloatArray = npt.NDArray[np.float64]

START_TOKEN, END_TOKEN = 1, 2


@dataclass
class Windows:
    """The windows of R jobs: ``features (R, 5, 4)``, ``token``, ``index``, ``padding`` (R, 5)."""

    features: FloatArray
    token: IntArray
    index: IntArray
    padding: BoolArray


@dataclass
class Observation:
    """A batch of N observations of one job shop with J jobs (see the module docstring).

    ``features (N, J, 5, 4)``, ``token (N, J, 5)``, ``index (N, J, 5)``,
    ``padding (N, J, 5)``, ``wait (N, J)``, ``conflict (N, J, J)``, ``mask (N, J + 1)``.
    """

    features: FloatArray
    token: IntArray
    index: IntArray
    padding: BoolArray
    wait: FloatArray
    conflict: BoolArray
    mask: BoolArray

    def __len__(self) -> int:
        return int(self.features.shape[0])

    def take(self, rows: IntArray | list[int]) -> Observation:
        """The observations at ``rows``."""
        return Observation(*(getattr(self, f)[rows] for f in _FIELDS))

    @staticmethod
    def concat(parts: list[Observation]) -> Observation:
        """One batch of all ``parts`` (same number of jobs)."""
        return Observation(*(np.concatenate([getattr(p, f) for p in parts]) for f in _FIELDS))


_FIELDS = ("features", "token", "index", "padding", "wait", "conflict", "mask")


def job_windows(state: BatchState, episodes: IntArray, jobs: IntArray) -> Windows:
    """The windows of the jobs ``jobs[r]`` in the episodes ``episodes[r]``."""
    shop = state.shop
    scale = shop.mean_duration
    pos = state.pos[episodes, jobs]
    slot_op = pos[:, None] + np.arange(-1, WINDOW - 1)  # (R, 5) operation index in the job
    length = shop.num_ops[jobs][:, None]
    real = (slot_op >= 0) & (slot_op < length)
    safe = np.clip(slot_op, 0, max(shop.max_ops - 1, 0))
    duration = np.where(real, shop.duration[jobs[:, None], safe], 0).astype(np.float64)
    lb = state.lb[episodes, jobs]
    done = lb >= INF
    reference = np.where(done, state.job_end[episodes, jobs], lb).astype(np.float64)
    fixed_start = state.starts[episodes, jobs, safe[:, 0]].astype(np.float64)
    chained = reference[:, None] + np.concatenate(
        [np.zeros((len(jobs), 1)), np.cumsum(duration[:, 1:-1], axis=1)], axis=1
    )  # (R, 4): lb_j, lb_j + p_1, ...
    start = np.concatenate([fixed_start[:, None], chained], axis=1)

    features = np.zeros((len(jobs), WINDOW, 4))
    features[:, 0, 0] = real[:, 0]
    features[:, :, 1] = np.where(real, (start - reference[:, None]) / scale, 0.0)
    features[:, :, 2] = np.where(real, (duration - scale) / shop.std_duration, 0.0)
    features[:, 1, 3] = (lb == state.time[episodes]) & ~done
    token = np.where(real, 0, np.where(slot_op < 0, START_TOKEN, END_TOKEN)).astype(np.int64)
    index = np.where(real, slot_op + 1, 0).astype(np.int64)
    return Windows(features, token, index, slot_op > length)


def job_waits(state: BatchState) -> FloatArray:
    """``(B, J)``: ``(lb_j - t) / p̄`` (0 for a finished job or episode)."""
    wait = np.where(state.lb < INF, state.lb - np.where(state.done, 0, state.time)[:, None], 0)
    return wait / state.shop.mean_duration


def conflicts(state: BatchState) -> BoolArray:
    """``(B, J, J)``: unfinished jobs whose next operations need the same machine (and each job with itself)."""
    live = state.next_machine >= 0
    machine = state.next_machine
    conflict = live[:, :, None] & live[:, None, :] & (machine[:, :, None] == machine[:, None, :])
    conflict |= np.eye(state.shop.num_jobs, dtype=bool)[None]
    return conflict


@dataclass
class ConflictGroups:
    """The conflict mask as its groups: the jobs of one episode whose next operations need one machine.

    ``episode[g]`` is group g's episode (numbered 0.. in the order given) and
    ``jobs[g]`` its jobs, padded with -1 to the largest group. Only groups of
    two or more jobs are listed: every other job attends to itself alone. A
    conflict mask is a union of such cliques, so attention within each group
    gives the dense mask's result at a cost of (group size)^2 rather than J per
    job (on a 100 x 20 shop about 15 times less).
    """

    episode: IntArray
    jobs: IntArray

    @staticmethod
    def from_dense(conflict: BoolArray) -> ConflictGroups:
        """The groups of a dense ``(N, J, J)`` conflict mask (its distinct rows of two or more jobs)."""
        rows, cols = np.nonzero(conflict.sum(axis=-1) > 1)
        seen: dict[tuple[int, bytes], list[int]] = {}
        for n, j in zip(rows.tolist(), cols.tolist()):
            key = (n, conflict[n, j].tobytes())
            if key not in seen:
                seen[key] = np.flatnonzero(conflict[n, j]).tolist()
        return _padded([(n, members) for (n, _), members in seen.items()])


def _padded(groups: list[tuple[int, list[int]]]) -> ConflictGroups:
    width = max((len(m) for _, m in groups), default=0)
    jobs = np.full((len(groups), width), -1, dtype=np.int64)
    for g, (_, members) in enumerate(groups):
        jobs[g, : len(members)] = members
    return ConflictGroups(np.array([n for n, _ in groups], dtype=np.int64), jobs)


def conflict_groups(state: BatchState, episodes: IntArray) -> ConflictGroups:
    """:func:`conflicts` of ``episodes`` (numbered 0.. in that order) as :class:`ConflictGroups`."""
    machine = state.next_machine[episodes]
    m = state.shop.num_machines
    rows, cols = np.nonzero(machine >= 0)
    key = rows * m + machine[rows, cols]
    order = np.argsort(key, kind="stable")
    key, rows, cols = key[order], rows[order], cols[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    sizes = np.diff(np.r_[first, key.size])
    big = sizes > 1
    first, sizes = first[big], sizes[big]
    if first.size == 0:
        return ConflictGroups(np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.int64))
    width = int(sizes.max())
    offset = np.arange(width)
    at = first[:, None] + offset
    valid = offset < sizes[:, None]
    jobs = np.where(valid, cols[np.minimum(at, key.size - 1)], -1)
    return ConflictGroups(rows[first], jobs)


def observe(state: BatchState) -> Observation:
    """The observation of every episode of ``state`` (finished episodes give an all-illegal mask)."""
    b, j = state.batch, state.shop.num_jobs
    episodes, jobs = np.repeat(np.arange(b), j), np.tile(np.arange(j), b)
    win = job_windows(state, episodes, jobs)
    return Observation(
        win.features.reshape(b, j, WINDOW, 4),
        win.token.reshape(b, j, WINDOW),
        win.index.reshape(b, j, WINDOW),
        win.padding.reshape(b, j, WINDOW),
        job_waits(state),
        conflicts(state),
        state.action_mask(),
    )
