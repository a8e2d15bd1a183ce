"""KV-tree search traces (JSON lines): round trip, several trees per file, one-line errors naming the line."""

from __future__ import annotations

import json

import pytest

from schedkit.instances import FormatError, read_kvtrace, write_kvtrace
from schedkit.instances.readers.kvtrace import parse
from schedkit.models.kvtree import SearchTrace, TraceNode

TRACE = SearchTrace(
    "q1",
    (
        TraceNode("0", None, "What is 2+3?\n", 9),
        TraceNode("1", "0", "Step 1: 2+3=5. The answer is: 5 ки", 14, 0.93, (0.1, -0.2, 0.3), "5", True, True),
        TraceNode("2", "0", "Step 1: 2+3=6 ки", 8, 0.2, (0.3, 0.1, 0.0)),
        TraceNode("3", "2", "Step 2: The answer is: 6 ки", 9, 0.1, None, "6", False, True),
    ),
    reference="5",
)


def test_round_trip(tmp_path):
    other = SearchTrace("q2", (TraceNode("r", None, "Q", 3), TraceNode("a", "r", "A", 2, 0.5)))
    path = write_kvtrace(tmp_path / "t.jsonl", [TRACE, other])
    assert read_kvtrace(path) == [TRACE, other]
    assert read_kvtrace(path)[0].reference == "5"
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert first == {"tree": "q1", "id": "0", "parent": None, "text": "What is 2+3?\n", "tokens": 9, "reference": "5"}


def test_integer_ids_interleaved_trees_and_blank_lines():
    text = "\n".join(
        [
            '{"tree": "b", "id": 0, "parent": null, "text": "Q", "tokens": 4}',
            "",
            '{"tree": "a", "id": 0, "parent": null, "text": "P", "tokens": 2}',
            '{"tree": "b", "id": 1, "parent": 0, "text": "s", "tokens": 1, "score": 1}',
        ]
    )
    traces = parse(text, "x.jsonl")
    assert [t.name for t in traces] == ["b", "a"]
    assert traces[0].children("0")[0] == TraceNode("1", "0", "s", 1, 1.0)
    single = parse('{"id": "r", "parent": null, "text": "Q", "tokens": 1}', "y.jsonl")
    assert single[0].name == "0"


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("", r"x\.jsonl: no trace lines"),
        ('{"id": "r", "text": "Q", "tokens": 1}\n{oops', r"x\.jsonl: line 2: invalid JSON"),
        ("[1, 2]", r"line 1: expected a JSON object"),
        ('{"id": "r", "text": "Q", "tokens": 1, "score_": 2}', r"line 1: unknown field 'score_'"),
        ('{"id": "r", "text": "Q"}', r"line 1: missing field 'tokens'"),
        ('{"id": "r", "text": "Q", "tokens": -3}', r"line 1: field 'tokens' must be an integer >= 0"),
        ('{"id": "r", "text": "Q", "tokens": 1.5}', r"field 'tokens'"),
        ('{"id": true, "text": "Q", "tokens": 1}', r"field 'id'"),
        ('{"id": "r", "text": 3, "tokens": 1}', r"field 'text' must be a string"),
        ('{"id": "r", "text": "Q", "tokens": 1, "score": "high"}', r"field 'score' must be a finite number"),
        ('{"id": "r", "text": "Q", "tokens": 1, "embedding": [1, "a"]}', r"field 'embedding' holds 'a'"),
        ('{"id": "r", "text": "Q", "tokens": 1, "embedding": []}', r"field 'embedding' must be a non-empty list"),
        ('{"id": "r", "text": "Q", "tokens": 1, "correct": "yes"}', r"field 'correct' must be true, false or null"),
        (
            '{"id": "r", "text": "Q", "tokens": 1}\n{"id": "s", "text": "Q", "tokens": 1}',
            r"invalid trace \(first line 1\).*exactly one root",
        ),
        (
            '{"id": "r", "text": "Q", "tokens": 1}\n{"id": "a", "parent": "zz", "text": "A", "tokens": 1}',
            r"node 'a' \(#1\), field 'parent': unknown node 'zz'",
        ),
        (
            '{"id": "r", "text": "Q", "tokens": 1, "reference": "1"}\n'
            '{"id": "a", "parent": "r", "text": "A", "tokens": 1, "reference": "2"}',
            r"line 2: tree '0' has two reference answers",
        ),
    ],
)
def test_malformed_traces_name_file_and_line(text, pattern):
    with pytest.raises(FormatError, match=pattern):
        parse(text, "x.jsonl")


def test_writer_refuses_duplicate_names(tmp_path):
    with pytest.raises(ValueError, match="distinct names"):
        write_kvtrace(tmp_path / "t.jsonl", [TRACE, TRACE])
