"""Writing a problem's MIP as an ``.lp`` or ``.mps`` file, saying exactly which model was written.

An LP or MPS file holds one linear objective. A problem with several
lexicographic levels is therefore not one MIP: level k is optimised with the
levels before it fixed at their optimal values. :func:`write_model` refuses to
guess: a single-level problem is written as it is; for a lexicographic problem
the caller names the ``level`` to write and the values of the earlier levels
(``locks``, e.g. the ``objectives`` of a solve), which become equality rows
``level_j(x) == value_j`` in the file. A cyclic problem is written at one
initiation interval (default: its smallest), since the time-indexed modulo
model is linear only for a fixed II. The returned :class:`WrittenModel` says
what was written, and :meth:`WrittenModel.describe` says it in a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from schedkit.models import ProblemData

SUFFIXES = (".lp", ".mps")
"""The file types written (chosen by the path's suffix)."""


@dataclass(frozen=True)
class WrittenModel:
    """What :func:`write_model` wrote.

    ``level`` is the objective level in the file (None for a problem without
    objective: a feasibility model), ``locks`` the values the earlier levels
    are fixed at, ``ii`` the initiation interval of a cyclic problem.
    """

    path: str
    formulation: str
    level: int | None
    level_names: tuple[str, ...]
    locks: tuple[int, ...] = ()
    ii: int | None = None

    def describe(self) -> str:
        """One sentence: the level, the locks, the II, the formulation and the file."""
        if self.level is None:
            what = "the feasibility model (the problem has no objective)"
        else:
            what = f"level {self.level} '{self.level_names[self.level]}' (of {len(self.level_names)})"
        fixed = ", ".join(f"'{self.level_names[k]}' = {value}" for k, value in enumerate(self.locks))
        extra = f" with {fixed} fixed" if fixed else ""
        cyclic = f" at II = {self.ii}" if self.ii is not None else ""
        return f"wrote {what}{extra}{cyclic} of the {self.formulation} MIP to {self.path}"


def _names(problem: ProblemData) -> tuple[str, ...]:
    from schedkit.models.objective_display import level_names

    return tuple(level_names(problem))


def write_model(
    problem: ProblemData,
    path: str,
    formulation: str | None = None,
    level: int | None = None,
    locks: Sequence[int] = (),
    ii: int | None = None,
) -> WrittenModel:
    """Write the MIP of ``problem`` to ``path`` (``.lp`` or ``.mps``); return what was written.

    Parameters
    ----------
    problem
        The problem.
    path
        The file; its suffix picks the format.
    formulation
        Force a formulation (default: chosen by structure, as ``solve(backend="mip")``).
    level
        The objective level to write. Required when the problem has several
        levels (an LP/MPS file holds one objective); default 0 otherwise.
    locks
        The values of levels ``0 .. level - 1``, written as equality rows
        (exactly ``level`` values: the file then states the lexicographic
        step faithfully).
    ii
        The initiation interval of a cyclic problem (default: its smallest).

    Raises
    ------
    ValueError
        Another suffix, a lexicographic problem without ``level``, a level out
        of range, the wrong number of locks, an II outside the problem's range.
    UnsupportedFeature
        A construct no MIP formulation expresses.
    """
    from schedkit.solvers.linear.formulations import build, choose
    from schedkit.solvers.mip.pyomo_model import PyomoModel

    if not path.lower().endswith(SUFFIXES):
        raise ValueError(f"{path}: write .lp or .mps files")
    names = _names(problem)
    count = len(names)
    if level is None and count > 1:
        listed = ", ".join(f"{k} '{name}'" for k, name in enumerate(names))
        raise ValueError(
            f"the problem has {count} lexicographic levels ({listed}) and an .lp/.mps file holds one objective: "
            "choose the level to write (level=K, --level K) and give the values of the levels before it "
            "(locks=..., --locks V0,V1,..; e.g. the objectives of a solve)"
        )
    chosen = (0 if count else None) if level is None else level
    if chosen is not None and not 0 <= chosen < count:
        raise ValueError(f"level {chosen} does not exist: the problem has {count} level(s) ({', '.join(names)})")
    locks = tuple(int(v) for v in locks)
    expected = chosen or 0
    if len(locks) != expected:
        raise ValueError(
            f"level {chosen} needs the values of the {expected} level(s) before it, got {len(locks)} lock value(s)"
        )
    used_ii = None
    if problem.cycle is not None:
        used_ii = problem.cycle.ii_min if ii is None else ii
        if not problem.cycle.ii_min <= used_ii <= problem.cycle.ii_max:
            raise ValueError(
                f"II {used_ii} is outside the problem's range {problem.cycle.ii_min}..{problem.cycle.ii_max}"
            )
    elif ii is not None:
        raise ValueError("ii applies to cyclic problems only")
    name = choose(problem, formulation)
    encoding = build(problem, name, used_ii or 0)
    model = PyomoModel(encoding.lm, problem.name or "schedkit")
    for index, value in enumerate(locks):
        model.lock(index, value, exact=True)
    model.write(path, level=chosen)
    return WrittenModel(path, name, chosen, names, locks, used_ii)


__all__ = ["SUFFIXES", "WrittenModel", "write_model"]
