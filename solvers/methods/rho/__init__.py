"""Rolling-horizon optimisation (RHO) for long schedules, with learned fixing (L-RHO, Graph-RHO).

``solve(problem, method="rho", window=80, commit=30, strategy="learned")``
decomposes a makespan problem over time into windows of H operations, solves
each with CP-SAT and commits the S earliest; the operations two windows share
are fixed (machine kept), hinted or left free by a strategy. Modules:

===================  ============================================================
``structure``        when RHO applies; operation order by relative position
``state``            the committed schedule as releases and calendars
``window``           a window as a ``ProblemData``
``window_solver``    CP-SAT per window with early stop and machine hints
``warm``             each window's starting schedule (previous placements, new operations first-fit)
``strategies``       none / all / first / random / hint / learned / oracle
``loop``             the RHO loop
``oracle``           L-RHO's look-ahead labels
``features``         L-RHO's task and machine features, Graph-RHO's critical path
``model``            the NumPy classifier and the shipped ``weights.npz``
``training``         fitting it (used by ``results/scripts/train_rho_fixing.py``)
``bounds``           the pooled machine-work lower bound (deviation reference)
``method``           the ``rho`` method of ``solve()``
===================  ============================================================
"""

from schedkit.solvers.methods.registry import register
from schedkit.solvers.methods.rho.loop import RhoRun, WindowContext, run_rho
from schedkit.solvers.methods.rho.method import RHO_METHOD
from schedkit.solvers.methods.rho.options import STRATEGIES, RhoOptions
from schedkit.solvers.methods.rho.strategies import Decision, adaptive_threshold, decide

register(RHO_METHOD)

__all__ = [
    "RHO_METHOD",
    "STRATEGIES",
    "Decision",
    "RhoOptions",
    "RhoRun",
    "WindowContext",
    "adaptive_threshold",
    "decide",
    "run_rho",
]
