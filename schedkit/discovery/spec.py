"""What a discovery run evolves: the function's signature, its contract, its instances and how an answer is scored.

A :class:`Specification` is everything the evaluator and the search need to
know about one problem family, so that a family other than single-machine
tardiness only has to supply another one (see
:mod:`schedkit.discovery.tardiness` for the first):

* the name and signature of the evolved function and the *description* (the
  problem statement and the contract, shown in every prompt);
* a *template*: a complete, runnable program file a user copies and edits
  (the default starting point of a search);
* the seeded instance suite (``instances(sizes, per_class, seed)``), whose
  arrays are passed to the function by keyword;
* ``check_output``: why an output is not a valid answer (None when it is);
* ``objective``: the value of a valid answer (minimised), computed by the
  parent process through the independent checker, never by the candidate;
* ``reference``: the certified optimum (or a proven lower bound when the
  exact method runs out of time) that gaps are measured against.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from schedkit.models import ProblemData

__all__ = ["Reference", "Specification", "SuiteInstance"]


@dataclass(frozen=True)
class SuiteInstance:
    """One instance of a suite: ``arrays`` go to the evolved function; ``problem`` is its IR form."""

    name: str
    group: str
    arrays: Mapping[str, np.ndarray]
    problem: ProblemData


@dataclass(frozen=True)
class Reference:
    """The value gaps are measured against: the optimum when ``proven``, else a proven lower bound."""

    value: int
    proven: bool
    seconds: float = 0.0


@dataclass(frozen=True)
class Specification:
    """One family's discovery problem (see the module docstring)."""

    name: str
    function: str
    signature: str
    description: str
    template: Path
    default_sizes: tuple[int, ...]
    instances: Callable[[Sequence[int], int, int], list[SuiteInstance]]
    check_output: Callable[[SuiteInstance, list[int]], str | None]
    objective: Callable[[SuiteInstance, list[int]], int]
    reference: Callable[[SuiteInstance, float | None], Reference]

    def template_source(self) -> str:
        """The text of the template program."""
        return self.template.read_text()
