"""``LinearModel``: a mixed-integer linear program held as plain arrays.

Every MIP formulation of the IR writes into one of these; the Pyomo emitter
(:mod:`schedkit.solvers.mip.pyomo_model`) and the direct HiGHS path
(:mod:`schedkit.solvers.linear.highs_direct`) read it. Keeping the formulation separate from
the modelling layer means the LP relaxation, the MIP and the hot path solve the
same model, and a formulation is written once.

A variable carries a *hint function* computing its value from a
:class:`~schedkit.solvers.solution_view.SolutionView`, so any IR ``Solution`` becomes a
complete MIP start, and a *decode* function reads a ``Solution`` back from
variable values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from schedkit.models import Solution
from schedkit.solvers.linear.deadline import tick
from schedkit.solvers.solution_view import SolutionView

HintFn = Callable[[SolutionView], float]


class LinExpr:
    """A linear expression ``sum_j coef_j x_j + constant`` over variable indices.

    Supports ``+``, ``-`` and multiplication by a number; that is all a
    formulation needs and keeps building cheap.
    """

    __slots__ = ("coefs", "constant")

    def __init__(self, coefs: dict[int, float] | None = None, constant: float = 0.0) -> None:
        self.coefs: dict[int, float] = coefs if coefs is not None else {}
        self.constant = constant

    @classmethod
    def of(cls, value: LinExpr | float | int) -> LinExpr:
        """``value`` as an expression (a copy when it already is one)."""
        if isinstance(value, LinExpr):
            return LinExpr(dict(value.coefs), value.constant)
        return LinExpr({}, float(value))

    @classmethod
    def var(cls, index: int, coef: float = 1.0) -> LinExpr:
        """The expression ``coef * x_index``."""
        return LinExpr({index: coef})

    @classmethod
    def total(cls, items: Iterable[tuple[int, float]], constant: float = 0.0) -> LinExpr:
        """``sum coef * x`` over ``(index, coef)`` pairs (repeated indices add up)."""
        coefs: dict[int, float] = {}
        for index, coef in items:
            coefs[index] = coefs.get(index, 0.0) + coef
        return LinExpr(coefs, constant)

    def add(self, other: LinExpr | float | int, scale: float = 1.0) -> LinExpr:
        """Add ``scale * other`` in place and return self."""
        if isinstance(other, LinExpr):
            coefs = self.coefs
            for index, coef in other.coefs.items():
                coefs[index] = coefs.get(index, 0.0) + scale * coef
            self.constant += scale * other.constant
        else:
            self.constant += scale * other
        return self

    def add_all(self, items: Iterable[tuple[LinExpr | float | int, float]]) -> LinExpr:
        """Add ``scale * expr`` for every ``(expr, scale)`` pair, in place; return self."""
        for other, scale in items:
            self.add(other, scale)
        return self

    def __add__(self, other: LinExpr | float | int) -> LinExpr:
        return LinExpr.of(self).add(other)

    __radd__ = __add__

    def __sub__(self, other: LinExpr | float | int) -> LinExpr:
        return LinExpr.of(self).add(other, -1.0)

    def __rsub__(self, other: LinExpr | float | int) -> LinExpr:
        return LinExpr.of(other).add(self, -1.0)

    def __mul__(self, scale: float) -> LinExpr:
        return LinExpr({i: scale * c for i, c in self.coefs.items()}, scale * self.constant)

    __rmul__ = __mul__

    def __neg__(self) -> LinExpr:
        return self * -1.0

    @property
    def is_constant(self) -> bool:
        """Whether no variable has a non-zero coefficient."""
        return not any(self.coefs.values())

    def value(self, values: Sequence[float]) -> float:
        """The expression's value at ``values``."""
        return self.constant + sum(coef * values[i] for i, coef in self.coefs.items())

    def bounds(self, lb: Sequence[float], ub: Sequence[float]) -> tuple[float, float]:
        """Interval bounds of the expression from variable bounds."""
        low = high = self.constant
        for i, c in self.coefs.items():
            if c > 0:
                low += c * lb[i]
                high += c * ub[i]
            elif c < 0:
                low += c * ub[i]
                high += c * lb[i]
        return low, high


@dataclass
class Row:
    """``lo <= sum coefs * x <= hi`` (``-inf`` / ``inf`` for one-sided rows)."""

    indices: list[int]
    coefs: list[float]
    lo: float
    hi: float
    name: str


@dataclass
class LevelObjective:
    """One lexicographic level: ``expr`` minimised or maximised."""

    expr: LinExpr
    maximize: bool
    name: str


@dataclass
class LinearModel:
    """A MILP: variables with bounds and integrality, rows, lexicographic objectives.

    ``formulation`` names how the IR was encoded (``time_indexed``,
    ``disjunctive``, ``positional``, ``assignment``, ``modulo``).
    ``decode(values)`` turns variable values into an IR ``Solution``.
    """

    formulation: str
    names: list[str] = field(default_factory=list)
    lb: list[float] = field(default_factory=list)
    ub: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    hints: list[HintFn] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    levels: list[LevelObjective] = field(default_factory=list)
    decode: Callable[[Sequence[float]], Solution] | None = None
    notes: list[str] = field(default_factory=list)

    # -------------------------------------------------------------- building
    def new_var(self, lb: float, ub: float, name: str, hint: HintFn, integer: bool = True) -> int:
        """Add a variable and return its index."""
        self.names.append(name)
        self.lb.append(lb)
        self.ub.append(ub)
        self.integer.append(integer)
        self.hints.append(hint)
        return len(self.names) - 1

    def new_binary(self, name: str, hint: HintFn) -> int:
        """Add a 0/1 variable."""
        return self.new_var(0, 1, name, hint, True)

    def add_row(self, expr: LinExpr, lo: float = -math.inf, hi: float = math.inf, name: str = "") -> None:
        """Add ``lo <= expr <= hi`` (the expression's constant moves to the bounds).

        A row without variables is checked at once: if it cannot hold, the model
        gets an infeasible empty row (the solver then reports infeasibility).
        """
        tick()  # a build under a time limit stops when the limit passes (solvers.linear.deadline)
        items = [(i, c) for i, c in expr.coefs.items() if c != 0]
        lo -= expr.constant
        hi -= expr.constant
        if not items:
            if lo > 1e-9 or hi < -1e-9:
                self.rows.append(Row([], [], lo, hi, name or f"r{len(self.rows)}"))
            return
        self.rows.append(Row([i for i, _ in items], [c for _, c in items], lo, hi, name or f"r{len(self.rows)}"))

    def add_le(self, left: LinExpr | float, right: LinExpr | float, name: str = "") -> None:
        """Add ``left <= right``."""
        self.add_row(LinExpr.of(left).add(right, -1.0), hi=0.0, name=name)

    def add_eq(self, left: LinExpr | float, right: LinExpr | float, name: str = "") -> None:
        """Add ``left == right``."""
        self.add_row(LinExpr.of(left).add(right, -1.0), lo=0.0, hi=0.0, name=name)

    # -------------------------------------------------------------- reading
    @property
    def num_vars(self) -> int:
        """Number of variables."""
        return len(self.names)

    @property
    def num_rows(self) -> int:
        """Number of rows."""
        return len(self.rows)

    @property
    def num_nonzeros(self) -> int:
        """Number of non-zero matrix coefficients."""
        return sum(len(row.indices) for row in self.rows)

    @property
    def num_integer(self) -> int:
        """Number of integer (including 0/1) variables."""
        return sum(self.integer)

    def hint_values(self, view: SolutionView) -> list[float]:
        """Every variable's value for the solution behind ``view`` (a complete MIP start)."""
        return [float(fn(view)) for fn in self.hints]

    def csr(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The constraint matrix in compressed sparse row form: ``(starts, indices, values, lo, hi)``."""
        starts = np.zeros(len(self.rows) + 1, dtype=np.int32)
        lengths = [len(row.indices) for row in self.rows]
        if lengths:
            np.cumsum(lengths, out=starts[1:])
        indices = np.fromiter((i for row in self.rows for i in row.indices), dtype=np.int32, count=int(starts[-1]))
        values = np.fromiter((c for row in self.rows for c in row.coefs), dtype=np.float64, count=int(starts[-1]))
        lo = np.array([row.lo for row in self.rows], dtype=np.float64)
        hi = np.array([row.hi for row in self.rows], dtype=np.float64)
        return starts, indices, values, lo, hi

    def violated_rows(self, values: Sequence[float], tolerance: float = 1e-6) -> list[str]:
        """Names of rows and bounds that ``values`` violates (used to test hint functions)."""
        out = [
            f"bound {self.names[i]}: {v} not in [{self.lb[i]}, {self.ub[i]}]"
            for i, v in enumerate(values)
            if v < self.lb[i] - tolerance or v > self.ub[i] + tolerance
        ]
        for row in self.rows:
            activity = sum(c * values[i] for i, c in zip(row.indices, row.coefs))
            if activity < row.lo - tolerance or activity > row.hi + tolerance:
                out.append(f"row {row.name}: {activity} not in [{row.lo}, {row.hi}]")
        return out

    def summary(self) -> dict[str, int | str]:
        """Sizes for ``Result.stats``."""
        return {
            "formulation": self.formulation,
            "variables": self.num_vars,
            "integer_variables": self.num_integer,
            "rows": self.num_rows,
            "nonzeros": self.num_nonzeros,
        }
