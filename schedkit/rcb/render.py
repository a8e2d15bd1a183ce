"""Write an instance as the natural-language prompt a model gets.

The prompt is templated, field-like text (the benchmark's instances are
described as "structured, field-like descriptions"): what a schedule is, the
tasks with durations and resource use, the resources with capacities and
unavailability, then one section per constraint kind present, and the
answer format the parser reads (``task: start`` lines). The synthetic ramp
uses neutral words (tasks, resources); the migration variant
(``meta["rcb"]["domain"] == "migration"``) the words of its domain (servers,
syncs and moves, the link in Gbps, crews, racks, maintenance and change
windows, replicas). Both state the same constraints with the same numbers,
so one parser and one grader serve both.

Semantics stated in every prompt: integer start times >= 0; a task occupies
``[start, start + duration)``; a precedence ``a -> b`` means b starts no
earlier than a ends; capacity holds at every time; a resource is unavailable
(capacity 0) during ``[from, to)``; a window means start >= release and
start + duration <= deadline; two tasks of a disjunctive pair do not overlap.
"""

from __future__ import annotations

from schedkit.models import ProblemData

__all__ = ["ANSWER_FORMAT", "render_prompt"]

ANSWER_FORMAT = (
    "Answer with one line per task, giving its name and its integer start time, in this form:\n"
    "{example}\n"
    "List every task exactly once. You may explain your reasoning first, but end with the complete list."
)


def _uses(problem: ProblemData, index: int, unit: dict[str, str] | None = None) -> str:
    mode = problem.tasks[index].modes[0]
    parts = []
    for demand in mode.demands:
        name = problem.resources[demand.resource].name
        parts.append(f"{demand.amount} {unit[name]}" if unit and name in unit else f"{name} x{demand.amount}")
    return ", ".join(parts) if parts else "no resource"


def _example(problem: ProblemData) -> str:
    names = [task.name for task in problem.tasks[:2]] or ["task"]
    return "\n".join(f"{name}: <start of {name}>" for name in names) + "\n..."


def _downtime(problem: ProblemData) -> list[str]:
    out = []
    for res in problem.resources:
        for window in res.calendar:
            what = "unavailable (capacity 0)" if window.capacity == 0 else f"limited to capacity {window.capacity}"
            out.append(f"- {res.name}: {what} during [{window.start}, {window.end})")
    return out


def _windows(problem: ProblemData) -> list[str]:
    out = []
    for task in problem.tasks:
        if task.release > 0 or task.deadline is not None:
            parts = [f"start >= {task.release}"] if task.release > 0 else []
            if task.deadline is not None:
                parts.append(f"start + duration <= {task.deadline}")
            out.append(f"- {task.name}: {', '.join(parts)}")
    return out


def _synthetic(problem: ProblemData) -> str:
    tasks = problem.tasks
    lines = [
        "Scheduling problem (feasibility). Find an integer start time >= 0 for every task so that every "
        "constraint below holds. There is nothing to optimise: any schedule that satisfies all constraints "
        "is a correct answer. A task runs without interruption over [start, start + duration).",
        "",
        f"Tasks ({len(tasks)}): name: duration; resources used while it runs",
    ]
    lines += [
        f"- {task.name}: duration {task.modes[0].duration}; uses {_uses(problem, i)}" for i, task in enumerate(tasks)
    ]
    lines += [
        "",
        "Resources: at every time, the total use of a resource by the running tasks may not exceed its capacity",
    ]
    lines += [f"- {res.name}: capacity {res.capacity}" for res in problem.resources]
    downtime = _downtime(problem)
    if downtime:
        lines += ["", "Resource downtime: during these intervals the resource offers only the capacity given"]
        lines += downtime
    if problem.precedences:
        lines += ["", "Precedence constraints: 'a -> b' means b may not start before a has finished"]
        lines += [f"- {tasks[p.a].name} -> {tasks[p.b].name}" for p in problem.precedences]
    windows = _windows(problem)
    if windows:
        lines += ["", "Time windows: each task listed must start and finish within its window"]
        lines += windows
    if problem.disjunctive_pairs:
        lines += ["", "Disjunctive constraints: the two tasks of each pair may not run at the same time"]
        lines += [f"- {tasks[d.a].name} and {tasks[d.b].name}" for d in problem.disjunctive_pairs]
    lines += ["", ANSWER_FORMAT.format(example=_example(problem))]
    return "\n".join(lines)


def _migration(problem: ProblemData) -> str:
    tasks = problem.tasks
    meta = problem.meta
    servers = meta.get("servers", [])
    racks = [res for res in problem.resources if res.name.startswith("rack_")]
    names = {res.name: res for res in problem.resources}
    unit = {"network": "Gbps of the link", "crew": "crew"} | {res.name: f"install slot of {res.name}" for res in racks}
    lines = [
        "Data-centre migration plan (feasibility). Servers move from the old hall to racks in the new hall. "
        "For each server, 'sync_<server>' copies its data over the inter-site link and 'move_<server>' powers it "
        "down, moves it and boots it in its target rack; the sync must finish before the move starts. Time is in "
        "whole hours from the start of the migration. Find an integer start hour >= 0 for every task so that every "
        "rule below holds; any plan that satisfies all rules is a correct answer. A task runs without interruption "
        "over [start, start + duration).",
        "",
        f"Servers ({len(servers)}), their tier and target rack:",
    ]
    for server, tier, rack in zip(servers, meta.get("tiers", []), meta.get("target_racks", [])):
        lines.append(f"- {server}: {tier} server, goes to {rack}")
    lines += ["", f"Tasks ({len(tasks)}): name: duration in hours; what it uses while it runs"]
    lines += [
        f"- {task.name}: {task.modes[0].duration} h; uses {_uses(problem, i, unit)}" for i, task in enumerate(tasks)
    ]
    lines += ["", "Shared resources: their capacity may never be exceeded"]
    if "network" in names:
        lines.append(f"- the inter-site link carries at most {names['network'].capacity} Gbps at a time")
    if "crew" in names:
        lines.append(f"- {names['crew'].capacity} technician crews; each move needs one crew")
    lines += [f"- {res.name} can take {res.capacity} install(s) at a time" for res in racks]
    maintenance = [
        f"- {'the link' if res.name == 'network' else res.name} is under maintenance (unusable) during hours "
        f"[{window.start}, {window.end})"
        for res in problem.resources
        for window in res.calendar
    ]
    if maintenance:
        lines += ["", "Maintenance windows: nothing may use these resources during these hours"]
        lines += maintenance
    dependencies = [
        p for p in problem.precedences if tasks[p.a].name.split("_", 1)[1] != tasks[p.b].name.split("_", 1)[1]
    ]
    if dependencies:
        lines += ["", "Dependencies: 'a -> b' means b may not start before a has finished"]
        lines += [f"- {tasks[p.a].name} -> {tasks[p.b].name}" for p in dependencies]
    windows = _windows(problem)
    if windows:
        lines += ["", "Approved change windows: these tasks must start and finish within their window"]
        lines += windows
    if problem.disjunctive_pairs:
        lines += ["", "Replicas: these moves may not overlap in time (one replica must stay up)"]
        lines += [f"- {tasks[d.a].name} and {tasks[d.b].name}" for d in problem.disjunctive_pairs]
    lines += ["", ANSWER_FORMAT.format(example=_example(problem))]
    return "\n".join(lines)


def render_prompt(problem: ProblemData) -> str:
    """The prompt text of ``problem`` (the migration wording when its meta says so)."""
    domain = problem.meta.get("rcb", {}).get("domain", "synthetic")
    return _migration(problem) if domain == "migration" else _synthetic(problem)
