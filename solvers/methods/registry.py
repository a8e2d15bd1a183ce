"""Methods that ``solve(problem, method=...)`` can run: named, with typed options, each in its own module.

A method drives one or more backends (or none) over the IR: large
neighbourhood search, rolling-horizon optimisation, an exact special-purpose
algorithm, a portfolio. Whatever it does, it returns a
:class:`~schedkit.solvers.result.BackendOutcome` that ``solve()`` judges like a
backend's: the independent checker verifies the schedule on the whole problem
and a valid warm start is never lost.

A method registers itself with :func:`register` when its module is imported;
:data:`METHOD_MODULES` lists the modules ``solve()`` imports to find them, so
a new method is one module plus one line there.

``method="backend"`` (the default when ``backend=`` is given) runs the backend
alone.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from schedkit.models import ProblemData
from schedkit.solvers.result import BackendOutcome

METHOD_MODULES: tuple[str, ...] = (
    "schedkit.solvers.methods.rho",
    "schedkit.solvers.methods.auto",
    "schedkit.solvers.methods.lns",
)
"""Modules that register methods when imported (``schedkit.solvers.methods.<name>``)."""


@dataclass(frozen=True)
class NoOptions:
    """A method without options."""

    def validate(self) -> None:
        """Nothing to check."""


@dataclass(frozen=True)
class Method:
    """A method: its name, what it does, its options dataclass, when it applies and its run function.

    ``run(problem, *, backend, backend_options, options, time_limit, threads,
    seed, warm_start, callback, time_split) -> BackendOutcome``; ``applies``
    returns None when the method can solve the problem, else the reason it
    cannot (the method declines instead of guessing).
    """

    name: str
    description: str
    run: Callable[..., BackendOutcome]
    options: type = NoOptions
    applies: Callable[[ProblemData], str | None] = lambda problem: None

    @property
    def option_names(self) -> list[str]:
        """The options the method accepts."""
        return [f.name for f in dataclasses.fields(self.options)]

    def parse_options(self, options: Mapping[str, Any]) -> Any:
        """The options as the method's dataclass (validated)."""
        parsed = self.options(**options)
        parsed.validate()
        return parsed


METHODS: dict[str, Method] = {}
"""The registered methods by name."""


def register(method: Method) -> Method:
    """Add ``method`` to :data:`METHODS` (a method module calls this at import)."""
    METHODS[method.name] = method
    return method


def get_method(name: str) -> Method:
    """The method called ``name``; ``ValueError`` listing the known ones otherwise."""
    for module in METHOD_MODULES:
        importlib.import_module(module)
    try:
        return METHODS[name]
    except KeyError:
        known = ", ".join(["backend", *sorted(METHODS)])
        raise ValueError(f"unknown method {name!r}; known: {known}") from None


def split_options(
    method: Method | None, backend_names: list[str], options: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split keyword options into (method options, backend options); ``ValueError`` for one neither takes.

    A name both take goes to the method.
    """
    method_names = set(method.option_names) if method is not None else set()
    mine = {key: value for key, value in options.items() if key in method_names}
    theirs = {key: value for key, value in options.items() if key not in method_names}
    return mine, theirs
