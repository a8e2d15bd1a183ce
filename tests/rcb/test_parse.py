"""The answer parser reads every format it claims, tolerates decoration, and says why when it cannot read."""

from __future__ import annotations

import pytest

from schedkit.instances.generators.rcb import migration_instance
from schedkit.models import Model, ProblemData
from schedkit.rcb import ParseError, parse_schedule


def _problem() -> ProblemData:
    model = Model("p")
    model.add_resource("R1", "renewable", 2)
    for name in ("a0", "a1", "a2"):
        model.add_task(name, duration=2, demands={"R1": 1})
    return model.freeze()


EXPECTED = {0: 0, 1: 4, 2: 7}

FORMATS = {
    "colon": "a0: 0\na1: 4\na2: 7",
    "equals and arrows": "a0 = 0\na1 -> 4\na2 → 7",
    "bullets, bold, backticks": "- **a0**: 0\n* `a1`: 4\n1. a2: 7",
    "words": "a0 starts at 0\nTask a1 starts at time 4\na2 at 7",
    "start keyword": "a0: start 0, end 2\na1: start=4\na2: start time 7 (ends at 9)",
    "parentheses and units": "a0 (duration 2): 0\na1: t=4\na2: 7h",
    "function form": "start(a0) = 0\nS_a1 = 4\nstart(a2)=7",
    "csv": "task,start,end\na0,0,2\na1,4,6\na2,7,9",
    "case and separators": "A0: 0\nA-1: 4\na_2: 7",
    "prose then answer": "Let me think. a0 cannot start at 3 because...\nFinal schedule:\na0: 0\na1: 4\na2: 7\n",
    "table with header": "| Task | Duration | Start | End |\n|---|---|---|---|\n| a0 | 2 | 0 | 2 |\n"
    "| a1 | 2 | 4 | 6 |\n| a2 | 2 | 7 | 9 |",
    "table without header": "| a0 | 0 |\n| a1 | 4 |\n| a2 | 7 |",
    "json object": 'Here:\n```json\n{"a0": 0, "a1": 4, "a2": 7}\n```',
    "json nested": '{"schedule": {"a0": {"start": 0}, "a1": {"start": 4, "end": 6}, "a2": {"start": 7}}}',
    "json list": '[{"task": "a0", "start": 0}, {"task": "a1", "start": 4}, {"name": "a2", "start": 7.0}]',
    "json intervals": '{"a0": [0, 2], "a1": [4, 6], "a2": [7, 9]}',
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_formats(name: str) -> None:
    parsed = parse_schedule(FORMATS[name], _problem())
    assert parsed.starts == EXPECTED, name


def test_the_format_is_reported() -> None:
    problem = _problem()
    assert parse_schedule(FORMATS["json object"], problem).format == "json"
    assert parse_schedule(FORMATS["table with header"], problem).format == "table"
    assert parse_schedule(FORMATS["colon"], problem).format == "lines"


def test_last_value_wins_with_a_warning() -> None:
    parsed = parse_schedule("a0: 3\na1: 4\n\nCorrection:\na0: 0\na2: 7", _problem())
    assert parsed.starts == EXPECTED
    assert any("a0 is given start 3 and later 0" in w for w in parsed.warnings)


def test_partial_answers_and_odd_values() -> None:
    parsed = parse_schedule("a0: 0\na1: 4.5\nzz: 3", _problem())
    assert parsed.starts == {0: 0}
    assert parsed.missing(_problem()) == ["a1", "a2"]
    assert any("4.5" in w and "not an integer" in w for w in parsed.warnings)
    assert any("zz" in w for w in parsed.warnings)
    assert parse_schedule("a0: -2", _problem()).starts == {0: -2}  # kept: graded as a window violation


def test_prose_is_not_read_as_a_schedule() -> None:
    with pytest.raises(ParseError, match="no line of the form"):
        parse_schedule("a0 must run before a1, and a2 needs R1 after time 7.", _problem())
    with pytest.raises(ParseError, match="empty"):
        parse_schedule("   \n", _problem())
    with pytest.raises(ParseError, match="none of them a task"):
        parse_schedule("x1: 0\nx2: 4", _problem())


def test_domain_names_match_loosely() -> None:
    problem = migration_instance(0, seed=0, num_servers=2, num_tiers=1)
    names = [task.name for task in problem.tasks]
    assert names[:2] == ["sync_db01", "move_db01"]
    parsed = parse_schedule("Sync DB-01: 0\nmove db01 starts at 5\nSYNC_DB02 = 1\nmove_db02: 9", problem)
    assert parsed.starts == {0: 0, 1: 5, 2: 1, 3: 9}
