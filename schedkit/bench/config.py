"""What one batch row is made of: a solver :class:`Config` and a :class:`Job` (instance x config x seed)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from schedkit.solvers.backends import BACKENDS as _SOLVER_BACKENDS

BACKENDS: tuple[str, ...] = tuple(_SOLVER_BACKENDS)
"""Backends a configuration may name (those of :func:`schedkit.solvers.solve`)."""


def _number(value: float) -> str:
    """``10.0`` -> ``"10"``, ``0.5`` -> ``"0.5"``: a short, stable rendering for names."""
    return f"{float(value):g}"


def parse_method(spec: str) -> tuple[str, dict[str, Any]]:
    """A method spec ``name`` or ``name:key=value:key=value`` as (name, options); values typed like the CLI's."""
    name, *pairs = spec.split(":")
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"method spec {spec!r}: options are key=value, got {pair!r}")
        value: Any = {"true": True, "false": False, "none": None}.get(text.lower(), text)
        if isinstance(value, str):
            for kind in (int, float):
                try:
                    value = kind(text)
                    break
                except ValueError:
                    continue
        options[key] = value
    return name, options


@dataclass(frozen=True)
class Config:
    """One way of solving an instance.

    Either a solver run (``backend``, optionally from a ``warm_start`` rule
    or ``"auto"``) or a heuristic alone (``heuristic`` set; ``backend`` is
    then ignored). ``time_limit`` is the solver's budget in seconds; the
    batch runner adds a grace period and kills the worker after that.
    """

    backend: str = "cpsat"
    heuristic: str | None = None
    warm_start: str | None = None
    time_limit: float = 10.0
    threads: int = 1
    method: str | None = None
    """A method of ``solve(method=...)`` around the backend, as ``name[:key=value...]`` (e.g. ``rho:strategy=all``)."""

    def __post_init__(self) -> None:
        if self.method is not None:
            parse_method(self.method)
            if self.heuristic is not None:
                raise ValueError("a configuration runs a heuristic alone or a solver method, not both")
        if self.heuristic is None and self.backend not in BACKENDS:
            raise ValueError(f"unknown backend {self.backend!r}; expected one of {', '.join(BACKENDS)}")
        if self.heuristic is not None and self.warm_start is not None:
            raise ValueError("a configuration runs a heuristic alone or a solver from a warm start, not both")
        if not self.time_limit > 0:
            raise ValueError(f"time_limit must be positive, got {self.time_limit!r}")
        if isinstance(self.threads, bool) or not isinstance(self.threads, int) or self.threads < 1:
            raise ValueError(f"threads must be a positive integer, got {self.threads!r}")

    @property
    def name(self) -> str:
        """A stable short name: ``cpsat/tl10/th1``, ``cpsat+ws:auto/tl10/th1``, ``cpsat+m:rho/tl10/th1``, ...

        (``heuristic:mwkr`` for a rule alone).
        """
        if self.heuristic is not None:
            return f"heuristic:{self.heuristic}"
        head = self.backend if self.warm_start is None else f"{self.backend}+ws:{self.warm_start}"
        if self.method is not None:
            head += f"+m:{self.method}"
        return f"{head}/tl{_number(self.time_limit)}/th{self.threads}"

    @property
    def backend_label(self) -> str:
        """The ``backend`` column of a row: the backend, or ``heuristic`` for a rule run alone."""
        return "heuristic" if self.heuristic is not None else self.backend

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Config:
        """Inverse of :meth:`to_dict`."""
        return cls(**data)


@dataclass(frozen=True)
class Job:
    """One unit of work: solve instance ``instance`` (file ``path``, ``index`` inside it) with ``config``."""

    path: str
    format: str | None
    index: int | None
    config: Config
    seed: int
    set_name: str
    instance: str

    @property
    def key(self) -> tuple[str, str, int]:
        """The identity of the row this job produces: (instance, config name, seed)."""
        return (self.instance, self.config.name, self.seed)

    def to_dict(self) -> dict[str, Any]:
        """The job as a JSON-ready dict (what the worker process receives)."""
        data = asdict(self)
        data["config"] = self.config.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Job:
        """Inverse of :meth:`to_dict`."""
        fields = dict(data)
        fields["config"] = Config.from_dict(fields["config"])
        return cls(**fields)
