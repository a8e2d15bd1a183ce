"""schedkit: one problem description for scheduling and resource allocation, solved by exact backends.

Build a problem with :class:`Model` (or a family builder such as :func:`jobshop`), or :func:`read` a
standard file; :func:`solve` it with CP-SAT, a MIP or an LP relaxation; every returned schedule has
passed the independent :func:`check`; :func:`certify` proves how good any schedule is; :func:`plot` draws it
and ``solution.to_frame(problem)`` tabulates it::

    import schedkit as sk

    problem = sk.read("ft06")
    result = sk.solve(problem, time_limit=10)
    assert sk.check(problem, result.solution) == []

The subpackages are :mod:`schedkit.models` (the IR and the family builders), :mod:`schedkit.solvers`
(backends, checker, bounds, certificates), :mod:`schedkit.heuristics` (rules and emulations that build
schedules without a solver) and :mod:`schedkit.instances` (readers, generators, bundled instances).
"""

from schedkit._version import __version__
from schedkit.instances import FormatError, bundled, read
from schedkit.models import (
    Model,
    ModelError,
    PrecedenceType,
    ProblemData,
    ResourceKind,
    Sense,
    Solution,
    TaskAssignment,
    TermKind,
    load_problem,
    load_solution,
    save_problem,
    save_solution,
    term,
)
from schedkit.models.fjsp import fjsp
from schedkit.models.jobshop import jobshop
from schedkit.models.kvtree import kvtree
from schedkit.models.pipelining import pipelining
from schedkit.models.podpack import podpack
from schedkit.models.rcpsp import rcpsp
from schedkit.models.tardiness import tardiness
from schedkit.plots import plot
from schedkit.solvers import (
    Certificate,
    Result,
    Status,
    UnsupportedFeature,
    Violation,
    certify,
    check,
    evaluate,
    run_heuristic,
    solve,
)

__all__ = [
    "Certificate",
    "FormatError",
    "Model",
    "ModelError",
    "PrecedenceType",
    "ProblemData",
    "ResourceKind",
    "Result",
    "Sense",
    "Solution",
    "Status",
    "TaskAssignment",
    "TermKind",
    "UnsupportedFeature",
    "Violation",
    "__version__",
    "bundled",
    "certify",
    "check",
    "evaluate",
    "fjsp",
    "jobshop",
    "kvtree",
    "load_problem",
    "load_solution",
    "pipelining",
    "plot",
    "podpack",
    "rcpsp",
    "read",
    "run_heuristic",
    "save_problem",
    "save_solution",
    "solve",
    "tardiness",
    "term",
]
