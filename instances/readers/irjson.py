"""Reader of schedkit's own IR JSON (written by :func:`schedkit.models.save_problem`).

The JSON mirrors the index-based IR and carries a schema name and version
(see :mod:`schedkit.models.io`). Syntax errors keep their line number; structural and
validation errors keep the JSON path or the entity and field named by
:mod:`schedkit.models`, all as :class:`~schedkit.instances.errors.FormatError`.
"""

from __future__ import annotations

import json
from typing import Any

from schedkit.instances.errors import FormatError
from schedkit.models import ModelError, ProblemData, problem_from_dict


def parse(text: str, source: str) -> Any:
    """The decoded JSON document."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(source, f"invalid JSON: {error.msg} (column {error.colno})", error.lineno) from None


def build(data: Any, source: str) -> ProblemData:
    """The problem described by the decoded document."""
    try:
        return problem_from_dict(data, source="problem")
    except ModelError as error:
        raise FormatError(source, str(error)) from None
    except (TypeError, KeyError, AttributeError) as error:  # a value of the wrong JSON type
        raise FormatError(source, f"malformed problem JSON: {error!r}") from None
