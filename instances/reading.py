"""``read()``: one entry point for every supported instance format.

The format comes from ``format=`` or is detected as in :func:`~schedkit.instances.detect.detect_format`.
The problem is named after the file stem (``ta01``, ``j301_1``, ``mk01``;
``wt40#3`` for instance 3 of ``wt40.txt``; IR JSON keeps the name stored in
it) unless ``name=`` is given, and ``problem.meta`` records the
``source`` path and the ``format`` (plus the ``index`` for multi-instance files).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from schedkit.instances._text import read_text
from schedkit.instances.detect import FORMATS, format_from_content, format_from_name, refine_json
from schedkit.instances.errors import FormatError
from schedkit.instances.readers import fjs, irjson, jobshop, mplib, patterson, podpack_plugin, psplib, rcpsp_max, wt
from schedkit.models import ModelError, ProblemData

_SIMPLE = {
    "psplib": psplib,
    "patterson": patterson,
    "jobshop": jobshop,
    "fjs": fjs,
    podpack_plugin.FORMAT: podpack_plugin,
    "rcpsp-max": rcpsp_max,
    "mplib": mplib,
}
_OPTIONS = {"wt": {"n"}}


def _check_arguments(fmt: str, index: int | None, options: dict[str, Any]) -> None:
    unknown = set(options) - _OPTIONS.get(fmt, set()) - {"name"}
    if unknown:
        allowed = sorted(_OPTIONS.get(fmt, set()) | {"name"})
        raise TypeError(
            f"format '{fmt}' takes no option(s) {', '.join(sorted(unknown))} (it takes: {', '.join(allowed)})"
        )
    if index is not None and fmt != "wt":
        raise TypeError(f"format '{fmt}' holds one instance per file: index= applies only to 'wt'")


def _read_wt(
    path: Path, text: str, index: int | None, n: int | None, name: str | None
) -> tuple[ProblemData, dict[str, Any]]:
    source = path.name
    if n is None:
        n = wt.jobs_from_name(path)
        if n is None:
            raise FormatError(source, "the number of jobs per instance is unknown: pass n= (e.g. n=40)")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise FormatError(source, f"n= must be a positive integer, got {n!r}")
    instances = wt.parse(text, source, n)
    last = len(instances) - 1
    if index is None:
        raise FormatError(
            source,
            f"the file holds {len(instances)} instances: "
            f"pass index= (--index on the command line), 0..{last}, to choose one",
        )
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= last:
        raise FormatError(
            source, f"instance index {index!r} is out of range: the file holds {len(instances)} (0..{last})"
        )
    return wt.build(instances[index], name or f"{path.stem}#{index}"), {"index": index, "num_jobs": n}


def read(path: str | Path, format: str | None = None, index: int | None = None, **options: Any) -> ProblemData:
    """Read an instance file into a ``ProblemData``.

    Parameters
    ----------
    path
        The file.
    format
        One of :data:`FORMATS`; overrides detection. Default: detect it from
        the name or the content (see :mod:`schedkit.instances.detect`).
    index
        0-based instance number inside a multi-instance file (``wt``; required there).
    options
        ``name=`` overrides the problem name (default: the file stem);
        ``n=`` (``wt``) is the number of jobs per instance (default: the digits
        of the file name, ``wt40.txt`` -> 40).

    Raises
    ------
    FormatError
        Malformed input, naming the file and the 1-based line; or an
        undetectable format (:class:`~schedkit.instances.errors.UnknownFormatError`).
    TypeError
        An option the format does not take.
    OSError
        The file cannot be opened.
    """
    path = Path(path)
    source = path.name
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    text = read_text(path)
    if format is None:
        format = format_from_name(path) or format_from_content(text, source)
        if format == "json":
            format = refine_json(text)
    _check_arguments(format, index, options)
    name = options.get("name")
    extra: dict[str, Any] = {}
    try:
        if format == "wt":
            problem, extra = _read_wt(path, text, index, options.get("n"), name)
        elif format == "json":
            problem = irjson.build(irjson.parse(text, source), source)
            if name or not problem.name:  # keep the name stored in the JSON unless told otherwise
                problem = replace(problem, name=name or path.stem, meta=dict(problem.meta))
        else:
            reader = _SIMPLE[format]
            problem = reader.build(reader.parse(text, source), name or path.stem)
    except ModelError as error:  # the builder rejected data the reader let through
        raise FormatError(source, f"invalid instance: {error}") from None
    problem.meta.update(source=str(path), format=format, **extra)
    return problem
