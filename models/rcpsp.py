"""Resource-constrained project scheduling (RCPSP) and its variants.

``PS | prec | C_max``: activities with durations and per-resource demands, a
precedence network, renewable resources of limited capacity; minimise the
makespan. Variants covered by the same builder:

* multi-mode (MRCPSP): each activity picks one of several modes, which may
  also consume non-renewable resources (budgets over the whole project);
* calendars and downtime: capacity windows per renewable resource (capacity
  0 = downtime); activities are not preempted across them;
* time windows: a release and a deadline per activity;
* generalised precedences: a minimum time lag per arc (negative = maximum lag
  from the other side);
* disjunctive pairs: two activities that may not overlap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from schedkit.models.builder import Model
from schedkit.models.errors import ModelError
from schedkit.models.problem import ProblemData


@dataclass(frozen=True)
class RcpspMode:
    """One way to run an activity.

    ``demands[k]`` is the use of renewable resource k while the activity runs;
    ``consumption[k]`` the amount of non-renewable resource k it uses up.
    """

    duration: int
    demands: tuple[int, ...] = ()
    consumption: tuple[int, ...] = ()


@dataclass(frozen=True)
class Activity:
    """An activity: its modes, its successors (0-based), and an optional window."""

    modes: tuple[RcpspMode, ...]
    successors: tuple[int, ...] = ()
    release: int = 0
    deadline: int | None = None
    name: str | None = None

    @classmethod
    def single(
        cls,
        duration: int,
        demands: Sequence[int] = (),
        successors: Sequence[int] = (),
        release: int = 0,
        deadline: int | None = None,
        name: str | None = None,
    ) -> Activity:
        """An activity with a single mode."""
        return cls((RcpspMode(duration, tuple(demands)),), tuple(successors), release, deadline, name)


@dataclass(frozen=True)
class RcpspCalendar:
    """Capacity windows ``(start, end, capacity)`` of one renewable resource."""

    resource: int
    windows: tuple[tuple[int, int, int], ...] = field(default_factory=tuple)


def rcpsp(
    activities: Sequence[Activity],
    capacities: Sequence[int],
    budgets: Sequence[int] = (),
    *,
    lags: Mapping[tuple[int, int], int] | None = None,
    calendars: Sequence[RcpspCalendar] = (),
    disjunctive_pairs: Sequence[tuple[int, int]] = (),
    name: str = "",
) -> ProblemData:
    """Build an RCPSP (or variant) minimising the makespan.

    Parameters
    ----------
    activities
        The activities, 0-based; successor lists refer to these indices.
    capacities
        Capacity of each renewable resource ``R1..RK``.
    budgets
        Capacity of each non-renewable resource ``N1..NL`` (multi-mode).
    lags
        Minimum end-to-start lag per arc ``(i, j)`` (default 0 for every arc in
        the successor lists); an arc listed here but not as a successor is added.
    calendars
        Capacity windows of renewable resources (downtime = capacity 0).
    disjunctive_pairs
        Pairs of activities that may not overlap.
    name
        Instance name.
    """
    lags = dict(lags or {})
    model = Model(name, family="rcpsp")
    windows = {cal.resource: cal.windows for cal in calendars}
    for k in windows:
        if not 0 <= k < len(capacities):
            raise ModelError(f"calendar of renewable resource {k}", "resource", "no such renewable resource")
    renewable = [
        model.add_resource(f"R{k + 1}", "renewable", cap, windows.get(k, ())) for k, cap in enumerate(capacities)
    ]
    nonrenewable = [model.add_resource(f"N{k + 1}", "consumable", cap) for k, cap in enumerate(budgets)]
    for i, activity in enumerate(activities):
        task = model.add_task(activity.name or f"a{i}", release=activity.release, deadline=activity.deadline)
        for m, mode in enumerate(activity.modes):
            if len(mode.demands) > len(renewable) or len(mode.consumption) > len(nonrenewable):
                raise ModelError(
                    f"activity {i} mode {m}",
                    "demands",
                    f"lists {len(mode.demands)} renewable and {len(mode.consumption)} non-renewable demands for "
                    f"{len(renewable)} and {len(nonrenewable)} resources",
                )
            demands: dict[int | str, int] = {
                renewable[k]: amount for k, amount in enumerate(mode.demands) if amount > 0
            }
            demands.update({nonrenewable[k]: amount for k, amount in enumerate(mode.consumption) if amount > 0})
            model.add_mode(task, mode.duration, demands)
    arcs = {(i, j) for i, activity in enumerate(activities) for j in activity.successors}
    arcs |= set(lags)
    for i, j in sorted(arcs):
        if not (0 <= i < len(activities) and 0 <= j < len(activities)):
            raise ModelError(f"precedence ({i}, {j})", "successors", "refers to an activity that does not exist")
        model.add_precedence(i, j, lag=lags.get((i, j), 0))
    for a, b in disjunctive_pairs:
        model.add_disjunctive_pair(a, b)
    model.minimize("makespan")
    model.meta.update(num_activities=len(activities), multi_mode=any(len(a.modes) > 1 for a in activities))
    return model.freeze()
