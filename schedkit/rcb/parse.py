"""Read a schedule back from a model's free-text answer.

Formats read (each task's start time is an integer; ``12.0`` is read as 12):

``lines``  one task per line, ``name SEP start``, where SEP is ``:``, ``=``,
           ``->``, ``,``, ``@``, a tab, ``starts at``, ``start at``, ``at``,
           optionally followed by ``start``/``start time``/``t =`` before the
           number; the line may begin with a bullet (``-``, ``*``, ``1.``,
           ``1)``) and the word ``task``, the name may be in ``**bold**`` or
           ```backticks```, and text in parentheses may follow the name
           (``a3 (duration 4): 12``). ``start(a3) = 12`` and
           ``S_a3 = 12`` are read too. Anything after the number is ignored
           (``a3: 12-16``, ``a3: start 12, end 16``).
``table``  a Markdown table with one task per row; the start is the column
           whose header mentions "start" (else the first integer cell after
           the name).
``json``   an object ``{"a3": 12}`` or ``{"a3": {"start": 12}}``, or a list of
           objects with a name key (``task``, ``name``, ``id``) and a
           ``start`` key, bare or in a ``json`` code fence.

Names match the instance's task names ignoring case and any character that is
not a letter or a digit (``Sync web-01`` matches ``sync_web01``). When a task
appears several times, the *last* value wins (models often repeat their
final plan after reasoning); conflicting repeats are reported as warnings.
The format that finds the most tasks is used (ties: json, table, lines).

A reply that yields no task at all raises :class:`ParseError` with the reason
(empty, no line of a known form naming a task, or tasks named that the
instance does not have). Tasks the reply leaves out are not a parse error:
they are graded as missing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from schedkit.models import ProblemData

__all__ = ["ParseError", "ParsedSchedule", "normalise", "parse_schedule"]


class ParseError(ValueError):
    """The answer holds no readable schedule; the message says why."""


@dataclass
class ParsedSchedule:
    """Start time per task index, the format it came in, and what the parser noticed on the way."""

    starts: dict[int, int]
    format: str
    warnings: list[str] = field(default_factory=list)

    def missing(self, problem: ProblemData) -> list[str]:
        """Names of the tasks the answer does not schedule."""
        return [task.name for i, task in enumerate(problem.tasks) if i not in self.starts]


def normalise(name: str) -> str:
    """Lower case, letters and digits only: the key names are matched on."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


_NUMBER = r"(?P<start>[-+]?\d+(?:\.\d+)?)"
_END = r"(?!\d|\.\d)"
_PREFIXES = ("task", "job", "activity", "server", "step")
_NAME = r"(?P<name>[A-Za-z][\w.\-]*(?:[ ](?!(?:starts?|begins?|at|start|time)\b)[A-Za-z0-9][\w.\-]*)?)"
_LINE_PATTERNS = [
    re.compile(
        r"^(?:task\s+)?" + _NAME + r"\s*(?:\([^)]*\))?\s*"
        r"(?::|=|->|→|,|@|\t|\s+starts?\s+at\b|\s+at\b|\s+begins?\s+at\b)\s*"
        r"(?:(?:start(?:s|ing)?(?:\s*time)?|begin)\s*(?:=|:|at)?\s*)?(?:t\s*=\s*)?(?:(?:time|hour)\s+)?"
        + _NUMBER
        + _END,
        re.IGNORECASE,
    ),
    re.compile(r"^start\s*\(\s*" + _NAME + r"\s*\)\s*=\s*" + _NUMBER + _END, re.IGNORECASE),
    re.compile(r"^S_\{?" + _NAME + r"\}?\s*=\s*" + _NUMBER + _END),
]
_BULLET = re.compile(r"^\s*(?:[-*•+]|\d+[.)])\s+")
_FENCE = re.compile(r"```[ \t]*(?:json)?[ \t]*\n(.*?)```", re.DOTALL | re.IGNORECASE)


class _Collector:
    """Task starts by index, last value wins, with warnings."""

    def __init__(self, problem: ProblemData) -> None:
        self.keys = {normalise(task.name): i for i, task in enumerate(problem.tasks)}
        self.names = [task.name for task in problem.tasks]
        self.starts: dict[int, int] = {}
        self.warnings: list[str] = []
        self.unknown: list[str] = []

    def index(self, name: str) -> int | None:
        """The task ``name`` refers to (``Job a3`` and the like included), None when none."""
        index = self.keys.get(normalise(name))
        words = name.split()
        if index is None and len(words) == 2 and words[0].lower() in _PREFIXES:  # "Job a3"
            index = self.keys.get(normalise(words[1]))
        return index

    def knows(self, name: str) -> bool:
        """Whether ``name`` refers to a task."""
        return self.index(name) is not None

    def add(self, name: str, value: Any) -> None:
        index = self.index(str(name))
        if index is None:
            if name not in self.unknown:
                self.unknown.append(str(name))
            return
        start = _integer(value)
        if start is None:
            self.warnings.append(f"{self.names[index]}: start {value!r} is not an integer; ignored")
            return
        previous = self.starts.get(index)
        if previous is not None and previous != start:
            self.warnings.append(f"{self.names[index]} is given start {previous} and later {start}; {start} is used")
        self.starts[index] = start


def _integer(value: Any) -> int | None:
    if isinstance(value, (list, tuple)) and value:  # [start, end]
        value = value[0]
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _strip_decoration(line: str) -> str:
    line = _BULLET.sub("", line.strip())
    return line.replace("**", "").replace("__", "").replace("`", "").strip()


def _from_lines(text: str, problem: ProblemData) -> _Collector:
    found = _Collector(problem)
    for raw in text.splitlines():
        line = _strip_decoration(raw)
        if not line or line.startswith("|"):
            continue
        matches = [m for m in (pattern.match(line) for pattern in _LINE_PATTERNS) if m]
        known = [m for m in matches if found.knows(m["name"])]
        if known or matches:
            chosen = (known or matches)[0]
            found.add(chosen["name"], chosen["start"])
    return found


def _cells(line: str) -> list[str]:
    return [cell.strip().replace("**", "").replace("`", "").strip() for cell in line.strip().strip("|").split("|")]


def _from_tables(text: str, problem: ProblemData) -> _Collector:
    found = _Collector(problem)
    start_column: int | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line.startswith("|"):
            start_column = None  # a table ended
            continue
        cells = _cells(line)
        if all(re.fullmatch(r":?-{2,}:?", cell) for cell in cells if cell):
            continue  # the separator row
        lowered = [cell.lower() for cell in cells]
        if any("start" in cell for cell in lowered) and not any(normalise(c) in found.keys for c in cells):
            start_column = next(i for i, cell in enumerate(lowered) if "start" in cell)
            continue
        name_column = next((i for i, cell in enumerate(cells) if normalise(cell) in found.keys), None)
        if name_column is None:
            continue
        if start_column is not None and start_column < len(cells) and start_column != name_column:
            value = cells[start_column]
        else:
            value = next((c for c in cells[name_column + 1 :] if re.fullmatch(r"[-+]?\d+(?:\.0+)?", c)), "")
        found.add(cells[name_column], value)
    return found


def _json_candidates(text: str) -> list[Any]:
    blocks = _FENCE.findall(text)
    for opener, closer in (("{", "}"), ("[", "]")):
        first, last = text.find(opener), text.rfind(closer)
        if 0 <= first < last:
            blocks.append(text[first : last + 1])
    out = []
    for block in blocks:
        try:
            out.append(json.loads(block))
        except (json.JSONDecodeError, RecursionError):
            continue
    return out


def _from_json(text: str, problem: ProblemData) -> _Collector:
    best = _Collector(problem)
    for data in _json_candidates(text):
        found = _Collector(problem)
        if isinstance(data, dict) and len(data) == 1 and isinstance(next(iter(data.values())), (dict, list)):
            inner = next(iter(data.values()))  # {"schedule": {...}} or {"schedule": [...]}
            if not any(normalise(k) in found.keys for k in data):
                data = inner
        if isinstance(data, dict):
            for key, value in data.items():
                found.add(str(key), value.get("start", value.get("start_time")) if isinstance(value, dict) else value)
        elif isinstance(data, list):
            for item in data:
                if isinstance(item, dict):
                    name = next((item[k] for k in ("task", "name", "id", "task_name") if k in item), None)
                    value = next((item[k] for k in ("start", "start_time", "begin") if k in item), None)
                    if name is not None:
                        found.add(str(name), value)
        if len(found.starts) > len(best.starts):
            best = found
    return best


def parse_schedule(text: str, problem: ProblemData) -> ParsedSchedule:
    """The schedule in ``text`` for ``problem`` (see the module docstring); :class:`ParseError` when there is none."""
    if not text or not text.strip():
        raise ParseError("the answer is empty")
    results = [
        ("json", _from_json(text, problem)),
        ("table", _from_tables(text, problem)),
        ("lines", _from_lines(text, problem)),
    ]
    fmt, found = max(results, key=lambda item: len(item[1].starts))  # first of the most: json, table, lines
    if not found.starts:
        unknown = sorted({name for _, collector in results for name in collector.unknown})
        example = ", ".join(task.name for task in problem.tasks[:3])
        if unknown:
            raise ParseError(
                f"the answer names {', '.join(unknown[:5])}{', ...' if len(unknown) > 5 else ''}, "
                f"none of them a task of this instance (tasks are named like {example})"
            )
        first = text.strip().splitlines()[0][:80]
        raise ParseError(
            f"found no line of the form 'task: start' (nor a JSON object or table) naming a task of this instance "
            f"(tasks are named like {example}); the answer begins {first!r}"
        )
    warnings = list(found.warnings)
    if found.unknown:
        warnings.append(f"names that are not tasks were ignored: {', '.join(found.unknown[:5])}")
    return ParsedSchedule(found.starts, fmt, warnings)
