"""Twill's cost normalisation (§5.2), the problem and its answer; the integer program is solved in solvers.

Multiplying every cycle count of a modulo-scheduling problem by a positive
integer gives an isomorphic problem, so only the ratios matter; the solvers,
however, slow down with the size of the numbers. Twill therefore replaces the
distinct cycle counts C_1..C_n by small integers C'_1..C'_n with about the
same ratios:

    minimise F  subject to  -F <= C_i C'_j - C_j C'_i <= F   for all i < j,
                            1 <= sum_i C'_i <= U,  C'_i >= 1 integer,

U (the *budget*) trading resolution for solve time (Twill uses U = 300).
Many tables reach the optimal F (all multiples of an exact answer when the
ratios are exact), so among them the smallest sum of C' is taken.

This module holds what needs no solver: the distinct costs of a table, the
ratio error F of a candidate, the check of an answer and its application to a
table of named primitives (:func:`schedkit.models.pipelining.kernels.forward_costs`);
:func:`schedkit.solvers.methods.cost_normalisation.normalise` solves the
integer program with the project's LP layer (HiGHS).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


def distinct_costs(costs: Mapping[str, int]) -> list[int]:
    """The distinct positive cycle counts of a table, ascending (zeros stay zero and are left out)."""
    return sorted({value for value in costs.values() if value > 0})


def ratio_error(raw: Sequence[int], scaled: Sequence[int]) -> int:
    """Twill's F of a candidate: ``max_{i<j} |C_i C'_j - C_j C'_i|`` (0 for fewer than two costs)."""
    if len(raw) != len(scaled):
        raise ValueError(f"{len(raw)} costs but {len(scaled)} scaled values")
    worst = 0
    for i in range(len(raw)):
        for j in range(i + 1, len(raw)):
            worst = max(worst, abs(raw[i] * scaled[j] - raw[j] * scaled[i]))
    return worst


@dataclass(frozen=True)
class Normalisation:
    """The answer of the normalisation program for one cost table.

    ``mapping`` sends each distinct raw cost to its normalised value;
    ``error`` is F, ``budget`` U; ``optimal`` says whether the solver proved
    F (and then the sum) optimal. ``cycles_per_unit`` is the average number of
    cycles one normalised unit stands for (``sum C / sum C'``).
    """

    raw: dict[str, int]
    scaled: dict[str, int]
    mapping: dict[int, int]
    budget: int
    error: int
    optimal: bool
    notes: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def cycles_per_unit(self) -> float:
        """Average cycles per normalised unit over the distinct costs."""
        total = sum(self.mapping.values())
        return sum(self.mapping) / total if total else 0.0

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready summary."""
        return {
            "budget": self.budget,
            "error": self.error,
            "optimal": self.optimal,
            "cycles_per_unit": round(self.cycles_per_unit, 2),
            "raw": self.raw,
            "scaled": self.scaled,
        }


def check_answer(raw: Sequence[int], scaled: Sequence[int], budget: int) -> list[str]:
    """Why ``scaled`` is not a feasible answer for ``raw`` under ``budget`` (empty when it is)."""
    problems = []
    if len(raw) != len(scaled):
        problems.append(f"{len(raw)} costs but {len(scaled)} scaled values")
    if any(value < 1 for value in scaled):
        problems.append("every scaled cost must be >= 1")
    if not 1 <= sum(scaled) <= budget:
        problems.append(f"the scaled costs sum to {sum(scaled)}, outside [1, {budget}]")
    return problems


def apply(costs: Mapping[str, int], mapping: Mapping[int, int]) -> dict[str, int]:
    """The table with every positive cost replaced by its normalised value (zeros stay zero)."""
    return {name: (mapping[value] if value > 0 else 0) for name, value in costs.items()}
