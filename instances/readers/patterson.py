"""Reader of the Patterson ``.rcp`` format for the single-mode RCPSP.

Format (Patterson 1984; the form used by RanGen and by GitHub
``ptal/kobe-scheduling``): whitespace separated integers; line breaks carry no
meaning, so a long successor list may wrap. First ``N K`` (activities
including the two dummies, renewable resources), then the K capacities, then
one record per activity 1..N: ``duration r_1 .. r_K nsucc succ_1 ..
succ_nsucc`` with 1-based successor numbers; successor lists that form a
cycle are refused (as PSPLIB's reader does). Activities become tasks
``a0 .. a{N-1}`` (0-based). Built with :func:`schedkit.models.rcpsp.rcpsp`.
"""

from __future__ import annotations

from dataclasses import dataclass

from schedkit.instances._text import TokenStream
from schedkit.instances.errors import FormatError
from schedkit.instances.readers._graph import find_cycle
from schedkit.models import ProblemData
from schedkit.models.rcpsp import Activity, rcpsp


@dataclass(frozen=True)
class PattersonData:
    """A parsed Patterson instance (0-based successors)."""

    capacities: tuple[int, ...]
    durations: tuple[int, ...]
    demands: tuple[tuple[int, ...], ...]
    successors: tuple[tuple[int, ...], ...]


def parse(text: str, source: str) -> PattersonData:
    """Parse the ``.rcp`` text (see the module docstring)."""
    stream = TokenStream(text, source)
    if not len(stream):
        raise FormatError(source, "no data: expected 'N K' (activities, resources)", 1)
    n = stream.next_int("number of activities N", minimum=1)
    k = stream.next_int("number of resources K", minimum=0)
    capacities = tuple(stream.next_int(f"capacity of resource {r + 1}", minimum=0) for r in range(k))
    durations, demands, successors = [], [], []
    record_lines: list[int] = []
    for i in range(1, n + 1):
        record_lines.append(stream.line)
        durations.append(stream.next_int(f"duration of activity {i}", minimum=0))
        row = []
        for r in range(k):
            line = stream.line
            amount = stream.next_int(f"demand of activity {i} for resource {r + 1}", minimum=0)
            if amount > capacities[r]:
                raise FormatError(
                    source,
                    f"activity {i} demands {amount} of resource {r + 1}, whose capacity is {capacities[r]}",
                    line,
                )
            row.append(amount)
        demands.append(tuple(row))
        count = stream.next_int(f"number of successors of activity {i}", minimum=0)
        succ = []
        for s in range(count):
            line = stream.line
            j = stream.next_int(f"successor {s + 1} of {count} of activity {i}")
            if not 1 <= j <= n:
                raise FormatError(source, f"activity {i}: successor {j} is not in 1..{n}", line)
            if j == i:
                raise FormatError(source, f"activity {i} lists itself as a successor", line)
            succ.append(j - 1)
        successors.append(tuple(succ))
    stream.expect_end(f"the {n} activity records")
    cycle = find_cycle(successors)
    if cycle is not None:
        path = " -> ".join(str(v + 1) for v in cycle)
        raise FormatError(source, f"the successor lists contain a cycle: activities {path}", record_lines[cycle[0]])
    return PattersonData(capacities, tuple(durations), tuple(demands), tuple(successors))


def build(data: PattersonData, name: str) -> ProblemData:
    """The RCPSP as a ``ProblemData`` (see :func:`schedkit.models.rcpsp.rcpsp`)."""
    activities = [
        Activity.single(duration, demand, succ)
        for duration, demand, succ in zip(data.durations, data.demands, data.successors)
    ]
    return rcpsp(activities, data.capacities, name=name)
