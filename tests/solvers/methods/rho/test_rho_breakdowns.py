"""L-RHO's machine-breakdown variant as calendars: the generator's events and RHO schedules that respect them."""

from __future__ import annotations

from schedkit.instances.generators.fjsp import breakdown_events, sd2_fjsp, sd2_fjsp_breakdowns
from schedkit.solvers import check, solve


def test_breakdown_events_follow_the_low_level() -> None:
    events = breakdown_events(10, 20_000, seed=3, level="low")
    assert 50 <= events[0][0] <= 150
    for (_, end, _), (start, _, _) in zip(events, events[1:]):
        assert 400 <= start - end <= 600
    for start, end, machines in events:
        assert end - start == 100 and len(machines) == 2 == len(set(machines))
    assert events[-1][1] >= 20_000 > events[-2][1]


def test_the_breakdown_instance_is_the_static_one_with_downtime_calendars() -> None:
    base = sd2_fjsp(4, 10, 6, seed=5)
    problem = sd2_fjsp_breakdowns(4, 10, 6, seed=5)
    assert [t.modes for t in problem.tasks] == [t.modes for t in base.tasks]
    windows = {(w.start, w.end, r) for r, res in enumerate(problem.resources) for w in res.calendar}
    expected = {(s, e, m) for s, e, machines in problem.meta["breakdowns"] for m in machines}
    assert windows == expected and all(w.capacity == 0 for res in problem.resources for w in res.calendar)


def test_rho_schedules_respect_the_breakdowns() -> None:
    problem = sd2_fjsp_breakdowns(6, 10, 8, seed=2)
    result = solve(
        problem, method="rho", strategy="all", threads=1, window=12, commit=5, window_time_limit=0.5, early_stop=0.2
    )
    assert result.ok and check(problem, result.solution) == []
    down = {r: [(w.start, w.end) for w in res.calendar] for r, res in enumerate(problem.resources)}
    for i, a in enumerate(result.solution.tasks):  # an independent look: no operation overlaps its machine's downtime
        mode = problem.tasks[i].modes[a.mode]
        machine = mode.demands[0].resource
        end = a.start + mode.duration
        assert all(end <= s or e <= a.start for s, e in down[machine])
    assert problem.meta["breakdowns"][0][0] < result.objective  # the breakdowns fall inside the schedule
