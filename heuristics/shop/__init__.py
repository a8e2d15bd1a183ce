"""Dispatch rules for the job shop and the flexible job shop.

>>> from heuristics.shop import dispatch, RULES
>>> solution = dispatch(problem, rule="fdd_mwkr", schedule="active", machine_choice="earliest_end")
>>> solution = RULES["mwkr"](problem)

Modules: :mod:`.structure` reads the shop out of the IR (and refuses other
problems), :mod:`.priorities` holds the priority rules and their formulas,
:mod:`.downtime` the earliest start past machine downtime, :mod:`.dispatching`
the Giffler-Thompson (active) and non-delay schedule generation.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from schedkit.heuristics.shop.dispatching import MACHINE_CHOICES, SCHEDULES, dispatch
from schedkit.heuristics.shop.priorities import PRIORITY_RULES
from schedkit.heuristics.shop.structure import Shop, ShopError, read_shop
from schedkit.models import ProblemData, Solution

RULES: dict[str, Callable[[ProblemData], Solution]] = {
    name: partial(dispatch, rule=name, schedule="non_delay", machine_choice="earliest_end")
    for name in ("mwkr", "mopnr", "fdd_mwkr", "lwkr", "fifo", "spt")
}
"""Rule name -> ``problem -> Solution``: the rule on a non-delay schedule, earliest-end machines.

Non-delay rather than active because it is measured better on Taillard's
ta01-ta40 for every rule (FDD/MWKR 20.2% above best known vs 27.4% active;
``results/scripts/dispatch_quality.py``); ``dispatch(..., schedule="active")``
gives the Giffler-Thompson variant.
"""

__all__ = [
    "MACHINE_CHOICES",
    "PRIORITY_RULES",
    "RULES",
    "SCHEDULES",
    "Shop",
    "ShopError",
    "dispatch",
    "read_shop",
]
