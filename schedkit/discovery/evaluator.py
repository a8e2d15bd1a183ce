"""Score a candidate program: run it in a sandbox over the suite, penalise invalid answers, average the gaps.

Per instance i with reference R_i (the certified optimum, or a proven lower
bound when the exact method ran out of time), a valid answer of value V_i has
the gap ``g_i = 100 (V_i - R_i) / R_i`` percent. Instances with ``R_i = 0``
have no gap (as in the challenger paper they do not enter the mean); an
answer there still has to be valid.

Penalty (stated): an instance whose answer is invalid (a job missing or
repeated, an index out of range, an exception, a time-out, the memory limit,
a program that does not load, a killed process) counts as a gap of
``penalty`` percent (default :data:`PENALTY_GAP` = 1000 %, twenty times
EDD's typical mean gap). To keep a valid answer never worse than an invalid
one, valid gaps are capped at the penalty in the search score:

* ``mean_gap``: the plain mean of g_i over the valid instances with
  ``R_i > 0`` (the figure to report; None when there is none);
* ``penalised_gap``: the mean over every instance with ``R_i > 0`` or an
  invalid answer of ``min(g_i, penalty)`` (valid) or ``penalty`` (invalid);
* ``score = -penalised_gap`` (higher is better, what the program database ranks).

For a program that is valid everywhere with gaps below the penalty, the
score is exactly minus its mean gap.
"""

from __future__ import annotations

import functools
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schedkit.discovery.optima import OptimumCache
from schedkit.discovery.sandbox import Limits, run_program
from schedkit.discovery.spec import Reference, Specification, SuiteInstance

__all__ = ["PENALTY_GAP", "Evaluation", "Evaluator", "InstanceScore"]

PENALTY_GAP = 1000.0
"""Gap in percent charged for an invalid answer on one instance (see the module docstring)."""


@dataclass(frozen=True)
class InstanceScore:
    """The result of one instance: ``status`` ``ok`` or why the answer is invalid (with ``reason``)."""

    name: str
    group: str
    status: str
    value: int | None
    reference: int
    proven: bool
    gap: float | None
    reason: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class Evaluation:
    """Every instance's result and the aggregates of the module docstring."""

    instances: tuple[InstanceScore, ...]
    penalty: float
    seconds: float = 0.0

    @property
    def valid(self) -> int:
        """Instances with a valid answer."""
        return sum(item.status == "ok" for item in self.instances)

    @property
    def invalid(self) -> int:
        """Instances with an invalid answer."""
        return len(self.instances) - self.valid

    @property
    def mean_gap(self) -> float | None:
        """Mean gap (%) over the valid instances with a positive reference."""
        gaps = [item.gap for item in self.instances if item.gap is not None]
        return statistics.fmean(gaps) if gaps else None

    def _contributions(self) -> list[float]:
        out = []
        for item in self.instances:
            if item.status != "ok":
                out.append(self.penalty)
            elif item.gap is not None:
                out.append(min(item.gap, self.penalty))
        return out

    @property
    def penalised_gap(self) -> float:
        """Mean of the capped gaps and penalties (0 when no instance counts)."""
        values = self._contributions()
        return statistics.fmean(values) if values else 0.0

    @property
    def score(self) -> float:
        """``-penalised_gap``: higher is better."""
        return -self.penalised_gap

    @property
    def signature(self) -> tuple[float, ...]:
        """Per-instance contributions (rounded): programs with equal signatures behave alike on the suite."""
        return tuple(round(self.penalty if item.status != "ok" else (item.gap or 0.0), 9) for item in self.instances)

    def failures(self) -> Counter[str]:
        """How many instances failed, by status."""
        return Counter(item.status for item in self.instances if item.status != "ok")

    def first_failure(self) -> str:
        """The first invalid instance and why, for logs ("" when every answer is valid)."""
        for item in self.instances:
            if item.status != "ok":
                return f"{item.name}: {item.status}: {item.reason}"
        return ""

    def by_group(self) -> dict[str, dict[str, Any]]:
        """Per group (for tardiness: per n): instances, invalid answers, mean gap."""
        out: dict[str, dict[str, Any]] = {}
        for group in dict.fromkeys(item.group for item in self.instances):
            mine = [item for item in self.instances if item.group == group]
            gaps = [item.gap for item in mine if item.gap is not None]
            out[group] = {
                "instances": len(mine),
                "invalid": sum(item.status != "ok" for item in mine),
                "mean_gap": statistics.fmean(gaps) if gaps else None,
            }
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "score": self.score,
            "mean_gap": self.mean_gap,
            "penalised_gap": self.penalised_gap,
            "valid": self.valid,
            "invalid": self.invalid,
            "failures": dict(self.failures()),
            "first_failure": self.first_failure(),
            "by_group": self.by_group(),
            "seconds": round(self.seconds, 3),
        }


class Evaluator:
    """Scores program files of one :class:`Specification` on a fixed suite with fixed references."""

    def __init__(
        self,
        spec: Specification,
        instances: Sequence[SuiteInstance],
        references: Sequence[Reference],
        limits: Limits | None = None,
        penalty: float = PENALTY_GAP,
    ) -> None:
        if len(instances) != len(references):
            raise ValueError(f"{len(instances)} instances but {len(references)} references")
        if not penalty > 0:
            raise ValueError(f"the penalty must be a positive gap in percent, got {penalty!r}")
        self.spec = spec
        self.instances = list(instances)
        self.references = list(references)
        self.limits = limits if limits is not None else Limits()
        self.penalty = float(penalty)

    @classmethod
    def for_spec(
        cls,
        spec: Specification,
        sizes: Sequence[int] | None = None,
        per_class: int = 1,
        seed: int = 0,
        cache: OptimumCache | None = None,
        exact_time_limit: float | None = 120.0,
        limits: Limits | None = None,
        penalty: float = PENALTY_GAP,
        progress: Callable[[int, int, SuiteInstance], None] | None = None,
    ) -> Evaluator:
        """Build the suite of ``spec`` and its references (from ``cache``, computed when missing)."""
        instances = spec.instances(spec.default_sizes if sizes is None else sizes, per_class, seed)
        cache = cache if cache is not None else OptimumCache(None)
        references = []
        for index, instance in enumerate(instances):
            if progress is not None:
                progress(index, len(instances), instance)
            references.append(
                cache.get(
                    spec.name,
                    instance.arrays,
                    functools.partial(spec.reference, instance),
                    exact_time_limit,
                )
            )
        return cls(spec, instances, references, limits, penalty)

    def _score(
        self, instance: SuiteInstance, reference: Reference, kind: str, output: Any, error: str, seconds: float
    ) -> InstanceScore:
        def scored(status: str, value: int | None = None, gap: float | None = None, reason: str = "") -> InstanceScore:
            return InstanceScore(
                instance.name, instance.group, status, value, reference.value, reference.proven, gap, reason, seconds
            )

        if kind != "ok":
            return scored(kind, reason=error)
        reason = self.spec.check_output(instance, output)
        if reason is not None:
            return scored("invalid", reason=reason)
        value = self.spec.objective(instance, output)
        if value < reference.value:
            raise AssertionError(
                f"{instance.name}: value {value} is below the certified reference {reference.value}; "
                "the reference or the objective is wrong"
            )
        return scored("ok", value, 100.0 * (value - reference.value) / reference.value if reference.value > 0 else None)

    def evaluate(self, program: str | Path) -> Evaluation:
        """Run the program file on every instance (in a child process) and score it."""
        started = time.perf_counter()
        outcomes = run_program(program, self.spec.function, [item.arrays for item in self.instances], self.limits)
        scores = tuple(
            self._score(instance, reference, outcome.kind, outcome.output, outcome.error, outcome.seconds)
            for instance, reference, outcome in zip(self.instances, self.references, outcomes)
        )
        return Evaluation(scores, self.penalty, time.perf_counter() - started)

    def evaluate_source(self, source: str) -> Evaluation:
        """:meth:`evaluate` of a program given as text (written to a temporary file)."""
        with tempfile.TemporaryDirectory(prefix="schedkit-candidate-") as tmp:
            path = Path(tmp) / "candidate.py"
            path.write_text(source)
            return self.evaluate(path)
