"""Reading a solution back from its JSON dictionary, checked against the problem when one is given."""

from __future__ import annotations

from typing import Any

from schedkit.models.io.schema import SOLUTION_SCHEMA, JsonReader
from schedkit.models.problem import ProblemData
from schedkit.models.solution import Solution, TaskAssignment


def solution_from_dict(data: Any, source: str = "solution", problem: ProblemData | None = None) -> Solution:
    """Rebuild a ``Solution``; with ``problem``, check the count and task names match.

    ``task`` (a name) and ``end`` (``start`` + duration) are optional fields
    written by :func:`~schedkit.models.io.write.solution_to_dict` for people
    and other tools. ``end`` is derived, never data: it must be an integer or
    null, and its value is not read (a hand-edited start is what the checker
    judges; an end edited alone changes nothing).
    """
    r = JsonReader(source)
    r.header(data, SOLUTION_SCHEMA)
    top = r.obj(data, "(top level)", {"schema", "version", "tasks"}, {"ii"})
    assignments = []
    entries = r.lst(top["tasks"], "tasks")
    if problem is not None and len(entries) != problem.num_tasks:
        raise r.fail("tasks", f"has {len(entries)} entries, the problem has {problem.num_tasks} tasks")
    for i, item in enumerate(entries):
        path = f"tasks[{i}]"
        obj = r.obj(item, path, {"present"}, {"task", "mode", "start", "end"})
        if problem is not None and "task" in obj and obj["task"] != problem.tasks[i].name:
            raise r.fail(
                f"{path}.task", f"names '{obj['task']}' but task #{i} of the problem is '{problem.tasks[i].name}'"
            )
        for key in ("mode", "start", "end"):
            value = obj.get(key)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise r.fail(f"{path}.{key}", f"must be an integer or null, got {value!r}")
        if not isinstance(obj["present"], bool):
            raise r.fail(f"{path}.present", f"must be true or false, got {obj['present']!r}")
        assignments.append(TaskAssignment(obj["present"], obj.get("mode"), obj.get("start")))
    ii = top.get("ii")
    if ii is not None and (not isinstance(ii, int) or isinstance(ii, bool)):
        raise r.fail("ii", f"must be an integer or null, got {ii!r}")
    return Solution(tuple(assignments), ii)
