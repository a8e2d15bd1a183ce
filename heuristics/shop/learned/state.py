"""The dispatching semantics, batched over B independent episodes on one job shop.

This is the environment of Tassel, Gebser & Schekotihin (ICAPS 2023, "An
End-to-End Reinforcement Learning Approach for Job-Shop Scheduling Problems
Based on Constraint Programming"), written over :class:`ShopArrays` with NumPy
so that B rollouts advance together.

State of one episode. Job j has dispatched its first ``pos_j`` operations
(*fixed*, each with a start); its next operation o_j (on machine m_j, of
duration p_j) has the earliest start

    ``lb_j = max(end of job j's last fixed operation, free(m_j), release(o_j), floor)``

where ``free(m)`` is the end of the last fixed operation on machine m and
``floor`` the last No-Op target (see below); ``lb_j = +inf`` once job j is
done. The *current time* is ``t = min_j lb_j``.

Actions, ``J + 1`` of them:

* job j is legal iff ``lb_j = t``: its next operation can start now. Taking it
  fixes o_j at ``S = t``; ``free(m_j)`` becomes ``t + p_j``, every other job
  whose next operation needs ``m_j`` gets ``lb := max(lb, t + p_j)`` (so the
  competitors on that machine stop being legal), and job j's following
  operation gets its own ``lb``;
* No-Op (index J) is legal iff some job has a finite ``lb_j > t``: it raises
  every ``lb`` to ``t' = min {lb_j : lb_j > t}`` (the next distinct earliest
  start) and time jumps there. This is what makes schedules with deliberate
  idle time (active but not non-delay) reachable.

When no job is legal at t any more (all taken or pushed), ``t`` moves on by
itself to the new ``min lb``. An episode ends when every operation is fixed.
Every start is ``>=`` its job predecessor's end, its release and the end of the
previous operation on its machine (operations are only appended to a machine,
at non-decreasing times), so the schedule is feasible by construction; the
tests run the independent checker on it anyway.

Cost of a step: O(B J) array operations, whatever the action.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from schedkit.heuristics.shop.learned.arrays import IntArray, ShopArrays

INF = np.int64(2**62)
"""The earliest start of a finished job (and the time of a finished episode)."""

BoolArray = npt.NDArray[np.bool_]


class BatchState:
    """B dispatching episodes on one job shop, advanced together (see the module docstring).

    Attributes (all NumPy arrays, first axis = episode):
    ``pos (B, J)`` operations fixed per job; ``lb (B, J)`` earliest start of each
    job's next operation (``INF`` when done); ``next_machine (B, J)`` its machine
    (-1 when done); ``job_end (B, J)`` end of each job's last fixed operation;
    ``machine_free (B, M)``; ``starts (B, J, K)`` the fixed starts (-1 while
    unfixed); ``time (B,)`` the current time (``INF`` when the episode is over).
    """

    def __init__(self, shop: ShopArrays, batch: int = 1) -> None:
        self.shop = shop
        self.batch = batch
        self.reset()

    # ------------------------------------------------------------------ state
    def reset(self) -> None:
        """Every episode back to the empty schedule."""
        shop, b = self.shop, self.batch
        j = shop.num_jobs
        self.pos: IntArray = np.zeros((b, j), dtype=np.int64)
        self.job_end: IntArray = np.zeros((b, j), dtype=np.int64)
        self.machine_free: IntArray = np.zeros((b, shop.num_machines), dtype=np.int64)
        self.starts: IntArray = np.full((b, j, shop.max_ops), -1, dtype=np.int64)
        self.lb: IntArray = np.full((b, j), INF, dtype=np.int64)
        self.next_machine: IntArray = np.full((b, j), -1, dtype=np.int64)
        has_ops = shop.num_ops > 0
        if shop.max_ops:
            self.lb[:, has_ops] = shop.release[has_ops, 0]
            self.next_machine[:, has_ops] = shop.machine[has_ops, 0]
        self.time: IntArray = self.lb.min(axis=1) if j else np.full(b, INF, dtype=np.int64)
        self.steps: IntArray = np.zeros(b, dtype=np.int64)

    def copy(self) -> BatchState:
        """An independent copy (same shop)."""
        other = BatchState.__new__(BatchState)
        other.shop, other.batch = self.shop, self.batch
        for name in ("pos", "job_end", "machine_free", "starts", "lb", "next_machine", "time", "steps"):
            setattr(other, name, getattr(self, name).copy())
        return other

    def select(self, episodes: IntArray) -> BatchState:
        """A new batch made of copies of the given episodes (indices may repeat)."""
        other = BatchState.__new__(BatchState)
        other.shop, other.batch = self.shop, len(episodes)
        for name in ("pos", "job_end", "machine_free", "starts", "lb", "next_machine", "time", "steps"):
            setattr(other, name, getattr(self, name)[episodes].copy())
        return other

    @property
    def done(self) -> BoolArray:
        """``(B,)``: every operation of the episode is fixed."""
        return self.time >= INF

    # ---------------------------------------------------------------- actions
    @property
    def num_actions(self) -> int:
        """``J + 1``: one per job, then No-Op."""
        return self.shop.num_jobs + 1

    def legal_jobs(self) -> BoolArray:
        """``(B, J)``: job j's next operation can start at the current time."""
        return (self.lb == self.time[:, None]) & (self.lb < INF)

    def noop_target(self) -> IntArray:
        """``(B,)``: the next distinct earliest start after the current time (``INF``: none, No-Op illegal)."""
        later = np.where(self.lb > self.time[:, None], self.lb, INF)
        return later.min(axis=1) if self.shop.num_jobs else np.full(self.batch, INF, dtype=np.int64)

    def action_mask(self) -> BoolArray:
        """``(B, J + 1)``: legal actions, No-Op last (all False once an episode is done)."""
        mask = np.zeros((self.batch, self.num_actions), dtype=bool)
        mask[:, :-1] = self.legal_jobs()
        mask[:, -1] = self.noop_target() < INF
        return mask

    def step(self, actions: IntArray) -> None:
        """Apply one action per episode (``actions[b]`` in ``0..J``; ignored for finished episodes).

        Raises ``ValueError`` when an unfinished episode gets an illegal action.
        """
        actions = np.asarray(actions, dtype=np.int64)
        mask = self.action_mask()
        live = ~self.done
        rows = np.nonzero(live)[0]
        chosen = actions[rows]
        if np.any((chosen < 0) | (chosen > self.shop.num_jobs)) or not mask[rows, chosen].all():
            bad = rows[~mask[rows, np.clip(chosen, 0, self.shop.num_jobs)]]
            raise ValueError(
                f"illegal action {int(actions[bad[0]])} in episode {int(bad[0])} at time {self.time[bad[0]]}"
            )
        is_noop = chosen == self.shop.num_jobs
        self._noop(rows[is_noop])
        self._dispatch(rows[~is_noop], chosen[~is_noop])
        self.steps[rows] += 1

    def _noop(self, rows: IntArray) -> None:
        if rows.size == 0:
            return
        target = self.noop_target()[rows]
        self.lb[rows] = np.maximum(self.lb[rows], target[:, None])
        self.time[rows] = self.lb[rows].min(axis=1)

    def _dispatch(self, rows: IntArray, jobs: IntArray) -> None:
        if rows.size == 0:
            return
        shop = self.shop
        k = self.pos[rows, jobs]
        machine = shop.machine[jobs, k]
        start = self.time[rows]
        end = start + shop.duration[jobs, k]
        self.starts[rows, jobs, k] = start
        self.job_end[rows, jobs] = end
        self.machine_free[rows, machine] = end
        # every job waiting for this machine now waits until it is free
        needs = self.next_machine[rows] == machine[:, None]
        self.lb[rows] = np.where(needs, np.maximum(self.lb[rows], end[:, None]), self.lb[rows])
        k = k + 1
        self.pos[rows, jobs] = k
        more = k < shop.num_ops[jobs]
        kk = np.where(more, k, 0)
        nxt = shop.machine[jobs, kk]
        lb = np.maximum(np.maximum(end, shop.release[jobs, kk]), self.machine_free[rows, nxt])
        self.lb[rows, jobs] = np.where(more, lb, INF)
        self.next_machine[rows, jobs] = np.where(more, nxt, -1)
        self.time[rows] = self.lb[rows].min(axis=1)

    # ---------------------------------------------------------------- results
    def task_starts(self, episode: int = 0) -> list[int]:
        """The start of every task of the problem (task order) for a finished episode."""
        shop = self.shop
        out = [0] * shop.num_tasks
        real = shop.task >= 0
        for task, start in zip(shop.task[real].tolist(), self.starts[episode][real].tolist()):
            out[task] = start
        return out

    def makespan(self) -> IntArray:
        """``(B,)``: the latest end of a fixed operation (the makespan once the episode is done)."""
        return self.job_end.max(axis=1) if self.shop.num_jobs else np.zeros(self.batch, dtype=np.int64)
