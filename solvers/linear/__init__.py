"""The linear model of the IR, shared by the MIP and LP backends.

:mod:`.linear` holds the backend-neutral linear model (variables with bounds
and hints, rows, one objective per level); :mod:`.encoding` the expressions
every formulation shares (tasks, precedences, presence logic, objective
terms); :mod:`.time_indexed`, :mod:`.disjunctive`, :mod:`.positional` and the
assignment and modulo variants the formulations, chosen by structure in
:mod:`.formulations`; :mod:`.highs_direct` hands a model to HiGHS without
Pyomo, and :mod:`.selection` builds the time-free 0/1 hot path as arrays.
The ``mip`` backend solves these models through Pyomo (or highspy), the
``lp`` backend their relaxations; neither imports the other.
"""

from schedkit.solvers.linear.formulations import build, choose, ii_first
from schedkit.solvers.linear.highs_direct import DirectSolve, solve_direct
from schedkit.solvers.linear.linear import LinearModel, LinExpr
from schedkit.solvers.linear.selection import SelectionArrays, solve_selection

__all__ = [
    "DirectSolve",
    "LinExpr",
    "LinearModel",
    "SelectionArrays",
    "build",
    "choose",
    "ii_first",
    "solve_direct",
    "solve_selection",
]
