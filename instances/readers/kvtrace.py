"""KV-tree search traces as JSON lines: read and write recorded search trees.

One JSON object per line, one line per node::

    {"tree": "q17", "id": "0", "parent": null, "text": "What is 2+3? ", "tokens": 9}
    {"tree": "q17", "id": "1", "parent": "0", "text": "Step 1: 2+3=5. The answer is: 5 ки",
     "tokens": 14, "score": 0.93, "embedding": [0.1, -0.2, ...], "answer": "5", "correct": true,
     "finished": true}

Fields: ``id`` (string or integer, unique within its tree), ``parent`` (the
parent's id, null for the root, whose ``text`` is the prompt), ``text`` (the
step alone, not the prefix), ``tokens`` (the step's token count; the prompt's
for the root), ``score`` (process reward, optional), ``embedding`` (list of
numbers, optional), ``answer`` and ``correct`` (for a step that ends a
trajectory, optional), ``finished`` (optional), ``tree`` (optional: several
trees may share a file; lines of a tree need not be contiguous) and
``reference`` (optional, on any line of a tree: its reference answer). Blank
lines are skipped. Any other field is an error (a typo would otherwise be
lost silently). Errors name the file and the 1-based line.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from schedkit.instances.errors import FormatError
from schedkit.models import ModelError
from schedkit.models.kvtree import SearchTrace, TraceNode

FIELDS: tuple[str, ...] = (
    "tree",
    "id",
    "parent",
    "text",
    "tokens",
    "score",
    "embedding",
    "answer",
    "correct",
    "finished",
    "reference",
)
"""The fields a trace line may have."""


def _identifier(value: Any, source: str, line: int, field: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
        raise FormatError(source, f"field '{field}' must be a non-empty string or an integer, got {value!r}", line)
    return str(value)


def _optional_identifier(value: Any, source: str, line: int, field: str) -> str | None:
    return None if value is None else _identifier(value, source, line, field)


def _node(record: Any, source: str, line: int) -> tuple[str, str | None, TraceNode]:
    if not isinstance(record, dict):
        raise FormatError(source, f"expected a JSON object, found {type(record).__name__}", line)
    unknown = sorted(set(record) - set(FIELDS))
    if unknown:
        raise FormatError(source, f"unknown field '{unknown[0]}' (expected: {', '.join(FIELDS)})", line)
    for required in ("id", "text", "tokens"):
        if required not in record:
            raise FormatError(source, f"missing field '{required}'", line)
    node_id = _identifier(record["id"], source, line, "id")
    parent = _optional_identifier(record.get("parent"), source, line, "parent")
    tree = _identifier(record.get("tree", "0"), source, line, "tree")
    text = record["text"]
    if not isinstance(text, str):
        raise FormatError(source, f"field 'text' must be a string, got {type(text).__name__}", line)
    tokens = record["tokens"]
    if isinstance(tokens, bool) or not isinstance(tokens, int) or tokens < 0:
        raise FormatError(source, f"field 'tokens' must be an integer >= 0, got {tokens!r}", line)
    score = record.get("score")
    bad_score = isinstance(score, bool) or not isinstance(score, (int, float)) or not math.isfinite(score)
    if score is not None and bad_score:
        raise FormatError(source, f"field 'score' must be a finite number, got {score!r}", line)
    embedding = record.get("embedding")
    if embedding is not None:
        if not isinstance(embedding, list) or not embedding:
            raise FormatError(source, "field 'embedding' must be a non-empty list of numbers", line)
        for x in embedding:
            if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
                raise FormatError(source, f"field 'embedding' holds {x!r}, not a finite number", line)
        embedding = tuple(float(x) for x in embedding)
    answer = record.get("answer")
    if answer is not None and not isinstance(answer, (str, int, float)):
        raise FormatError(source, f"field 'answer' must be a string, got {answer!r}", line)
    for flag in ("correct", "finished"):
        if record.get(flag) is not None and not isinstance(record[flag], bool):
            raise FormatError(source, f"field '{flag}' must be true, false or null, got {record[flag]!r}", line)
    reference = record.get("reference")
    if reference is not None and not isinstance(reference, (str, int, float)):
        raise FormatError(source, f"field 'reference' must be a string, got {reference!r}", line)
    node = TraceNode(
        node_id,
        parent,
        text,
        tokens,
        None if score is None else float(score),
        embedding,
        None if answer is None else str(answer),
        record.get("correct"),
        record.get("finished"),
    )
    return tree, None if reference is None else str(reference), node


def parse(text: str, source: str) -> list[SearchTrace]:
    """The trees of a trace file's text, in order of first appearance."""
    nodes: dict[str, list[TraceNode]] = {}
    references: dict[str, str] = {}
    lines: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as error:
            raise FormatError(source, f"invalid JSON: {error.msg} (column {error.colno})", number) from None
        tree, reference, node = _node(record, source, number)
        nodes.setdefault(tree, []).append(node)
        lines.setdefault(tree, number)
        if reference is not None:
            if references.get(tree, reference) != reference:
                raise FormatError(source, f"tree '{tree}' has two reference answers", number)
            references[tree] = reference
    if not nodes:
        raise FormatError(source, "no trace lines")
    traces = []
    for tree, members in nodes.items():
        try:
            traces.append(SearchTrace(tree, tuple(members), references.get(tree)))
        except ModelError as error:
            raise FormatError(source, f"invalid trace (first line {lines[tree]}): {error}") from None
    return traces


def read_kvtrace(path: str | Path) -> list[SearchTrace]:
    """Read every tree of a JSON-lines trace file (see the module docstring)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError(path.name, "not a text file (invalid UTF-8)") from None
    return parse(text, path.name)


def _record(trace: SearchTrace, node: TraceNode, first: bool) -> dict[str, Any]:
    record: dict[str, Any] = {"tree": trace.name, "id": node.id, "parent": node.parent, "text": node.text}
    record["tokens"] = node.tokens
    for field in ("score", "answer", "correct", "finished"):
        if getattr(node, field) is not None:
            record[field] = getattr(node, field)
    if node.embedding is not None:
        record["embedding"] = list(node.embedding)
    if first and trace.reference is not None:
        record["reference"] = trace.reference
    return record


def dump_kvtrace(traces: Iterable[SearchTrace], stream: TextIO) -> None:
    """Write ``traces`` to an open text stream, one node per line."""
    for trace in traces:
        for position, node in enumerate(trace.nodes):
            stream.write(json.dumps(_record(trace, node, position == 0), ensure_ascii=False) + "\n")


def write_kvtrace(path: str | Path, traces: SearchTrace | Sequence[SearchTrace]) -> Path:
    """Write one trace or several to a JSON-lines file; returns the path."""
    path = Path(path)
    items = [traces] if isinstance(traces, SearchTrace) else list(traces)
    names = [trace.name for trace in items]
    if len(set(names)) != len(names):
        raise ValueError("traces written to one file need distinct names")
    with path.open("w", encoding="utf-8") as stream:
        dump_kvtrace(items, stream)
    return path
