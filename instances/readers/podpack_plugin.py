"""Reader of the solver JSON of the "Priority Matters" scheduler plugin (format ``podpack-plugin``).

The file is what the plugin pipes to its solver: ``{"solver_input": {"nodes":
[...], "pods": [...], "preemptor": ..., "timeout_ms": ...}, "solver_options":
{...}}`` (or the ``solver_input`` object alone); nodes carry ``cap_cpu_m``
and ``cap_mem_bytes``, pods ``req_cpu_m``, ``req_mem_bytes``, ``priority``,
``protected`` and their current ``node`` (empty when pending). The rules
(defaults, duplicate uids, unknown nodes, the modes) are those of
:mod:`schedkit.models.podpack.plugin_json`; the problem includes the
plugin's mode (a preemptor must be placed, else at least one pending pod).

Detection: a ``.json`` file whose text mentions ``cap_cpu_m`` together with
``solver_input`` or ``req_cpu_m``, and that is not schedkit's own IR JSON.
"""

from __future__ import annotations

from typing import Any

from schedkit.instances.errors import FormatError
from schedkit.instances.readers.irjson import decode_json
from schedkit.models import ModelError, ProblemData
from schedkit.models.podpack.plugin_json import problem_from_payload

FORMAT = "podpack-plugin"
"""The format name (``read(..., format="podpack-plugin")``, ``--format podpack-plugin``)."""


def looks_like(text: str) -> bool:
    """Whether a JSON text is a plugin request rather than IR JSON (a cheap check on its keys)."""
    head = text.lstrip()[:4096]
    if '"schema"' in head and "schedkit" in head:
        return False
    return '"cap_cpu_m"' in text and ('"solver_input"' in text or '"req_cpu_m"' in text)


def parse(text: str, source: str) -> Any:
    """The decoded request; a JSON syntax error names the line."""
    data = decode_json(text, source)
    if not isinstance(data, dict):
        raise FormatError(source, f"expected a JSON object (the plugin's request), found {type(data).__name__}")
    if "solver_input" not in data and "nodes" not in data:
        raise FormatError(source, "not a plugin request: no 'solver_input' (or 'nodes') key")
    return data


def build(data: Any, name: str) -> ProblemData:
    """The problem of a decoded request (the plugin's mode included), named ``name``."""
    try:
        return problem_from_payload(data, mode="plugin", name=name)
    except ModelError as error:
        raise FormatError(name, str(error)) from None
