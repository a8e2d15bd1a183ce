"""Grade an answer: parse it, check it with the independent checker, count violations by category.

An answer is *feasible* when it parses and ``schedkit.solvers.check`` finds
no violation (every task present, every constraint held). Otherwise each
checker violation is mapped to one of :data:`CATEGORIES`:

``precedence``   checker kind ``precedence``;
``capacity``     kind ``capacity`` where the load exceeds the resource's
                 *base* capacity (the usage would be too high at any time);
``downtime``     kind ``capacity`` where the load fits the base capacity but
                 not the reduced capacity of a calendar window, i.e. the
                 violation exists only because of the downtime: with
                 ``L(t)`` the summed demand of the tasks the checker names at
                 time t, base capacity ``C`` and calendar capacity ``c(t) < C``,
                 ``c(t) < L(t) <= C``;
``window``       kinds ``release`` and ``deadline`` (a negative start is
                 counted once, as the release violation the checker reports
                 with it: releases are >= 0; its ``structure`` report is skipped);
``disjunctive``  kind ``disjunctive``;
``missing``      a task the answer does not schedule (one per task);
``other``        anything else (not expected on these instances).

An answer that cannot be parsed is infeasible with ``parsed = False`` and the
parser's reason; it has no violation counts. The counts are numbers of
checker reports: the checker reports one capacity violation per conflict, so
a schedule badly over capacity counts several times.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from schedkit.models import ProblemData, Solution
from schedkit.rcb.parse import ParsedSchedule, ParseError, parse_schedule
from schedkit.solvers import Violation, check

__all__ = ["CATEGORIES", "Grade", "categorise", "grade_answer", "grade_solution"]

CATEGORIES: tuple[str, ...] = ("precedence", "capacity", "downtime", "window", "disjunctive", "missing", "other")
"""The violation categories, in report order."""


@dataclass
class Grade:
    """The verdict on one answer (see the module docstring)."""

    instance: str
    level: int
    feasible: bool
    parsed: bool
    counts: dict[str, int] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    format: str = ""
    axes: dict[str, bool] = field(default_factory=dict)
    domain: str = "synthetic"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "instance": self.instance,
            "level": self.level,
            "domain": self.domain,
            "axes": self.axes,
            "feasible": self.feasible,
            "parsed": self.parsed,
            "format": self.format,
            "counts": self.counts,
            "violations": self.violations,
            "reason": self.reason,
            "warnings": self.warnings,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Grade:
        """The inverse of :meth:`to_dict`."""
        return cls(
            instance=str(data["instance"]),
            level=int(data["level"]),
            feasible=bool(data["feasible"]),
            parsed=bool(data["parsed"]),
            counts={str(k): int(v) for k, v in data.get("counts", {}).items()},
            violations=list(data.get("violations", [])),
            reason=str(data.get("reason", "")),
            warnings=list(data.get("warnings", [])),
            format=str(data.get("format", "")),
            axes={str(k): bool(v) for k, v in data.get("axes", {}).items()},
            domain=str(data.get("domain", "synthetic")),
        )


def _load(problem: ProblemData, solution: Solution, violation: Violation) -> int | None:
    """Summed demand on the violation's resource of the tasks it names (None when that cannot be read)."""
    if violation.resource is None:
        return None
    resource = problem.resource_index.get(violation.resource)
    index = problem.task_index
    total = 0
    for name in violation.tasks:
        i = index.get(name)
        if i is None:
            return None
        mode = solution.tasks[i].mode or 0
        total += sum(d.amount for d in problem.tasks[i].modes[mode].demands if d.resource == resource)
    return total


def categorise(problem: ProblemData, solution: Solution, violations: list[Violation]) -> Counter[str]:
    """Counts of ``violations`` (of ``solution``) per category (see the module docstring)."""
    counts: Counter[str] = Counter()
    for violation in violations:
        kind = violation.kind
        if kind == "precedence" or kind == "disjunctive":
            counts[kind] += 1
        elif kind in ("release", "deadline"):
            counts["window"] += 1
        elif kind == "capacity":
            load = _load(problem, solution, violation)
            resource = problem.resource_index.get(violation.resource or "")
            base = problem.resources[resource].capacity if resource is not None else None
            if load is not None and base is not None and load <= base:
                counts["downtime"] += 1
            else:
                counts["capacity"] += 1
        elif kind == "structure" and "is absent" in violation.message:
            counts["missing"] += 1
        elif kind == "structure" and "negative start" in violation.message:
            continue  # the checker also reports it as a release violation
        else:
            counts["other"] += 1
    return counts


def _meta(problem: ProblemData) -> tuple[int, dict[str, bool], str]:
    rcb = problem.meta.get("rcb", {})
    return int(rcb.get("level", 0)), dict(rcb.get("axes", {})), str(rcb.get("domain", "synthetic"))


def grade_solution(problem: ProblemData, solution: Solution, parsed: ParsedSchedule | None = None) -> Grade:
    """The grade of a ``Solution`` (absent tasks count as missing)."""
    level, axes, domain = _meta(problem)
    violations = check(problem, solution)
    counts = categorise(problem, solution, violations)
    return Grade(
        instance=problem.name,
        level=level,
        feasible=not violations,
        parsed=True,
        counts={category: counts[category] for category in CATEGORIES if counts[category]},
        violations=[str(v) for v in violations],
        warnings=[] if parsed is None else parsed.warnings,
        format="" if parsed is None else parsed.format,
        axes=axes,
        domain=domain,
    )


def grade_answer(problem: ProblemData, answer: str) -> Grade:
    """Parse ``answer`` (a model's free text) and grade the schedule in it."""
    try:
        parsed = parse_schedule(answer, problem)
    except ParseError as error:
        level, axes, domain = _meta(problem)
        return Grade(problem.name, level, False, False, reason=str(error), axes=axes, domain=domain)
    n = problem.num_tasks
    solution = Solution.from_lists(
        [parsed.starts.get(i, 0) for i in range(n)], [0] * n, [i in parsed.starts for i in range(n)]
    )
    return grade_solution(problem, solution, parsed)
