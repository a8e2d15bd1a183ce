"""The island database (clusters, best-shot prompts, resets of the weaker half); prompt text; code extraction."""

from __future__ import annotations

import pytest

from schedkit.discovery import TARDINESS, DatabaseConfig, Program, ProgramDatabase, extract_code, render_prompt


def _program(database: ProgramDatabase, score: float, source: str = "x = 1\n") -> Program:
    return Program(database.new_id(), source, score, (score,), {"mean_gap": -score, "invalid": 0})


def test_initial_program_on_every_island_and_prompts_ascend() -> None:
    database = ProgramDatabase(DatabaseConfig(num_islands=4, reset_period=1000), seed=3)
    first = _program(database, -50.0)
    database.register(first)
    assert all(island.best() is first for island in database.islands)
    for score in (-10.0, -30.0, -20.0, -5.0):
        database.register(_program(database, score), island=0)
    assert database.best().score == -5.0
    for _ in range(20):
        prompt = database.prompt()
        scores = [p.score for p in prompt.parents]
        assert scores == sorted(scores) and 1 <= len(scores) <= 2


def test_programs_with_one_signature_share_a_cluster() -> None:
    database = ProgramDatabase(DatabaseConfig(num_islands=1), seed=0)
    database.register(_program(database, -3.0))
    database.register(_program(database, -3.0, "y = 2\n"), island=0)
    database.register(_program(database, -4.0), island=0)
    clusters = database.islands[0].clusters
    assert sorted(len(members) for members in clusters.values()) == [1, 2]


def test_low_temperature_prefers_the_best_cluster() -> None:
    database = ProgramDatabase(DatabaseConfig(num_islands=1, functions_per_prompt=1, temperature=0.05), seed=0)
    database.register(_program(database, -100.0))
    database.register(_program(database, -1.0), island=0)
    picks = [database.prompt().parents[0].score for _ in range(200)]
    assert picks.count(-1.0) > 190


def test_reset_replaces_the_weaker_half_with_survivors() -> None:
    database = ProgramDatabase(DatabaseConfig(num_islands=4, reset_period=4), seed=0)
    database.register(_program(database, -100.0))
    scores = {0: -1.0, 1: -50.0, 2: -2.0, 3: -60.0}
    for island, score in scores.items():  # the fourth registration triggers the reset
        database.register(_program(database, score), island=island)
    assert database.resets == 1
    for island, best in ((0, -1.0), (2, -2.0)):  # the strong islands are untouched
        assert database.islands[island].num_programs == 2 and database.islands[island].best().score == best
    for island in (1, 3):  # the weak islands hold one program: a survivor's best
        assert database.islands[island].num_programs == 1
        assert database.islands[island].best().score in (-1.0, -2.0)


def test_config_is_validated() -> None:
    with pytest.raises(ValueError):
        DatabaseConfig(num_islands=0)


def test_prompt_text_shows_versions_in_order() -> None:
    database = ProgramDatabase(DatabaseConfig(num_islands=1), seed=0)
    a, b = _program(database, -9.0, "A = 1\n"), _program(database, -2.0, "B = 2\n")
    text = render_prompt(TARDINESS, [a, b], 2)
    assert TARDINESS.description.splitlines()[0] in text
    assert text.index("A = 1") < text.index("B = 2") < text.index("### Version v2")
    assert "mean gap 9.000%" in text and "sequence(p, d, w)" in text


def test_extract_code_takes_the_last_block_defining_the_function() -> None:
    reply = (
        "Idea:\n```python\nprint('scratch')\n```\nFinal:\n```python\ndef sequence(p, d, w):\n    return [0]\n```\n"
        "```\nnot code\n```"
    )
    assert extract_code(reply, "sequence") == "def sequence(p, d, w):\n    return [0]\n"
    plain = "def sequence(p, d, w):\n    return []\n"
    assert extract_code(plain, "sequence") == plain
