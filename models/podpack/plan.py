"""A plan: what to change in a running cluster, as a diff between two placements.

Given the running placement R (pod -> node or None) and a target placement T:

* **bind** pod i to node n: pending now (``R_i = None``), placed by the plan (``T_i = n``);
* **move** pod i from node a to node b: ``R_i = a``, ``T_i = b``, ``a != b``
  (in Kubernetes: evict it and bind the recreated pod to b);
* **evict** pod i from node a: ``R_i = a``, ``T_i = None``.

Pods with ``R_i = T_i`` do not appear. Applying the plan to R gives T
exactly (:meth:`Plan.apply`); the order in which a cluster carries it out is
the caller's business (evictions, then moves, then binds never exceeds a
node's capacity when T fits, since every step only removes load until the
binds and moves add T's own pods).

JSON (``to_dict`` / ``from_dict``)::

    {"binds": [{"pod": "p", "node": "n1"}],
     "moves": [{"pod": "q", "from": "n1", "to": "n2"}],
     "evictions": [{"pod": "r", "node": "n2"}]}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from schedkit.models.errors import ModelError
from schedkit.models.podpack.state import Placement


@dataclass(frozen=True)
class Bind:
    """Place a pending pod on a node."""

    pod: str
    node: str


@dataclass(frozen=True)
class Move:
    """Move a running pod from one node to another."""

    pod: str
    source: str
    target: str


@dataclass(frozen=True)
class Eviction:
    """Evict a running pod from its node (it becomes pending)."""

    pod: str
    node: str


@dataclass(frozen=True)
class Plan:
    """Binds, moves and evictions turning a running placement into a target (see the module docstring)."""

    binds: tuple[Bind, ...] = field(default_factory=tuple)
    moves: tuple[Move, ...] = field(default_factory=tuple)
    evictions: tuple[Eviction, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        """Whether the plan changes nothing."""
        return not (self.binds or self.moves or self.evictions)

    def apply(self, running: Mapping[str, str | None]) -> Placement:
        """The placement after carrying the plan out on ``running``.

        Raises ``ValueError`` when the plan does not fit ``running``: a bind
        of a pod that is not pending, a move or eviction of a pod that is not
        on the stated node, or a pod the running placement does not know.
        """
        out: Placement = dict(running)
        for bind in self.binds:
            _expect(running, bind.pod, None, "bind")
            out[bind.pod] = bind.node
        for move in self.moves:
            _expect(running, move.pod, move.source, "move")
            out[move.pod] = move.target
        for eviction in self.evictions:
            _expect(running, eviction.pod, eviction.node, "evict")
            out[eviction.pod] = None
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (see the module docstring)."""
        return {
            "binds": [{"pod": b.pod, "node": b.node} for b in self.binds],
            "moves": [{"pod": m.pod, "from": m.source, "to": m.target} for m in self.moves],
            "evictions": [{"pod": e.pod, "node": e.node} for e in self.evictions],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        """Read the JSON form; raises ``ModelError`` naming the entry and field when one is malformed."""
        if not isinstance(data, Mapping):
            raise ModelError("plan", "", f"must be an object, got {type(data).__name__}")

        def entries(key: str, fields: tuple[str, ...]) -> list[tuple[str, ...]]:
            items = data.get(key, [])
            if not isinstance(items, list):
                raise ModelError("plan", key, "must be a list")
            out = []
            for k, item in enumerate(items):
                if not isinstance(item, Mapping):
                    raise ModelError("plan", f"{key}[{k}]", "must be an object")
                for name in fields:
                    if not isinstance(item.get(name), str) or not item[name]:
                        raise ModelError("plan", f"{key}[{k}].{name}", "must be a non-empty string")
                out.append(tuple(item[name] for name in fields))
            return out

        unknown = set(data) - {"binds", "moves", "evictions"}
        if unknown:
            raise ModelError("plan", sorted(unknown)[0], "unknown key (expected binds, moves, evictions)")
        return cls(
            binds=tuple(Bind(*e) for e in entries("binds", ("pod", "node"))),
            moves=tuple(Move(*e) for e in entries("moves", ("pod", "from", "to"))),
            evictions=tuple(Eviction(*e) for e in entries("evictions", ("pod", "node"))),
        )

    def __str__(self) -> str:
        return f"plan: {len(self.binds)} binds, {len(self.moves)} moves, {len(self.evictions)} evictions"


def _expect(running: Mapping[str, str | None], pod: str, node: str | None, action: str) -> None:
    if pod not in running:
        raise ValueError(f"cannot {action} pod '{pod}': the running placement does not know it")
    if running[pod] != node:
        where = "pending" if running[pod] is None else f"on {running[pod]!r}"
        expected = "pending" if node is None else f"on {node!r}"
        raise ValueError(f"cannot {action} pod '{pod}': it is {where}, the plan expects it {expected}")


def diff(running: Mapping[str, str | None], target: Mapping[str, str | None]) -> Plan:
    """The plan turning ``running`` into ``target`` (pods missing from ``target`` stay as they are)."""
    binds, moves, evictions = [], [], []
    for pod, now in running.items():
        then = target.get(pod, now)
        if then == now:
            continue
        if now is not None and then is not None:
            moves.append(Move(pod, now, then))
        elif then is not None:  # pending now
            binds.append(Bind(pod, then))
        elif now is not None:  # pending in the target (both None is the unchanged case above)
            evictions.append(Eviction(pod, now))
    extra = set(target) - set(running)
    if extra:
        raise ValueError(f"pod '{sorted(extra)[0]}' is in the target placement but not in the running one")
    return Plan(tuple(binds), tuple(moves), tuple(evictions))
