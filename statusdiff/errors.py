"""Typed errors with a location and a hint; the CLI maps them to messages and exit codes."""

from __future__ import annotations

EXIT_OK = 0
"""Every pair will sync (or the command succeeded)."""
EXIT_BLOCKED = 1
"""At least one pair will not sync, or a pairing names something absent from the exports."""
EXIT_TROUBLE = 2
"""Bad input or usage: nothing was compared."""
EXIT_INTERNAL = 3
"""statusdiff itself failed (a bug): the traceback is in a file whose path is printed."""


class Terminated(BaseException):
    """SIGTERM arrived while a command ran (raised by the CLI's handler, so cleanup runs)."""


class StatusDiffError(Exception):
    """Base of every error statusdiff reports to a person rather than as a traceback."""

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.file = file
        self.row = row
        self.column = column

    def one_line(self) -> str:
        """Render as the single line the CLI prints: where, what is wrong, what to do."""
        where = ""
        if self.file is not None:
            where = self.file
            if self.row is not None:
                where += f":{self.row}"
            where += ": "
        text = self.message
        if self.column is not None and f"'{self.column}'" not in text:
            text = f"column '{self.column}': {text}"
        line = f"error: {where}{text}"
        if self.hint:
            line += f" — {self.hint}"
        return line.replace("\n", " ")


class InputError(StatusDiffError):
    """An input file cannot be read as the table it should be."""


class MissingFileError(InputError):
    """The named file does not exist or is not a regular file."""


class EmptyFileError(InputError):
    """The file holds no bytes, or no row at all."""


class NotATableError(InputError):
    """The file is not a table statusdiff reads (an image, an archive, a binary)."""


class WorkbookError(InputError):
    """A workbook is corrupt, encrypted, or has no usable sheet."""


class HeaderError(InputError):
    """No row of the file looks like a header for the expected role."""


class RoleError(InputError):
    """What a file holds (channels, statuses, members, campaigns, pairs) cannot be told."""

    roles: tuple[str, ...] = ()
    """The roles a file's headers fit equally (set where a tie is found)."""


class ValueParseError(InputError):
    """A cell cannot be read as the boolean, number or Salesforce ID its column holds."""


class IdError(ValueParseError):
    """A Salesforce ID is malformed, or its 18-character checksum is wrong."""


class UsageError(StatusDiffError):
    """Options that contradict each other or name nothing."""


class RenderError(StatusDiffError):
    """A report could not be rendered (for example a broken custom template)."""


class OutputError(StatusDiffError):
    """A report could not be written where asked."""


class PhraseError(KeyError):
    """A phrase the code asks for is not in the catalogue (or not in the report language).

    A bug in statusdiff, never bad input: the CLI reports it as an internal error. A KeyError, so
    that a custom template asking for an unknown phrase is reported against its template line like
    any other missing name.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "missing phrase"
