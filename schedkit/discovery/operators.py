"""Mutation operators: a callable that turns a prompt into new programs; one built in that needs no model.

An operator is any callable ``operator(prompt) -> str | Sequence[str]``: it
receives a :class:`~schedkit.discovery.database.Prompt` (``prompt.text`` for a
language model; ``prompt.parents``, the chosen programs in ascending score,
for code-level operators; ``prompt.seed`` for reproducible randomness) and
returns one or several program sources (a model's raw reply is fine: the
code is taken from its last ``python`` code block). schedkit ships no model
client; a user wraps theirs in such a function and names it
``module:function`` (or ``path/to/file.py:function``) on the command line.

:func:`random_edit` is the built-in operator. It edits the best parent of the
prompt without any model, only where a program declares what may be edited:

* ``PARAMS``, a module-level dict of names to numbers: one to three edits,
  each one of: scale a value by ``exp(N(0, 0.5))``; give a zero value a
  random one (magnitude ``U(0.1, 1.5)``, random sign); set a value to 0; flip
  its sign; copy the value of the other parent (a crossover);
* ``MOVES``, a module-level list of move names, with ``MOVE_VOCABULARY`` the
  names allowed: insert a random move at a random place (at most
  :data:`MAX_MOVES`), delete one, or swap two (changing the order moves run in).

A program without ``PARAMS`` gets its float literals scaled instead; one with
neither is returned unchanged. Numbers are written with 4 significant digits.
Everything else in the file (comments, helpers) is kept byte for byte.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from schedkit.discovery.database import Prompt

__all__ = ["MAX_MOVES", "Operator", "load_operator", "random_edit"]

Operator = Callable[[Prompt], str | Sequence[str]]
"""``operator(prompt)`` returns one program source or several."""

MAX_MOVES = 6
"""Longest ``MOVES`` list :func:`random_edit` builds."""


def load_operator(spec: str) -> Operator:
    """The callable named ``module:function`` or ``path/to/file.py:function``; ``ValueError`` if there is none."""
    module_name, sep, attribute = spec.rpartition(":")
    if not sep or not module_name or not attribute:
        raise ValueError(f"operator {spec!r}: expected module:function or path/to/file.py:function")
    try:
        if module_name.endswith(".py"):
            path = Path(module_name)
            if not path.exists():
                raise ValueError(f"operator {spec!r}: no file {path}")
            module_spec = importlib.util.spec_from_file_location(path.stem, path)
            if module_spec is None or module_spec.loader is None:
                raise ValueError(f"operator {spec!r}: cannot load {path}")
            module = importlib.util.module_from_spec(module_spec)
            module_spec.loader.exec_module(module)
        else:
            module = importlib.import_module(module_name)
    except ImportError as error:
        raise ValueError(f"operator {spec!r}: cannot import {module_name}: {error}") from None
    function = getattr(module, attribute, None)
    if not callable(function):
        raise ValueError(f"operator {spec!r}: {module_name} has no callable {attribute}")
    operator: Operator = function
    return operator


# ------------------------------------------------------------- the built-in one
def _round(value: float) -> float:
    return float(f"{value:.4g}")


def _module_literals(tree: ast.Module) -> dict[str, ast.expr]:
    """Value nodes of the module-level assignments to plain names."""
    found: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            found[node.targets[0].id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            found[node.target.id] = node.value
    return found


def _literal(node: ast.expr | None) -> Any:
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def _params_of(source: str) -> dict[str, float] | None:
    try:
        value = _literal(_module_literals(ast.parse(source)).get("PARAMS"))
    except SyntaxError:
        return None
    if isinstance(value, dict) and value and all(isinstance(v, (int, float)) for v in value.values()):
        return {str(k): float(v) for k, v in value.items()}
    return None


def _edit_params(params: dict[str, float], other: dict[str, float] | None, rng: np.random.Generator) -> None:
    name = str(rng.choice(sorted(params)))
    value = params[name]
    kinds = ["scale", "zero", "sign"] + (["copy"] if other and name in other and other[name] != value else [])
    kind = str(rng.choice(kinds))
    if kind == "scale":
        if value == 0:
            value = float(rng.uniform(0.1, 1.5)) * float(rng.choice([-1.0, 1.0]))
        else:
            value *= math.exp(float(rng.normal(0.0, 0.5)))
    elif kind == "zero":
        value = 0.0 if value != 0 else float(rng.uniform(0.1, 1.5))
    elif kind == "sign":
        value = -value if value != 0 else float(rng.uniform(0.1, 1.5))
    else:
        assert other is not None
        value = other[name]
    params[name] = _round(value)


def _edit_moves(moves: list[str], vocabulary: Sequence[str], rng: np.random.Generator) -> None:
    kinds = []
    if vocabulary and len(moves) < MAX_MOVES:
        kinds.append("insert")
    if moves:
        kinds.append("delete")
    if len(moves) >= 2:
        kinds.append("swap")
    if not kinds:
        return
    kind = str(rng.choice(kinds))
    if kind == "insert":
        moves.insert(int(rng.integers(len(moves) + 1)), str(rng.choice(list(vocabulary))))
    elif kind == "delete":
        moves.pop(int(rng.integers(len(moves))))
    else:
        i, j = rng.choice(len(moves), size=2, replace=False).tolist()
        moves[i], moves[j] = moves[j], moves[i]


def _offsets(source: str) -> list[int]:
    """Offset of the start of each line (1-based line numbers index it as ``[line - 1]``)."""
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _replace(source: str, edits: list[tuple[ast.expr, str]]) -> str:
    """``source`` with the text of each node replaced (nodes do not overlap)."""
    starts = _offsets(source)
    data = source.encode()
    spans = []
    for node, text in edits:
        assert node.end_lineno is not None and node.end_col_offset is not None
        begin = len(source[: starts[node.lineno - 1]].encode()) + node.col_offset
        end = len(source[: starts[node.end_lineno - 1]].encode()) + node.end_col_offset
        spans.append((begin, end, text))
    for begin, end, text in sorted(spans, reverse=True):
        data = data[:begin] + text.encode() + data[end:]
    return data.decode()


def _scale_float_literals(source: str, tree: ast.Module, rng: np.random.Generator) -> str:
    floats: list[tuple[ast.Constant, float]] = [
        (node, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, float) and math.isfinite(node.value)
    ]
    if not floats:
        return source
    node, old = floats[int(rng.integers(len(floats)))]
    value = old * math.exp(float(rng.normal(0.0, 0.5))) if old else float(rng.uniform(0.1, 1.5))
    return _replace(source, [(node, repr(_round(value)))])


def random_edit(prompt: Prompt) -> str:
    """Edit the best parent's ``PARAMS`` and ``MOVES`` at random (see the module docstring)."""
    rng = np.random.default_rng(prompt.seed)
    base = prompt.parents[-1].source
    other = _params_of(prompt.parents[0].source) if len(prompt.parents) > 1 else None
    try:
        tree = ast.parse(base)
    except SyntaxError:
        return base
    literals = _module_literals(tree)
    params = _params_of(base)
    moves = _literal(literals.get("MOVES"))
    vocabulary = _literal(literals.get("MOVE_VOCABULARY"))
    movable = isinstance(moves, list) and all(isinstance(m, str) for m in moves)
    vocabulary = [str(v) for v in vocabulary] if isinstance(vocabulary, (list, tuple)) else []
    if params is None and not movable:
        return _scale_float_literals(base, tree, rng)
    new_moves = list(moves) if movable else []
    for _ in range(1 + int(rng.integers(3))):
        if params is not None and (not movable or rng.random() < 0.5):
            _edit_params(params, other, rng)
        elif movable:
            _edit_moves(new_moves, vocabulary, rng)
    edits: list[tuple[ast.expr, str]] = []
    if params is not None:
        text = "{" + ", ".join(f"{json.dumps(k)}: {v!r}" for k, v in params.items()) + "}"
        edits.append((literals["PARAMS"], text))
    if movable:
        edits.append((literals["MOVES"], json.dumps(new_moves)))
    return _replace(base, edits)
