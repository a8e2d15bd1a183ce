"""Reader of the OR-Library single-machine weighted tardiness files (``wt40.txt``, ``wt50.txt``, ``wt100.txt``).

Format (Beasley's OR-Library, ``wtinfo.txt``; instances of Crauwels, Potts &
Van Wassenhove 1998): one long stream of whitespace separated integers, line
breaks carry no meaning. The file holds many instances (125 in the originals)
one after another; each is N processing times, then N weights, then N due
dates. N is not in the file: it comes from the ``n=`` option or from the
digits of the file name (``wt40.txt`` -> 40). One instance is read at a time,
chosen by its 0-based ``index``. Built with :func:`schedkit.models.tardiness.tardiness`
(weights included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from schedkit.instances._text import TokenStream
from schedkit.instances.errors import FormatError
from schedkit.models import ProblemData
from schedkit.models.tardiness import tardiness

NAME_PATTERN = re.compile(r"^wt([0-9]{1,9})", re.IGNORECASE)
"""File names of the wt format: ``wt`` followed by the job count (``wt40.txt``)."""


@dataclass(frozen=True)
class WtInstance:
    """One weighted tardiness instance of a wt file."""

    processing_times: tuple[int, ...]
    weights: tuple[int, ...]
    due_dates: tuple[int, ...]


def jobs_from_name(path: Path) -> int | None:
    """The job count in a wt file name (``wt40.txt`` -> 40), or None."""
    match = NAME_PATTERN.match(path.name)
    return int(match.group(1)) if match else None


def parse(text: str, source: str, n: int) -> list[WtInstance]:
    """All instances of a wt text with ``n`` jobs each."""
    stream = TokenStream(text, source)
    size = 3 * n
    if not len(stream):
        raise FormatError(source, f"no data: expected instances of {size} integers (3 x {n})", 1)
    if len(stream) % size:
        full = len(stream) // size
        raise FormatError(
            source,
            f"expected a multiple of {size} integers ({n} processing times, weights and due dates per instance), "
            f"found {len(stream)}: instance {full} (0-based) is incomplete",
            stream.line_of(full * size),
        )
    instances = []
    for i in range(len(stream) // size):
        p = tuple(stream.next_int(f"processing time {j} of instance {i}", minimum=0) for j in range(n))
        w = tuple(stream.next_int(f"weight {j} of instance {i}", minimum=0) for j in range(n))
        d = tuple(stream.next_int(f"due date {j} of instance {i}") for j in range(n))
        instances.append(WtInstance(p, w, d))
    return instances


def build(instance: WtInstance, name: str) -> ProblemData:
    """The weighted tardiness instance as a ``ProblemData`` (see :func:`schedkit.models.tardiness.tardiness`)."""
    return tardiness(instance.processing_times, instance.due_dates, instance.weights, name=name)
