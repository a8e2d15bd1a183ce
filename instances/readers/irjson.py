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
    return decode_json(text, source)


def decode_json(text: str, source: str) -> Any:
    """``json.loads`` whose every failure is a one-line :class:`FormatError`.

    Besides syntax errors: nesting deeper than the interpreter's recursion
    limit (``[[[[...`` 1,000 deep) and integers of more than 4,300 digits,
    which ``json`` reports as ``RecursionError`` and a bare ``ValueError``.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(source, f"invalid JSON: {error.msg} (column {error.colno})", error.lineno) from None
    except RecursionError:
        raise FormatError(source, "invalid JSON: nested too deeply") from None
    except ValueError as error:  # e.g. "Exceeds the limit (4300 digits) for integer string conversion"
        raise FormatError(source, f"invalid JSON: {str(error).splitlines()[0]}") from None


def build(data: Any, source: str) -> ProblemData:
    """The problem described by the decoded document."""
    try:
        return problem_from_dict(data, source="problem")
    except ModelError as error:
        raise FormatError(source, str(error)) from None
    except (TypeError, KeyError, AttributeError, ValueError) as error:  # a value of the wrong JSON type
        raise FormatError(source, f"malformed problem JSON: {error!r}") from None
    except RecursionError:
        raise FormatError(source, "malformed problem JSON: nested too deeply") from None
