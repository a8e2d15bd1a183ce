"""Per-task facts every feasible solution satisfies: forced presence, allowed modes, time windows.

* **Presence.** A task is *forced* present when it is mandatory or pinned
  present, and *excluded* when pinned absent. Two propagation rules add more,
  each valid for every feasible solution: an implication ``a => any of B``
  with ``a`` forced and only one member of B not excluded forces that member;
  a selection whose ``min_present`` equals its number of non-excluded members
  forces them all, and one whose ``max_present`` equals its number of forced
  members excludes the rest; an implication whose consequents are all
  excluded excludes ``a``. (If a rule would exclude a forced task, the
  problem is infeasible and nothing is claimed.) Everything else is
  *optional*: it may or may not be present.
* **Modes.** A pinned mode is the only allowed one; ``dmin``/``dmax`` are the
  shortest/longest allowed durations.
* **Windows.** ``earliest[i]`` = max(release, pinned start) is a lower bound
  on the start (starts are >= 0 anyway); ``latest_end[i]`` = the smallest of
  the deadline, the user's horizon and pinned start + dmax, or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from schedkit.models import ProblemData


@dataclass(frozen=True)
class TaskFacts:
    """What every feasible solution satisfies, task by task (see the module docstring)."""

    forced: tuple[bool, ...]
    excluded: tuple[bool, ...]
    modes: tuple[tuple[int, ...], ...]
    dmin: tuple[int, ...]
    dmax: tuple[int, ...]
    earliest: tuple[int, ...]
    latest_end: tuple[int | None, ...]
    consistent: bool
    """False when presence propagation found a contradiction (the problem is infeasible)."""

    @property
    def possible(self) -> tuple[bool, ...]:
        """Tasks that may be present (not excluded)."""
        return tuple(not e for e in self.excluded)

    def lb_end(self, index: int) -> int:
        """A lower bound on the end of task ``index`` when present: earliest start + dmin."""
        return self.earliest[index] + self.dmin[index]


def _presence(problem: ProblemData) -> tuple[list[bool], list[bool], bool]:
    """Forced and excluded flags after propagation, and whether they are consistent."""
    n = problem.num_tasks
    forced = [False] * n
    excluded = [False] * n
    for i, task in enumerate(problem.tasks):
        pin = task.pin
        if not task.optional or (pin is not None and pin.present is True):
            forced[i] = True
        elif pin is not None and pin.present is False:
            excluded[i] = True
    changed = True
    while changed:
        changed = False
        for imp in problem.implications:
            open_ = [k for k in imp.then_any if not excluded[k]]
            if not open_ and not excluded[imp.a]:
                if forced[imp.a]:
                    return forced, excluded, False
                excluded[imp.a] = changed = True
            if forced[imp.a] and len(open_) == 1 and not forced[open_[0]]:
                forced[open_[0]] = changed = True
        for sel in problem.selections:
            open_ = [k for k in sel.tasks if not excluded[k]]
            if sel.min_present > len(open_):
                return forced, excluded, False
            if sel.min_present == len(open_):
                for k in open_:
                    if not forced[k]:
                        forced[k] = changed = True
            if sel.max_present is not None:
                count = sum(1 for k in sel.tasks if forced[k])
                if count > sel.max_present:
                    return forced, excluded, False
                if count == sel.max_present:
                    for k in open_:
                        if not forced[k]:
                            excluded[k] = changed = True
    return forced, excluded, True


@lru_cache(maxsize=16)
def task_facts(problem: ProblemData) -> TaskFacts:
    """The :class:`TaskFacts` of ``problem`` (cached on the problem)."""
    forced, excluded, consistent = _presence(problem)
    modes: list[tuple[int, ...]] = []
    dmin: list[int] = []
    dmax: list[int] = []
    earliest: list[int] = []
    latest_end: list[int | None] = []
    for task in problem.tasks:
        pin = task.pin
        allowed = (pin.mode,) if pin is not None and pin.mode is not None else tuple(range(len(task.modes)))
        durations = [task.modes[m].duration for m in allowed]
        modes.append(allowed)
        dmin.append(min(durations))
        dmax.append(max(durations))
        start = task.release
        ends = [task.deadline, problem.horizon]
        if pin is not None and pin.start is not None:
            start = max(start, pin.start)
            ends.append(pin.start + max(durations))
        earliest.append(start)
        known = [e for e in ends if e is not None]
        latest_end.append(min(known) if known else None)
    return TaskFacts(
        forced=tuple(forced),
        excluded=tuple(excluded),
        modes=tuple(modes),
        dmin=tuple(dmin),
        dmax=tuple(dmax),
        earliest=tuple(earliest),
        latest_end=tuple(latest_end),
        consistent=consistent,
    )
