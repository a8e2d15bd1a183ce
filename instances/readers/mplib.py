"""Reader of the MPLIB multi-project RCPSP format (``.rcmp``; OR&S Ghent, read by PyJobShop).

Format (Van Eynde & Vanhoucke's MPLIB1/MPLIB2 sets): whitespace separated,
blank lines ignored.

1. the number of projects P;
2. the number of (global, renewable) resources K;
3. the K capacities;
4. per project: a line ``num_activities release_date [due_date]``; a line
   of K flags (1 = the project uses the resource; informative: the demands
   say it); then one line per activity ``duration demand_1 .. demand_K
   num_succ succ ...`` whose successors are written ``project:activity``
   (both 1-based), so arcs between projects are expressible. Each project
   includes its own dummy start and end activities.

Activities become tasks named as in the file (``1:1``, ``1:2``, ...), with
the project's release date, one mode over the renewables ``R1 .. RK`` and an
end-to-start precedence per arc; built with :func:`schedkit.models.rcpsp.rcpsp`.
The objective is the makespan of the whole portfolio. ``meta`` records the
``projects`` (task indices per project), their ``release_dates`` and
``due_dates`` (None when the file gives none), and the project's end activity
carries the due date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from schedkit.instances._text import Line, count_error, data_lines, parse_int
from schedkit.instances.errors import FormatError
from schedkit.instances.readers._graph import find_cycle
from schedkit.models import ProblemData
from schedkit.models.rcpsp import Activity, rcpsp

_SUCCESSOR = re.compile(r"([0-9]+):([0-9]+)")


@dataclass(frozen=True)
class MplibProject:
    """One project: its release and due date and its activities' (duration, demands, successor names)."""

    release: int
    due_date: int | None
    activities: tuple[tuple[int, tuple[int, ...], tuple[tuple[int, int], ...]], ...]


@dataclass(frozen=True)
class MplibData:
    """A parsed MPLIB instance."""

    capacities: tuple[int, ...]
    projects: tuple[MplibProject, ...]


def _single(lines: list[Line], at: int, what: str, source: str) -> int:
    if at >= len(lines):
        last = lines[-1].number if lines else 1
        raise FormatError(source, f"file ends early: expected {what}", last)
    line = lines[at]
    if len(line.tokens) != 1:
        raise count_error(source, line.number, f"1 integer ({what})", len(line.tokens))
    return parse_int(line.tokens[0], source, line.number, what, minimum=0)


def _activity(
    line: Line, project: int, index: int, k: int, source: str
) -> tuple[int, tuple[int, ...], tuple[tuple[int, int], ...]]:
    tokens = line.tokens
    where = f"activity {project}:{index}"
    if len(tokens) < k + 2:
        raise count_error(
            source, line.number, f"at least {k + 2} entries (duration, {k} demands, successor count)", len(tokens)
        )
    duration = parse_int(tokens[0], source, line.number, f"duration of {where}", minimum=0)
    demands = tuple(parse_int(t, source, line.number, f"demand of {where}", minimum=0) for t in tokens[1 : k + 1])
    count = parse_int(tokens[k + 1], source, line.number, f"number of successors of {where}", minimum=0)
    names = tokens[k + 2 :]
    if len(names) != count:
        raise count_error(source, line.number, f"{count} successors of {where}", len(names))
    successors = []
    for name in names:
        match = _SUCCESSOR.fullmatch(name)
        if match is None:
            raise FormatError(source, f"{where}: expected a successor 'project:activity', found {name!r}", line.number)
        project_of = parse_int(match.group(1), source, line.number, f"project of a successor of {where}")
        activity_of = parse_int(match.group(2), source, line.number, f"activity of a successor of {where}")
        successors.append((project_of, activity_of))
    return duration, demands, tuple(successors)


def parse(text: str, source: str) -> MplibData:
    """Parse the ``.rcmp`` text (see the module docstring)."""
    lines = data_lines(text)
    if not lines:
        raise FormatError(source, "no data: expected the number of projects", 1)
    num_projects = _single(lines, 0, "number of projects", source)
    k = _single(lines, 1, "number of resources", source)
    if len(lines) < 3:
        raise FormatError(source, f"file ends early: expected {k} capacities", lines[-1].number)
    caps = lines[2]
    if len(caps.tokens) != k:
        raise count_error(source, caps.number, f"{k} capacities", len(caps.tokens))
    capacities = tuple(parse_int(t, source, caps.number, "capacity", minimum=0) for t in caps.tokens)
    at = 3
    projects = []
    activity_lines: list[int] = []
    for p in range(1, num_projects + 1):  # every count is checked against the lines that remain
        if at >= len(lines):
            raise FormatError(source, f"file ends early: expected project {p} of {num_projects}", lines[-1].number)
        head = lines[at]
        if len(head.tokens) not in (2, 3):
            raise count_error(
                source, head.number, f"2 or 3 integers for project {p} 'activities release [due]'", len(head.tokens)
            )
        count = parse_int(head.tokens[0], source, head.number, f"number of activities of project {p}", minimum=1)
        release = parse_int(head.tokens[1], source, head.number, f"release date of project {p}", minimum=0)
        due = (
            parse_int(head.tokens[2], source, head.number, f"due date of project {p}")
            if len(head.tokens) == 3
            else None
        )
        if at + 2 + count > len(lines):
            raise FormatError(
                source,
                f"project {p} declares {count} activities but the file ends after {len(lines) - at - 2}",
                head.number,
            )
        flags = lines[at + 1]
        if len(flags.tokens) != k:
            raise count_error(source, flags.number, f"{k} resource flags of project {p}", len(flags.tokens))
        for token in flags.tokens:
            parse_int(token, source, flags.number, f"resource flag of project {p}", minimum=0)
        activities = tuple(_activity(lines[at + 2 + a], p, a + 1, k, source) for a in range(count))
        activity_lines.extend(lines[at + 2 + a].number for a in range(count))
        projects.append(MplibProject(release, due, activities))
        at += 2 + count
    if at < len(lines):
        raise FormatError(source, f"unexpected extra data after the {num_projects} projects", lines[at].number)
    data = MplibData(capacities, tuple(projects))
    _check(data, activity_lines, source)
    return data


def _check(data: MplibData, activity_lines: list[int], source: str) -> None:
    """Successors name existing activities, demands fit the capacities, the arcs form no cycle."""
    offsets = []
    total = 0
    for project in data.projects:
        offsets.append(total)
        total += len(project.activities)
    successors: list[list[int]] = []
    for p, project in enumerate(data.projects, start=1):
        for a, (_, demands, succ) in enumerate(project.activities, start=1):
            line = activity_lines[offsets[p - 1] + a - 1]
            for r, amount in enumerate(demands):
                if amount > data.capacities[r]:
                    raise FormatError(
                        source,
                        f"activity {p}:{a} demands {amount} of resource {r + 1}, "
                        f"whose capacity is {data.capacities[r]}",
                        line,
                    )
            row = []
            for q, b in succ:
                if not (1 <= q <= len(data.projects) and 1 <= b <= len(data.projects[q - 1].activities)):
                    raise FormatError(source, f"activity {p}:{a}: successor {q}:{b} does not exist", line)
                row.append(offsets[q - 1] + b - 1)
            successors.append(row)
    cycle = find_cycle(successors)
    if cycle is not None:
        names = {
            offsets[p] + a: f"{p + 1}:{a + 1}"
            for p, project in enumerate(data.projects)
            for a in range(len(project.activities))
        }
        raise FormatError(
            source,
            "the successor lists contain a cycle: activities " + " -> ".join(names[v] for v in cycle),
            activity_lines[cycle[0]],
        )


def build(data: MplibData, name: str) -> ProblemData:
    """The multi-project RCPSP as a ``ProblemData`` (see the module docstring)."""
    offsets = []
    total = 0
    for project in data.projects:
        offsets.append(total)
        total += len(project.activities)
    activities = []
    for p, project in enumerate(data.projects):
        for a, (duration, demands, succ) in enumerate(project.activities):
            successors = [offsets[q - 1] + b - 1 for q, b in succ]
            activities.append(
                Activity.single(duration, demands, successors, release=project.release, name=f"{p + 1}:{a + 1}")
            )
    problem = rcpsp(activities, data.capacities, name=name)
    projects = [
        list(range(offsets[p], offsets[p] + len(project.activities))) for p, project in enumerate(data.projects)
    ]
    tasks = list(problem.tasks)
    for project, members in zip(data.projects, projects):
        if project.due_date is not None:
            tasks[members[-1]] = replace(tasks[members[-1]], due_date=project.due_date)
    meta = dict(problem.meta)
    meta.update(
        projects=projects,
        release_dates=[project.release for project in data.projects],
        due_dates=[project.due_date for project in data.projects],
    )
    return replace(problem, tasks=tuple(tasks), meta=meta)
