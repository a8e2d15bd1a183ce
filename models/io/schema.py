"""The JSON schema tags and version, and the reader that names the JSON path of every error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schedkit.models.errors import ModelError

SCHEMA_VERSION = 1
"""Version of the problem and solution JSON this schedkit writes (and the newest it reads)."""
PROBLEM_SCHEMA = "schedkit/problem"
SOLUTION_SCHEMA = "schedkit/solution"


class JsonReader:
    """Reads nested dictionaries, naming the JSON path in every error."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, message: str) -> ModelError:
        """The error naming the source and the JSON path."""
        return ModelError(self.source, path, message)

    def obj(self, data: Any, path: str, required: set[str], optional: set[str]) -> dict[str, Any]:
        """``data`` as an object with every ``required`` key and no key beyond ``required | optional``."""
        if not isinstance(data, dict):
            raise self.fail(path, f"must be an object, got {type(data).__name__}")
        missing = required - data.keys()
        if missing:
            raise self.fail(path, f"missing key(s): {', '.join(sorted(missing))}")
        unknown = data.keys() - required - optional
        if unknown:
            raise self.fail(path, f"unknown key(s): {', '.join(sorted(unknown))}")
        return data

    def lst(self, data: Any, path: str) -> list[Any]:
        """``data`` as a list."""
        if not isinstance(data, list):
            raise self.fail(path, f"must be a list, got {type(data).__name__}")
        return data

    def enum(self, parse: Callable[[Any], Any], value: Any, path: str) -> Any:
        """``parse(value)``, a parse error named by its path."""
        try:
            return parse(value)
        except ValueError as error:
            raise self.fail(path, str(error)) from None

    def header(self, data: Any, schema: str) -> None:
        """Check the ``schema`` tag and a supported integer ``version``."""
        if not isinstance(data, dict):
            raise self.fail("(top level)", "must be a JSON object")
        if data.get("schema") != schema:
            raise self.fail("schema", f"expected '{schema}', got {data.get('schema')!r}")
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= SCHEMA_VERSION:
            raise self.fail(
                "version", f"unsupported schema version {version!r} (this schedkit reads up to {SCHEMA_VERSION})"
            )
