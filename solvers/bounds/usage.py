"""How a forced task uses one timed resource, summarised over its allowed modes.

A mode's demands on a unary or renewable resource r are usage pieces: amount a
over ``[S + offset, S + offset + length)`` (pieces of length 0 use nothing).
For a task whose *every* allowed mode has a piece on r with amount >=
``min_amount``, :func:`usage_shape` records (counting only such pieces):

* ``energy`` = min over modes of sum(a * length): the resource-time it uses;
* ``work`` = min over modes of sum(length): its processing time on r;
* ``first`` = min over modes of the smallest offset: usage starts at >= S + first;
* ``last`` = max over modes of the largest offset + length: usage ends by S + last;
* ``slack`` = min over modes of (duration - largest offset + length):
  E >= usage end + slack;
* ``amount`` = the smallest amount of a piece;
* ``covers``: every mode has duration 0 or a piece with offset 0 and length
  >= duration, so the resource is held during the whole of [S, E).

Taking the minimum (maximum) over the modes of each quantity separately is
valid because the task runs in one of them. Tasks with a mode that uses
nothing on r get no shape (None).
"""

from __future__ import annotations

from dataclasses import dataclass

from schedkit.models import ProblemData
from schedkit.solvers.bounds.facts import TaskFacts


def heavy_amount(capacity: int) -> int:
    """Smallest amount of which no two pieces fit at once under ``capacity`` (every piece on a unary resource)."""
    return capacity // 2 + 1


@dataclass(frozen=True)
class UsageShape:
    """One task's use of one resource (see the module docstring)."""

    energy: int
    work: int
    first: int
    last: int
    slack: int
    amount: int
    covers: bool


def usage_shape(
    problem: ProblemData, facts: TaskFacts, task: int, resource: int, min_amount: int = 1
) -> UsageShape | None:
    """The usage of ``task`` on ``resource`` counting pieces of amount >= ``min_amount``, or None."""
    energy = work = first = slack = amount = None
    last = 0
    covers = True
    for m in facts.modes[task]:
        mode = problem.tasks[task].modes[m]
        pieces = [
            (d.offset, d.usage_length(mode.duration), d.amount)
            for d in mode.demands
            if d.resource == resource and d.amount >= min_amount and d.usage_length(mode.duration) > 0
        ]
        if not pieces:
            return None
        mode_energy = sum(length * a for _, length, a in pieces)
        mode_work = sum(length for _, length, _ in pieces)
        mode_first = min(offset for offset, _, _ in pieces)
        mode_last = max(offset + length for offset, length, _ in pieces)
        energy = mode_energy if energy is None else min(energy, mode_energy)
        work = mode_work if work is None else min(work, mode_work)
        first = mode_first if first is None else min(first, mode_first)
        last = max(last, mode_last)
        mode_slack = mode.duration - mode_last
        slack = mode_slack if slack is None else min(slack, mode_slack)
        mode_amount = min(a for _, _, a in pieces)
        amount = mode_amount if amount is None else min(amount, mode_amount)
        if mode.duration > 0 and not any(o == 0 and length >= mode.duration for o, length, _ in pieces):
            covers = False
    if energy is None or work is None or first is None or slack is None or amount is None:
        return None  # no allowed mode
    return UsageShape(energy, work, first, last, slack, amount, covers)


def usage_tail(shape: UsageShape, tail_start: int | None, tail_end: int | None) -> int | None:
    """``q`` with ``C >= usage end + q`` from the task's tails (C >= S + tail_start, C >= E + tail_end)."""
    candidates = []
    if tail_start is not None:
        candidates.append(tail_start - shape.last)
    if tail_end is not None:
        candidates.append(tail_end + shape.slack)
    return max(candidates) if candidates else None
