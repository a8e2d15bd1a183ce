"""Precedence-graph check shared by the RCPSP readers: a successor list must not form a cycle."""

from __future__ import annotations

from collections.abc import Sequence


def find_cycle(successors: Sequence[Sequence[int]]) -> list[int] | None:
    """A cycle ``[v0, v1, .., v0]`` of the graph given by successor lists, or None if it is acyclic."""
    n = len(successors)
    state = [0] * n  # 0 new, 1 on the stack, 2 done
    parent = [-1] * n
    for root in range(n):
        if state[root]:
            continue
        stack = [(root, 0)]
        state[root] = 1
        while stack:
            node, pos = stack[-1]
            if pos < len(successors[node]):
                stack[-1] = (node, pos + 1)
                nxt = successors[node][pos]
                if state[nxt] == 1:
                    cycle = [nxt]
                    walk = node
                    while walk != nxt:
                        cycle.append(walk)
                        walk = parent[walk]
                    cycle.append(nxt)
                    return cycle[::-1]
                if state[nxt] == 0:
                    state[nxt] = 1
                    parent[nxt] = node
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                stack.pop()
    return None
