"""Errors raised while reading instance files.

A reader never lets a bare ``IndexError`` or ``ValueError`` escape: every
problem with the input becomes a :class:`FormatError` whose message names the
file and, where one applies, the 1-based line, and says what was expected and
what was found. That is what a user needs to fix a hand-edited file of
thousands of lines without a debugger.
"""

from __future__ import annotations


class FormatError(ValueError):
    """Malformed or unreadable instance input.

    The message reads ``"<file>: line <n>: <reason>"`` (or ``"<file>:
    <reason>"`` when no single line is to blame), e.g. ``ta01: line 3:
    expected 30 integers (15 machine/time pairs), found 29``.

    Attributes
    ----------
    source
        The file name (or another label for the input).
    line
        The 1-based line number, or None.
    reason
        What is wrong, without the file and line prefix.
    """

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.reason = reason
        where = f"{source}: line {line}: " if line is not None else f"{source}: "
        super().__init__(where + reason)


class UnknownFormatError(FormatError):
    """The format of a file could not be told, or more than one format fits.

    The message tells the user to pass ``format=`` (``--format`` on the
    command line).
    """


class ConversionError(ValueError):
    """An object of another library that schedkit's IR cannot express exactly.

    The message names the construct (``PyJobShop constraint setup_times``,
    ``job-shop-lib operation 3 of job 1``) and why, e.g. ``setup times have
    no IR entity``: a conversion never silently drops a constraint.
    """
