"""The search tree: nodes with parents, scores, token counts and clusters, and its validation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from schedkit.models.errors import ModelError
from schedkit.models.validation import is_integral


@dataclass(frozen=True)
class TreeNode:
    """A node of the search tree.

    ``parent`` is the index of the parent in the node list (None for the
    root); ``tokens`` the number of tokens of this step (its KV size);
    ``score`` the leaf score O_i (required for frontier leaves, ignored
    otherwise).
    """

    name: str
    parent: int | None
    tokens: int
    score: float | None = None


def ancestors_of(nodes: Sequence[TreeNode], index: int) -> list[int]:
    """Ancestors of node ``index``, parent first (raises on a parent cycle)."""
    chain: list[int] = []
    seen = {index}
    parent = nodes[index].parent
    while parent is not None:
        if parent in seen:
            raise ModelError(f"node '{nodes[index].name}' (#{index})", "parent", "the parent links form a cycle")
        seen.add(parent)
        chain.append(parent)
        parent = nodes[parent].parent
    return chain


def validate_nodes(nodes: Sequence[TreeNode]) -> None:
    """Raise ``ModelError`` naming the node and field when the nodes do not form a tree."""
    names: set[str] = set()
    for index, node in enumerate(nodes):
        entity = f"node '{node.name}' (#{index})"
        if not isinstance(node.name, str) or not node.name:
            raise ModelError(f"node #{index}", "name", "must be a non-empty string")
        if node.name in names:
            raise ModelError(entity, "name", "is used by another node")
        names.add(node.name)
        if node.parent is not None and not (is_integral(node.parent) and 0 <= node.parent < len(nodes)):
            raise ModelError(entity, "parent", f"refers to unknown node index {node.parent!r}")
        if node.parent == index:
            raise ModelError(entity, "parent", "a node cannot be its own parent")
        if not is_integral(node.tokens) or node.tokens < 0:
            raise ModelError(entity, "tokens", f"must be an integer >= 0, got {node.tokens!r}")
