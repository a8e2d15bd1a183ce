"""Reader of the standard job shop format (JSPLIB, OR-Library ``jobshop1.txt`` style).

Format (as in the JSPLIB files, GitHub ``tamy0612/JSPLIB``): plain text; lines
starting with ``#`` are comments and may appear anywhere before or among the
data; blank lines are ignored. The first data line is ``n m`` (jobs,
machines); then exactly n lines, one per job, each with m pairs ``machine
processing_time`` in technological order, machines numbered ``0..m-1``.
Objective: minimise the makespan. Built with :func:`schedkit.models.jobshop.jobshop`.
"""

from __future__ import annotations

from dataclasses import dataclass

from schedkit.instances._text import count_error, data_lines, parse_int
from schedkit.instances.errors import FormatError
from schedkit.models import ProblemData
from schedkit.models.jobshop import jobshop


@dataclass(frozen=True)
class JobShopData:
    """A parsed job shop: per job, its ``(machine, duration)`` operations in order."""

    num_machines: int
    jobs: tuple[tuple[tuple[int, int], ...], ...]


def parse(text: str, source: str) -> JobShopData:
    """Parse the standard job shop text (see the module docstring)."""
    lines = data_lines(text, comment="#")
    if not lines:
        raise FormatError(source, "no data: expected a first line 'n m' (jobs, machines)", 1)
    header = lines[0]
    if len(header.tokens) != 2:
        raise count_error(source, header.number, "2 integers 'n m' (jobs, machines)", len(header.tokens))
    n = parse_int(header.tokens[0], source, header.number, "number of jobs", minimum=1)
    m = parse_int(header.tokens[1], source, header.number, "number of machines", minimum=1)
    body = lines[1:]
    if len(body) < n:
        last = body[-1].number if body else header.number
        raise FormatError(source, f"file ends early: expected {n} job lines, found {len(body)}", last)
    if len(body) > n:
        raise FormatError(source, f"unexpected extra data after the {n} job lines", body[n].number)
    jobs = []
    for j, line in enumerate(body):
        if len(line.tokens) != 2 * m:
            raise count_error(source, line.number, f"{2 * m} integers ({m} machine/time pairs)", len(line.tokens))
        operations = []
        for k in range(m):
            machine = parse_int(line.tokens[2 * k], source, line.number, f"machine of job {j} operation {k}")
            duration = parse_int(
                line.tokens[2 * k + 1], source, line.number, f"time of job {j} operation {k}", minimum=0
            )
            if not 0 <= machine < m:
                raise FormatError(source, f"job {j} operation {k}: machine {machine} is not in 0..{m - 1}", line.number)
            operations.append((machine, duration))
        jobs.append(tuple(operations))
    return JobShopData(m, tuple(jobs))


def build(data: JobShopData, name: str) -> ProblemData:
    """The job shop as a ``ProblemData`` (see :func:`schedkit.models.jobshop.jobshop`)."""
    return jobshop([list(job) for job in data.jobs], num_machines=data.num_machines, name=name)
