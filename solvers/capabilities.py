"""The capability matrix: which IR construct each backend and MIP formulation supports.

:func:`features` lists the constructs a problem uses; :data:`MATRIX` says, for
every construct, which compilers handle it. A compiler calls :func:`require`
before building anything, so an unsupported construct is refused with a
message naming it (and the backends that do support it), never discovered
half-way through a solve. The README's matrix is generated from
:data:`MATRIX` by :func:`matrix_markdown` and a test keeps the two equal.

Columns: ``cpsat``, and the MIP formulations ``time_indexed``,
``disjunctive``, ``positional``, ``assignment`` and ``modulo``. The ``mip``
backend supports a problem when one of its formulations does; the ``lp``
backend relaxes the same formulations, so its column equals ``mip``'s.

Terms whose MIP encoding is a one-sided linearisation (a maximum bounded
from below, a tardiness variable bounded from below) are only exact when the
level pushes them down; a term pushed up (maximised makespan, say) is the
separate construct ``term.<kind>:reversed``.
"""

from __future__ import annotations

from schedkit.models import PrecedenceType, ProblemData, ResourceKind, Sense, TermKind
from schedkit.solvers.structure import timed_tasks

COLUMNS: tuple[str, ...] = ("cpsat", "time_indexed", "disjunctive", "positional", "assignment", "modulo")
"""The compilers of the matrix: CP-SAT and the five MIP formulations."""

MIP_FORMULATIONS: tuple[str, ...] = COLUMNS[1:]


class UnsupportedFeature(ValueError):
    """A backend or formulation cannot compile a construct the problem uses."""

    def __init__(self, compiler: str, missing: list[str], hint: str = "") -> None:
        self.compiler = compiler
        self.missing = missing
        described = ", ".join(f"{name} ({DESCRIPTIONS.get(name, name)})" for name in missing)
        message = f"{compiler} does not support: {described}"
        if hint:
            message += f"; {hint}"
        super().__init__(message)


_ALL = set(COLUMNS)
_TIMED_FORMULATIONS = {"cpsat", "time_indexed", "disjunctive", "positional", "modulo"}

MATRIX: dict[str, set[str]] = {
    "resource.unary": _ALL - {"assignment"},
    "resource.renewable": {"cpsat", "time_indexed", "modulo"},
    "resource.consumable": {"cpsat", "time_indexed", "disjunctive", "assignment", "modulo"},
    "resource.bin": _ALL - {"positional"},
    "resource.modulo": {"cpsat", "modulo"},
    "calendar": {"cpsat", "time_indexed", "disjunctive", "modulo"},
    "calendar.consumable": {"cpsat", "time_indexed", "modulo"},
    "reservation_table": {"cpsat", "time_indexed", "modulo"},
    "live_range": {"cpsat"},
    "multi_mode": _ALL - {"positional"},
    "optional_tasks": {"cpsat", "time_indexed", "assignment", "modulo"},
    "timed_tasks": _TIMED_FORMULATIONS,
    "release": _TIMED_FORMULATIONS,
    "deadline": _TIMED_FORMULATIONS,
    "pin": _ALL - {"positional"},
    "precedence.end_to_start": {"cpsat", "time_indexed", "disjunctive", "modulo"},
    "precedence.start_to_start": {"cpsat", "time_indexed", "disjunctive", "modulo"},
    "precedence.end_to_end": {"cpsat", "time_indexed", "disjunctive", "modulo"},
    "precedence.start_to_end": {"cpsat", "time_indexed", "disjunctive", "modulo"},
    "iteration_distance": {"cpsat", "modulo"},
    "transfer_lag": {"cpsat", "time_indexed", "disjunctive", "modulo"},
    "transfer_demand": {"cpsat"},
    "implication": _ALL,
    "selection": _ALL,
    "coverage_group": _ALL,
    "disjunctive_pair": {"cpsat", "time_indexed", "disjunctive", "modulo"},
    "cycle": {"cpsat", "modulo"},
    "lexicographic": _ALL,
    "term.makespan": _TIMED_FORMULATIONS,
    "term.makespan:reversed": {"cpsat"},
    "term.total_weighted_tardiness": _TIMED_FORMULATIONS,
    "term.total_weighted_tardiness:reversed": {"cpsat", "time_indexed", "modulo"},
    "term.total_weighted_completion": _TIMED_FORMULATIONS,
    "term.total_weighted_completion:reversed": {"cpsat", "time_indexed", "disjunctive", "modulo"},
    "term.max_lateness": _TIMED_FORMULATIONS,
    "term.max_lateness:reversed": {"cpsat"},
    "term.weighted_tardy_count": _TIMED_FORMULATIONS,
    "term.weighted_tardy_count:reversed": {"cpsat", "time_indexed", "modulo"},
    "term.present_value": _ALL,
    "term.absent_penalty": _ALL,
    "term.mode_cost": _ALL,
    "term.disruption": _ALL - {"positional"},
    "reference_start": {"cpsat", "time_indexed", "modulo"},
    "term.coverage_reward": _ALL,
    "term.initiation_interval": {"cpsat", "modulo"},
    "term.schedule_length": _TIMED_FORMULATIONS - {"positional"},
    "term.schedule_length:reversed": {"cpsat"},
    "term.locations_used": {"cpsat"},
}
"""Construct -> the compilers that support it."""

DESCRIPTIONS: dict[str, str] = {
    "resource.unary": "unary resources (machines)",
    "resource.renewable": "renewable resources with capacity",
    "resource.consumable": "consumable budgets",
    "resource.bin": "time-free bins (packing)",
    "resource.modulo": "modulo resources (per-cycle capacity)",
    "calendar": "capacity step profiles / downtime on timed resources",
    "calendar.consumable": "budgets released over time",
    "reservation_table": "usages with an offset or length other than the task's",
    "live_range": "usages that last until the value's last reader (Demand.until)",
    "multi_mode": "tasks with several modes",
    "optional_tasks": "optional tasks",
    "timed_tasks": "tasks whose start matters",
    "release": "release times",
    "deadline": "deadlines",
    "pin": "pinned presence, mode or start",
    "precedence.end_to_start": "end-to-start precedences",
    "precedence.start_to_start": "start-to-start precedences",
    "precedence.end_to_end": "end-to-end precedences",
    "precedence.start_to_end": "start-to-end precedences",
    "iteration_distance": "precedences across iterations (distance > 0)",
    "transfer_lag": "transfer lags between locations",
    "transfer_demand": "resources held by a transfer between locations (Precedence.transfer_demands)",
    "implication": "implications",
    "selection": "selections (k of n present)",
    "coverage_group": "coverage groups",
    "disjunctive_pair": "disjunctive pairs",
    "cycle": "an initiation interval (cyclic schedule)",
    "lexicographic": "several objective levels",
    "reference_start": "a reference assignment that fixes a start",
}
for _kind in TermKind:
    DESCRIPTIONS.setdefault(f"term.{_kind.value}", f"objective term {_kind.value}")
    DESCRIPTIONS.setdefault(f"term.{_kind.value}:reversed", f"objective term {_kind.value} pushed upwards")

_PUSHED_DOWN_ONLY = {
    TermKind.MAKESPAN,
    TermKind.TOTAL_WEIGHTED_TARDINESS,
    TermKind.TOTAL_WEIGHTED_COMPLETION,
    TermKind.MAX_LATENESS,
    TermKind.WEIGHTED_TARDY_COUNT,
    TermKind.SCHEDULE_LENGTH,
}
"""Terms whose reversed direction is a separate construct."""


def term_direction(sense: Sense, weight: int) -> int:
    """+1 when the level pushes the term down (minimised with positive weight), -1 when up, 0 for weight 0."""
    if weight == 0:
        return 0
    return (1 if weight > 0 else -1) * (1 if sense == Sense.MINIMIZE else -1)


def features(problem: ProblemData) -> set[str]:
    """The constructs ``problem`` uses (keys of :data:`MATRIX`)."""
    out: set[str] = set()
    p = problem
    for res in p.resources:
        out.add(f"resource.{res.kind.value}")
        if res.calendar:
            out.add("calendar.consumable" if res.kind == ResourceKind.CONSUMABLE else "calendar")
    timed = timed_tasks(p)
    if any(timed):
        out.add("timed_tasks")
    for task in p.tasks:
        if len(task.modes) > 1:
            out.add("multi_mode")
        if task.optional:
            out.add("optional_tasks")
        if task.release > 0:
            out.add("release")
        if task.deadline is not None:
            out.add("deadline")
        if task.pin is not None and (
            task.pin.present is not None or task.pin.mode is not None or task.pin.start is not None
        ):
            out.add("pin")
        if task.reference is not None and task.reference.start is not None:
            out.add("reference_start")
        for mode in task.modes:
            seen: set[int] = set()
            for d in mode.demands:
                if not p.resources[d.resource].kind.is_timed:
                    continue
                if d.offset != 0 or d.usage_length(mode.duration) != mode.duration or d.resource in seen:
                    out.add("reservation_table")
                if d.until:
                    out.add("live_range")
                seen.add(d.resource)
    for prec in p.precedences:
        out.add(f"precedence.{PrecedenceType(prec.type).value}")
        if prec.distance:
            out.add("iteration_distance")
        if prec.transfer_lag:
            out.add("transfer_lag")
        if prec.transfer_demands:
            out.add("transfer_demand")
    if p.implications:
        out.add("implication")
    if p.selections:
        out.add("selection")
    if p.coverage_groups:
        out.add("coverage_group")
    if p.disjunctive_pairs:
        out.add("disjunctive_pair")
    if p.cycle is not None:
        out.add("cycle")
    if len(p.objective.levels) > 1:
        out.add("lexicographic")
    for level in p.objective.levels:
        for term in level.terms:
            direction = term_direction(level.sense, term.weight)
            if direction == 0:
                continue
            reversed_ = direction < 0 and term.kind in _PUSHED_DOWN_ONLY
            out.add(f"term.{term.kind.value}" + (":reversed" if reversed_ else ""))
    return out


def missing(problem: ProblemData, compiler: str, used: set[str] | None = None) -> list[str]:
    """Constructs of ``problem`` that ``compiler`` (a column) does not support, sorted."""
    used = features(problem) if used is None else used
    return sorted(name for name in used if compiler not in MATRIX[name])


def supporting(problem: ProblemData) -> list[str]:
    """The columns that support every construct of ``problem``."""
    used = features(problem)
    return [column for column in COLUMNS if not missing(problem, column, used)]


def require(problem: ProblemData, compiler: str) -> None:
    """Raise :class:`UnsupportedFeature` unless ``compiler`` supports every construct of ``problem``."""
    gaps = missing(problem, compiler)
    if gaps:
        others = [c for c in supporting(problem) if c != compiler]
        hint = f"supported by: {', '.join(others)}" if others else "no compiler supports this combination"
        raise UnsupportedFeature(compiler, gaps, hint)


def matrix_markdown() -> str:
    """The matrix as a Markdown table (the README embeds it)."""
    head = "| construct | cpsat | mip: time-indexed | disjunctive | positional | assignment | modulo |"
    lines = [head, "| --- | " + " | ".join(["---"] * len(COLUMNS)) + " |"]
    for name, columns in MATRIX.items():
        cells = ["yes" if column in columns else "-" for column in COLUMNS]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)
