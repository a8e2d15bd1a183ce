"""Shared helpers of the text readers: reading a file, lines and tokens with line numbers.

Every helper raises :class:`~schedkit.instances.errors.FormatError` naming the source
and the 1-based line, so the format readers stay short and never leak a bare
``ValueError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from schedkit.instances.errors import FormatError
from schedkit.models.limits import describe_limit, too_large


def read_text(path: Path) -> str:
    """The text of ``path``; a file that is not UTF-8 text gives a :class:`FormatError`.

    ``OSError`` (a missing file, a directory) propagates unchanged: it is not a
    format problem.
    """
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")  # tolerate a byte-order mark
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FormatError(path.name, "not a text file (invalid UTF-8 byte)", line) from None


@dataclass(frozen=True)
class Line:
    """A non-blank line: its 1-based number and its whitespace separated tokens."""

    number: int
    tokens: tuple[str, ...]


def data_lines(text: str, comment: str | None = None) -> list[Line]:
    """The non-blank lines of ``text``, skipping lines that start with ``comment``."""
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or (comment is not None and stripped.startswith(comment)):
            continue
        lines.append(Line(number, tuple(stripped.split())))
    return lines


INTEGER = re.compile(r"-?[0-9]+")
"""An integer as instance files write it: ASCII digits, an optional minus sign.

Python's ``int()`` also accepts ``1_000``, ``+7``, surrounding spaces and
digits of other scripts (``٣``); none of them is a number in these formats,
and accepting them would let a corrupted file through.
"""

MAX_DIGITS = 19
"""Longer integers are refused before conversion (the IR's limit is 2^62 - 1, 19 digits)."""


def parse_int(token: str, source: str, line: int, what: str, minimum: int | None = None) -> int:
    """``token`` as an integer (``what`` names it in errors), at least ``minimum`` if given.

    Only ASCII digits with an optional leading minus are integers (see
    :data:`INTEGER`); a value of 2^62 or more in magnitude is refused here,
    naming the line, rather than deep inside a solver.
    """
    if not INTEGER.fullmatch(token):
        raise FormatError(source, f"expected an integer ({what}), found {token!r}", line)
    digits = len(token.lstrip("-"))
    value = int(token) if digits <= MAX_DIGITS else None
    if value is None or too_large(value):
        shown = token if len(token) <= 24 else f"{token[:12]}...{token[-6:]} ({digits} digits)"
        raise FormatError(source, f"{what} {shown} is beyond {describe_limit()}", line)
    if minimum is not None and value < minimum:
        raise FormatError(source, f"{what} must be at least {minimum}, found {value}", line)
    return value


def count_error(source: str, line: int, expected: str, found: int) -> FormatError:
    """The standard "expected ..., found N" error."""
    return FormatError(source, f"expected {expected}, found {found}", line)


class TokenStream:
    """The whitespace separated tokens of a text, each with its line number.

    For formats where line breaks carry no meaning (Patterson, OR-Library wt):
    records are read token by token, yet errors still name the line.
    """

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self._tokens: list[tuple[str, int]] = [
            (token, number) for number, raw in enumerate(text.splitlines(), start=1) for token in raw.split()
        ]
        self._last_line = max(1, len(text.splitlines()))
        self._pos = 0

    def __len__(self) -> int:
        return len(self._tokens)

    @property
    def remaining(self) -> int:
        """Number of tokens not read yet."""
        return len(self._tokens) - self._pos

    @property
    def line(self) -> int:
        """Line of the next token (or the last line at the end)."""
        if self._pos < len(self._tokens):
            return self._tokens[self._pos][1]
        return self._last_line

    def line_of(self, index: int) -> int:
        """Line of token number ``index`` (0-based; the last line when past the end)."""
        return self._tokens[index][1] if 0 <= index < len(self._tokens) else self._last_line

    def next_int(self, what: str, minimum: int | None = None) -> int:
        """Read the next token as an integer; the end of the input is an error naming ``what``."""
        if self._pos >= len(self._tokens):
            raise FormatError(self.source, f"unexpected end of file: expected {what}", self._last_line)
        token, line = self._tokens[self._pos]
        self._pos += 1
        return parse_int(token, self.source, line, what, minimum)

    def expect_end(self, after: str) -> None:
        """Raise unless every token was read (``after`` says what should have been last)."""
        if self._pos < len(self._tokens):
            token, line = self._tokens[self._pos]
            raise FormatError(self.source, f"unexpected extra data {token!r} after {after}", line)
