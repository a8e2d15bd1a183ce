"""The built-in operator edits only PARAMS and MOVES, reproducibly; operators load by module:function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from schedkit.discovery import TARDINESS, Program, Prompt, load_operator, random_edit
from schedkit.discovery.operators import MAX_MOVES


def _prompt(*sources: str, seed: int = 0) -> Prompt:
    parents = tuple(Program(i, s, float(i), (float(i),)) for i, s in enumerate(sources))
    return Prompt(island=0, parents=parents, text="", seed=seed)


def _constants(source: str) -> dict[str, object]:
    tree = ast.parse(source)
    return {
        node.target.id: ast.literal_eval(node.value)  # type: ignore[union-attr]
        for node in tree.body
        if isinstance(node, ast.AnnAssign)
        and node.value is not None
        and isinstance(node.target, ast.Name)
        and node.target.id in ("PARAMS", "MOVES", "MOVE_VOCABULARY")
    }


def test_edits_only_params_and_moves() -> None:
    template = TARDINESS.template_source()
    changed = 0
    for seed in range(30):
        edited = random_edit(_prompt(template, seed=seed))
        compile(edited, "edited", "exec")
        before, after = _constants(template), _constants(edited)
        assert set(after["PARAMS"]) == set(before["PARAMS"])  # type: ignore[arg-type]
        assert all(move in before["MOVE_VOCABULARY"] for move in after["MOVES"])  # type: ignore[union-attr, attr-defined]
        assert len(after["MOVES"]) <= MAX_MOVES  # type: ignore[arg-type]
        # everything outside the two literals is unchanged
        strip = [line for line in edited.splitlines() if not line.startswith(("PARAMS", "MOVES:"))]
        assert strip == [line for line in template.splitlines() if not line.startswith(("PARAMS", "MOVES:"))]
        changed += edited != template
    assert changed >= 25


def test_same_seed_same_edit() -> None:
    template = TARDINESS.template_source()
    assert random_edit(_prompt(template, seed=5)) == random_edit(_prompt(template, seed=5))


def test_programs_without_params_get_their_float_literals_scaled() -> None:
    source = "def sequence(p, d, w):\n    return list(sorted(range(len(p)), key=lambda j: 1.5 * d[j] + 0.25 * p[j]))\n"
    edited = random_edit(_prompt(source, seed=2))
    assert edited != source and edited.replace("1.5", "").count("0.25") + edited.count("1.5") >= 1
    assert random_edit(_prompt("x = 1\n")) == "x = 1\n"


def test_load_operator(tmp_path: Path) -> None:
    assert load_operator("schedkit.discovery.operators:random_edit") is random_edit
    module = tmp_path / "my_operator.py"
    module.write_text("def mutate(prompt):\n    return prompt.parents[-1].source\n")
    assert load_operator(f"{module}:mutate")(_prompt("x = 1\n")) == "x = 1\n"
    for bad, message in [
        ("random_edit", "expected module:function"),
        ("no_such_module_xyz:f", "cannot import"),
        ("schedkit.discovery.operators:nothing", "no callable"),
        (f"{tmp_path / 'missing.py'}:f", "no file"),
    ]:
        with pytest.raises(ValueError, match=message):
            load_operator(bad)
