"""A ramp on disk: instances, prompts, answers and grades in one folder.

Layout of a suite folder (every file is plain JSON or text):

``manifest.json``        the instance names in order, with level, domain and axes;
``instances/NAME.json``  each instance in schedkit's problem JSON (its meta holds
                         the witness schedule: a feasibility proof for graders, not for
                         the model, which sees only the prompt);
``prompts/NAME.txt``     the prompt of each instance (:func:`write_prompts`);
``answers/NAME.txt``     one answer per instance, from a model or a writer;
``grades.jsonl``         one grade per line (:func:`write_grades`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from schedkit.models import ProblemData, load_problem, save_problem
from schedkit.rcb.grade import Grade, grade_answer
from schedkit.rcb.render import render_prompt

__all__ = [
    "answer_path",
    "grade_suite",
    "load_grades",
    "load_suite",
    "write_answers",
    "write_grades",
    "write_prompts",
    "write_suite",
]


def write_suite(problems: Sequence[ProblemData], folder: str | Path, options: dict[str, object] | None = None) -> Path:
    """Write ``problems`` and the manifest into ``folder`` (created); return the manifest's path."""
    folder = Path(folder)
    (folder / "instances").mkdir(parents=True, exist_ok=True)
    entries = []
    for problem in problems:
        path = folder / "instances" / f"{problem.name}.json"
        save_problem(problem, path)
        rcb = problem.meta.get("rcb", {})
        entries.append(
            {
                "name": problem.name,
                "file": str(path.relative_to(folder)),
                "level": rcb.get("level"),
                "domain": rcb.get("domain"),
                "axes": rcb.get("axes"),
            }
        )
    manifest = folder / "manifest.json"
    manifest.write_text(json.dumps({"instances": entries, "options": options or {}}, indent=1))
    return manifest


def load_suite(path: str | Path) -> list[ProblemData]:
    """The instances of a suite folder (manifest order), or the single instance of a JSON file."""
    path = Path(path)
    if path.is_file():
        return [load_problem(path)]
    manifest = path / "manifest.json"
    if not manifest.exists():
        raise ValueError(f"{path}: not an instance file nor a suite folder (no manifest.json)")
    try:
        entries = json.loads(manifest.read_text())["instances"]
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{manifest}: unreadable manifest ({error})") from None
    return [load_problem(path / entry["file"]) for entry in entries]


def write_prompts(problems: Iterable[ProblemData], folder: str | Path) -> list[Path]:
    """``folder/prompts/NAME.txt`` for each instance; return the paths."""
    out = Path(folder) / "prompts"
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for problem in problems:
        path = out / f"{problem.name}.txt"
        path.write_text(render_prompt(problem) + "\n")
        paths.append(path)
    return paths


def answer_path(folder: str | Path, problem: ProblemData) -> Path:
    """Where the answer to ``problem`` is kept in an answers folder."""
    return Path(folder) / f"{problem.name}.txt"


def write_answers(
    problems: Iterable[ProblemData], writer: Callable[[str, ProblemData], str], folder: str | Path
) -> list[Path]:
    """Ask ``writer(prompt, problem)`` for each instance and store its text in ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for problem in problems:
        path = answer_path(folder, problem)
        path.write_text(writer(render_prompt(problem), problem))
        paths.append(path)
    return paths


def grade_suite(problems: Iterable[ProblemData], answers: str | Path) -> list[Grade]:
    """Grade the answer file of each instance in the folder ``answers`` (a missing file: unparsed, "no answer")."""
    grades = []
    for problem in problems:
        path = answer_path(answers, problem)
        if path.exists():
            grades.append(grade_answer(problem, path.read_text()))
        else:
            grade = grade_answer(problem, "")
            grade.reason = f"no answer file {path}"
            grades.append(grade)
    return grades


def write_grades(grades: Iterable[Grade], path: str | Path) -> None:
    """One JSON line per grade."""
    with open(path, "w") as handle:
        for grade in grades:
            handle.write(json.dumps(grade.to_dict()) + "\n")


def load_grades(path: str | Path) -> list[Grade]:
    """Grades written by :func:`write_grades`; ``ValueError`` naming the line when one is unreadable."""
    grades = []
    with open(path) as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                grades.append(Grade.from_dict(json.loads(line)))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}, line {number}: not a grade ({error})") from None
    return grades
