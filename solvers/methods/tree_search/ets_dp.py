"""An exact dynamic program for ETS's selection program, fast enough to run at every depth.

HiGHS solves the program's LP relaxation in a few milliseconds, but when the
coverage rows make it fractional its MIP needs 20-30 ms whatever the size
(setup, presolve, cuts), too slow for a search loop. The program has a tree
structure this module exploits exactly.

The program: choose a non-empty set S of leaves maximising ``sum_{i in S} O_i
- sum_{v in closure(S)} c_v + rho * |{clusters met by S}|``, where
``closure(S)`` is S and all its ancestors, ``c_v = lambda_c * C_v`` and
``rho = lambda_s / K`` (0 without coverage). Three facts make it a tree DP:

1. a *profitable* leaf (``O_i - c_i >= 0``) is kept whenever its parent is:
   adding it never lowers the objective and never breaks a constraint;
2. among the *unprofitable* leaves of one cluster under one parent, keeping
   a second one is never useful (it costs and covers nothing new), so each
   such group offers "none" or "its best member";
3. a cluster whose members all share a parent (*local*) is decided at that
   parent. Only clusters spanning several parents (*global*, m of them)
   couple subtrees; the DP keeps, per subtree, the best value for each set
   of global clusters it covers (a bit mask, plus one bit for "some leaf
   kept" to enforce ``sum x >= 1``), dropping dominated entries.

The work is O(n * 4^m) at worst and near O(n) when few clusters span branches.
When a table would exceed ``max_entries`` the DP gives up (returns None) and
the caller solves the program with HiGHS instead. Values are the program's in
the user's units; ties between optimal selections may be broken differently
from the MIP.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

NONEMPTY = 1
"""Bit 0 of a mask: the subtree keeps at least one leaf."""


@dataclass(frozen=True)
class DpResult:
    """Kept leaf positions (into the leaves list), the optimum, and the number of global clusters."""

    kept: list[int]
    objective: float
    global_clusters: int


def _merge(table: dict[int, tuple[float, Any]], options: list[tuple[int, float, Any]]) -> dict[int, tuple[float, Any]]:
    """Every combination of a table entry and an option, the best value per mask, dominated entries dropped."""
    merged: dict[int, tuple[float, Any]] = {}
    for mask1, (value1, link1) in table.items():
        for mask2, value2, link2 in options:
            mask = mask1 | mask2
            value = value1 + value2
            best = merged.get(mask)
            if best is None or value > best[0]:
                merged[mask] = (value, link1 if link2 is None else (link1, link2))
    if len(merged) > 2:
        merged = _undominated(merged)
    return merged


def _undominated(table: dict[int, tuple[float, Any]]) -> dict[int, tuple[float, Any]]:
    """Drop entries whose mask is a subset of another's with no better value (the objective grows with the mask)."""
    items = sorted(table.items(), key=lambda item: -item[1][0])
    kept: list[tuple[int, tuple[float, Any]]] = []
    for mask, entry in items:
        if not any((mask | other) == other for other, _ in kept):
            kept.append((mask, entry))
    return dict(kept)


def solve_ets_dp(
    parent: Sequence[int | None],
    leaves: Sequence[int],
    value: Sequence[float],
    cost: Sequence[float],
    cluster: Sequence[int],
    rho: float,
    max_entries: int = 256,
) -> DpResult | None:
    """Solve the ETS program exactly (see the module docstring), or return None when it is too coupled.

    Parameters
    ----------
    parent
        Parent position of every node (None for the root); nodes are the
        leaves and all their ancestors.
    leaves
        Positions of the leaves; no leaf is an ancestor of another.
    value
        O_i per leaf (in the order of ``leaves``).
    cost
        ``lambda_c * C_v`` per node.
    cluster
        Cluster index per leaf (in the order of ``leaves``), -1 for none.
    rho
        Reward per covered cluster (``lambda_s / K``; 0 without coverage), >= 0.
    max_entries
        Give up when a subtree's table would hold more entries than this.
    """
    if rho < 0:
        raise ValueError(f"rho must be >= 0, got {rho!r}")
    n = len(parent)
    is_leaf = [False] * n
    for node in leaves:
        is_leaf[node] = True
    inner: list[list[int]] = [[] for _ in range(n)]
    groups: list[dict[int, list[int]]] = [{} for _ in range(n)]
    root = -1
    for node, up in enumerate(parent):
        if up is None:
            root = node
        elif not is_leaf[node]:
            inner[up].append(node)
    parents_of: dict[int, set[int]] = {}
    for slot, node in enumerate(leaves):
        up = parent[node]
        key = cluster[slot] if (cluster[slot] >= 0 and rho > 0) else -2 - slot
        if up is not None:
            groups[up].setdefault(key, []).append(slot)
        if key >= 0:
            parents_of.setdefault(key, set()).add(-1 if up is None else up)
    global_bit = {k: 1 << (b + 1) for b, k in enumerate(sorted(k for k, ups in parents_of.items() if len(ups) > 1))}
    if is_leaf[root]:  # a single leaf that is the root
        slot = leaves.index(root)
        return DpResult([slot], value[slot] - cost[root] + (rho if cluster[slot] >= 0 else 0.0), len(global_bit))
    order = [root]
    for node in order:
        order.extend(inner[node])
    tables: dict[int, dict[int, tuple[float, Any]]] = {}
    for node in reversed(order):
        table: dict[int, tuple[float, Any]] = {0: (-cost[node], None)}
        for child in inner[node]:
            sub = tables.pop(child)
            if len(sub) == 1:  # the common case: keep the child's one entry or not
                ((mask2, (value2, link2)),) = sub.items()
                grown = dict(table)
                for mask1, (value1, link1) in table.items():
                    mask, total = mask1 | mask2, value1 + value2
                    best = grown.get(mask)
                    if best is None or total > best[0]:
                        grown[mask] = (total, link2 if link1 is None else (link1, link2))
                table = _undominated(grown) if len(grown) > 2 else grown
            elif sub:
                table = _merge(table, [(0, 0.0, None), *((m, v, link) for m, (v, link) in sub.items())])
            if len(table) > max_entries:
                return None
        for key, slots in groups[node].items():
            options: list[tuple[int, float, Any]]
            bit = NONEMPTY | global_bit.get(key, 0)
            reward = rho if key >= 0 and key not in global_bit else 0.0
            if len(slots) == 1:
                slot = slots[0]
                gain = value[slot] - cost[leaves[slot]]
                option = (bit, gain + reward, (slot,))
                options = [option] if gain >= 0 else [(0, 0.0, None), option]
            else:
                gains = [(value[s] - cost[leaves[s]], s) for s in slots]
                chosen = tuple(s for gain, s in gains if gain >= 0)
                if chosen:
                    options = [(bit, sum(gain for gain, _ in gains if gain >= 0) + reward, chosen)]
                else:
                    gain, top = max(gains)
                    options = [(0, 0.0, None), (bit, gain + reward, (top,))]
            if len(table) == 1 and len(options) == 1:  # the common case: one entry, one option
                ((mask, (total, link)),) = table.items()
                bit, gain, picks = options[0]
                table = {mask | bit: (total + gain, (link, picks) if link is not None else picks)}
            else:
                table = _merge(table, options)
                if len(table) > max_entries:
                    return None
        tables[node] = {mask: entry for mask, entry in table.items() if mask & NONEMPTY}
    final = tables[root]
    best_mask, best_value = -1, float("-inf")
    for mask, (total, _) in final.items():
        if mask & NONEMPTY:
            total += rho * bin(mask >> 1).count("1")
            if total > best_value:
                best_mask, best_value = mask, total
    kept: list[int] = []
    stack = [final[best_mask][1]]
    while stack:
        link = stack.pop()
        if link is None:
            continue
        if isinstance(link[0], int):
            kept.extend(link)
        else:
            stack.extend(link)
    return DpResult(sorted(kept), best_value, len(global_bit))
