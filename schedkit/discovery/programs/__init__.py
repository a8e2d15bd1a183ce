"""Reference programs: schedkit's tardiness rules as discovery candidates (seeds and baselines).

Each file defines ``sequence(p, d, w)`` by calling the rule of
:mod:`schedkit.heuristics.tardiness`, so ``schedkit discover tardiness
--evaluate`` scores the rules under exactly the conditions a candidate gets
(child process, limits, the same instances), and a search can start from any
of them with ``--program``.
"""

from pathlib import Path

PROGRAMS: dict[str, Path] = {
    path.stem: path for path in sorted(Path(__file__).parent.glob("*.py")) if not path.stem.startswith("_")
}
"""Rule name -> program file."""
