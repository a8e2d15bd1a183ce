"""Local search for job shops and flexible job shops: tabu search on the critical path.

>>> from schedkit.heuristics.shop.local_search import tabu_search
>>> solution = tabu_search(problem, time_limit=2.0)  # doctest: +SKIP

Modules: :mod:`.arrays` (the shop as arrays, schedules as machine sequences),
:mod:`.graph` (heads, tails and critical paths of the disjunctive graph),
:mod:`.kernel` (the compiled tabu search: N7 moves, machine reassignment,
estimates, tabu memory, restarts), :mod:`.tabu` (the entry point).
"""

from __future__ import annotations

from schedkit.heuristics.shop.local_search.arrays import ShopArrays, shop_arrays
from schedkit.heuristics.shop.local_search.tabu import DEFAULT_TIME_LIMIT, TabuStats, tabu_search, warm_up

__all__ = ["DEFAULT_TIME_LIMIT", "ShopArrays", "TabuStats", "shop_arrays", "tabu_search", "warm_up"]
