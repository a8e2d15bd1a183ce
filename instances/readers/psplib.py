"""Reader of the PSPLIB ``.sm`` (single-mode) and ``.mm`` (multi-mode) RCPSP formats.

Format (Kolisch & Sprecher 1997, PSPLIB, TU Munich; e.g. ``j301_1.sm``,
``j102_4.mm``): blocks separated by lines of ``*``. The reader uses

* ``jobs (incl. supersource/sink ):  N`` - activities including the dummy
  source (job 1) and sink (job N);
* the ``RESOURCES`` lines ``- renewable : K R``, ``- nonrenewable : L N``,
  ``- doubly constrained : D D``;
* ``PRECEDENCE RELATIONS:`` - a header line, then per job ``jobnr #modes
  #successors succ_1 .. succ_s`` (1-based job numbers);
* ``REQUESTS/DURATIONS:`` - header lines (column names, dashes), then per job
  a line ``jobnr mode duration r_1..r_K n_1..n_L d_1..d_D`` for its first mode
  and, in ``.mm`` files, one continuation line ``mode duration ...`` (no job
  number) per further mode;
* ``RESOURCEAVAILABILITIES:`` - a header ``R 1 R 2 .. N 1 ..`` and one line of
  capacities in the same order.

Renewable resources become ``R1..RK``, non-renewable ones budgets ``N1..NL``
(see :func:`schedkit.models.rcpsp.rcpsp`). A doubly constrained resource (limited per
period and in total) becomes both a renewable resource (after the R ones) and a
budget (after the N ones). Jobs become tasks ``a0 .. a{N-1}`` (0-based,
dummies included). The project information block is not needed for the
makespan and is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schedkit.instances._text import Line, count_error, parse_int
from schedkit.instances.errors import FormatError
from schedkit.instances.readers._graph import find_cycle
from schedkit.models import ProblemData
from schedkit.models.rcpsp import Activity, RcpspMode, rcpsp

_SECTIONS = {
    "precedence": re.compile(r"^\s*PRECEDENCE\s+RELATIONS\s*:", re.IGNORECASE),
    "requests": re.compile(r"^\s*REQUESTS\s*/\s*DURATIONS\s*:", re.IGNORECASE),
    "availabilities": re.compile(r"^\s*RESOURCE\s*AVAILABILITIES\s*:", re.IGNORECASE),
}
_TITLES = {
    "precedence": "PRECEDENCE RELATIONS:",
    "requests": "REQUESTS/DURATIONS:",
    "availabilities": "RESOURCEAVAILABILITIES:",
}
_JOBS = re.compile(r"^\s*jobs\b[^:]*:\s*(\S+)", re.IGNORECASE)
_RESOURCE_COUNTS = {
    "R": re.compile(r"^\s*-\s*renewable\s*:\s*(\S+)", re.IGNORECASE),
    "N": re.compile(r"^\s*-\s*nonrenewable\s*:\s*(\S+)", re.IGNORECASE),
    "D": re.compile(r"^\s*-\s*doubly\s+constrained\s*:\s*(\S+)", re.IGNORECASE),
}
_RESOURCE_LABEL = re.compile(r"\b([RND])\s*\d+")


@dataclass(frozen=True)
class PsplibMode:
    """One mode of a job: duration and its requests, in file column order (R, then N, then D)."""

    duration: int
    requests: tuple[int, ...]


@dataclass(frozen=True)
class PsplibData:
    """A parsed PSPLIB instance: per job its modes and its 0-based successors."""

    renewable: tuple[int, ...]
    nonrenewable: tuple[int, ...]
    doubly: tuple[int, ...]
    modes: tuple[tuple[PsplibMode, ...], ...]
    successors: tuple[tuple[int, ...], ...]


def _is_int(token: str) -> bool:
    return bool(re.fullmatch(r"[+-]?\d+", token))


def _is_label_line(tokens: tuple[str, ...]) -> bool:
    """Whether a line is a resource header such as ``R 1  R 2  N 1`` (or ``R1 R2``)."""
    return any(t[0].isalpha() for t in tokens) and all(re.fullmatch(r"[RNDrnd]?\d*", t) for t in tokens)


def _section(lines: list[tuple[int, str]], key: str, source: str) -> tuple[int, list[Line]]:
    """The marker line number and the data lines of a section (leading header lines skipped)."""
    start = next((i for i, (_, raw) in enumerate(lines) if _SECTIONS[key].match(raw)), None)
    if start is None:
        last = lines[-1][0] if lines else 1
        raise FormatError(source, f"file ends without a '{_TITLES[key]}' section (truncated, or not PSPLIB?)", last)
    marker = lines[start][0]
    body: list[Line] = []
    started = False
    for number, raw in lines[start + 1 :]:
        stripped = raw.strip()
        if stripped.startswith("*") or any(p.match(raw) for p in _SECTIONS.values()):
            break
        if not stripped:
            continue
        tokens = tuple(stripped.split())
        if not started and (_is_label_line(tokens) if key == "availabilities" else not _is_int(tokens[0])):
            continue  # column headers and the dashes line
        started = True
        body.append(Line(number, tokens))
    return marker, body


def _header_value(lines: list[tuple[int, str]], pattern: re.Pattern[str], what: str, source: str) -> int | None:
    for number, raw in lines:
        match = pattern.match(raw)
        if match:
            return parse_int(match.group(1), source, number, what, minimum=0)
    return None


def _parse_precedence(
    lines: list[tuple[int, str]], n: int | None, source: str
) -> tuple[list[int], list[tuple[int, ...]], list[int]]:
    marker, rows = _section(lines, "precedence", source)
    if n is None:
        n = len(rows)
    if len(rows) < n:
        last = rows[-1].number if rows else marker
        raise FormatError(source, f"PRECEDENCE RELATIONS: expected {n} job lines, found {len(rows)}", last)
    if len(rows) > n:
        raise FormatError(source, f"PRECEDENCE RELATIONS: more than the {n} jobs declared", rows[n].number)
    num_modes, successors, row_lines = [], [], []
    for j, row in enumerate(rows, start=1):
        if len(row.tokens) < 3:
            raise count_error(source, row.number, "at least 3 integers 'jobnr #modes #successors'", len(row.tokens))
        jobnr = parse_int(row.tokens[0], source, row.number, "job number")
        if jobnr != j:
            raise FormatError(source, f"expected the line of job {j}, found job {jobnr}", row.number)
        num_modes.append(parse_int(row.tokens[1], source, row.number, f"number of modes of job {j}", minimum=1))
        count = parse_int(row.tokens[2], source, row.number, f"number of successors of job {j}", minimum=0)
        if len(row.tokens) - 3 != count:
            raise count_error(source, row.number, f"{count} successors of job {j}", len(row.tokens) - 3)
        succ = []
        for token in row.tokens[3:]:
            s = parse_int(token, source, row.number, f"successor of job {j}")
            if not 1 <= s <= n:
                raise FormatError(source, f"job {j}: successor {s} is not in 1..{n}", row.number)
            if s == j:
                raise FormatError(source, f"job {j} lists itself as a successor", row.number)
            succ.append(s - 1)
        successors.append(tuple(succ))
        row_lines.append(row.number)
    return num_modes, successors, row_lines


def _parse_requests(
    lines: list[tuple[int, str]], num_modes: list[int], width: int, source: str
) -> tuple[list[list[PsplibMode]], list[list[int]]]:
    """Modes of every job, and the line of each mode (for later capacity checks)."""
    marker, rows = _section(lines, "requests", source)
    n = len(num_modes)
    modes: list[list[PsplibMode]] = [[] for _ in range(n)]
    mode_lines: list[list[int]] = [[] for _ in range(n)]
    job = -1
    for row in rows:
        tokens = row.tokens
        if len(tokens) == 3 + width:
            if job >= 0 and len(modes[job]) < num_modes[job]:
                raise FormatError(
                    source,
                    f"job {job + 1} has {num_modes[job]} modes but only {len(modes[job])} are listed",
                    row.number,
                )
            job += 1
            if job >= n:
                raise FormatError(source, f"REQUESTS/DURATIONS: more than the {n} jobs declared", row.number)
            jobnr = parse_int(tokens[0], source, row.number, "job number")
            if jobnr != job + 1:
                raise FormatError(source, f"expected the first mode of job {job + 1}, found job {jobnr}", row.number)
            tokens = tokens[1:]
        elif len(tokens) == 2 + width:
            if job < 0 or len(modes[job]) >= num_modes[job]:
                expected_job = job + 2 if job >= 0 else 1
                raise count_error(
                    source,
                    row.number,
                    f"{3 + width} integers (job {expected_job}: jobnr, mode, duration, {width} requests)",
                    len(tokens),
                )
        else:
            raise count_error(
                source,
                row.number,
                f"{3 + width} integers (jobnr, mode, duration, {width} requests) or {2 + width} for a further mode",
                len(tokens),
            )
        mode = parse_int(tokens[0], source, row.number, f"mode number of job {job + 1}")
        if mode != len(modes[job]) + 1:
            raise FormatError(
                source, f"job {job + 1}: expected mode {len(modes[job]) + 1}, found mode {mode}", row.number
            )
        duration = parse_int(tokens[1], source, row.number, f"duration of job {job + 1} mode {mode}", minimum=0)
        requests = tuple(
            parse_int(t, source, row.number, f"request of job {job + 1} mode {mode}", minimum=0) for t in tokens[2:]
        )
        modes[job].append(PsplibMode(duration, requests))
        mode_lines[job].append(row.number)
    last = rows[-1].number if rows else marker
    if job < n - 1 or len(modes[n - 1]) < num_modes[n - 1]:
        missing = next(j for j in range(n) if len(modes[j]) < num_modes[j])
        raise FormatError(
            source,
            f"REQUESTS/DURATIONS ends early: job {missing + 1} has {num_modes[missing]} modes, "
            f"{len(modes[missing])} are listed",
            last,
        )
    return modes, mode_lines


def _resource_counts(lines: list[tuple[int, str]], source: str) -> tuple[int, int, int]:
    counts = {
        key: _header_value(lines, pattern, f"number of {key} resources", source)
        for key, pattern in _RESOURCE_COUNTS.items()
    }
    if counts["R"] is not None:
        return counts["R"], counts["N"] or 0, counts["D"] or 0
    # No RESOURCES block: count the labels of the availability header ("R 1  R 2  N 1").
    start = next((i for i, (_, raw) in enumerate(lines) if _SECTIONS["availabilities"].match(raw)), None)
    header = next((raw for _, raw in lines[start + 1 :] if raw.strip()), "") if start is not None else ""
    labels = _RESOURCE_LABEL.findall(header)
    if not labels:
        raise FormatError(source, "no '- renewable : K R' line and no RESOURCEAVAILABILITIES header 'R 1 R 2 ..'")
    return labels.count("R"), labels.count("N"), labels.count("D")


def parse(text: str, source: str) -> PsplibData:
    """Parse a PSPLIB ``.sm`` or ``.mm`` text (see the module docstring)."""
    lines = list(enumerate(text.splitlines(), start=1))
    if not any(_SECTIONS["precedence"].match(raw) for _, raw in lines):
        raise FormatError(source, "no 'PRECEDENCE RELATIONS:' section: not a PSPLIB .sm/.mm instance file")
    n = _header_value(lines, _JOBS, "number of jobs", source)
    k_r, k_n, k_d = _resource_counts(lines, source)
    width = k_r + k_n + k_d
    num_modes, successors, row_lines = _parse_precedence(lines, n, source)
    if not num_modes:
        raise FormatError(source, "PRECEDENCE RELATIONS lists no jobs")
    modes, mode_lines = _parse_requests(lines, num_modes, width, source)

    marker, rows = _section(lines, "availabilities", source)
    if not rows:
        raise FormatError(source, f"RESOURCEAVAILABILITIES: expected a line of {width} capacities", marker)
    row = rows[0]
    if len(row.tokens) != width:
        raise count_error(source, row.number, f"{width} capacities ({k_r} R, {k_n} N, {k_d} D)", len(row.tokens))
    capacities = [parse_int(t, source, row.number, "capacity", minimum=0) for t in row.tokens]

    labels = (
        [f"R {i + 1}" for i in range(k_r)] + [f"N {i + 1}" for i in range(k_n)] + [f"D {i + 1}" for i in range(k_d)]
    )
    for j, job_modes in enumerate(modes):
        for m, mode in enumerate(job_modes):
            for r, amount in enumerate(mode.requests):
                if amount > capacities[r]:
                    raise FormatError(
                        source,
                        f"job {j + 1} mode {m + 1} requests {amount} of {labels[r]}, whose capacity is "
                        f"{capacities[r]} (line {row.number})",
                        mode_lines[j][m],
                    )
    cycle = find_cycle(successors)
    if cycle is not None:
        path = " -> ".join(str(v + 1) for v in cycle)
        raise FormatError(source, f"the precedence relations contain a cycle: jobs {path}", row_lines[cycle[0]])
    return PsplibData(
        renewable=tuple(capacities[:k_r]),
        nonrenewable=tuple(capacities[k_r : k_r + k_n]),
        doubly=tuple(capacities[k_r + k_n :]),
        modes=tuple(tuple(job) for job in modes),
        successors=tuple(successors),
    )


def build(data: PsplibData, name: str) -> ProblemData:
    """The (multi-mode) RCPSP as a ``ProblemData`` (see :func:`schedkit.models.rcpsp.rcpsp`)."""
    k_r, k_n = len(data.renewable), len(data.nonrenewable)
    activities = []
    for job_modes, succ in zip(data.modes, data.successors):
        modes = []
        for mode in job_modes:
            req = mode.requests
            renewable = req[:k_r] + req[k_r + k_n :]
            consumption = req[k_r : k_r + k_n] + req[k_r + k_n :]
            modes.append(RcpspMode(mode.duration, renewable, consumption))
        activities.append(Activity(tuple(modes), succ))
    return rcpsp(activities, data.renewable + data.doubly, data.nonrenewable + data.doubly, name=name)
