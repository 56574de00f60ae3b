"""Raw tables: rows of cells from CSV/TSV text, workbooks and SQL dumps, with their row numbers.

A RawTable buffers its first rows (to find the header) and streams the rest, so reading a large
export never holds more than one row of it at a time beyond what the records keep.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, NotATableError, WorkbookError
from ..i18n import phrase
from ..limits import (
    DEFAULT,
    Limits,
    check_ods,
    check_size,
    check_xlsx,
    sql_deadline,
    too_big,
)
from ..model import Note, Source
from ..progress import Advance
from .sniff import PEEK, detect_delimiter, detect_encoding, shown_delimiter

HEAD_ROWS = 40
"""Rows examined for the header (report exports put a title and filters above it)."""

FIELD_SIZE_LIMIT = 1 << 24
"""Characters a CSV field may hold while statusdiff reads (the csv module's default is 131,072)."""


@contextmanager
def csv_field_limit() -> Iterator[None]:
    """Raise csv's field size limit while reading, and put the caller's limit back afterwards.

    The limit is csv module state, shared by the whole process: a library call must not leave it
    changed (nor set it at import).
    """
    before = csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))
    try:
        yield
    finally:
        csv.field_size_limit(before)


@dataclass(slots=True)
class RawTable:
    """One table of cells: a buffered head and a streamed rest."""

    source: Source
    format: str
    head: list[list[Any]]
    head_rows: list[int]
    rest: Iterator[list[Any]]
    """The rows after the head (sheets and SQL tables; CSV rows come from `csv_reader`)."""
    rest_first: int = 0
    """The 1-based number of the first row of `rest` (rows are numbered one by one)."""
    advance: Advance | None = None
    """Progress, reported in rows every 16k rows (sheets and SQL tables)."""
    encoding: str | None = None
    delimiter: str | None = None
    tables: tuple[str, ...] = ()
    notes: list[Note] = field(default_factory=list)
    close: Callable[[], None] = lambda: None
    csv_reader: Any = None
    """For text tables: the csv.reader behind `rest`, for loops that must run at C speed."""
    line_base: int = 0
    """Lines before the csv.reader started (an Excel `sep=` line)."""
    head_end_line: int = 0
    """The last physical line of the buffered head."""
    guessed_utf8: bool = False
    """UTF-8 was assumed from the start of the file: a late bad byte means reading it again."""
    digest: Callable[[], str | None] = lambda: None
    """The SHA-256 of a text file once it was read to the end (None before)."""


class EncodingRetry(Exception):
    """A file assumed to be UTF-8 is not: read it again with the single-byte fallback."""


class _CountingReader(io.RawIOBase):
    """A raw file that hashes what it reads and reports progress once per MiB (never per row)."""

    def __init__(self, path: Path, advance: Advance | None) -> None:
        self._raw = io.FileIO(path, "r")
        self._advance = advance
        self._done = 0
        self._next = 0
        self._hash = hashlib.sha256()
        self.finished = False
        """Whether the file was read to its end (the digest then covers all of it)."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer)
        if n:
            self._hash.update(memoryview(buffer)[:n])
            self._done += n
            if self._advance is not None and self._done >= self._next:
                self._advance(self._done)
                self._next = self._done + (1 << 20)
        else:
            self.finished = True
        return n or 0

    def hexdigest(self) -> str:
        """The SHA-256 of the bytes read so far."""
        return self._hash.hexdigest()

    def close(self) -> None:
        self._raw.close()
        super().close()


def _open_text(
    path: Path, encoding: str, advance: Advance | None
) -> tuple[io.TextIOWrapper, _CountingReader]:
    counting = _CountingReader(path, advance)
    raw = io.BufferedReader(counting, buffer_size=1 << 16)
    return io.TextIOWrapper(raw, encoding=encoding, newline="", errors="strict"), counting


def text_table(
    path: Path,
    shown: str,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    advance: Advance | None = None,
) -> RawTable:
    """Open a CSV/TSV/TXT file as a table, detecting encoding and delimiter.

    A UTF-8 guess rests on the first 64 KiB; a later undecodable byte raises EncodingRetry, and the
    caller reads the file again with the single-byte fallback.
    """
    enc, notes = detect_encoding(path, encoding, whole_file=False)
    guessed = encoding is None and enc == "utf-8"
    try:
        with path.open("r", encoding=enc, newline="", errors="strict") as probe:
            sample = probe.read(PEEK)
    except UnicodeDecodeError as exc:
        raise InputError(
            phrase("input.undecodable", encoding=enc),
            file=shown,
            hint=phrase("input.undecodable.hint"),
        ) from exc
    if delimiter is None and _looks_markdown(sample):
        raise NotATableError(
            phrase("input.markdown"), file=shown, hint=phrase("input.markdown.hint")
        )
    delim, sep_line, delim_notes = detect_delimiter(sample, delimiter)
    handle, counting = _open_text(path, enc, advance)
    if sep_line:
        handle.readline()
    reader = csv.reader(handle, delimiter=delim, strict=False)
    base = 1 if sep_line else 0
    head: list[list[Any]] = []
    head_rows: list[int] = []
    last = [base]

    try:
        for row in reader:
            head_rows.append(last[0] + 1)
            last[0] = reader.line_num + base
            head.append(row)
            if len(head) >= HEAD_ROWS:
                break
    except UnicodeDecodeError as exc:
        handle.close()
        if guessed:
            raise EncodingRetry from exc
        raise InputError(phrase("input.undecodable", encoding=enc), file=shown) from exc
    except csv.Error as exc:
        handle.close()
        raise NotATableError(
            phrase("input.bad_csv", detail=str(exc)), file=shown, hint=phrase("input.bad_csv.hint")
        ) from exc

    if len(head) < HEAD_ROWS and head:
        check_unclosed_quote(shown, head_rows[-1], last[0], head[-1], enc, delim)
    fmt = "tsv" if delim == "\t" else "csv"
    return RawTable(
        source=Source(shown),
        format=fmt,
        head=head,
        head_rows=head_rows,
        rest=iter(()),  # NOTE: data_rows reads CSV rows from csv_reader, with line numbers
        encoding=enc,
        delimiter=shown_delimiter(delim),
        notes=[*notes, *delim_notes],
        close=handle.close,
        csv_reader=reader,
        line_base=base,
        head_end_line=last[0],
        guessed_utf8=guessed,
        digest=lambda: counting.hexdigest() if counting.finished else None,
    )


def check_unclosed_quote(
    shown: str, first_line: int, last_line: int, row: list[str], encoding: str, delimiter: str
) -> None:
    """The last record of a CSV ran to the end of the file inside quotes: refuse it.

    Python's lenient csv reader keeps such a field silently, swallowing every later line into one
    label; a strict reader started on the record's first line tells whether the quote was closed.
    """
    if last_line <= first_line or not any("\n" in cell or "\r" in cell for cell in row):
        return
    try:
        with open(shown, encoding=encoding, newline="", errors="replace") as handle:
            for _ in itertools.islice(handle, first_line - 1):
                pass
            for _ in csv.reader(handle, delimiter=delimiter, strict=True):
                pass
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return
    except OSError:
        return
    else:
        return
    raise InputError(
        phrase("input.unclosed_quote", lines=last_line - first_line + 1),
        file=shown,
        row=first_line,
        hint=phrase("input.unclosed_quote.hint"),
    )


_MD_HEADING = re.compile(r"#{1,6}\s+\S")
_MD_RULE = re.compile(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*")


def _looks_markdown(sample: str) -> bool:
    """A Markdown page: it opens with a heading, or holds a table's |---|---| rule."""
    lines = [line.strip() for line in sample.splitlines()[:200] if line.strip()]
    if not lines:
        return False
    if _MD_HEADING.match(lines[0]):
        return True
    return any("|" in line and _MD_RULE.fullmatch(line) for line in lines)


def workbook_tables(
    path: Path, shown: str, fmt: str, advance: Advance | None = None, limits: Limits = DEFAULT
) -> list[RawTable]:
    """Open every sheet of a workbook (XLSX, XLSM, XLS, ODS) as a table."""
    if fmt in ("xlsx", "xlsm"):
        check_xlsx(path, shown, limits)
    elif fmt == "ods":
        check_ods(path, shown, limits)
    else:
        check_size(path, shown, limits)
    try:
        return _workbook_tables(path, shown, fmt, advance)
    except BaseException as exc:
        if type(exc).__name__ == "PanicException":
            raise _panic(exc, shown) from exc
        raise


def _panic(exc: BaseException, shown: str) -> WorkbookError:
    """A panic inside calamine (a BaseException from Rust) is a damaged workbook, not a crash."""
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return WorkbookError(
        phrase("input.workbook_damaged", reason=reason),
        file=shown,
        hint=phrase("input.damaged_workbook.hint"),
    )


def _panic_safe(rows: Iterator[list[Any]], shown: str) -> Iterator[list[Any]]:
    try:
        yield from rows
    except BaseException as exc:
        if type(exc).__name__ == "PanicException":
            raise _panic(exc, shown) from exc
        raise


def _workbook_tables(
    path: Path, shown: str, fmt: str, advance: Advance | None = None
) -> list[RawTable]:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        book = CalamineWorkbook.from_path(str(path))
    except PasswordError as exc:
        raise WorkbookError(
            phrase("input.workbook_password"),
            file=shown,
            hint=phrase("input.workbook_password.hint"),
        ) from exc
    except CalamineError as exc:
        raise WorkbookError(
            phrase("input.workbook_damaged", reason=exc),
            file=shown,
            hint=phrase("input.damaged_workbook.hint"),
        ) from exc
    except (OSError, ValueError) as exc:
        raise WorkbookError(phrase("input.workbook_unopenable", reason=exc), file=shown) from exc
    names = tuple(book.sheet_names)
    visible = {
        m.name
        for m in book.sheets_metadata
        if str(getattr(m, "visible", "Visible")).endswith("Visible")
    }
    tables: list[RawTable] = []
    for name in names:
        try:
            sheet = book.get_sheet_by_name(name)
            rows = sheet.iter_rows()
        except CalamineError as exc:
            raise WorkbookError(
                phrase("input.sheet_unreadable", sheet=name, reason=exc), file=shown
            ) from exc
        start_row = sheet.start[0] + 1 if sheet.start is not None else 1
        start_col = sheet.start[1] if sheet.start is not None else 0
        rows = _panic_safe(rows, shown)
        table = _sheet_table(Source(shown, name), fmt, rows, start_row, start_col, names, advance)
        if name not in visible:
            table.notes.append(Note("hidden_sheet", (("sheet", name),)))
        tables.append(table)
    if not tables:
        raise WorkbookError(phrase("input.workbook_no_sheet"), file=shown)
    return tables


def _sheet_table(
    source: Source,
    fmt: str,
    rows: Iterator[list[Any]],
    start_row: int,
    start_col: int,
    names: tuple[str, ...],
    advance: Advance | None = None,
) -> RawTable:
    head: list[list[Any]] = []
    head_rows: list[int] = []
    pad = [""] * start_col
    number = start_row - 1
    for row in rows:
        number += 1
        head.append(pad + row if start_col else row)
        head_rows.append(number)
        if len(head) >= HEAD_ROWS:
            break

    rest: Iterator[list[Any]] = (pad + row for row in rows) if start_col else iter(rows)
    return RawTable(
        source=source,
        format=fmt,
        head=head,
        head_rows=head_rows,
        rest=rest,
        rest_first=number + 1,
        advance=advance,
        tables=names,
    )


_PRAGMAS_ALLOWED = frozenset({"foreign_keys", "defer_foreign_keys", "encoding", "user_version"})


def _deny_side_effects(action: int, arg1: object, *_args: object) -> int:
    """sqlite3 authorizer: a dump may create and fill tables in memory, nothing else.

    ATTACH/DETACH are refused; so are pragmas other than a harmless few (a dump must not lift the
    size limit set with max_page_count).
    """
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA:
        return sqlite3.SQLITE_OK if str(arg1).lower() in _PRAGMAS_ALLOWED else sqlite3.SQLITE_IGNORE
    return sqlite3.SQLITE_OK


def sql_tables(path: Path, shown: str, limits: Limits = DEFAULT) -> list[RawTable]:
    """Load a SQL dump (CREATE TABLE / INSERT INTO, as CumulusCI datasets) into memory as tables.

    The load is bounded: the dump's size, the database's size (max_page_count), one value's length
    (SQLITE_LIMIT_LENGTH), its time (a progress handler) and each table's rows.
    """
    check_size(path, shown, limits)
    try:
        script = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(phrase("input.sql_not_utf8"), file=shown) from exc
    db = sqlite3.connect(":memory:")
    pages = max(limits.bytes // 4096, 64)
    db.execute("PRAGMA page_size=4096")
    db.execute(f"PRAGMA max_page_count={pages}")
    db.execute(f"PRAGMA temp.max_page_count={pages}")
    db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, max(limits.cell * 4, 1 << 20))
    db.set_progress_handler(sql_deadline(limits), 10_000)
    db.set_authorizer(_deny_side_effects)
    try:
        db.executescript(script)
        names = tuple(
            r[0]
            for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY rowid")
        )
        for name in names:
            quoted = '"' + name.replace('"', '""') + '"'
            (count,) = db.execute(f"SELECT count(*) FROM {quoted}").fetchone()
            if count > limits.rows:
                db.close()
                raise too_big("sql_rows", f"{name}: {count:,}", limits.rows, "rows", shown)
    except sqlite3.Error as exc:
        db.close()
        text = str(exc)
        if "interrupted" in text:
            raise too_big("sql_seconds", "", limits.seconds, "seconds", shown) from exc
        if "full" in text:
            raise too_big("sql_bytes", "", limits.bytes, "bytes", shown) from exc
        if "too big" in text:
            raise too_big("sql_cell", "", limits.cell * 4, "cell", shown) from exc
        raise NotATableError(
            phrase("input.sql_unloadable", reason=exc),
            file=shown,
            hint=phrase("input.sql.hint"),
        ) from exc
    except MemoryError as exc:
        db.close()
        raise too_big("sql_bytes", "", limits.bytes, "bytes", shown) from exc
    if not names:
        db.close()
        raise NotATableError(
            phrase("input.sql_no_table"), file=shown, hint=phrase("input.sql.hint")
        )
    db.set_progress_handler(None, 0)
    tables = []
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"'
        cursor = db.execute(f"SELECT * FROM {quoted} ORDER BY rowid")
        headers = [d[0] for d in cursor.description]
        data = ([("" if v is None else v) for v in row] for row in cursor)
        table = _sheet_table(Source(shown, name), "sql", _prepend(headers, data), 0, 0, names)
        tables.append(table)
    tables[-1].close = db.close
    return tables


def _prepend(first: list[Any], rest: Iterator[list[Any]]) -> Iterator[list[Any]]:
    yield first
    yield from rest
