"""Bounded reading: how much of a file statusdiff agrees to read, checked before anything allocates.

A 2 KB workbook can declare 17 billion cells, a 2 MB zip can hold a 2 GB string, a 0.6 KB SQL
dump can run forever. The defaults below are far above what a real org's exports hold (see the
README, "Limits"), and `--limit NAME=VALUE` raises any of them.
"""

from __future__ import annotations

import re
import time
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import InputError, UsageError
from .i18n import phrase


@dataclass(frozen=True, slots=True)
class Limits:
    """What one input may hold."""

    bytes: int = 1 << 30
    """Bytes of a text, JSON, XML or SQL file, and decompressed bytes of a workbook (1 GiB)."""
    rows: int = 5_000_000
    """Rows of one sheet or SQL table (Excel holds 1,048,576 rows)."""
    columns: int = 1_024
    """Columns of one sheet (exports hold tens)."""
    cells: int = 20_000_000
    """Cells of one sheet's declared or used area, rows × columns."""
    cell: int = 32_767
    """Characters of one workbook or SQL cell (Excel's own maximum)."""
    label: int = 10_000
    """Characters of one label, status, channel or campaign name (Salesforce labels hold 765)."""
    seconds: float = 120.0
    """Seconds a SQL dump may take to load."""


DEFAULT = Limits()
NAMES = tuple(f.name for f in fields(Limits))


def parse(values: Iterable[str]) -> Limits:
    """Limits from `--limit NAME=VALUE` options (unknown names and bad numbers are usage errors)."""
    limits = DEFAULT
    for value in values:
        name, sep, number = value.partition("=")
        name = name.strip()
        if not sep or name not in NAMES:
            raise UsageError(
                phrase("limit.bad_option", value=value),
                hint=phrase("limit.bad_option.hint", names=", ".join(NAMES)),
            )
        try:
            parsed: Any = float(number) if name == "seconds" else int(number.replace("_", ""))
        except ValueError:
            parsed = None
        if parsed is None or parsed <= 0 or parsed != parsed:
            raise UsageError(
                phrase("limit.bad_number", value=value),
                hint=phrase("limit.bad_option.hint", names=", ".join(NAMES)),
            )
        limits = replace(limits, **{name: parsed})
    return limits


def too_big(what: str, found: str, limit: int | float, name: str, shown: str) -> InputError:
    """The one error for a limit passed: what, how much, the limit, and the option to raise it."""
    return InputError(
        phrase(f"limit.{what}", found=found, limit=f"{limit:,}"),
        file=shown,
        hint=phrase("limit.hint", option=f"--limit {name}="),
    )


def check_size(path: Path, shown: str, limits: Limits) -> None:
    """Refuse a file bigger than the byte limit before reading it."""
    size = path.stat().st_size
    if size > limits.bytes:
        raise too_big("bytes", f"{size:,}", limits.bytes, "bytes", shown)


# --------------------------------------------------------------------------------------------
# Workbooks (XLSX/XLSM): inspect the zip and each sheet's XML before calamine allocates
# --------------------------------------------------------------------------------------------

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\"")
_ROW = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br=\"(\d+)\"")
_WIDE_CELL = re.compile(rb" r=\"([A-Z]{2,3})[0-9]")
"""Cell references of column AA or beyond (row references hold digits only)."""
_LONG_TEXT_BYTES = 4
"""A character is at most 4 bytes of UTF-8: a text run longer than 4 × the limit is too long."""


def column_number(letters: bytes | str) -> int:
    """A1-style column letters as a 1-based number (A = 1, XFD = 16384)."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n


def check_xlsx(path: Path, shown: str, limits: Limits) -> None:
    """Check an XLSX/XLSM container before calamine reads it.

    The zip's declared sizes, each sheet's declared dimension, the rows and columns actually used,
    and the longest text run are checked while streaming the XML (memory stays flat).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            declared = sum(e.file_size for e in entries)
            if declared > limits.bytes:
                raise too_big("unzipped", f"{declared:,}", limits.bytes, "bytes", shown)
            budget = limits.bytes
            for entry in entries:
                name = entry.filename
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    budget -= _scan_xml(archive, entry, shown, limits, budget, sheet=True)
                elif name == "xl/sharedStrings.xml":
                    budget -= _scan_xml(archive, entry, shown, limits, budget, sheet=False)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, zlib.error):
        return  # NOTE: calamine then says what is wrong with the container
    except RuntimeError:
        return  # encrypted entries: calamine reports the password


def _scan_xml(
    archive: zipfile.ZipFile,
    entry: zipfile.ZipInfo,
    shown: str,
    limits: Limits,
    budget: int,
    *,
    sheet: bool,
) -> int:
    """Stream one XML part; return its real decompressed size."""
    where = f"{shown} ({entry.filename})"
    longest_bytes = limits.cell * _LONG_TEXT_BYTES
    carry = b""
    done = 0
    first = True
    max_row = 0
    max_col = 0
    with archive.open(entry) as handle:
        while chunk := handle.read(1 << 20):
            done += len(chunk)
            if done > budget:
                raise too_big("unzipped", f"> {limits.bytes:,}", limits.bytes, "bytes", shown)
            data = carry + chunk
            if first and sheet:
                first = False
                _check_dimension(data[:65536], where, limits)
            cut = data.rfind(b"<")
            body, carry = (b"", data) if cut < 0 else (data[:cut], data[cut:])
            _check_runs(body, where, limits, longest_bytes)
            if len(carry) > longest_bytes + 1024:
                raise too_big("cell", f"> {limits.cell:,}", limits.cell, "cell", where)
            if sheet:
                at = body.rfind(b"<row ")
                found = _ROW.match(body, at) if at >= 0 else None
                rows = [found.group(1)] if found else _ROW.findall(body)
                if rows:
                    max_row = max(max_row, int(rows[-1]))
                for letters in set(_WIDE_CELL.findall(body)):
                    max_col = max(max_col, column_number(letters))
                _check_area(max_row, max(max_col, 1), where, limits)
        _check_runs(carry, where, limits, longest_bytes)
    return done


def _check_dimension(head: bytes, where: str, limits: Limits) -> None:
    match = _DIMENSION.search(head)
    if match is None:
        return
    c1, r1, c2, r2 = match.groups()
    if c2 is None:
        return
    rows = int(r2) - int(r1) + 1
    cols = column_number(c2) - column_number(c1) + 1
    ref = match.group(0).split(b'"')[1].decode("ascii")
    if cols > limits.columns:
        raise too_big("declared_columns", f"{ref}: {cols:,}", limits.columns, "columns", where)
    if rows > limits.rows:
        raise too_big("declared_rows", f"{ref}: {rows:,}", limits.rows, "rows", where)
    if rows * cols > limits.cells:
        raise too_big("declared_cells", f"{ref}: {rows * cols:,}", limits.cells, "cells", where)


def _check_area(max_row: int, max_col: int, where: str, limits: Limits) -> None:
    if max_col > limits.columns:
        raise too_big("columns", f"{max_col:,}", limits.columns, "columns", where)
    if max_row > limits.rows:
        raise too_big("rows", f"{max_row:,}", limits.rows, "rows", where)
    if max_row * max_col > limits.cells:
        raise too_big("cells", f"{max_row * max_col:,}", limits.cells, "cells", where)


def _check_runs(data: bytes, where: str, limits: Limits, longest_bytes: int) -> None:
    """Refuse a text run (between two tags) of more characters than the cell limit."""
    if len(data) <= limits.cell:
        return
    # NOTE: a text run follows a '>': a literal first character lets the regex engine jump from
    # one '>' to the next, so each run is scanned once (linear, not quadratic, in the XML).
    pattern = re.compile(rb">([^<>]{%d,})" % (limits.cell + 1))
    for match in pattern.finditer(b">" + data if data[:1] not in (b"<", b">") else data):
        run = match.group(1)
        chars = len(run) if len(run) > longest_bytes else len(run.decode("utf-8", "replace"))
        if chars > limits.cell:
            raise too_big("cell", f"{chars:,}", limits.cell, "cell", where)


_ODS_TAG = re.compile(rb"<(/?)table:(table-row|table-cell|covered-table-cell)\b([^>]*)>")
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
_COLUMNS_REPEATED = re.compile(rb'number-columns-repeated="(\d+)"')


def check_ods(path: Path, shown: str, limits: Limits) -> None:
    """Check an ODS container before calamine reads it: repeated rows and cells that hold values.

    LibreOffice writes trailing empty rows as one row repeated a million times; that is fine. A
    *valued* cell repeated across many columns of a row repeated many times is the ODS bomb.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            declared = sum(e.file_size for e in entries)
            if declared > limits.bytes:
                raise too_big("unzipped", f"{declared:,}", limits.bytes, "bytes", shown)
            if "content.xml" in archive.namelist():
                _scan_ods(archive, shown, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, zlib.error):
        return
    except RuntimeError:
        return


def _scan_ods(archive: zipfile.ZipFile, shown: str, limits: Limits) -> None:
    where = f"{shown} (content.xml)"
    used_rows = pending = max_col = 0
    row_repeat = 1
    position = 0
    row_valued = False
    carry = b""
    done = 0
    longest_bytes = limits.cell * _LONG_TEXT_BYTES
    with archive.open("content.xml") as handle:
        while chunk := handle.read(1 << 20):
            done += len(chunk)
            if done > limits.bytes:
                raise too_big("unzipped", f"> {limits.bytes:,}", limits.bytes, "bytes", shown)
            data = carry + chunk
            cut = data.rfind(b"<")
            body, carry = (b"", data) if cut < 0 else (data[:cut], data[cut:])
            _check_runs(body, where, limits, longest_bytes)
            if len(carry) > longest_bytes + 1024:
                raise too_big("cell", f"> {limits.cell:,}", limits.cell, "cell", where)
            for closing, tag, attrs in _ODS_TAG.findall(body):
                if tag == b"table-row":
                    if closing:
                        if row_valued:
                            used_rows += pending + row_repeat
                            pending = 0
                        else:
                            pending += row_repeat
                        _check_area(used_rows, max(max_col, 1), where, limits)
                        continue
                    found = _ROWS_REPEATED.search(attrs)
                    row_repeat = int(found.group(1)) if found else 1
                    position = 0
                    row_valued = False
                    if attrs.endswith(b"/"):
                        pending += row_repeat
                    continue
                if closing:
                    continue
                found = _COLUMNS_REPEATED.search(attrs)
                position += int(found.group(1)) if found else 1
                if b"value-type" in attrs or not attrs.endswith(b"/"):
                    row_valued = True
                    max_col = max(max_col, position)


# --------------------------------------------------------------------------------------------
# SQL dumps
# --------------------------------------------------------------------------------------------


def sql_deadline(limits: Limits) -> Any:
    """A sqlite progress handler that interrupts a dump running past the time limit."""
    deadline = time.monotonic() + limits.seconds

    def handler() -> int:
        return 1 if time.monotonic() > deadline else 0

    return handler
