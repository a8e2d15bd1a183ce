"""Errors raised when a problem description is invalid."""

from __future__ import annotations


class ModelError(ValueError):
    """An invalid problem description.

    The message always names the offending entity (``task 'op3' (#2)``,
    ``resource 'M1' (#0)``, ``precedence #4`` or a file) and the field, so a user
    can find the mistake in a model of thousands of tasks without a debugger.

    Attributes
    ----------
    entity
        A human readable reference to the entity, e.g. ``"task 'op3' (#2)"``.
    field
        The name of the offending field, e.g. ``"release"``.
    reason
        What is wrong with it.
    """

    def __init__(self, entity: str, field: str, reason: str) -> None:
        self.entity = entity
        self.field = field
        self.reason = reason
        super().__init__(f"{entity}, field '{field}': {reason}")
