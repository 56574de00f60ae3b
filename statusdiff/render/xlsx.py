"""Render a Report as an Excel workbook that an admin can work through line by line.

Sheets, in order: Plan check (with --baseline: the outcome sentence in A1, then the planned
actions, the unexpected changes and the pairs then and now), Summary (totals, then one row per pair,
with links to its details; with --baseline, a Change column), Templates (with --type-templates: one
row per template record, its near match and its fix), Differences (one row per difference, near
misses highlighted character by character), Statuses (both sides of every blocked pair), Remediation
(numbered steps with their owner, risk class, what a lossy step loses, and an empty Done column),
Matrix (matrix mode only; a tie is "tie between …") and Inputs (the audit trail: version, time,
options and every input read, with how its role was decided).

NOTE: the workbook is written with openpyxl, in write-only mode (bench/README_xlsx.md: for 5,000
pairs the ordinary mode was about as fast, within the noise of a loaded machine, and held every
cell until it saved: 510 MB more).
openpyxl writes the column widths before the rows, and the widths come from the content, so each
sheet gathers its rows (plain values, and a cell object only where a cell has a format, a link or
rich text) and hands them to openpyxl when it is finished. Differences and Remediation are written
before the Summary that links to their rows; the Summary still comes first in the workbook.

Labels are evidence, so the only text transformation is the one Excel's file format needs
(`excel_text`): a character XML 1.0 cannot hold (and CR, which XML readers turn into LF) is
written as Excel's `_xHHHH_` escape, and the underscore that opens a literal `_xHHHH_` (or a
`_xHHHH` closed by the next escape's underscore) as `_x005F_`. Excel, LibreOffice and calamine
decode them; openpyxl returns the stored text, which its `openpyxl.utils.escape.unescape` decodes.
Text made of spaces only is written as a run marked to keep them (`_Runs`). Every string is a text
cell: a label such as "=1+1" or "#N/A", which openpyxl would take for a formula or an error, is
forced to text. Excel's limits are kept: a cell holds at most 32,767 characters (longer text is cut
with a visible marker and a note on the Inputs sheet), a row is at most 409 points high, a sheet
name has at most 31 characters and none of []:*?/\\, and a sheet holds at most 65,530 links
(further ones are plain text, and the Inputs sheet says so).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import IO, Any, NamedTuple

from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.page import PageMargins
from openpyxl.writer.excel import ExcelWriter

from ..baseline import BaselineCheck, Change, State
from ..codes import PairState
from ..errors import RenderError
from ..explain import NearMatch, shown
from ..i18n import Catalog, phrase
from ..model import (
    Detection,
    Difference,
    Kind,
    MemberStatus,
    PairResult,
    ProgramStatus,
    TemplateRecord,
    is_pseudo_status,
)
from ..pipeline import Report
from ..remediate import Action, Option, OptionKey, Owner, Plan, Risk
from ..typetemplates import TemplateCheck
from . import closing, phrases

MAX_ROWS = 1_048_576
"""Rows of an Excel sheet."""
MAX_CHARS = 32_767
"""Characters (UTF-16 code units) Excel holds in one cell."""
MAX_HEIGHT = 409
"""Points: Excel's highest row."""
MAX_SHEET_NAME = 31
"""Characters (UTF-16 code units) of a sheet name."""
SHEET_NAME_FORBIDDEN = "[]:*?/\\"
MAX_LINKS = 65_530
"""Hyperlinks Excel accepts on one sheet; further links are written as plain text."""
LIST_ROWS = 10
"""Skipped row numbers listed per reason on the Inputs sheet, and cut cells listed there."""
LINE_HEIGHT = 15
"""Points per line of an 11-point Calibri row."""
WIDE = 1.15
"""Characters of Calibri text per unit of column width (which is the width of a digit)."""
BLAST_LINES = 5
"""Other pairs whose verdict option C changes, listed by name (all of them are counted)."""
WRITE_ONLY = True
"""openpyxl's write-only mode (bench/README_xlsx.md compares both modes)."""
LEVEL = 4
"""zlib level of the zip entries (openpyxl's own is 6: bench/README_xlsx.md)."""

# Printing: Letter landscape (the narrower of Letter and A4) with half-inch side margins.
PRINT_WIDTH = 10.0 * 72
"""Points of printable width."""
SMALLEST_PRINTED = 8
"""Points: fit a sheet to the page width only if its smallest text stays at least this big."""

_XML_UNSAFE = "\x00-\x08\x0b\x0c\x0e-\x1f\r\ud800-\udfff\ufffe\uffff"
_ESCAPE = re.compile(f"[{_XML_UNSAFE}]|_(?=[xX][0-9A-Fa-f]{{1,4}}(?:_|[{_XML_UNSAFE}]))")
"""What Excel's format cannot store as it is: a character XML 1.0 cannot hold (and CR, which XML
readers fold into LF), and the underscore opening what a reader would decode as an escape: a
literal `_xHHHH_`, or `_xHHHH` followed by a character that is about to be escaped itself (its
escape supplies the closing underscore). LibreOffice decodes one to four digits, so those count."""
_RICH_UNSAFE = re.compile(r"_[xX][0-9A-Fa-f]")
"""A label that could hold a literal escape is never split into runs (a reader that joins the runs
before decoding would see the pattern the split hid)."""
_STRICT_TEXT = frozenset(ERROR_CODES)
"""Text openpyxl would store as an error value (they all start with #)."""
_SHORT = MAX_CHARS // 7
"""Text this short fits in a cell even if every character is stored as a 7-character escape."""
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    return "_x005F_" if char == "_" else f"_x{ord(char):04X}_"


def excel_text(value: str) -> str:
    """`value` as stored in the workbook so that Excel reads back `value` (see the module doc)."""
    return value if _ESCAPE.search(value) is None else _ESCAPE.sub(_escape_one, value)


class _Runs(CellRichText):  # type: ignore[misc]
    """Text in runs whose spaces are always kept: every <t> says xml:space="preserve".

    openpyxl marks a text that way only when it holds something besides white space, and readers
    (calamine, LibreOffice) drop the spaces of an unmarked one: a near miss's highlighted " " run,
    a label made of spaces or no-break spaces. Such a label is written as one unformatted run."""

    def to_tree(self) -> Any:
        tree = super().to_tree()
        for t in tree.iter("t"):
            t.set(_XML_SPACE, "preserve")
        return tree


def _units(text: str) -> int:
    """Length in UTF-16 code units (what Excel counts)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def fit_text(value: str, marker: str) -> str | None:
    """`value` escaped and, if Excel cannot hold it, cut to fit with `marker` after it; None if it
    fits as it is (the caller escapes it).

    openpyxl itself cuts at 32,767 characters of the escaped text, silently; Excel counts the
    decoded text in UTF-16 code units: both must fit."""
    stored = excel_text(value)
    if len(stored) <= MAX_CHARS and (len(value) * 2 <= MAX_CHARS or _units(value) <= MAX_CHARS):
        return None
    keep = MAX_CHARS - len(marker)
    while True:
        head = value[:keep]
        if head and "\ud800" <= head[-1] <= "\udbff":
            head = head[:-1]
        escaped = excel_text(head)
        over_chars = len(escaped) + len(marker) - MAX_CHARS
        over_units = _units(head) + _units(marker) - MAX_CHARS
        if over_chars <= 0 and over_units <= 0:
            return escaped + marker
        # a character is one to seven stored characters (an escape), one or two code units
        keep = len(head) - max(-(-over_chars // 7), -(-over_units // 2), 1)


def sheet_title(name: str, taken: Sequence[str] = ()) -> str:
    """A sheet name Excel accepts: no []:*?/\\ or control character, no apostrophe at either end,
    at most 31 characters, not 'History', different from `taken` (whatever the case)."""
    clean = "".join(
        "-" if c in SHEET_NAME_FORBIDDEN or c < " " or "\ud800" <= c <= "\udfff" else c
        for c in name
    ).strip("'")
    if not clean or clean.casefold() == "history":
        clean = f"{clean}-" if clean else "-"
    used = {t.casefold() for t in taken}
    n = 1
    while True:
        suffix = f" ({n})" if n > 1 else ""
        title = clean
        while _units(title + suffix) > MAX_SHEET_NAME:
            title = title[:-1]
        title = title.rstrip("'") + suffix
        if title.casefold() not in used:
            return title
        n += 1


def quote_sheet(name: str) -> str:
    """A sheet name as it is written in a reference: always quoted, quotes doubled."""
    return "'" + name.replace("'", "''") + "'"


_GREY = Side(style="thin", color="FFA6A6A6")
_THIN = Side(style="thin")
_STATES: dict[str, dict[str, Any]] = {
    "ok": {"fill": "C6EFCE", "color": "006100"},
    "bad": {"fill": "FFC7CE", "color": "9C0006"},
    "near": {"fill": "FFEB9C", "color": "7F4F00"},
    "info": {"fill": "F2F2F2", "color": "595959"},
    "odd": {"fill": "FFF2CC", "color": "7F6000"},
    "unresolved": {"fill": "D9E1F2", "color": "1F3864"},
    "rec": {"fill": "E2EFDA", "bold": True},
    "group": {"fill": "EDEDED", "bold": True, "top": _GREY},
    "input": {"box": _GREY},
}
_KINDS: dict[str, dict[str, Any]] = {
    "text": {},
    "wrap": {"wrap": True},
    "number": {"num_format": "0", "horizontal": "center"},
    "amount": {"num_format": "#,##0", "horizontal": "right"},
    "decimal": {"num_format": "0.0", "horizontal": "right"},
    "center": {"horizontal": "center"},
    "link": {"color": "0563C1", "underline": True},
    "header": {
        "bold": True,
        "color": "FFFFFF",
        "fill": "1F4E78",
        "wrap": True,
        "box": Side(style="thin", color="FF8EA9C1"),
    },
    "title": {"bold": True, "size": 14},
    "total_label": {"size": 9, "color": "595959", "wrap": True, "top": _THIN},
    "total": {"bold": True, "size": 14, "horizontal": "left", "bottom": _THIN},
    "id": {"name": "Consolas", "size": 10},
}
_HIGHLIGHT = {"bold": True, "underline": True, "color": "C00000"}
_RUN = InlineFont(b=True, u="single", color="FFC00000")
"""The font of a highlighted run of a rich string (the other runs keep the cell's font)."""
_LEVEL_ATTR = "compress_level" if sys.version_info >= (3, 13) else "_compresslevel"
"""ZipInfo's compression level (public since Python 3.13)."""


_DEFAULT_XF = re.compile(rb"(<(?:cellStyleXfs|cellXfs)\b[^>]*>\s*<xf\b[^>]*?)\s*/>")


def _top_aligned(styles: Any) -> Any:
    """styles.xml with the workbook's default cell format top-aligned.

    NOTE: most cells have no format of their own (the cheapest cells to write, by far:
    bench/README_xlsx.md) and take the default one, the first of <cellXfs>, which openpyxl always
    writes without an alignment; LibreOffice takes it from the Normal style (the first of
    <cellStyleXfs>). Top alignment is what a row of short cells next to a wrapped one needs, so it
    is added to those two elements; the rest of the part is openpyxl's."""
    if not isinstance(styles, bytes):
        return styles
    return _DEFAULT_XF.sub(
        rb'\1 applyAlignment="1"><alignment vertical="top" /></xf>', styles, count=2
    )


class _Zip(zipfile.ZipFile):
    """The workbook's zip: every entry dated with the report's time (the same report gives the
    same bytes) and compressed at `LEVEL`. openpyxl writes through `writestr` and `write`."""

    def __init__(self, out: IO[bytes], when: dt.datetime) -> None:
        super().__init__(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=LEVEL)
        self._when = (
            max(when.year, 1980),
            when.month,
            when.day,
            when.hour,
            when.minute,
            when.second,
        )

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self._when)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        setattr(info, _LEVEL_ATTR, LEVEL)
        return info

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: Any,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            if zinfo_or_arcname == "xl/styles.xml":
                data = _top_aligned(data)
            zinfo_or_arcname = self._info(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(  # type: ignore[override]
        self, filename: str, arcname: str | None = None, *_: Any, **__: Any
    ) -> None:
        with open(filename, "rb") as source, self.open(self._info(arcname or filename), "w") as out:
            shutil.copyfileobj(source, out, 1 << 20)


class _Cell(Cell):  # type: ignore[misc]
    """A cell with a format, a link or rich text, handed to the write-only sheet in a row.

    NOTE: openpyxl's write-only `append` first tries each item as a value, and the error it raises
    for a cell formats the cell's repr; a constant repr makes that a third cheaper
    (bench/README_xlsx.md)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<cell>"


class _Later(NamedTuple):
    """A cell with a format or rich text, as a buffered row holds it: made into an openpyxl cell
    only when its row is handed to the sheet (`_Sheet.finish`), so a sheet's rows wait in memory
    as small tuples, not as cells (the Statuses sheet of 50k pairs: ~2M cells)."""

    value: Any
    fmt: int


class _LaterText(NamedTuple):
    """A buffered cell stored as text whatever it looks like (never a formula or an error value),
    with an internal link or not."""

    value: Any
    fmt: int
    link: str | None
    """Location of an internal link ('Sheet'!A12)."""


class _Styles:
    """The workbook's cell formats, made once each on first use: an index (0 is no format) into
    `arrays`, openpyxl's style arrays, which every cell of that format shares."""

    def __init__(self, book: Workbook) -> None:
        self._book = book
        self._cache: dict[tuple[str, str | None, bool], int] = {}
        self.arrays: list[Any] = [None]
        self.sizes: list[float] = [11]

    def _array(self, props: dict[str, Any]) -> Any:
        sheet = self._book.worksheets[0]
        proto = Cell(sheet)
        proto.font = Font(
            name=props.get("name", "Calibri"),
            size=props.get("size", 11),
            bold=props.get("bold", False),
            underline="single" if props.get("underline") else None,
            color=f"FF{props['color']}" if props.get("color") else None,
        )
        if props.get("fill"):
            proto.fill = PatternFill("solid", fgColor=f"FF{props['fill']}")
        box = props.get("box")
        if box is not None:
            proto.border = Border(left=box, right=box, top=box, bottom=box)
        elif props.get("top") or props.get("bottom"):
            proto.border = Border(top=props.get("top"), bottom=props.get("bottom"))
        if props.get("num_format"):
            proto.number_format = props["num_format"]
        proto.alignment = Alignment(
            horizontal=props.get("horizontal"), vertical="top", wrap_text=props.get("wrap")
        )
        # NOTE: the style array of a formatted cell (openpyxl's documented way to copy a format
        # is to copy it); cells get it at creation.
        return proto._style

    def __call__(self, kind: str, state: str | None = None, *, highlight: bool = False) -> int:
        key = (kind, state, highlight)
        found = self._cache.get(key)
        if found is None:
            props = {**_KINDS[kind], **(_STATES[state] if state else {})}
            if highlight:
                props.update(_HIGHLIGHT)
            self.arrays.append(self._array(props))
            self.sizes.append(props.get("size", 11))
            found = self._cache[key] = len(self.arrays) - 1
        return found


@dataclass(frozen=True, slots=True)
class _Col:
    """One column of a sheet: its header's catalogue key and its width bounds (in characters)."""

    key: str
    least: float
    most: float
    wrap: bool = False
    """Wrapped text: the width is fixed (`most`) and rows grow to show every line."""


def _lines(text: str, width: float) -> int:
    """Lines a wrapped cell of this width needs (Calibri averages a little under one unit)."""
    per_line = max(1, int((width - 1) * WIDE))
    return sum(-(-len(line) // per_line) or 1 for line in text.split("\n"))


class _Book:
    """The workbook being written, and what the Inputs sheet must say about it."""

    def __init__(self, t: Catalog) -> None:
        self.t = t
        self.wb = Workbook(write_only=WRITE_ONLY)
        if not WRITE_ONLY:
            self.wb.remove(self.wb.active)
        self.styles: _Styles | None = None
        self.cut: list[tuple[str, str, int]] = []
        """Cells cut at Excel's limit: (sheet, cell, characters in all)."""
        self.capped: list[tuple[str, int]] = []
        """Sheets past Excel's links: (sheet, links written as plain text)."""

    def sheet(self, name: str) -> _Sheet:
        title = sheet_title(name, self.wb.sheetnames)
        ws = self.wb.create_sheet(title)
        if self.styles is None:
            self.styles = _Styles(self.wb)
        return _Sheet(self, ws, title)


class _Sheet:
    """One worksheet written top to bottom: typed cells, exact strings, widths from the content."""

    def __init__(self, book: _Book, ws: Any, name: str) -> None:
        assert book.styles is not None
        self.book = book
        self.ws = ws
        self.name = name
        self.styles = book.styles
        self._arrays = book.styles.arrays
        self.row = 0
        self.band = 0
        """A format for the whole current row (group rows): the row's own (for its empty cells)
        and that of its cells written without one."""
        self.lines = 1
        """Lines of text the current row needs (wrapped cells)."""
        self.links = 0
        self.unlinked = 0
        """Links past Excel's limit, written as plain text."""
        self.cols: list[_Col] = []
        self.widths: list[float] = []
        self.fits: list[int] = []
        self.smallest: float = 11
        """Points of the smallest text on the sheet (whether printing may shrink it)."""
        self._rows: list[list[Any]] = []
        self._cells: list[Any] = []
        self._filter: str | None = None
        self._freeze: str | None = None
        self._titles: str | None = None

    def columns(self, cols: Sequence[_Col]) -> None:
        """Declare the columns (widths grow with the content, within bounds)."""
        self.cols = list(cols)
        self.widths = [c.most if c.wrap else c.least for c in cols]
        self.fits = [max(1, int((c.most - 1) * WIDE)) if c.wrap else int(c.least) - 2 for c in cols]
        """Longest string each column shows without growing (a wrapped one: on one line)."""

    def header(
        self,
        t: Catalog,
        cols: Sequence[_Col] | None = None,
        *,
        start: int = 0,
        prefix: str = "xlsx.col.",
    ) -> int:
        """Write a header row of column titles (catalogue keys `prefix` + key); return its row."""
        fmt = self.styles("header")
        for col, spec in enumerate(cols if cols is not None else self.cols, start):
            title = t(f"{prefix}{spec.key}")
            self.put(col, title, fmt)
            width = (spec.most if spec.wrap else spec.least) or len(title) + 2
            self.lines = max(self.lines, _lines(title, width / WIDE))  # bold: no narrower
        return self.next()

    def _place(self, col: int, value: Any) -> None:
        cells = self._cells
        if col == len(cells):
            cells.append(value)
        elif col > len(cells):
            cells.extend([None] * (col - len(cells)))
            cells.append(value)
        else:
            cells[col] = value

    def _cell(
        self, col: int, value: Any, fmt: int, *, text: bool = False, link: str | None = None
    ) -> _Later | _LaterText:
        """A cell of this sheet's current row, with format `fmt` (0: none), made at `finish`."""
        if fmt:
            size = self.styles.sizes[fmt]
            if size < self.smallest:
                self.smallest = size
        return _LaterText(value, fmt, link) if text else _Later(value, fmt)

    def _made(self, row: int, col: int, later: _Later | _LaterText) -> Any:
        """The openpyxl cell of a buffered one (1-based row, 0-based column)."""
        cell = _Cell(self.ws, row=row, column=col + 1, value=later.value)
        if later.fmt:
            cell._style = self._arrays[later.fmt]
        if type(later) is _LaterText:
            cell.data_type = "s"  # not a formula, not an error value
            if later.link is not None:
                cell.hyperlink = Hyperlink(ref=cell.coordinate, location=later.link)
        return cell

    def _long(self, col: int, value: str, stored: str) -> str:
        """`value` as stored if it is long: cut (with a note) if Excel cannot hold it."""
        cut = fit_text(value, self.book.t("xlsx.truncated", count=self.book.t.number(len(value))))
        if cut is None:
            return stored
        self.book.cut.append((self.name, f"{get_column_letter(col + 1)}{self.row + 1}", len(value)))
        return cut

    def put(self, col: int, value: str, fmt: int = 0) -> None:
        """Write a string exactly, as text (never a formula or an error value)."""
        # NOTE: the hot path of the renderer (every string cell): excel_text and _place inlined.
        stored = value if _ESCAPE.search(value) is None else _ESCAPE.sub(_escape_one, value)
        if len(stored) > _SHORT:
            stored = self._long(col, value, stored)
        first = stored[0]
        cell: Any
        if first == "=" or (first == "#" and stored in _STRICT_TEXT):
            cell = self._cell(col, stored, fmt, text=True)
        elif first.isspace() and stored.isspace():
            cell = self._cell(col, _Runs([stored]), fmt)
        elif fmt:
            cell = self._cell(col, stored, fmt)
        else:
            cell = stored
        cells = self._cells
        if col == len(cells):
            cells.append(cell)
        else:
            self._place(col, cell)

    def next(self) -> int:
        """Move to the next row; return the row just finished."""
        cells = self._cells
        if self.band or self.lines > 1:
            # A band's format is also the row's own: its empty cells take it (no cell is written).
            self.ws.row_dimensions[self.row + 1] = RowDimension(
                self.ws,
                index=self.row + 1,
                ht=min(MAX_HEIGHT, LINE_HEIGHT * self.lines) if self.lines > 1 else None,
                s=self._arrays[self.band] if self.band else None,
            )
        self._rows.append(cells)
        self._cells = []
        self.lines = 1
        self.band = 0
        done = self.row
        self.row += 1
        if self.row >= MAX_ROWS:
            raise RenderError(
                phrase("cli.xlsx.too_many_rows", sheet=self.name),
                hint=phrase("cli.xlsx.too_many_rows.hint"),
            )
        return done

    def _track(self, col: int, text: str) -> None:
        """Grow a column to fit a string, or the row to show a wrapped one (slow path)."""
        spec = self.cols[col]
        if spec.wrap:
            self.lines = max(self.lines, _lines(text, spec.most))
            return
        size = max(len(line) for line in text.split("\n")) + 2
        if size > self.widths[col]:
            self.widths[col] = min(size, spec.most)
            self.fits[col] = int(self.widths[col]) - 2 if size < spec.most else MAX_ROWS

    def text(self, col: int, value: str | None, fmt: int = 0) -> None:
        """Write a string exactly, as text (never a formula); skip None and ""."""
        if not value:
            return
        self.put(col, value, fmt or self.band)
        if len(value) > self.fits[col] or "\n" in value:
            self._track(col, value)

    def blank(self, col: int, fmt: int) -> None:
        """Write an empty cell that carries a format (a fill, a border)."""
        self._place(col, self._cell(col, None, fmt))

    def rich(
        self, col: int, value: str, spans: Sequence[tuple[int, int]], fmt: int, whole: int
    ) -> None:
        """Write a label with the characters of `spans` highlighted (whole cell if all differ)."""
        if not spans or _RICH_UNSAFE.search(value) or len(value) * 7 > MAX_CHARS // 2:
            self.text(col, value, fmt)
            return
        if spans[0] == (0, len(value)):
            self.text(col, value, whole)
            return
        runs: list[str | TextBlock] = []
        pos = 0
        for start, end in spans:
            if start > pos:
                runs.append(excel_text(value[pos:start]))
            runs.append(TextBlock(_RUN, excel_text(value[start:end])))
            pos = end
        if pos < len(value):
            runs.append(excel_text(value[pos:]))
        self._place(col, self._cell(col, _Runs(runs), fmt))
        if len(value) > self.fits[col]:
            self._track(col, value)

    def number(self, col: int, value: float | None, fmt: int = 0) -> None:
        """Write a number; skip None."""
        if value is not None:
            fmt = fmt or self.band
            cell = self._cell(col, value, fmt) if fmt else value
            cells = self._cells
            if col == len(cells):
                cells.append(cell)
            else:
                self._place(col, cell)

    def link(self, col: int, sheet: _Sheet, row: int, text: str, fmt: int) -> None:
        """Link to a row of another sheet (plain text once the sheet's link budget is spent)."""
        if self.links >= MAX_LINKS:
            self.unlinked += 1
            self.text(col, text)
            return
        self.links += 1
        location = f"{quote_sheet(sheet.name)}!A{row + 1}"
        self._place(col, self._cell(col, excel_text(text), fmt, text=True, link=location))

    def table(self, first: int, last_col: int, *, freeze: tuple[int, int] | None = None) -> None:
        """Autofilter from header row `first`, freeze below it, repeat it on printed pages."""
        self.filter(first, last_col)
        top, left = freeze if freeze is not None else (first + 1, 0)
        self.freeze(top, left)
        self._titles = f"{first + 1}:{first + 1}"

    def filter(self, first: int, last_col: int) -> None:
        """Autofilter from header row `first` to the last row written."""
        last = max(first, self.row - 1)
        self._filter = f"A{first + 1}:{get_column_letter(last_col + 1)}{last + 1}"

    def freeze(self, top: int, left: int) -> None:
        """Freeze the rows above `top` and the columns left of `left`."""
        self._freeze = f"{get_column_letter(left + 1)}{top + 1}"

    def _print_setup(self) -> None:
        """Landscape; one page wide only if the smallest text stays at 8 points or more, else the
        columns flow onto further pages, at the scale that keeps it at 8 points; the header row on
        every page."""
        ws = self.ws
        ws.page_setup.orientation = "landscape"
        ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        points = sum((w * 7 + 5) * 0.75 for w in self.widths)  # a unit is 7 px + 5 px padding
        scale = min(1.0, PRINT_WIDTH / points) if points else 1.0
        if self.smallest * scale >= SMALLEST_PRINTED:
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
        else:  # as small as the smallest text allows, so fewer pages
            ws.page_setup.scale = math.ceil(100 * SMALLEST_PRINTED / self.smallest)
        if self._titles is not None:
            ws.print_title_rows = self._titles
        # Long text overflows into the empty cells on its right, past the last column too: the
        # print area stops it there, instead of printing pages of one word (issue 12, item 2).
        if self.widths and self.row:
            ws.print_area = f"A1:{get_column_letter(len(self.widths))}{self.row}"

    def finish(self) -> None:
        """Hand the sheet to openpyxl: widths, panes, filter and print setup, then the rows."""
        ws = self.ws
        for col, width in enumerate(self.widths):
            ws.column_dimensions[get_column_letter(col + 1)].width = width
        if self._freeze is not None:
            ws.freeze_panes = self._freeze
        if self._filter is not None:
            ws.auto_filter.ref = self._filter
        self._print_setup()
        if self.unlinked:
            self.book.capped.append((self.name, self.unlinked))
        append, made, later = ws.append, self._made, (_Later, _LaterText)
        rows, self._rows = self._rows, []
        rows.reverse()  # popped from the end: each buffered row is freed once it is written
        number = 0
        while rows:
            number += 1
            cells = rows.pop()
            append([made(number, col, x) if type(x) in later else x for col, x in enumerate(cells)])
        if WRITE_ONLY:
            ws.close()
            ws.row_dimensions.clear()  # written: the heights of the rows need no memory any more


# ------------------------------------------------------------------------------------------------
# Shared helpers
# ------------------------------------------------------------------------------------------------


_STATE_STYLE = {
    PairState.UNRESOLVED: "unresolved",
    PairState.WILL_SYNC: "ok",
    PairState.WILL_NOT_SYNC: "bad",
}


def _verdict(pair: PairResult) -> tuple[str, str]:
    """(verdict code, cell style) of a pair."""
    return pair.state.value, _STATE_STYLE[pair.state]


def _spans(near: NearMatch, side: str) -> list[tuple[int, int]]:
    """The character ranges of one side of a near miss that differ, merged."""
    out: list[tuple[int, int]] = []
    for c in near.changes:
        start, end = (
            (c.label_start, c.label_end) if side == "label" else (c.target_start, c.target_end)
        )
        if start == end:
            continue
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _yes_no(t: Catalog, value: bool | None) -> str | None:
    return None if value is None else phrases.yes_no(t, value)


def _state_of(diff: Difference) -> str:
    if diff.kind is Kind.RESPONDED_MISMATCH:
        return "odd"
    if not diff.blocking:
        return "info"
    return "near" if diff.near_match is not None else "bad"


# ------------------------------------------------------------------------------------------------
# Differences
# ------------------------------------------------------------------------------------------------

_DIFF_COLS = (
    _Col("pair", 7, 7),
    _Col("program", 12, 40),
    _Col("channel", 12, 30),
    _Col("campaign", 14, 40),
    _Col("kind", 14, 24),
    _Col("salesforce_label", 16, 40),
    _Col("channel_status", 16, 40),
    _Col("reasons", 10, 30),
    _Col("explained", 30, 110),
    _Col("similarity", 11, 11),
    _Col("members", 10, 10),
    _Col("blocks", 14, 28),
    _Col("record_id", 20, 22),
)


_SAID_DIFF = attrgetter(
    *(f.name for f in fields(Difference) if f.name not in ("members", "status", "program_status"))
)
"""What a difference's sentence depends on, except for a responded mismatch (which also reads
the status records): the key of a cache, because the same labels drift the same way in many
campaigns (bench/data/full: 46,313 differences, 4,882 sentences)."""
_SAID_ACTION = attrgetter(*(name for name in Action._fields if name != "record_id"))
"""What a step's sentence and notes depend on: everything but the ID of the record it acts on
(bench/data/full: 69,182 steps, 7,943 sentences)."""


def _explained(t: Catalog, diff: Difference) -> str:
    """A difference spelled out, the label drawn with its invisible characters."""
    if diff.kind is Kind.RESPONDED_MISMATCH:
        return phrases.difference(t, diff)
    if diff.pseudo or diff.near_match is not None:
        what = phrases.difference(t, diff)
    elif diff.kind is Kind.SALESFORCE_ONLY:
        what = t("xlsx.explained.no_near")
    else:
        what = t("xlsx.explained.not_in_campaign")
    return t("xlsx.explained", label=shown(diff.label), what=what)


def _write_differences(t: Catalog, sheet: _Sheet, report: Report) -> dict[int, int]:
    """One row per difference; return the first row of each pair that has any.

    The differing characters of a blocking near miss are highlighted on both sides (rich text);
    a channel status's look-alike (an informational row) is filled but not highlighted, which
    keeps the number of rich strings, by far the slowest cells to write, to one pair per near miss.
    """
    s = sheet.styles
    sheet.columns(_DIFF_COLS)
    sheet.header(t)
    # NOTE: plain cells take the workbook's default format, which costs no XML per cell.
    text = number = amount = ident = decimal = 0
    states = {state: (s("text", state), s("text", state, highlight=True)) for state in _STATES}
    first: dict[int, int] = {}
    kinds = {k: t(f"kind.{k.value}") for k in Kind}
    blocks = {True: t("kind.blocking"), False: t("kind.informational")}
    said: dict[tuple[Any, ...], str] = {}
    for pair in report.comparison.pairs:
        if not pair.differences:
            continue
        first[pair.index] = sheet.row
        campaign = pair.campaign_display
        channel = phrases.channel(t, pair, compared=True)
        for diff in pair.differences:
            fill, whole = states[_state_of(diff)]
            near = diff.near_match
            sheet.number(0, pair.index, number)
            sheet.text(1, pair.program, text)
            sheet.text(2, channel, text)
            sheet.text(3, campaign, text)
            sheet.text(4, kinds[diff.kind], fill)
            if diff.kind is Kind.MARKETO_ONLY:
                if near is not None:
                    sheet.text(5, near.target, fill)
                else:
                    sheet.blank(5, fill)
                sheet.text(6, diff.label, fill)
            elif near is not None and diff.blocking:
                sheet.rich(5, diff.label, _spans(near, "label"), fill, whole)
                sheet.rich(6, near.target, _spans(near, "target"), fill, whole)
            else:
                sheet.text(5, diff.label, fill)
                if diff.kind is Kind.RESPONDED_MISMATCH:
                    sheet.text(6, diff.label, fill)
                else:
                    sheet.blank(6, fill)
            if near is not None:
                sheet.text(7, phrases.reasons(t, near), text)
            if diff.kind is Kind.RESPONDED_MISMATCH:
                sheet.text(8, _explained(t, diff), text)
            else:
                key = _SAID_DIFF(diff)
                explained = said.get(key)
                if explained is None:
                    explained = said[key] = _explained(t, diff)
                sheet.text(8, explained, text)
            if near is not None:
                sheet.number(9, near.score, decimal)
            sheet.number(10, diff.members, amount)
            sheet.text(11, blocks[diff.blocking], fill)
            if diff.status is not None:
                sheet.text(12, diff.status.record_id, ident)
            sheet.next()
    sheet.table(0, len(_DIFF_COLS) - 1)
    sheet.finish()
    return first


# ------------------------------------------------------------------------------------------------
# Statuses: both sides of every pair that could be checked
# ------------------------------------------------------------------------------------------------

_STATUS_COLS = (
    _Col("pair", 7, 7),
    _Col("campaign", 14, 40),
    _Col("salesforce_label", 16, 40),
    _Col("responded", 10, 12),
    _Col("default", 10, 12),
    _Col("sort_order", 9, 9),
    _Col("members", 10, 10),
    _Col("state", 16, 26),
    _Col("channel_status", 16, 40),
    _Col("step", 7, 7),
    _Col("success", 9, 12),
    _Col("hidden", 9, 12),
    _Col("channel", 12, 30),
)


@dataclass(frozen=True, slots=True)
class _Side:
    """One line of the side-by-side view: a Salesforce status, a channel status, or both."""

    status: MemberStatus | None
    members: int | None
    program_status: ProgramStatus | None
    kind: str
    """Catalogue suffix of kind.*: match, near_miss, salesforce_only, marketo_only, ..."""
    state: str


def _sides(pair: PairResult) -> list[_Side]:
    """Align a campaign's statuses with its channel's: exact and near matches share a line."""
    assert pair.channel is not None and pair.campaign is not None
    channel: dict[str, ProgramStatus] = {}
    for ps in pair.channel.statuses:
        if not is_pseudo_status(ps):
            channel.setdefault(ps.name, ps)
    matches = {m.status.label: m for m in pair.matches}
    odd = {d.label for d in pair.differences if d.kind is Kind.RESPONDED_MISMATCH}
    only = {d.label: d for d in pair.differences if d.kind is Kind.SALESFORCE_ONLY}
    extra = {d.label: d for d in pair.differences if d.kind is Kind.MARKETO_ONLY}
    used: set[str] = set()
    out: list[_Side] = []
    for status in pair.campaign.statuses:
        match = matches.get(status.label)
        if match is not None:
            used.add(match.program_status.name)
            mismatch = status.label in odd
            kind = "responded_mismatch" if mismatch else "match"
            out.append(
                _Side(
                    status, match.members, match.program_status, kind, "odd" if mismatch else "ok"
                )
            )
            continue
        diff = only.get(status.label)
        near = diff.near_match if diff is not None else None
        members = diff.members if diff is not None else None
        target = channel.get(near.target) if near is not None else None
        if target is not None:
            used.add(target.name)
            out.append(_Side(status, members, target, "near_miss", "near"))
        else:
            blocking = diff is None or diff.blocking
            state = "bad" if blocking else "info"
            out.append(_Side(status, members, None, "salesforce_only", state))
    for ps in sorted(channel.values(), key=lambda p: (p.step is None, p.step or 0)):
        if ps.name in used:
            continue
        diff = extra.get(ps.name)
        state = "bad" if diff is not None and diff.blocking else "info"
        out.append(_Side(None, None, ps, "marketo_only", state))
    return out


def _write_statuses(t: Catalog, sheet: _Sheet, report: Report) -> None:
    """Both sides of every checked pair (blocked or not), side by side, each pair opening with a
    grey band."""
    s = sheet.styles
    sheet.columns(_STATUS_COLS)
    sheet.header(t)
    text = number = amount = center = 0  # the default format: no XML per cell
    band, band_number = s("text", "group"), s("number", "group")
    fills = {state: s("text", state) for state in _STATES}
    kinds = {k: t(f"kind.{k}") for k in ("match", "near_miss", "salesforce_only", "marketo_only")}
    kinds["responded_mismatch"] = t("kind.responded_mismatch")
    yes_no = {True: phrases.yes_no(t, True), False: phrases.yes_no(t, False)}
    for pair in report.comparison.pairs:
        # NOTE: pairs that sync are listed too: their matches, one by one, are the evidence a
        # ticket attaches (issue 13).
        if pair.problem is not None or pair.channel is None or pair.campaign is None:
            continue
        campaign = pair.campaign_display
        channel = phrases.channel(t, pair, compared=True)
        for i, side in enumerate(_sides(pair)):
            first = i == 0
            if first:
                sheet.band = band
            fill = fills[side.state]
            sheet.number(0, pair.index, band_number if first else number)
            sheet.text(1, campaign, band if first else text)
            status, ps = side.status, side.program_status
            if status is not None:
                sheet.text(2, status.label, fill)
                if status.responded is not None:
                    sheet.text(3, yes_no[status.responded], center)
                if status.default is not None:
                    sheet.text(4, yes_no[status.default], center)
                sheet.number(5, status.sort_order, number)
                sheet.number(6, side.members, amount)
            else:
                sheet.blank(2, fill)
            sheet.text(7, kinds[side.kind], fill)
            if ps is not None:
                sheet.text(8, ps.name, fill)
                sheet.number(9, ps.step, number)
                if ps.success is not None:
                    sheet.text(10, yes_no[ps.success], center)
                sheet.text(11, yes_no[ps.hidden], center)
            else:
                sheet.blank(8, fill)
            sheet.text(12, channel, band if first else text)
            sheet.next()
    sheet.table(0, len(_STATUS_COLS) - 1)
    sheet.finish()


# ------------------------------------------------------------------------------------------------
# Remediation
# ------------------------------------------------------------------------------------------------

_REM_COLS = (
    _Col("pair", 7, 7),
    _Col("program", 12, 36),
    _Col("campaign", 14, 36),
    _Col("option", 18, 48),
    _Col("number", 7, 7),
    _Col("owner", 12, 22),
    _Col("risk", 10, 14),
    _Col("action", 60, 60, wrap=True),
    _Col("label", 16, 40),
    _Col("target", 16, 40),
    _Col("members", 10, 10),
    _Col("record_id", 20, 22),
    _Col("notes", 60, 60, wrap=True),
    _Col("done", 8, 10),
)


def _option_notes(t: Catalog, option: Option) -> str:
    """What constrains an option, and what else it offers or touches."""
    lines = [t.opt("constraint", code) for code in option.constraints]
    if option.alternatives:
        lines.append(
            t(
                "xlsx.note.alternatives",
                shown=t.number(len(option.alternatives)),
                total=t.number(option.alternatives_total),
            )
        )
        lines += [
            f"  {a.campaign_name or a.campaign_key} ({a.campaign_id or a.campaign_key})"
            for a in option.alternatives
        ]
    if option.blast_counts:
        lines.append(t("xlsx.note.blast"))
        changes = dict(option.blast_counts)
        lines += [
            f"  {t('sep.colon', head=t(f'blast.{change}'), text=t.number(n))}"
            for change, n in sorted(changes.items(), key=lambda item: _BLAST_ORDER[item[0]])
        ]
        worth = [b for b in option.blast_radius if b.before != b.after][:BLAST_LINES]
        lines += [
            f"  {b.pair_index}. "
            + t("sep.colon", head=b.program or b.campaign, text=t(f"blast.{b.change}"))
            for b in worth
        ]
    return "\n".join(lines)


_BLAST_ORDER = {"broken": 0, "fixed": 1, "still_blocked": 2, "still_ok": 3}


def _option_status(t: Catalog, plan: Plan, option: Option) -> str:
    parts = []
    if not option.feasible:
        parts.append(t("option.not_feasible"))
    elif option.verified is not None:
        # A lossy plan B is never simply "checked" (issue 10): the badge says what it loses.
        parts.append(phrases.verified(t, option))
    if option.key is plan.recommended:
        parts.append(t.opt("rec", plan.reason.code, **dict(plan.reason.params)))
    return " — ".join(parts)


def _write_remediation(t: Catalog, sheet: _Sheet, report: Report) -> dict[int, int]:
    """The steps of every option of every plan; return the first row of each pair's plan.

    Each option opens with a grey band (its title, whether it was checked, its constraints); the
    recommended option comes first, its title marked and filled green on every one of its rows.
    """
    s = sheet.styles
    sheet.columns(_REM_COLS)
    sheet.header(t)
    text = number = amount = ident = 0  # the default format: no XML per cell
    wrap = s("wrap")
    band, band_wrap, band_number = s("text", "group"), s("wrap", "group"), s("number", "group")
    chosen_fmt, done = s("text", "rec"), s("text", "input")
    owners = {o: t(f"owner.{o.value}") for o in Owner}
    risks = {r: t(f"risk.{r.value}") for r in Risk}
    lossy = s("text", "bad")
    said: dict[tuple[Any, ...], tuple[str, str]] = {}
    first: dict[int, int] = {}
    for pair in report.comparison.pairs:
        plan = report.plans.get(pair.index)
        if plan is None:
            continue
        first[pair.index] = sheet.row
        campaign = pair.campaign_display
        for option in sorted(plan.options, key=lambda o: o.key.value):
            chosen = option.key is plan.recommended
            title = t(f"option.{option.key.value}")
            if chosen:
                title = t("xlsx.option.recommended", option=title)
            sheet.band = band
            sheet.number(0, pair.index, band_number)
            sheet.text(1, pair.program, band)
            sheet.text(2, campaign, band)
            sheet.text(3, title, chosen_fmt if chosen else band)
            sheet.text(7, _option_status(t, plan, option), band_wrap)
            sheet.text(12, _option_notes(t, option), band_wrap)
            sheet.next()
            for step, action in enumerate(option.actions, 1):
                key = _SAID_ACTION(action)
                sentences = said.get(key)
                if sentences is None:
                    notes = "\n".join(phrases.action_notes(t, action))
                    sentences = said[key] = (phrases.action(t, action), notes)
                sheet.number(0, pair.index, number)
                sheet.text(1, pair.program, text)
                sheet.text(2, campaign, text)
                sheet.text(3, title, chosen_fmt if chosen else text)
                sheet.number(4, step, number)
                sheet.text(5, owners[action.owner], text)
                # The risk class; a lossy step's sentence ends with what it loses (issue 10).
                sheet.text(6, risks[action.risk], lossy if action.risk is Risk.LOSSY else text)
                sheet.text(7, sentences[0], wrap)
                sheet.text(8, action.label, text)
                sheet.text(9, action.target, text)
                sheet.number(10, action.members, amount)
                sheet.text(11, action.record_id, ident)
                sheet.text(12, sentences[1], wrap)
                sheet.blank(13, done)
                sheet.next()
    sheet.table(0, len(_REM_COLS) - 1)
    sheet.finish()
    return first


# ------------------------------------------------------------------------------------------------
# Summary
# ------------------------------------------------------------------------------------------------

_SUMMARY_COLS = (
    _Col("pair", 7, 7),
    _Col("program", 14, 40),
    _Col("channel", 12, 30),
    _Col("campaign_id", 12, 22),
    _Col("campaign_name", 16, 40),
    _Col("verdict", 16, 28),
    _Col("blocking", 11, 11),
    _Col("near_misses", 13, 13),
    _Col("warnings", 13, 13),
    _Col("recommended", 16, 34),
    _Col("why", 50, 50, wrap=True),
    _Col("notes", 50, 50, wrap=True),
    _Col("details", 12, 16),
    _Col("steps", 12, 16),
)


def totals(report: Report) -> list[tuple[int, str, int]]:
    """The Summary sheet's totals: (column, catalogue key, value), above the column they sum."""
    s = report.comparison.summary
    counts = dict(report.recommended_counts)
    recommended = {key: counts[key.value] for key in OptionKey}
    return [
        (0, "pairs", s.pairs),
        (3, "compatible", s.compatible),
        (4, "incompatible", s.incompatible),
        (5, "unresolved", s.unresolved),
        (6, "blocking_labels", s.blocking_labels),
        (7, "near_misses", s.near_misses),
        (8, "warnings", s.warnings),
        *((9 + i, f"recommended.{key.value}", recommended[key]) for i, key in enumerate(OptionKey)),
    ]


def _headline(t: Catalog, report: Report) -> str:
    return phrases.headline(t, report.comparison.summary)


def _write_summary(
    t: Catalog,
    sheet: _Sheet,
    report: Report,
    links: tuple[_Sheet, dict[int, int], _Sheet, dict[int, int]],
) -> None:
    """Totals on top, then one row per pair with links to its differences and its steps."""
    s = sheet.styles
    diff_sheet, diff_rows, rem_sheet, rem_rows = links
    check = report.closing
    cols = _SUMMARY_COLS if check is None else (*_SUMMARY_COLS, _Col("change", 12, 24))
    sheet.columns(cols)
    title = t("xlsx.title", title=t("report.title"), headline=_headline(t, report))
    sheet.text(0, title, s("title"))
    sheet.next()
    cells = totals(report)
    for col, key, _ in cells:
        name = key.split(".")[0]
        label = (
            t("xlsx.total.recommended", key=key.split(".")[1])
            if name == "recommended"
            else t(f"xlsx.total.{key}")
        )
        sheet.put(col, label, s("total_label"))
    sheet.next()
    for col, _, value in cells:
        sheet.number(col, value, s("total"))
    sheet.next()
    header = sheet.header(t)
    text, wrap, number, ident = 0, s("wrap"), s("number"), s("id")
    link = s("link")
    for pair in report.comparison.pairs:
        code, state = _verdict(pair)
        campaign = pair.campaign
        plan = report.plans.get(pair.index)
        sheet.number(0, pair.index, number)
        sheet.text(1, pair.program, text)
        # A tied matrix pair is no one channel's: "tie between …", never the first tied channel.
        sheet.text(2, phrases.channel(t, pair), text)
        sheet.text(3, campaign.campaign_id if campaign is not None else None, ident)
        sheet.text(4, pair.campaign_display, text)
        sheet.text(5, t(f"xlsx.verdict.{code}"), s("text", state))
        if pair.problem is None:
            sheet.number(6, pair.blocking_count, number)
            sheet.number(7, pair.near_miss_count, number)
        sheet.number(8, pair.warning_count, number)
        if plan is not None:
            sheet.text(9, t(f"option.{plan.recommended.value}"), text)
            sheet.text(10, t.opt("rec", plan.reason.code, **dict(plan.reason.params)), wrap)
        notes = [phrases.problem(t, pair)] if pair.problem is not None else []
        notes += [phrases.advisory(t, w) for w in pair.warnings]
        sheet.text(11, "\n".join(notes), wrap)
        row = diff_rows.get(pair.index)
        if row is not None:
            sheet.link(12, diff_sheet, row, t("xlsx.link.row", row=row + 1), link)
        row = rem_rows.get(pair.index)
        if row is not None:
            sheet.link(13, rem_sheet, row, t("xlsx.link.row", row=row + 1), link)
        then = check.pairs.get(pair.index) if check is not None else None
        if then is not None:
            change = then.change
            fill = s("text", _CHANGE_STATE.get(change, "info"))
            sheet.text(14, closing.change(t, change), fill)
        sheet.next()
    sheet.table(header, len(cols) - 1, freeze=(header + 1, 2))
    sheet.finish()


# ------------------------------------------------------------------------------------------------
# Plan check (--baseline, issue 14): the outcome, then the planned actions, the unexpected changes
# and the pairs then and now, one table under the other
# ------------------------------------------------------------------------------------------------

_PLAN_COLS = (
    _Col("pair", 7, 7),
    _Col("campaign", 14, 40),
    _Col("action", 50, 50, wrap=True),
    _Col("record", 20, 30),
    _Col("state", 30, 30, wrap=True),
    _Col("detail", 50, 50, wrap=True),
    _Col("change", 12, 24),
)
"""The widths of the sheet's columns; each table titles them with its own headers."""
_ACTION_HEAD = ("pair", "campaign", "action", "record", "state", "detail")
_UNEXPECTED_HEAD = ("pair", "campaign", "edit", "record", "was", "is")
_PAIRS_HEAD = ("pair", "campaign", "program", "channel", "before", "now", "change")
_CHANGE_STATE = {
    Change.FIXED: "ok",
    Change.STILL_SYNCS: "ok",
    Change.BROKE: "bad",
    Change.STILL_BLOCKED: "bad",
}


def _section(t: Catalog, sheet: _Sheet, key: str, head: Sequence[str]) -> int:
    """A grey band with the table's title, then its header row; return the header's row."""
    sheet.next()
    sheet.band = sheet.styles("text", "group")
    sheet.text(0, t(key))
    sheet.next()
    return sheet.header(t, [_Col(k, 0, 0) for k in head], prefix="closing.col.")


def _write_plan_check(t: Catalog, sheet: _Sheet, check: BaselineCheck) -> None:
    """The outcome sentence in A1, the earlier report under it, then the three tables."""
    s = sheet.styles
    sheet.columns(_PLAN_COLS)
    sheet.put(0, closing.outcome(t, check), s("title", "bad" if check.failed else "ok"))
    sheet.next()
    sheet.put(0, closing.against(t, check), s("text", "info"))
    sheet.next()
    text, number, ident, wrap = 0, s("number"), s("id"), s("wrap")
    states = {state: s("text", state) for state in ("ok", "bad", "info")}
    rows = list(closing.action_rows(check))
    _section(t, sheet, "closing.section.actions", _ACTION_HEAD)
    if not rows:
        sheet.put(0, t("closing.none.actions"))
        sheet.next()
    for row in rows:
        item = row.action
        assert item is not None
        sheet.number(0, closing.pair_number(row.pair), number)
        sheet.text(1, closing.pair_name(row.pair)[2], text)
        sheet.text(2, closing.action(t, item), wrap)
        sheet.text(3, item.action.record_id, ident)
        applied = item.state is State.APPLIED
        sheet.text(4, closing.state(t, item.state), states["ok" if applied else "bad"])
        sheet.text(5, closing.detail(t, item), wrap)
        sheet.next()
    unexpected = list(closing.unexpected_rows(check))
    _section(t, sheet, "closing.section.unexpected", _UNEXPECTED_HEAD)
    if not unexpected:
        sheet.put(0, t("closing.none.unexpected"))
        sheet.next()
    for row in unexpected:
        u = row.unexpected
        assert u is not None
        sheet.number(0, closing.pair_number(row.pair), number)
        sheet.text(1, closing.pair_name(row.pair)[2], text)
        sheet.text(2, closing.edit(t, u), states["bad"])
        sheet.text(3, u.record_id, ident)
        sheet.text(4, closing.status(t, u.before), wrap)
        sheet.text(5, closing.status(t, u.after), wrap)
        sheet.next()
    _section(t, sheet, "closing.section.pairs", _PAIRS_HEAD)
    for pair in closing.ordered(check):
        program, channel, campaign = closing.pair_name(pair)
        sheet.number(0, closing.pair_number(pair), number)
        sheet.text(1, campaign, text)
        sheet.text(2, program, wrap)
        sheet.text(3, channel, text)
        sheet.text(4, closing.verdict(t, pair.before.compatible if pair.before else None), wrap)
        sheet.text(5, closing.verdict(t, pair.now.compatible if pair.now else None), wrap)
        state = _CHANGE_STATE.get(pair.change, "info")
        sheet.text(6, closing.change(t, pair.change), states[state])
        sheet.next()
    sheet.freeze(2, 0)
    sheet.finish()


# ------------------------------------------------------------------------------------------------
# Templates (--type-templates, issue 18): one row per template record, with its fix
# ------------------------------------------------------------------------------------------------

_TEMPLATE_COLS = (
    _Col("campaign_type", 14, 30),
    _Col("channel", 12, 30),
    _Col("verdict", 30, 30, wrap=True),
    _Col("developer_name", 16, 42),
    _Col("template_status", 16, 40),
    _Col("responded", 10, 12),
    _Col("default", 10, 12),
    _Col("sort_order", 9, 9),
    _Col("near_match", 16, 40),
    _Col("reasons", 10, 30),
    _Col("fix", 50, 50, wrap=True),
)


_TEMPLATE_STATE = {"unchecked": "unresolved", "ok": "ok", "no": "bad"}


def _template_verdict(t: Catalog, check: TemplateCheck) -> tuple[str, str]:
    """(verdict sentence, cell state) of one Type's template."""
    state, sentence = phrases.template_verdict(t, check)
    return sentence, _TEMPLATE_STATE[state]


def _write_templates(t: Catalog, sheet: _Sheet, report: Report) -> None:
    """Every record of every Type's template: its fields as read, its near match, its fix. A fix
    that adds a record gets a row of its own, with no record fields."""
    s = sheet.styles
    sheet.columns(_TEMPLATE_COLS)
    header = sheet.header(t)
    text, number, wrap, center, ident = 0, s("number"), s("wrap"), s("center"), s("id")
    near_fmt = s("text", "near")
    for check in report.templates:
        verdict, state = _template_verdict(t, check)
        verdict_fmt = s("wrap", state)
        pair = check.pair
        near = {
            d.label: d.near_match
            for d in pair.differences
            if d.kind is Kind.SALESFORCE_ONLY and d.near_match is not None
        }
        fixes: dict[int, list[str]] = {}
        added: list[str] = []
        for fix in check.fixes:
            said = phrases.template_fix(t, fix)
            if fix.record is None:
                added.append(said)
            else:
                fixes.setdefault(id(fix.record), []).append(said)
        lines: list[tuple[TemplateRecord | None, str]] = [
            (r, "\n".join(fixes.get(id(r), []))) for r in check.template.records
        ]
        lines += [(None, said) for said in added]
        for record, fix_text in lines:
            sheet.text(0, check.template.campaign_type, text)
            sheet.text(1, pair.channel_name, text)
            sheet.text(2, verdict, verdict_fmt)
            if record is not None:
                sheet.text(3, record.developer_name, ident)
                sheet.text(4, record.status, near_fmt if record.status in near else text)
                sheet.text(5, _yes_no(t, record.responded), center)
                sheet.text(6, _yes_no(t, record.default), center)
                sheet.number(7, record.sort_order, number)
                match = near.get(record.status)
                if match is not None:
                    sheet.text(8, match.target, near_fmt)
                    sheet.text(9, phrases.reasons(t, match), text)
            sheet.text(10, fix_text, wrap)
            sheet.next()
    sheet.table(header, len(_TEMPLATE_COLS) - 1)
    sheet.finish()


# ------------------------------------------------------------------------------------------------
# Matrix and Inputs
# ------------------------------------------------------------------------------------------------

_MATRIX_COLS = (
    _Col("campaign_id", 12, 22),
    _Col("campaign_name", 16, 40),
    _Col("fits", 11, 11),
    _Col("closest", 14, 30),
    _Col("closest_blocking", 12, 12),
)


def _write_matrix(t: Catalog, sheet: _Sheet, report: Report) -> None:
    """Every campaign against every channel: blocking labels, green where it would sync."""
    matrix = report.comparison.matrix
    assert matrix is not None
    s = sheet.styles
    channels = [_Col(f"channel:{i}", 9, 24) for i in range(len(matrix.channels))]
    sheet.columns((*_MATRIX_COLS, *channels))
    fmt = s("header")
    for col, spec in enumerate(_MATRIX_COLS):
        sheet.put(col, t(f"xlsx.col.{spec.key}"), fmt)
    base = len(_MATRIX_COLS)
    for i, name in enumerate(matrix.channels):
        sheet.text(base + i, name, fmt)
    sheet.next()
    number, ident, text = s("number"), s("id"), 0
    fits, misses = s("number", "ok"), s("number", "bad")
    for fit in matrix.fits:
        campaign = fit.campaign
        sheet.text(0, campaign.campaign_id, ident)
        sheet.text(1, campaign.name if campaign.name is not None else campaign.display, text)
        sheet.number(2, len(fit.compatible_channels), number)
        if fit.closest_tied:
            sheet.text(3, t("tie.between", channels=", ".join(fit.closest_tied)), text)
        else:
            sheet.text(3, fit.closest_channel, text)
        sheet.number(4, fit.closest_blocking, number)
        for i, blocking in enumerate(matrix.blocking[campaign.key]):
            sheet.number(base + i, blocking, fits if blocking == 0 else misses)
        sheet.next()
    sheet.table(0, base + len(matrix.channels) - 1, freeze=(1, 2))
    sheet.finish()


_INPUT_COLS = (
    _Col("role", 16, 48),
    _Col("file", 60, 60, wrap=True),
    _Col("format", 8, 10),
    _Col("encoding", 10, 14),
    _Col("delimiter", 10, 10),
    _Col("sheet", 12, 30),
    _Col("header_row", 9, 9),
    _Col("rows_read", 10, 12),
    _Col("records", 10, 12),
    _Col("rows_skipped", 10, 12),
    _Col("skipped", 40, 40, wrap=True),
    _Col("reader_notes", 50, 50, wrap=True),
    _Col("sha256", 20, 66),
    _Col("size", 12, 14),
)


def _skipped(t: Catalog, d: Detection) -> str:
    lines = []
    for skip in d.skipped:
        rows = ", ".join(str(r) for r in skip.rows[:LIST_ROWS])
        if len(skip.rows) > LIST_ROWS:
            rows += ", …"
        why = phrases.skipped(t, skip)
        lines.append(t("xlsx.skipped", count=len(skip.rows), why=why, rows=rows))
    return "\n".join(lines)


def _limit_notes(t: Catalog, book: _Book) -> list[tuple[str, str]]:
    """What Excel's limits changed in the workbook: cells cut, links written as plain text."""
    note = t("xlsx.run.note")
    notes = [
        (note, t("xlsx.note.truncated", sheet=name, cell=cell, count=t.number(count)))
        for name, cell, count in book.cut[:LIST_ROWS]
    ]
    if len(book.cut) > LIST_ROWS:
        notes.append((note, t.n("xlsx.note.truncated_more", len(book.cut) - LIST_ROWS)))
    notes += [
        (note, t.n("xlsx.note.links_capped", n, sheet=name, limit=t.number(MAX_LINKS)))
        for name, n in book.capped
    ]
    return notes


def _write_inputs(t: Catalog, sheet: _Sheet, report: Report) -> None:
    """The audit trail: what ran, when, with which options, on which files."""
    s = sheet.styles
    comparison = report.comparison
    sheet.columns(_INPUT_COLS)
    sheet.header(t, (_Col("item", 0, 0), _Col("value", 0, 0)))
    rule = comparison.rule.value
    run: list[tuple[str, str]] = [
        (t("xlsx.run.tool"), f"statusdiff {report.version}"),
        (t("xlsx.run.generated_at"), report.generated_at),
        (t("xlsx.run.lang"), phrases.language(t, report.lang)),
        (t("xlsx.run.rule"), t(f"rule.{rule}")),
        (t("xlsx.run.rule_explained"), t(f"rule.{rule}.explained")),
        (t("xlsx.run.exact_match"), t("rule.undefined")),
        (t("xlsx.run.mode"), t.opt("mode", comparison.mode)),
    ]
    run += [phrases.option(t, name, value) for name, value in report.options]
    run += [
        (t("xlsx.run.note"), phrases.advisory(t, n)) for n in (*report.notes, *comparison.notes)
    ]
    run += _limit_notes(t, sheet.book)
    item, value = s("text", "group"), s("wrap")
    for name, said in run:
        sheet.text(0, name, item)
        sheet.text(1, said, value)
        sheet.next()
    sheet.next()
    header = sheet.header(t)
    text, wrap, number, ident, amount = 0, s("wrap"), s("number"), s("id"), s("amount")
    for d in report.inputs:
        sheet.text(0, phrases.role_decision(t, d), text)
        sheet.text(1, d.file, wrap)
        sheet.text(2, phrases.file_format(t, d.format), text)
        sheet.text(3, d.encoding, text)
        sheet.text(4, shown(d.delimiter) if d.delimiter is not None else None, text)
        sheet.text(5, d.table, text)
        sheet.number(6, d.header_row, number)
        sheet.number(7, d.rows_read, amount)
        sheet.number(8, d.records, amount)
        sheet.number(9, d.rows_skipped, amount)
        sheet.text(10, _skipped(t, d), wrap)
        sheet.text(11, "\n".join(phrases.note(t, n) for n in d.notes), wrap)
        sheet.text(12, d.sha256, ident)
        sheet.number(13, d.size, amount)
        sheet.next()
    sheet.filter(header, len(_INPUT_COLS) - 1)
    sheet.freeze(1, 0)
    sheet.finish()


# ------------------------------------------------------------------------------------------------
# The workbook
# ------------------------------------------------------------------------------------------------


def _created(generated_at: str) -> dt.datetime:
    """The report's time as a naive UTC datetime for the document properties."""
    try:
        when = dt.datetime.fromisoformat(generated_at)
    except ValueError:
        return dt.datetime(1970, 1, 1)
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when


def sheet_names(t: Catalog, report: Report) -> list[str]:
    """The sheets of the workbook, in order."""
    keys = ["plan_check"] if report.closing is not None else []
    keys += ["summary"]
    if report.templates:
        keys.append("templates")
    keys += ["differences", "statuses", "remediation"]
    if report.comparison.matrix is not None:
        keys.append("matrix")
    keys.append("inputs")
    return [t(f"xlsx.sheet.{key}") for key in keys]


def render(report: Report) -> bytes:
    """The workbook as bytes: the same report gives the same bytes (document properties and zip
    entries carry the report's time)."""
    t = Catalog(report.lang)
    book = _Book(t)
    when = _created(report.generated_at)
    props = book.wb.properties
    props.created = props.modified = when
    props.title = t("report.title")
    props.subject = _headline(t, report)
    props.creator = props.lastModifiedBy = "statusdiff"
    props.description = f"statusdiff {report.version}"
    names = iter(sheet_names(t, report))
    plan_check = book.sheet(next(names)) if report.closing is not None else None
    summary = book.sheet(next(names))
    templates = book.sheet(next(names)) if report.templates else None
    differences, statuses, remediation = (book.sheet(next(names)) for _ in range(3))
    matrix = book.sheet(next(names)) if report.comparison.matrix is not None else None
    inputs = book.sheet(next(names))
    if plan_check is not None:
        assert report.closing is not None
        _write_plan_check(t, plan_check, report.closing)
    if templates is not None:
        _write_templates(t, templates, report)
    diff_rows = _write_differences(t, differences, report)
    _write_statuses(t, statuses, report)
    rem_rows = _write_remediation(t, remediation, report)
    _write_summary(t, summary, report, (differences, diff_rows, remediation, rem_rows))
    if matrix is not None:
        _write_matrix(t, matrix, report)
    _write_inputs(t, inputs, report)
    book.wb.active = 0
    # NOTE: the zip goes to a scratch file, not a BytesIO: its bytes are then held once, not in a
    # growing buffer plus the copy getvalue() makes (44 MB each at 50k pairs).
    with tempfile.TemporaryFile() as out:
        with _Zip(out, when) as archive:
            ExcelWriter(book.wb, archive).write_data()
        out.seek(0)
        return out.read()
