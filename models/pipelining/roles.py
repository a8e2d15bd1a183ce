"""What each warp group does in a schedule, and the FA3 / FA4 structures, read off the schedule.

The roles are *observed*: the model assigns ops to groups freely, and these
functions name what came out (a group issuing only TMA copies is a loader, a
group issuing only MMAs an MMA warp, ...) and check it against the expert
structures:

* **FA3** (Hopper forward): the loads on a producer group that does nothing
  else; two consumer groups, each running both GEMMs and the softmax of its
  own sub-tile; offset so that, while one group runs its exponentials, the
  tensor core runs a GEMM of the other group (ping-pong); and the S GEMM of
  the next iteration issued while a softmax of the current one runs.
* **FA4** (Blackwell forward): separate groups for the loads, the MMA issue,
  the softmax of each sub-tile and the correction of both.

Op names follow the kernels: ``<kind>_<sub-tile>`` (``S_a``, ``P_b``, ``dV_a``)
and ``load_*``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schedkit.models.pipelining.loop import OpSchedule

KINDS = {
    "S": "mma",
    "O": "mma",
    "dP": "mma",
    "dV": "mma",
    "dK": "mma",
    "dQ": "mma",
    "M": "softmax",
    "P": "softmax",
    "L": "softmax",
    "dS": "softmax",
    "C": "correction",
    "stage": "staging",
    "reduce": "load",
    "load": "load",
}
"""The role of each op kind (the part of the op name before the sub-tile)."""


def kind_and_subtile(op: str) -> tuple[str, str | None]:
    """``"P_a"`` -> ``("P", "a")``; ``"load_K"`` -> ``("load", None)``."""
    if op.startswith("load_"):
        return "load", None
    base, _, sub = op.rpartition("_")
    return (base, sub) if base else (op, None)


def role(op: str) -> str:
    """The role of one op (``mma``, ``softmax``, ``correction``, ``staging``, ``load``, or ``other``)."""
    return KINDS.get(kind_and_subtile(op)[0], "other")


@dataclass(frozen=True)
class GroupRole:
    """A warp group, its ops (in issue order) and a name for what it does."""

    group: str
    ops: tuple[str, ...]
    description: str


def group_ops(schedule: dict[str, OpSchedule]) -> dict[str, list[str]]:
    """Ops per warp group, in issue order."""
    out: dict[str, list[str]] = {}
    for s in sorted(schedule.values(), key=lambda s: (s.issue, s.op)):
        out.setdefault(s.warp_group or "-", []).append(s.op)
    return out


def describe(schedule: dict[str, OpSchedule]) -> list[GroupRole]:
    """What each warp group does, e.g. ``loads``, ``MMA issue``, ``softmax (a)``, ``GEMMs + softmax (b)``."""
    out = []
    for group, ops in group_ops(schedule).items():
        roles = {role(op) for op in ops}
        subs = sorted({s for op in ops if (s := kind_and_subtile(op)[1]) is not None})
        where = f" ({', '.join(subs)})" if subs else ""
        if roles == {"load"}:
            text = "loads"
        elif roles == {"mma"}:
            text = "MMA issue" + where
        elif "mma" in roles and "softmax" in roles:
            extra = "".join(f" + {r}" for r in sorted(roles - {"mma", "softmax"}))
            text = "GEMMs + softmax" + extra + where
        else:
            text = " + ".join(sorted(roles)) + where
        out.append(GroupRole(group, tuple(ops), text))
    return out


def _overlap(a_start: int, a_len: int, b_start: int, b_len: int, ii: int) -> int:
    """Cycles two intervals overlap once folded modulo II (each shorter than or equal to II)."""
    total = 0
    for shift in (-ii, 0, ii):
        lo = max(a_start % ii, b_start % ii + shift)
        hi = min(a_start % ii + a_len, b_start % ii + shift + b_len)
        total += max(0, hi - lo)
    return total


@dataclass
class StructureCheck:
    """Named facts about a schedule (``holds`` when all are true) and the evidence for each."""

    facts: dict[str, bool] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)

    @property
    def holds(self) -> bool:
        """Whether every fact holds."""
        return bool(self.facts) and all(self.facts.values())

    def add(self, name: str, value: bool, evidence: str) -> None:
        """Record one fact."""
        self.facts[name] = bool(value)
        self.evidence[name] = evidence

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {"holds": self.holds, "facts": self.facts, "evidence": self.evidence}


def _loads_alone(groups: dict[str, list[str]]) -> tuple[bool, str]:
    loaders = [g for g, ops in groups.items() if any(role(op) == "load" for op in ops)]
    alone = len(loaders) == 1 and all(role(op) == "load" for op in groups[loaders[0]])
    return alone, f"groups issuing loads: {loaders}" + (f" ({groups[loaders[0]]})" if loaders else "")


def fa3_structure(schedule: dict[str, OpSchedule], ii: int) -> StructureCheck:
    """The FA3 structure facts of a forward schedule (see the module docstring)."""
    out = StructureCheck()
    groups = group_ops(schedule)
    alone, why = _loads_alone(groups)
    out.add("producer_issues_only_loads", alone, why)
    compute = {g: ops for g, ops in groups.items() if not all(role(op) == "load" for op in ops)}
    subs_of = {g: {kind_and_subtile(op)[1] for op in ops} - {None} for g, ops in compute.items()}
    out.add("two_consumer_groups", len(compute) == 2, f"compute groups: {sorted(compute)}")
    own = True
    for g, ops in compute.items():
        kinds = {kind_and_subtile(op)[0] for op in ops}
        own = own and len(subs_of[g]) == 1 and {"S", "P", "O"} <= kinds
    out.add(
        "each_consumer_runs_its_subtile",
        own and len({frozenset(s) for s in subs_of.values()}) == len(compute),
        "; ".join(f"{g}: {ops}" for g, ops in compute.items()),
    )
    # Ping-pong: while a group's exponentials run, the tensor core runs a GEMM of another group.
    pingpong, notes = bool(compute), []
    for g, ops in compute.items():
        for p in (op for op in ops if kind_and_subtile(op)[0] == "P"):
            sp = schedule[p]
            others = [o for h, hops in compute.items() if h != g for o in hops if role(o) == "mma"]
            overlap = {o: _overlap(sp.issue, sp.latency, schedule[o].issue, schedule[o].latency, ii) for o in others}
            hit = {o: v for o, v in overlap.items() if v}
            pingpong = pingpong and bool(hit)
            notes.append(f"{p} on {g} overlaps {hit or 'no GEMM of another group'}")
    out.add("pingpong", pingpong, "; ".join(notes))
    # Next iteration's S issued while a softmax of this iteration runs.
    hits = [
        f"{s.op}(i+1) at {s.issue + ii} during {p.op}(i) [{p.issue}, {p.issue + p.latency})"
        for s in schedule.values()
        if kind_and_subtile(s.op)[0] == "S"
        for p in schedule.values()
        if kind_and_subtile(p.op)[0] == "P" and p.issue <= s.issue + ii < p.issue + p.latency
    ]
    out.add("next_S_during_softmax", bool(hits), "; ".join(hits) or "none")
    return out


def fa4_structure(schedule: dict[str, OpSchedule], ii: int) -> StructureCheck:
    """The FA4 structure facts of a forward schedule (see the module docstring)."""
    out = StructureCheck()
    groups = group_ops(schedule)
    alone, why = _loads_alone(groups)
    out.add("load_warp_issues_only_loads", alone, why)
    mma = [g for g, ops in groups.items() if any(role(op) == "mma" for op in ops)]
    out.add(
        "one_mma_group_issuing_only_mmas",
        len(mma) == 1 and all(role(op) == "mma" for op in groups[mma[0]]),
        f"groups issuing MMAs: {mma}",
    )
    softmax = {g: ops for g, ops in groups.items() if any(kind_and_subtile(op)[0] == "P" for op in ops)}
    per_subtile = all(
        len({kind_and_subtile(op)[1] for op in ops}) == 1 and all(role(op) == "softmax" for op in ops)
        for ops in softmax.values()
    )
    out.add(
        "one_softmax_group_per_subtile",
        len(softmax) >= 2 and per_subtile,
        "; ".join(f"{g}: {ops}" for g, ops in softmax.items()),
    )
    correction = [g for g, ops in groups.items() if any(role(op) == "correction" for op in ops)]
    out.add(
        "one_correction_group_for_all_subtiles",
        len(correction) == 1
        and all(role(op) == "correction" for op in groups[correction[0]])
        and correction[0] not in softmax
        and correction[0] not in mma,
        f"groups correcting: {correction}" + (f" ({groups[correction[0]]})" if len(correction) == 1 else ""),
    )
    return out
