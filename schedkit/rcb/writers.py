"""Schedule writers: whatever answers the prompts, named ``module:function`` or built in.

A writer is a callable ``writer(prompt, problem) -> str``: it gets the prompt
text (what a model would see) and the instance (for non-model baselines) and
returns the answer text, which the grader parses like a model's reply.
schedkit ships no model client; wrap yours in such a function. Built in:
``greedy`` (:func:`schedkit.rcb.baseline.greedy_writer`).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from pathlib import Path

from schedkit.models import ProblemData
from schedkit.rcb.baseline import greedy_writer

__all__ = ["WRITERS", "Writer", "load_writer"]

Writer = Callable[[str, ProblemData], str]
"""``writer(prompt, problem) -> answer text``."""

WRITERS: dict[str, Writer] = {"greedy": greedy_writer}
"""The built-in writers by name."""


def load_writer(name: str) -> Writer:
    """A built-in writer by name, or the callable ``module:function`` / ``file.py:function``."""
    if name in WRITERS:
        return WRITERS[name]
    module_name, sep, attribute = name.rpartition(":")
    if not sep or not module_name or not attribute:
        raise ValueError(f"writer {name!r}: expected {' or '.join(WRITERS)}, module:function or file.py:function")
    try:
        if module_name.endswith(".py"):
            spec = importlib.util.spec_from_file_location(Path(module_name).stem, module_name)
            if spec is None or spec.loader is None or not Path(module_name).exists():
                raise ValueError(f"writer {name!r}: no file {module_name}")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        else:
            module = importlib.import_module(module_name)
    except ImportError as error:
        raise ValueError(f"writer {name!r}: cannot import {module_name}: {error}") from None
    function = getattr(module, attribute, None)
    if not callable(function):
        raise ValueError(f"writer {name!r}: {module_name} has no callable {attribute}")
    writer: Writer = function
    return writer
