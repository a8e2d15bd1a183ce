"""The text of a best-shot prompt, and the code inside a model's reply.

:func:`render_prompt` lays out, as FunSearch does, the problem statement, the
chosen programs as versions ``v0, v1, ...`` in ascending order of score
(each with its mean gap, so the model sees what improved) and an
instruction to write the next version. FunSearch shows only the evolved
function, renamed per version; a schedkit candidate is a whole program file
(constants, helpers, the function), so whole files are shown.

:func:`extract_code` takes a model's free-text reply and returns the program
in it: the last fenced code block (```` ```python ... ``` ````) that defines
the evolved function, else the whole reply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from schedkit.discovery.database import Program
from schedkit.discovery.spec import Specification

__all__ = ["extract_code", "render_prompt"]

_FENCE = re.compile(r"```[ \t]*(?:python|py)?[ \t]*\n(.*?)```", re.DOTALL | re.IGNORECASE)


def _quality(program: Program) -> str:
    gap = program.summary.get("mean_gap")
    invalid = program.summary.get("invalid", 0)
    text = "mean gap unknown" if gap is None else f"mean gap {gap:.3f}%"
    return text + (f", {invalid} invalid answers" if invalid else "")


def render_prompt(spec: Specification, parents: Sequence[Program], version: int) -> str:
    """The prompt for version ``version`` given ``parents`` (ascending score)."""
    parts = [spec.description.rstrip(), ""]
    for index, program in enumerate(parents):
        parts.append(f"### Version v{index} ({_quality(program)})")
        parts.append("```python")
        parts.append(program.source.rstrip())
        parts.append("```")
        parts.append("")
    parts.append(
        f"### Version v{version}\n"
        f"Write version v{version}: a complete Python program defining `{spec.signature}` that improves on "
        f"v{version - 1 if version else 0} (lower mean gap) and keeps the contract. Consider the physical meaning "
        "of the inputs. Keep the code concise. Reply with the program in one ```python code block."
    )
    return "\n".join(parts)


def extract_code(reply: str, function: str) -> str:
    """The program in ``reply`` (see the module docstring)."""
    blocks = _FENCE.findall(reply)
    for block in reversed(blocks):
        if re.search(rf"^\s*def\s+{re.escape(function)}\s*\(", block, re.MULTILINE):
            return str(block)
    return reply
