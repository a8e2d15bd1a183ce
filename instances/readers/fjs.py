"""Reader of the FJSPLIB flexible job shop format (Brandimarte / Hurink text format).

Format (Brandimarte 1993; Hurink, Jurisch & Thole 1994; collected in FJSPLIB
and GitHub ``ScheduleOpt/benchmarks``): plain text, whitespace separated. The
first line is ``J M [A]``: jobs, machines and, optionally, the average number
of eligible machines per operation (informative only; may be a decimal).
Then exactly J lines, one per job: the number of operations, then per
operation in technological order ``k`` (eligible machines) followed by k pairs
``machine time``. Machines are numbered ``1..M``; they become ``0..M-1`` here.
Built with :func:`schedkit.models.fjsp.fjsp`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schedkit.instances._text import Line, count_error, data_lines, parse_int
from schedkit.instances.errors import FormatError
from schedkit.models import ProblemData
from schedkit.models.fjsp import fjsp

_DECIMAL = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")
"""The informative average of the header: ASCII digits with an optional decimal point."""


UNBACKED_MACHINES = 10_000
"""A header may declare up to this many machines whatever the content; more must be backed by as many listed pairs.

Idle machines are legal (a header of 10 with 8 used), but a count is only a
number in the file: ``1 100000000`` would otherwise build 10^8 resources (10^6
took 9 s and 330 MB). Beyond this many, the file must list at least as many
machine/time pairs as it declares machines.
"""


@dataclass(frozen=True)
class FjsData:
    """A parsed flexible job shop: per job, per operation, its ``(machine, time)`` alternatives (0-based)."""

    num_machines: int
    jobs: tuple[tuple[tuple[tuple[int, int], ...], ...], ...]


def _parse_job(line: Line, j: int, m: int, source: str) -> tuple[tuple[tuple[int, int], ...], ...]:
    tokens = line.tokens
    pos = 0

    def take(what: str, minimum: int | None = None) -> int:
        nonlocal pos
        if pos >= len(tokens):
            raise FormatError(source, f"job {j}: line ends early: expected {what}", line.number)
        value = parse_int(tokens[pos], source, line.number, f"{what} of job {j}", minimum)
        pos += 1
        return value

    num_ops = take("number of operations", minimum=0)
    operations = []
    for k in range(num_ops):
        count = take(f"number of machines of operation {k}", minimum=1)
        alternatives = []
        seen = set()
        for _ in range(count):
            machine = take(f"machine of operation {k}")
            time = take(f"time of operation {k}", minimum=0)
            if not 1 <= machine <= m:
                raise FormatError(source, f"job {j} operation {k}: machine {machine} is not in 1..{m}", line.number)
            if machine in seen:
                raise FormatError(source, f"job {j} operation {k}: machine {machine} is listed twice", line.number)
            seen.add(machine)
            alternatives.append((machine - 1, time))
        operations.append(tuple(alternatives))
    if pos != len(tokens):
        raise FormatError(
            source,
            f"job {j}: expected {pos} numbers for its {num_ops} operations, found {len(tokens)}",
            line.number,
        )
    return tuple(operations)


def parse(text: str, source: str) -> FjsData:
    """Parse the FJSPLIB text (see the module docstring)."""
    lines = data_lines(text)
    if not lines:
        raise FormatError(source, "no data: expected a first line 'J M [average]'", 1)
    header = lines[0]
    if len(header.tokens) not in (2, 3):
        raise count_error(source, header.number, "2 or 3 numbers 'J M [average]'", len(header.tokens))
    n = parse_int(header.tokens[0], source, header.number, "number of jobs", minimum=1)
    m = parse_int(header.tokens[1], source, header.number, "number of machines", minimum=1)
    if len(header.tokens) == 3 and not _DECIMAL.fullmatch(header.tokens[2]):
        raise FormatError(
            source, f"expected a number (average machines per operation), found {header.tokens[2]!r}", header.number
        )
    body = lines[1:]
    if len(body) < n:
        last = body[-1].number if body else header.number
        raise FormatError(source, f"file ends early: expected {n} job lines, found {len(body)}", last)
    if len(body) > n:
        raise FormatError(source, f"unexpected extra data after the {n} job lines", body[n].number)
    jobs = tuple(_parse_job(line, j, m, source) for j, line in enumerate(body))
    listed = sum(len(op) for job in jobs for op in job)
    if m > max(listed, UNBACKED_MACHINES):
        # a count the content does not back: 10^8 declared machines must not become 10^8 resources
        raise FormatError(
            source,
            f"the header declares {m} machines but the operations list only {listed} machine/time pair(s); "
            "a machine count larger than the file's content is refused",
            header.number,
        )
    return FjsData(m, jobs)


def build(data: FjsData, name: str) -> ProblemData:
    """The flexible job shop as a ``ProblemData`` (see :func:`schedkit.models.fjsp.fjsp`)."""
    return fjsp([[list(op) for op in job] for job in data.jobs], num_machines=data.num_machines, name=name)
