"""Telling the format of an instance file: from its name where that is unambiguous, else from its content.

Name rules: ``.sm``/``.mm`` -> ``psplib``, ``.rcp`` -> ``patterson``, ``.fjs``
-> ``fjs``, ``.sch`` -> ``rcpsp-max``, ``.rcmp`` -> ``mplib``, ``.json`` ->
``json`` (or ``podpack-plugin`` when the content is a pod-packing plugin
request), a name ``wt<digits>...`` -> ``wt``. Other
names (JSPLIB files have no extension; Brandimarte and Hurink files end in
``.txt``) are decided by content: a file is a candidate for a format when it
parses cleanly as that format (a job shop file: first data line 2 integers
``n m``, then exactly n lines of 2m integers; an FJSPLIB file: a first line of
2-3 numbers and job lines whose token counts match the nested operation
structure; PSPLIB and IR JSON by their markers). Exactly one candidate wins;
none or several raise :class:`~schedkit.instances.errors.UnknownFormatError` asking for
``format=`` (``--format`` on the command line).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from schedkit.instances._text import read_text
from schedkit.instances.errors import FormatError, UnknownFormatError
from schedkit.instances.readers import fjs, jobshop, patterson, podpack_plugin, psplib
from schedkit.instances.readers.wt import NAME_PATTERN

FORMATS: tuple[str, ...] = (
    "psplib",
    "patterson",
    "jobshop",
    "fjs",
    "wt",
    "json",
    podpack_plugin.FORMAT,
    "rcpsp-max",
    "mplib",
)
"""The names accepted by ``read(format=...)``."""

FORMAT_HINTS: dict[str, str] = {
    "psplib": ".sm, .mm",
    "patterson": ".rcp",
    "jobshop": "JSPLIB, no extension",
    "fjs": ".fjs, Brandimarte/Hurink .txt",
    "wt": "wt40.txt: one file, many instances",
    "json": ".json, the IR",
    podpack_plugin.FORMAT: ".json, the plugin's solver input",
    "rcpsp-max": ".sch, RCPSP/max",
    "mplib": ".rcmp, multi-project RCPSP",
}
"""What selects each format, for help texts (``schedkit solve --help``)."""

EXTENSIONS: dict[str, str] = {
    ".sm": "psplib",
    ".mm": "psplib",
    ".rcp": "patterson",
    ".fjs": "fjs",
    ".json": "json",
    ".sch": "rcpsp-max",
    ".rcmp": "mplib",
}
"""File extensions that decide the format on their own."""

_HINT = "pass format= (one of {}) or --format on the command line".format(", ".join(FORMATS))


def format_from_name(path: Path) -> str | None:
    """The format implied by the file name alone, or None."""
    by_extension = EXTENSIONS.get(path.suffix.lower())
    if by_extension is not None:
        return by_extension
    if NAME_PATTERN.match(path.name):
        return "wt"
    return None


def _sniff_psplib(text: str, source: str) -> Any:
    if "PRECEDENCE RELATIONS" not in text.upper():
        raise FormatError(source, "no 'PRECEDENCE RELATIONS:' section")
    return psplib.parse(text, source)


def _sniff_json(text: str, source: str) -> Any:
    if not text.lstrip().startswith("{"):
        raise FormatError(source, "does not start with '{'")
    return True


_SNIFFERS: dict[str, Callable[[str, str], Any]] = {
    "jobshop": jobshop.parse,
    "fjs": fjs.parse,
    "psplib": _sniff_psplib,
    "patterson": patterson.parse,
    "json": _sniff_json,
}


def format_from_content(text: str, source: str) -> str:
    """The one format ``text`` parses as; otherwise an :class:`UnknownFormatError`."""
    fits, reasons = [], []
    for name, sniff in _SNIFFERS.items():
        try:
            sniff(text, source)
        except FormatError as error:
            where = f"line {error.line}: " if error.line is not None else ""
            reasons.append(f"not {name} ({where}{error.reason})")
        else:
            fits.append(name)
    if len(fits) == 1:
        return fits[0]
    if fits:
        raise UnknownFormatError(source, f"ambiguous format: the content fits {' and '.join(fits)}; {_HINT}")
    raise UnknownFormatError(source, f"cannot tell the format: {'; '.join(reasons)}; {_HINT}")


def detect_format(path: str | Path) -> str:
    """The format name of the instance file ``path`` (see the module docstring)."""
    path = Path(path)
    by_name = format_from_name(path)
    if by_name not in (None, "json"):
        return by_name
    text = read_text(path)
    found = by_name or format_from_content(text, path.name)
    return refine_json(text) if found == "json" else found


def refine_json(text: str) -> str:
    """``podpack-plugin`` for a ``.json`` file holding a pod-packing plugin request, else ``json``."""
    return podpack_plugin.FORMAT if podpack_plugin.looks_like(text) else "json"
