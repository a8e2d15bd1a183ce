"""Twill's cost-normalisation integer program (§5.2), on the project's LP layer and HiGHS.

See :mod:`schedkit.models.pipelining.normalisation` for the problem. With C the
distinct raw costs, the program is

    minimise F  s.t.  C_i C'_j - C_j C'_i - F <= 0,  C_j C'_i - C_i C'_j - F <= 0  (i < j),
                      sum_i C'_i <= U,  C'_i in {1, ..., U} integer,  F >= 0,

solved as a :class:`~schedkit.solvers.linear.linear.LinearModel` by
:func:`~schedkit.solvers.linear.highs_direct.solve_direct`, in two lexicographic
levels: F first, then the sum of C' (the smallest table among the F-optimal
ones; the ratios being exact, an exact table's multiples all have F = 0).
The answer is re-checked in exact integers (F recomputed, bounds) before it is
returned.
"""

from __future__ import annotations

from collections.abc import Mapping

from schedkit.models.pipelining.normalisation import Normalisation, apply, check_answer, distinct_costs, ratio_error
from schedkit.solvers.linear.highs_direct import solve_direct
from schedkit.solvers.linear.linear import LevelObjective, LinearModel, LinExpr

TWILL_BUDGET = 300
"""U in Twill's experiments."""


def normalisation_model(costs: list[int], budget: int) -> tuple[LinearModel, list[int], int]:
    """The program for ``costs`` (distinct positive cycle counts): the model, the C' columns and F's column."""
    lm = LinearModel("cost_normalisation")
    scaled = [lm.new_var(1, budget, f"C'[{c}]", lambda v: 1.0) for c in costs]
    error = lm.new_var(0, float(max(costs) * budget), "F", lambda v: 0.0, integer=False)
    for i in range(len(costs)):
        for j in range(i + 1, len(costs)):
            gap = LinExpr.total([(scaled[j], costs[i]), (scaled[i], -costs[j])])
            lm.add_le(gap - LinExpr.var(error), 0.0, name=f"F>=+[{i},{j}]")
            lm.add_le(-gap - LinExpr.var(error), 0.0, name=f"F>=-[{i},{j}]")
    lm.add_le(LinExpr.total((column, 1.0) for column in scaled), float(budget), name="sum<=U")
    lm.levels = [
        LevelObjective(LinExpr.var(error), False, "ratio_error"),
        LevelObjective(LinExpr.total((column, 1.0) for column in scaled), False, "sum"),
    ]
    return lm, scaled, error


def normalise(costs: Mapping[str, int], budget: int = TWILL_BUDGET, time_limit: float | None = 10.0) -> Normalisation:
    """Normalise a table of named primitive costs (cycles) to small integers with the same ratios.

    Returns the table with every positive cost replaced (zeros stay zero),
    the mapping of distinct costs, F and whether both levels were proven
    optimal. Raises ``ValueError`` when the budget is smaller than the number
    of distinct costs (each needs at least 1) or HiGHS finds no answer.
    """
    values = distinct_costs(costs)
    if not values:
        return Normalisation(dict(costs), dict(costs), {}, budget, 0, True)
    if budget < len(values):
        raise ValueError(f"budget U = {budget} is below the {len(values)} distinct costs (each scales to >= 1)")
    if len(values) == 1:
        return Normalisation(dict(costs), apply(costs, {values[0]: 1}), {values[0]: 1}, budget, 0, True)
    lm, scaled, _ = normalisation_model(values, budget)
    first = solve_direct(lm, level=0, time_limit=time_limit)
    if first.values is None or first.objective is None:
        raise ValueError(f"the normalisation program found no answer ({first.status})")
    second = solve_direct(lm, level=1, time_limit=time_limit, locks=[(0, first.objective + 1e-6)])
    answer = second if second.values is not None else first
    assert answer.values is not None
    table = [round(answer.values[column]) for column in scaled]
    problems = check_answer(values, table, budget)
    if problems:
        raise ValueError("the normalisation program returned an invalid table: " + "; ".join(problems))
    mapping = dict(zip(values, table))
    optimal = first.status == "optimal" and second.status == "optimal"
    return Normalisation(
        raw=dict(costs),
        scaled=apply(costs, mapping),
        mapping=mapping,
        budget=budget,
        error=ratio_error(values, table),
        optimal=optimal,
    )
