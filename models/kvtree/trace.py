"""Recorded search trees (traces): what a real search generated, to replay without a GPU.

A trace holds every node a search produced: its id, its parent's id (None for
the root, whose text is the prompt), the step text, the step's token count,
the process reward, optionally an embedding of the step, and for a step that
ends a trajectory its final answer and whether that answer is correct. The
file format (JSON lines) is :mod:`schedkit.instances.readers.kvtrace`.

Replaying a trace (:class:`schedkit.solvers.methods.tree_search.TraceReplay`)
lets a selection method ask for ``n`` children of a node and receive the first
``n`` recorded ones, so methods are compared on the same generations.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from schedkit.models.errors import ModelError


@dataclass(frozen=True)
class TraceNode:
    """One recorded node (see the module docstring); ``finished`` marks a step that ended its trajectory."""

    id: str
    parent: str | None
    text: str
    tokens: int
    score: float | None = None
    embedding: tuple[float, ...] | None = None
    answer: str | None = None
    correct: bool | None = None
    finished: bool | None = None


@dataclass(frozen=True)
class SearchTrace:
    """A recorded tree: its nodes (root first is not required) and an optional reference answer."""

    name: str
    nodes: tuple[TraceNode, ...]
    reference: str | None = None
    _children: dict[str | None, list[TraceNode]] = field(default_factory=dict, compare=False, repr=False)
    _by_id: dict[str, TraceNode] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        validate_trace(self)
        for node in self.nodes:
            self._children.setdefault(node.parent, []).append(node)
            self._by_id[node.id] = node

    @property
    def root(self) -> TraceNode:
        """The node without a parent (the prompt)."""
        return self._children[None][0]

    def children(self, node_id: str) -> list[TraceNode]:
        """The recorded children of ``node_id``, in file order."""
        return self._children.get(node_id, [])

    def node(self, node_id: str) -> TraceNode:
        """The node called ``node_id``."""
        return self._by_id[node_id]


def validate_trace(trace: SearchTrace) -> None:
    """Raise :class:`ModelError` naming the node and field unless the nodes form one tree with sane values."""
    where = f"trace '{trace.name}'"
    if not trace.nodes:
        raise ModelError(where, "nodes", "a trace needs at least its root")
    ids: dict[str, int] = {}
    roots = []
    for position, node in enumerate(trace.nodes):
        entity = f"{where} node '{node.id}' (#{position})"
        if not isinstance(node.id, str) or not node.id:
            raise ModelError(f"{where} node #{position}", "id", "must be a non-empty string")
        if node.id in ids:
            raise ModelError(entity, "id", f"is also node #{ids[node.id]}")
        ids[node.id] = position
        if node.parent is None:
            roots.append(node.id)
        if isinstance(node.tokens, bool) or not isinstance(node.tokens, int) or node.tokens < 0:
            raise ModelError(entity, "tokens", f"must be an integer >= 0, got {node.tokens!r}")
        if node.score is not None and not math.isfinite(node.score):
            raise ModelError(entity, "score", f"must be finite, got {node.score!r}")
        if node.embedding is not None:
            if not node.embedding or not all(math.isfinite(x) for x in node.embedding):
                raise ModelError(entity, "embedding", "must be a non-empty list of finite numbers")
            if not any(node.embedding):
                raise ModelError(entity, "embedding", "must not be all zeros (its cosine distance is undefined)")
    if len(roots) != 1:
        found = "none" if not roots else ", ".join(repr(r) for r in roots[:3])
        raise ModelError(where, "parent", f"needs exactly one root (a node with no parent), found {found}")
    for position, node in enumerate(trace.nodes):
        if node.parent is not None and node.parent not in ids:
            raise ModelError(f"{where} node '{node.id}' (#{position})", "parent", f"unknown node {node.parent!r}")
    dims = {len(node.embedding) for node in trace.nodes if node.embedding is not None}
    if len(dims) > 1:
        raise ModelError(where, "embedding", f"embeddings have different lengths {sorted(dims)}")
    _check_acyclic(trace.nodes, ids, where)


def _check_acyclic(nodes: Sequence[TraceNode], ids: dict[str, int], where: str) -> None:
    reaches_root: set[str] = set()
    for node in nodes:
        chain: list[str] = []
        seen: set[str] = set()
        current: str | None = node.id
        while current is not None and current not in reaches_root:
            if current in seen:
                raise ModelError(
                    f"{where} node '{current}' (#{ids[current]})", "parent", "the parent links form a cycle"
                )
            seen.add(current)
            chain.append(current)
            current = nodes[ids[current]].parent
        reaches_root.update(chain)
