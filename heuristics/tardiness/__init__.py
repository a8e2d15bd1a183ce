"""Single-machine total (weighted) tardiness heuristics: ``1 | r_j | sum w_j T_j``.

Each rule takes a ``ProblemData`` with one unary resource used by every
mandatory single-mode task, optional releases and one minimised
``total_weighted_tardiness`` level, and returns the left-justified IR
``Solution`` of its sequence (``schedkit.solvers.check`` accepts it). Other problems
raise ``ValueError`` naming the reason. Weights are used whenever present
(equal weights = the unweighted problem).

>>> from heuristics.tardiness import RULES
>>> solution = RULES["mddc"](problem)  # doctest: +SKIP

``RULES`` maps the rule names to these functions:

``edd`` ``spt`` ``wspt`` ``mdd`` ``atc`` ``wilkerson_irwin``  constructive rules (:mod:`.rules`)
``eddc`` ``mddc``  EDD / MDD followed by the challenge passes (:mod:`.challengers`)
``psk``  Panwalkar, Smith & Koulamas (1993) (:mod:`.psk`)
``nbr``  Holsenback & Russell's net benefit of relocation (1992) (:mod:`.nbr`)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from schedkit.heuristics.tardiness.challengers import challenge, eddc, eddc_order, mddc, mddc_order, move_deltas
from schedkit.heuristics.tardiness.nbr import nbr, nbr_order
from schedkit.heuristics.tardiness.psk import psk, psk_order
from schedkit.heuristics.tardiness.rules import (
    ATC_K_VALUES,
    atc,
    atc_order,
    edd,
    edd_order,
    mdd,
    mdd_order,
    spt,
    spt_order,
    wilkerson_irwin,
    wilkerson_irwin_order,
    wspt,
    wspt_order,
)
from schedkit.heuristics.tardiness.sequence import (
    JobArrays,
    completion_times,
    job_arrays,
    schedule,
    sequence_of,
    total_weighted_tardiness,
)
from schedkit.models import ProblemData, Solution

RULES: dict[str, Callable[[ProblemData], Solution]] = {
    "edd": edd,
    "spt": spt,
    "wspt": wspt,
    "mdd": mdd,
    "atc": atc,
    "wilkerson_irwin": wilkerson_irwin,
    "eddc": eddc,
    "mddc": mddc,
    "psk": psk,
    "nbr": nbr,
}
"""Rule name -> ``rule(problem) -> Solution``."""

ORDERS: dict[str, Callable[[JobArrays], np.ndarray]] = {
    "edd": edd_order,
    "spt": spt_order,
    "wspt": wspt_order,
    "mdd": mdd_order,
    "atc": atc_order,
    "wilkerson_irwin": wilkerson_irwin_order,
    "eddc": eddc_order,
    "mddc": mddc_order,
    "psk": psk_order,
    "nbr": nbr_order,
}
"""Rule name -> ``order(jobs) -> sequence`` (a numpy array of task indices), the same rules on :class:`JobArrays`."""

__all__ = [
    "ATC_K_VALUES",
    "ORDERS",
    "RULES",
    "JobArrays",
    "atc",
    "atc_order",
    "challenge",
    "completion_times",
    "edd",
    "edd_order",
    "eddc",
    "eddc_order",
    "job_arrays",
    "mdd",
    "mdd_order",
    "mddc",
    "mddc_order",
    "move_deltas",
    "nbr",
    "nbr_order",
    "psk",
    "psk_order",
    "schedule",
    "sequence_of",
    "spt",
    "spt_order",
    "total_weighted_tardiness",
    "wilkerson_irwin",
    "wilkerson_irwin_order",
    "wspt",
    "wspt_order",
]
