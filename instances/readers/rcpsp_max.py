"""Reader of the RCPSP/max ``.sch`` format (ProGen/max; the UBO and J10-J30 "testset" sets).

Format (Schwindt's ProGen/max, as in the PSPLIB RCPSP/max sets and read by
PyJobShop): whitespace separated, blank lines ignored.

1. ``n K_renewable K_nonrenewable K_doubly`` (only renewable resources are
   read; files with others are refused);
2. n + 2 precedence lines, one per node ``0 .. n+1`` (0 the source, n + 1
   the sink): ``id modes num_succ succ_1 .. succ_s [lag_1] .. [lag_s]``,
   successor ids 0-based, one bracketed lag per successor in the same order.
   A lag is a **start-to-start** minimal time lag ``S_succ >= S_id + lag``;
   a negative lag encodes a maximal time lag (``S_id <= S_succ + |lag|``),
   so the precedence graph may have cycles;
3. n + 2 activity lines ``id mode duration demand_1 .. demand_K``;
4. the K capacities.

Single-mode files only (multi-mode RCPSP/max lists one lag per mode pair).
Nodes become tasks ``a0 .. a{n+1}`` with one mode over the renewables
``R1 .. RK``, built with :func:`schedkit.models.rcpsp.rcpsp`; a start-to-start
lag ``l`` on ``i -> j`` is the end-to-start lag ``l - d_i`` (single mode: the
same constraint). The objective is the makespan. Instances of these sets may
be infeasible (contradictory lags); reading does not decide that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schedkit.instances._text import Line, count_error, data_lines, parse_int
from schedkit.instances.errors import FormatError
from schedkit.models import ProblemData
from schedkit.models.rcpsp import Activity, rcpsp

_LAG = re.compile(r"\[(-?[0-9]+)\]")


@dataclass(frozen=True)
class RcpspMaxData:
    """A parsed single-mode RCPSP/max instance: per node duration, demands, successors with their lags."""

    capacities: tuple[int, ...]
    durations: tuple[int, ...]
    demands: tuple[tuple[int, ...], ...]
    successors: tuple[tuple[tuple[int, int], ...], ...]  # (successor, start-to-start lag)


def _header(line: Line, source: str) -> tuple[int, int]:
    if len(line.tokens) != 4:
        raise count_error(source, line.number, "4 integers 'n K_renewable K_nonrenewable K_doubly'", len(line.tokens))
    n = parse_int(line.tokens[0], source, line.number, "number of activities", minimum=0)
    k = parse_int(line.tokens[1], source, line.number, "number of renewable resources", minimum=0)
    others = [parse_int(t, source, line.number, "number of other resources", minimum=0) for t in line.tokens[2:]]
    if any(others):
        raise FormatError(
            source, "non-renewable and doubly constrained resources are not read (counts must be 0)", line.number
        )
    return n, k


def _precedence(line: Line, node: int, nodes: int, source: str) -> tuple[tuple[int, int], ...]:
    tokens = line.tokens
    if len(tokens) < 3:
        raise count_error(source, line.number, "at least 3 entries 'id modes num_succ'", len(tokens))
    if parse_int(tokens[0], source, line.number, "activity id") != node:
        raise FormatError(source, f"expected the precedence line of activity {node}, found {tokens[0]}", line.number)
    modes = parse_int(tokens[1], source, line.number, f"number of modes of activity {node}", minimum=1)
    if modes != 1:
        raise FormatError(source, f"activity {node} has {modes} modes: only single-mode RCPSP/max is read", line.number)
    count = parse_int(tokens[2], source, line.number, f"number of successors of activity {node}", minimum=0)
    if len(tokens) != 3 + 2 * count:
        raise count_error(source, line.number, f"{count} successors and {count} bracketed lags", len(tokens) - 3)
    arcs = []
    for k in range(count):
        succ = parse_int(tokens[3 + k], source, line.number, f"successor of activity {node}")
        if not 0 <= succ < nodes:
            raise FormatError(source, f"activity {node}: successor {succ} is not in 0..{nodes - 1}", line.number)
        if succ == node:
            raise FormatError(source, f"activity {node} lists itself as a successor", line.number)
        lag_token = tokens[3 + count + k]
        match = _LAG.fullmatch(lag_token)
        if match is None:
            raise FormatError(source, f"expected a bracketed lag like [5] or [-3], found {lag_token!r}", line.number)
        arcs.append((succ, parse_int(match.group(1), source, line.number, f"lag of activity {node} -> {succ}")))
    return tuple(arcs)


def parse(text: str, source: str) -> RcpspMaxData:
    """Parse the ``.sch`` text (see the module docstring)."""
    lines = data_lines(text)
    if not lines:
        raise FormatError(source, "no data: expected a first line 'n K_renewable K_nonrenewable K_doubly'", 1)
    n, k = _header(lines[0], source)
    nodes = n + 2
    expected = 1 + 2 * nodes + 1
    if len(lines) != expected:  # the counts are backed by the content before anything is built
        at = lines[-1].number if len(lines) < expected else lines[expected].number
        raise FormatError(
            source,
            f"expected {expected} data lines for {n} activities (+ source and sink), found {len(lines)}",
            at,
        )
    successors = [_precedence(lines[1 + node], node, nodes, source) for node in range(nodes)]
    durations, demands = [], []
    for node in range(nodes):
        line = lines[1 + nodes + node]
        if len(line.tokens) != 3 + k:
            raise count_error(
                source, line.number, f"{3 + k} integers 'id mode duration' and {k} demands", len(line.tokens)
            )
        if parse_int(line.tokens[0], source, line.number, "activity id") != node:
            raise FormatError(source, f"expected the activity line of {node}, found {line.tokens[0]}", line.number)
        durations.append(parse_int(line.tokens[2], source, line.number, f"duration of activity {node}", minimum=0))
        demands.append(
            tuple(parse_int(t, source, line.number, f"demand of activity {node}", minimum=0) for t in line.tokens[3:])
        )
    last = lines[-1]
    if len(last.tokens) != k:
        raise count_error(source, last.number, f"{k} capacities", len(last.tokens))
    capacities = tuple(parse_int(t, source, last.number, "capacity", minimum=0) for t in last.tokens)
    for node, row in enumerate(demands):
        for r, amount in enumerate(row):
            if amount > capacities[r]:
                raise FormatError(
                    source,
                    f"activity {node} demands {amount} of resource {r + 1}, whose capacity is {capacities[r]}",
                    lines[1 + nodes + node].number,
                )
    return RcpspMaxData(capacities, tuple(durations), tuple(demands), tuple(successors))


def build(data: RcpspMaxData, name: str) -> ProblemData:
    """The RCPSP/max as a ``ProblemData`` (start-to-start lags as end-to-start lags ``l - d_i``)."""
    activities = [
        Activity.single(duration, demand, [succ for succ, _ in arcs])
        for duration, demand, arcs in zip(data.durations, data.demands, data.successors)
    ]
    lags: dict[tuple[int, int], int] = {}
    for i, arcs in enumerate(data.successors):
        for succ, lag in arcs:  # an arc listed twice: the larger lag binds
            lags[(i, succ)] = max(lags.get((i, succ), lag - data.durations[i]), lag - data.durations[i])
    problem = rcpsp(activities, data.capacities, lags=lags, name=name)
    problem.meta["start_to_start_lags"] = [
        [i, succ, lag] for i, arcs in enumerate(data.successors) for succ, lag in arcs
    ]
    return problem
