"""A small streaming SpreadsheetML (.xlsx) writer: exactly what the Excel report needs, stdlib only.

What it writes: several sheets; a style registry (fonts, solid fills, thin borders, alignment,
number formats) turned into xl/styles.xml; per sheet the column widths, frozen panes, an autofilter
(with the hidden `_xlnm._FilterDatabase` name Excel writes for it), print titles, landscape
fit-to-width printing, row heights and row formats, internal hyperlinks; cells holding strings
(shared strings or inline strings), numbers, booleans, blanks and rich text (runs with their own
font). docProps/core.xml and app.xml carry a fixed time, and so do the zip entries: the same input
gives the same bytes.

How it stays fast and small: a cell is one formatted string appended to a list, its row is joined
once and spooled to a temporary file (in memory up to `spool` bytes, then on disk), so memory stays
flat however many rows there are. The column widths, the dimension and the panes come before the
cells in a sheet's XML; they are known only once the sheet is written, so each part is assembled
when the workbook closes: [Content_Types].xml first, then the package in the order Excel writes it.
With shared strings (the default), the index of each distinct string is kept in memory, up to a
limit past which new strings are written inline: memory is bounded either way.

Text is always a string, never a formula: there is no formula cell at all, so "=1+1" or "@home" is
stored as text. Text is escaped for XML (& < > and, in attributes, quotes and whitespace); the
characters XML 1.0 cannot hold (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, lone surrogates,
U+FFFE, U+FFFF) are written as Excel's `_xHHHH_` escape, and an underscore that would start such a
pattern in the text itself ("_x0041_", or "_x12_": LibreOffice decodes one to four digits) as
`_x005F_`, so it reads back literally. A carriage return is written as `&#13;`, which XML parsers
do not fold into a line feed. Every <t> has xml:space="preserve", so leading, trailing and
repeated spaces survive.

Cells of a row must be written left to right, rows top to bottom: a sheet is a stream.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Final

MAX_ROWS: Final = 1_048_576
"""Rows of a sheet."""
MAX_COLS: Final = 16_384
"""Columns of a sheet (A to XFD)."""
MAX_SHEET_NAME: Final = 31
"""UTF-16 code units of a sheet name."""
SHEET_NAME_FORBIDDEN: Final = "[]:*?/\\"

_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_FLUSH_ITEMS = 20_000
"""Cells and row tags gathered before they are encoded and spooled."""
_ESCAPE_CACHE = 65_536
"""Escaped strings remembered in inline-string mode (the dict is emptied when full)."""
_LEVEL_ATTR = "compress_level" if sys.version_info >= (3, 13) else "_compresslevel"
"""ZipInfo's compression level (public since Python 3.13)."""

# ------------------------------------------------------------------------------------------------
# Escaping
# ------------------------------------------------------------------------------------------------

_TEXT = re.compile(
    r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_(?=[xX][0-9A-Fa-f]{1,4}_)"
)
_ATTR = re.compile(
    r"[&<>\"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_(?=[xX][0-9A-Fa-f]{1,4}_)"
)
_FIXED = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\t": "&#9;",
    "\n": "&#10;",
    "\r": "&#13;",
    "_": "_x005F_",
}


def _replace(match: re.Match[str]) -> str:
    char = match.group()
    fixed = _FIXED.get(char)
    return fixed if fixed is not None else f"_x{ord(char):04X}_"


def escape_text(value: str) -> str:
    """`value` as the content of an XML element that Excel reads back as `value`."""
    return value if _TEXT.search(value) is None else _TEXT.sub(_replace, value)


def escape_attr(value: str) -> str:
    """`value` as a double-quoted XML attribute value that reads back as `value`."""
    return value if _ATTR.search(value) is None else _ATTR.sub(_replace, value)


_UNESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def excel_unescape(value: str) -> str:
    """Decode Excel's `_xHHHH_` escapes, left to right, as Excel does (for tests and readers)."""
    return _UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)


# ------------------------------------------------------------------------------------------------
# References
# ------------------------------------------------------------------------------------------------


def column_letter(col: int) -> str:
    """The letters of a 0-based column: 0 → A, 25 → Z, 26 → AA, 16383 → XFD."""
    if not 0 <= col < MAX_COLS:
        raise ValueError(f"column {col} is outside A..XFD")
    letters = ""
    n = col + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """A1 notation of a 0-based (row, column)."""
    if not 0 <= row < MAX_ROWS:
        raise ValueError(f"row {row + 1} is outside 1..{MAX_ROWS}")
    return f"{column_letter(col)}{row + 1}"


def quote_sheet(name: str) -> str:
    """A sheet name as it is written in a reference: always quoted, quotes doubled."""
    return "'" + name.replace("'", "''") + "'"


def _range(first_row: int, first_col: int, last_row: int, last_col: int) -> str:
    return f"{cell_ref(first_row, first_col)}:{cell_ref(last_row, last_col)}"


def _absolute(first_row: int, first_col: int, last_row: int, last_col: int) -> str:
    a, b = column_letter(first_col), column_letter(last_col)
    return f"${a}${first_row + 1}:${b}${last_row + 1}"


_OPENS: list[str] = []


def _opens() -> list[str]:
    """'<c r="' and every column's letters, made once (index = 0-based column)."""
    if not _OPENS:
        _OPENS.extend(f'<c r="{column_letter(c)}' for c in range(MAX_COLS))
    return _OPENS


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\ud800-\udfff\ufffe\uffff]")


def check_sheet_name(name: str) -> str:
    """Return `name` if Excel accepts it as a sheet name; raise ValueError otherwise."""
    if _UNSAFE_NAME.search(name):
        raise ValueError(f"a sheet name cannot hold control characters: {name!r}")
    units = len(name.encode("utf-16-le")) // 2
    if not name or units > MAX_SHEET_NAME:
        raise ValueError(f"a sheet name has 1 to {MAX_SHEET_NAME} characters: {name!r}")
    bad = sorted(set(name) & set(SHEET_NAME_FORBIDDEN))
    if bad:
        raise ValueError(f"a sheet name cannot hold {''.join(bad)!r}: {name!r}")
    if name[0] == "'" or name[-1] == "'":
        raise ValueError(f"a sheet name cannot start or end with an apostrophe: {name!r}")
    if name.casefold() == "history":
        raise ValueError("Excel reserves the sheet name 'History'")
    return name


# ------------------------------------------------------------------------------------------------
# Styles
# ------------------------------------------------------------------------------------------------


def _rgb(color: str) -> str:
    """'#1F4E78' or '1F4E78' → 'FF1F4E78' (opaque ARGB)."""
    digits = color.lstrip("#").upper()
    if not re.fullmatch(r"[0-9A-F]{6}", digits):
        raise ValueError(f"a colour is six hex digits: {color!r}")
    return "FF" + digits


@dataclass(frozen=True, slots=True)
class Font:
    """A font: of a cell (in a Style) or of one run of rich text."""

    name: str = "Calibri"
    size: float = 11
    bold: bool = False
    italic: bool = False
    underline: bool = False
    color: str | None = None
    """RRGGBB; None is the automatic colour."""

    def _parts(self, name_tag: str) -> str:
        out = []
        if self.bold:
            out.append("<b/>")
        if self.italic:
            out.append("<i/>")
        if self.underline:
            out.append("<u/>")
        out.append(f'<sz val="{_num(self.size)}"/>')
        if self.color:  # none: the automatic colour (no theme part is needed for it)
            out.append(f'<color rgb="{_rgb(self.color)}"/>')
        out.append(f'<{name_tag} val="{escape_attr(self.name)}"/><family val="2"/>')
        return "".join(out)

    def xml(self) -> str:
        """<font> of styles.xml."""
        return f"<font>{self._parts('name')}</font>"

    def run_xml(self) -> str:
        """<rPr> of a rich-text run."""
        return f"<rPr>{self._parts('rFont')}</rPr>"


@dataclass(frozen=True, slots=True)
class Line:
    """One edge of a cell border."""

    style: str = "thin"
    color: str | None = None
    """RRGGBB; None is automatic."""

    def xml(self, edge: str) -> str:
        color = f'<color rgb="{_rgb(self.color)}"/>' if self.color else '<color auto="1"/>'
        return f'<{edge} style="{self.style}">{color}</{edge}>'


@dataclass(frozen=True, slots=True)
class Border:
    left: Line | None = None
    right: Line | None = None
    top: Line | None = None
    bottom: Line | None = None

    @classmethod
    def box(cls, line: Line) -> Border:
        return cls(line, line, line, line)

    def xml(self) -> str:
        edges = (("left", self.left), ("right", self.right), ("top", self.top))
        parts = [line.xml(edge) if line else f"<{edge}/>" for edge, line in edges]
        parts.append(self.bottom.xml("bottom") if self.bottom else "<bottom/>")
        return f"<border>{''.join(parts)}<diagonal/></border>"


@dataclass(frozen=True, slots=True)
class Style:
    """The look of a cell. Equal styles share one entry of styles.xml."""

    font: Font = Font()
    fill: str | None = None
    """Solid background, RRGGBB."""
    border: Border | None = None
    num_format: str | None = None
    """A number format code ('0', '#,##0', '0.0'); None is General."""
    horizontal: str | None = None
    """left, center, right…"""
    vertical: str | None = None
    """top, center, bottom (None: Excel's bottom)."""
    wrap: bool = False


_BUILTIN_FORMATS = {
    "General": 0,
    "0": 1,
    "0.00": 2,
    "#,##0": 3,
    "#,##0.00": 4,
    "0%": 9,
    "0.00%": 10,
    "0.00E+00": 11,
    "@": 49,
}


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class Styles:
    """The registry of a workbook's cell formats: Style → index of <cellXfs> (0 is the default)."""

    def __init__(self, default: Style) -> None:
        self.default = default
        self._xfs: dict[Style, int] = {}
        self._fonts: dict[Font, int] = {}
        self._fills: dict[str | None, int] = {None: 0}
        self._borders: dict[Border | None, int] = {None: 0}
        self._formats: dict[str, int] = {}
        self._xf_xml: list[str] = []
        self.attrs: list[str] = []
        """' s="N"' for every index (empty for 0): what a cell of that style carries."""
        self.add(default)

    def add(self, style: Style) -> int:
        """The index of a style, registering it on first use."""
        found = self._xfs.get(style)
        if found is not None:
            return found
        _check_colors(style)
        index = len(self._xf_xml)
        font = self._fonts.setdefault(style.font, len(self._fonts))
        fill = self._fills.setdefault(style.fill, len(self._fills) + 1)  # 1: Excel's gray125
        border = self._borders.setdefault(style.border, len(self._borders))
        fmt = 0
        if style.num_format is not None:
            fmt = _BUILTIN_FORMATS.get(style.num_format, -1)
            if fmt < 0:
                fmt = self._formats.setdefault(style.num_format, 164 + len(self._formats))
        attrs = [f'numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"']
        align = _alignment(style)
        if index:  # the default format (index 0) is the Normal style itself: nothing to apply
            flags = (
                ("applyNumberFormat", fmt),
                ("applyFont", font),
                ("applyFill", fill),
                ("applyBorder", border),
                ("applyAlignment", align),
            )
            attrs += [f'{flag}="1"' for flag, used in flags if used]
        self._xf_xml.append(f"<xf {' '.join(attrs)}>{align}</xf>" if align else f"<xf {attrs[0]}/>")
        self._xfs[style] = index
        self.attrs.append(f' s="{index}"' if index else "")
        return index

    def __len__(self) -> int:
        return len(self._xf_xml)

    def xml(self) -> str:
        """xl/styles.xml."""
        out = [_DECL, f'<styleSheet xmlns="{_MAIN}">']
        if self._formats:
            out.append(f'<numFmts count="{len(self._formats)}">')
            out += [
                f'<numFmt numFmtId="{i}" formatCode="{escape_attr(code)}"/>'
                for code, i in self._formats.items()
            ]
            out.append("</numFmts>")
        out.append(f'<fonts count="{len(self._fonts)}">')
        out += [font.xml() for font in self._fonts]
        out.append("</fonts>")
        fills = [c for c in self._fills if c is not None]
        out.append(f'<fills count="{len(fills) + 2}">')
        out.append('<fill><patternFill patternType="none"/></fill>')
        out.append('<fill><patternFill patternType="gray125"/></fill>')
        out += [
            f'<fill><patternFill patternType="solid"><fgColor rgb="{_rgb(c)}"/>'
            '<bgColor indexed="64"/></patternFill></fill>'
            for c in fills
        ]
        out.append("</fills>")
        borders = [b.xml() if b else Border().xml() for b in self._borders]
        out.append(f'<borders count="{len(borders)}">{"".join(borders)}</borders>')
        base = _alignment(self.default)
        first = f'<xf numFmtId="0" fontId="0" fillId="0" borderId="0">{base}</xf>'
        out.append(f'<cellStyleXfs count="1">{first}</cellStyleXfs>')
        out.append(f'<cellXfs count="{len(self._xf_xml)}">{"".join(self._xf_xml)}</cellXfs>')
        out.append('<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>')
        out.append('</cellStyles><dxfs count="0"/><tableStyles count="0"/></styleSheet>')
        return "".join(out)


def _check_colors(style: Style) -> None:
    """Refuse a style whose colours are not RRGGBB (raises ValueError)."""
    border = style.border or Border()
    lines = (border.left, border.right, border.top, border.bottom)
    colors = [style.font.color, style.fill, *(line.color for line in lines if line)]
    for color in colors:
        if color is not None:
            _rgb(color)


def _alignment(style: Style) -> str:
    attrs = []
    if style.horizontal:
        attrs.append(f'horizontal="{style.horizontal}"')
    if style.vertical:
        attrs.append(f'vertical="{style.vertical}"')
    if style.wrap:
        attrs.append('wrapText="1"')
    return f"<alignment {' '.join(attrs)}/>" if attrs else ""


Run = tuple[str, Font | None]
"""One run of rich text: its text and its font (None: the cell's own font)."""


# ------------------------------------------------------------------------------------------------
# Document properties
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Properties:
    """docProps/core.xml; `created` (UTC) is also the time of every zip entry."""

    created: dt.datetime
    title: str | None = None
    subject: str | None = None
    creator: str | None = None
    description: str | None = None
    keywords: str | None = None


def _w3c(when: dt.datetime) -> str:
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when.replace(microsecond=0).isoformat() + "Z"


def _zip_time(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    when = min(max(when, dt.datetime(1980, 1, 1)), dt.datetime(2107, 12, 31, 23, 59, 58))
    return (when.year, when.month, when.day, when.hour, when.minute, when.second)


# ------------------------------------------------------------------------------------------------
# Worksheets
# ------------------------------------------------------------------------------------------------


class _Spool:
    """Text written in pieces, kept encoded in memory up to `limit` bytes, then in a temp file."""

    def __init__(self, limit: int) -> None:
        # closed once copied into the zip (or when garbage-collected, if the workbook never is)
        self._file: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=limit)  # noqa: SIM115
        self.size = 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self._file.write(data)
        self.size += len(data)

    def copy_to(self, out: IO[bytes]) -> None:
        self._file.seek(0)
        shutil.copyfileobj(self._file, out, 1 << 20)
        self._file.close()


class Worksheet:
    """One sheet, written as a stream: cells left to right, rows top to bottom.

    The cell methods write into the current row (`row`, 0-based); `end_row` finishes it.
    Layout (widths, panes, filter, printing) may be set any time before the workbook closes.
    """

    def __init__(self, book: Workbook, name: str, index: int) -> None:
        self.book = book
        self.name = name
        self.index = index
        self.row = 0
        """The row being written (0-based)."""
        self._col = -1
        """The last column written in the current row."""
        self._r = "1"
        self._max_col = -1
        self._last_row = -1
        self._opens = _opens()
        self._styles = book.styles.attrs
        self._buf: list[str] = [""]
        """Rows not yet spooled, then the current row: its <row> tag's slot and its cells."""
        self._slot = 0
        self._spool = _Spool(book.spool)
        self._widths: dict[int, float] = {}
        self._freeze: tuple[int, int] | None = None
        self._filter: tuple[int, int, int, int] | None = None
        self._titles: tuple[int, int] | None = None
        self._print: tuple[bool, int, int] | None = None
        self._links: list[str] = []
        """<hyperlink> elements (at most 65,530 a sheet in Excel: the caller's to keep)."""
        self.ignore_number_as_text = False
        """Silence Excel's "number stored as text" marks on the whole sheet."""
        self.closed = False

    # -- layout --------------------------------------------------------------------------------

    def column_width(self, col: int, width: float) -> None:
        """Width of a column in characters of the default font's digits (as Excel shows it)."""
        column_letter(col)
        self._widths[col] = width

    def freeze(self, rows: int, cols: int = 0) -> None:
        """Freeze the first `rows` rows and `cols` columns."""
        if rows < 0 or cols < 0 or rows >= MAX_ROWS or cols >= MAX_COLS:
            raise ValueError("frozen rows and columns are within the sheet")
        self._freeze = (rows, cols) if rows or cols else None

    def autofilter(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        """An autofilter over a range whose first row is the header."""
        _range(first_row, first_col, last_row, last_col)
        self._filter = (first_row, first_col, last_row, last_col)

    def print_titles(self, first_row: int, last_row: int | None = None) -> None:
        """Rows repeated on top of every printed page."""
        self._titles = (first_row, first_row if last_row is None else last_row)

    def print_setup(
        self, *, landscape: bool = False, fit_width: int = 0, fit_height: int = 0
    ) -> None:
        """Orientation and fit to pages (0 = as many pages as needed that way)."""
        self._print = (landscape, fit_width, fit_height)

    # -- cells ---------------------------------------------------------------------------------
    # NOTE: every cell method starts with one comparison, `col <= self._col`: it catches a cell
    # written out of order or twice, a negative column, and (with _col set past the last column
    # at close) a write to a closed sheet; _refuse says which.

    def _refuse(self, col: int) -> None:
        if self.closed:
            raise ValueError(f"the sheet {self.name!r} is closed")
        raise ValueError(
            f"{self.name}!{cell_ref(self.row, max(col, 0))}: "
            "cells of a row are written left to right, once each"
        )

    def string(self, col: int, value: str, style: int = 0) -> None:
        """A text cell (never a formula)."""
        raise NotImplementedError

    def number(self, col: int, value: float, style: int = 0) -> None:
        """A number cell (an int or a finite float; a bool is written as a boolean)."""
        if col <= self._col:
            self._refuse(col)
        kind = type(value)
        if kind is not int:
            if kind is bool:
                self.boolean(col, bool(value), style)
                return
            value = float(value)
            if not math.isfinite(value):
                raise ValueError(f"{self.name}!{cell_ref(self.row, col)}: {value} is no number")
            if value.is_integer() and -1e15 < value < 1e15:
                value = int(value)  # "100", as Excel writes it, not "100.0"
        self._col = col
        self._buf.append(f'{self._opens[col]}{self._r}"{self._styles[style]}><v>{value}</v></c>')

    def boolean(self, col: int, value: bool, style: int = 0) -> None:
        """A TRUE/FALSE cell."""
        if col <= self._col:
            self._refuse(col)
        self._col = col
        self._buf.append(
            f'{self._opens[col]}{self._r}"{self._styles[style]} t="b">'
            f"<v>{1 if value else 0}</v></c>"
        )

    def blank(self, col: int, style: int) -> None:
        """An empty cell that carries a format (a fill, a border)."""
        if col <= self._col:
            self._refuse(col)
        self._col = col
        self._buf.append(f'{self._opens[col]}{self._r}"{self._styles[style]}/>')

    def rich(self, col: int, runs: Sequence[Run], style: int = 0) -> None:
        """A text cell made of runs, each with its own font (None: the cell's font)."""
        runs = tuple((text, font) for text, font in runs if text)
        if not runs:
            self.string(col, "", style)
            return
        if col <= self._col:
            self._refuse(col)
        self._col = col
        book = self.book
        body = "".join(
            f'<r>{book._run_font(font)}<t xml:space="preserve">{escape_text(text)}</t></r>'
            for text, font in runs
        )
        ref = f'{self._opens[col]}{self._r}"{self._styles[style]}'
        if book.shared_strings:
            key = ("rich", runs)
            tail = book._shared.get(key)
            if tail is None:
                tail = book._share(key, body, rich=True)
            self._buf.append(ref + tail)
        else:
            self._buf.append(f'{ref} t="inlineStr"><is>{body}</is></c>')

    def link(self, col: int, text: str, location: str, style: int = 0) -> None:
        """A text cell that links to a place in the workbook, e.g. "'Sheet 2'!A10"."""
        self.string(col, text, style)
        self._links.append(
            f'<hyperlink ref="{cell_ref(self.row, col)}" location="{escape_attr(location)}" '
            f'display="{escape_attr(text)}"/>'
        )

    def end_row(self, height: float | None = None, style: int = 0) -> int:
        """Finish the current row (its height in points, its format); return its index."""
        if self.closed:
            self._refuse(0)
        done = self.row
        if done >= MAX_ROWS:
            raise ValueError(f"the sheet {self.name!r} would have more than {MAX_ROWS} rows")
        buf = self._buf
        if self._col >= 0 or height is not None or style:
            tag = f'<row r="{self._r}"'
            if height is not None:
                tag += f' ht="{_num(height)}" customHeight="1"'
            if style:
                tag += f'{self._styles[style]} customFormat="1"'
            buf[self._slot] = tag + ">"
            buf.append("</row>")
            self._last_row = done
            if self._col > self._max_col:
                self._max_col = self._col
            if len(buf) >= _FLUSH_ITEMS:
                self._flush()
        else:
            buf.pop()  # the empty slot: a row with nothing is not written
        self._slot = len(buf)
        buf.append("")
        self.row = done + 1
        self._r = str(done + 2)
        self._col = -1
        return done

    def _flush(self) -> None:
        self._spool.write("".join(self._buf))
        self._buf.clear()

    def close(self) -> None:
        """Finish the sheet (ending a row still open); no cell can be added after."""
        if self.closed:
            return
        if self._col >= 0:
            self.end_row()
        self._buf.pop()
        self._flush()
        self.closed = True
        self._col = MAX_COLS

    # -- XML -------------------------------------------------------------------------------------

    def _head(self, selected: bool) -> str:
        out = [_DECL, f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">']
        if self._print and (self._print[1] or self._print[2]):
            out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
        if self._last_row >= 0:
            dimension = _range(0, 0, self._last_row, max(self._max_col, 0))
        else:
            dimension = "A1"
        out.append(f'<dimension ref="{dimension}"/>')
        view = ' tabSelected="1"' if selected else ""
        out.append(f'<sheetViews><sheetView{view} workbookViewId="0"')
        out.append(
            f">{self._pane()}</sheetView></sheetViews>" if self._freeze else "/></sheetViews>"
        )
        out.append('<sheetFormatPr defaultRowHeight="15"/>')
        if self._widths:
            out.append("<cols>")
            spans: list[list[float]] = []
            for col in sorted(self._widths):
                stored = _stored_width(self._widths[col])
                if spans and spans[-1][1] == col - 1 and spans[-1][2] == stored:
                    spans[-1][1] = col
                else:
                    spans.append([col, col, stored])
            out += [
                f'<col min="{int(a) + 1}" max="{int(b) + 1}" width="{_num(w)}" customWidth="1"/>'
                for a, b, w in spans
            ]
            out.append("</cols>")
        out.append("<sheetData>")
        return "".join(out)

    def _pane(self) -> str:
        assert self._freeze is not None
        rows, cols = self._freeze
        top_left = cell_ref(rows, cols)
        if rows and cols:
            return (
                f'<pane xSplit="{cols}" ySplit="{rows}" topLeftCell="{top_left}" '
                'activePane="bottomRight" state="frozen"/>'
                f'<selection pane="topRight" activeCell="{cell_ref(0, cols)}" '
                f'sqref="{cell_ref(0, cols)}"/>'
                f'<selection pane="bottomLeft" activeCell="{cell_ref(rows, 0)}" '
                f'sqref="{cell_ref(rows, 0)}"/>'
                '<selection pane="bottomRight"/>'
            )
        if rows:
            return (
                f'<pane ySplit="{rows}" topLeftCell="{top_left}" activePane="bottomLeft" '
                'state="frozen"/><selection pane="bottomLeft"/>'
            )
        return (
            f'<pane xSplit="{cols}" topLeftCell="{top_left}" activePane="topRight" '
            'state="frozen"/><selection pane="topRight"/>'
        )

    def _tail(self) -> str:
        out = ["</sheetData>"]
        if self._filter:
            out.append(f'<autoFilter ref="{_range(*self._filter)}"/>')
        if self._links:
            out += ["<hyperlinks>", *self._links, "</hyperlinks>"]
        out.append(
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/>'
        )
        if self._print:
            landscape, width, height = self._print
            attrs = ' orientation="landscape"' if landscape else ""
            if width or height:
                attrs += f' fitToWidth="{width}" fitToHeight="{height}"'
            if attrs:
                out.append(f"<pageSetup{attrs}/>")
        if self.ignore_number_as_text:
            out.append(
                '<ignoredErrors><ignoredError sqref="A1:XFD1048576" numberStoredAsText="1"/>'
                "</ignoredErrors>"
            )
        out.append("</worksheet>")
        return "".join(out)

    def _defined_names(self) -> Iterator[tuple[str, int, str, bool]]:
        """(name, sheet index, formula, hidden) of the sheet's built-in names."""
        where = quote_sheet(self.name)
        if self._filter:
            yield "_xlnm._FilterDatabase", self.index, where + "!" + _absolute(*self._filter), True
        if self._titles:
            first, last = self._titles
            yield "_xlnm.Print_Titles", self.index, f"{where}!${first + 1}:${last + 1}", False

    def _write(self, zf: zipfile.ZipFile, path: str, selected: bool) -> None:
        head = self._head(selected).encode("utf-8")
        tail = self._tail().encode("utf-8")
        big = len(head) + self._spool.size + len(tail) >= zipfile.ZIP64_LIMIT
        with zf.open(self.book._info(path), "w", force_zip64=big) as out:
            out.write(head)
            self._spool.copy_to(out)
            out.write(tail)


class _SharedSheet(Worksheet):
    """Strings go to the workbook's shared-strings table, each distinct one once."""

    def string(self, col: int, value: str, style: int = 0) -> None:
        if col <= self._col:
            self._refuse(col)
        self._col = col
        tail = self._shared.get(value)
        if tail is None:
            tail = self.book._share(value, escape_text(value))
        self._buf.append(f'{self._opens[col]}{self._r}"{self._styles[style]}{tail}')

    def __init__(self, book: Workbook, name: str, index: int) -> None:
        super().__init__(book, name, index)
        self._shared = book._shared


class _InlineSheet(Worksheet):
    """Strings are written in their cells (escapes of recent strings are remembered)."""

    def __init__(self, book: Workbook, name: str, index: int) -> None:
        super().__init__(book, name, index)
        self._escaped: dict[str, str] = {}

    def string(self, col: int, value: str, style: int = 0) -> None:
        if col <= self._col:
            self._refuse(col)
        self._col = col
        text = self._escaped.get(value)
        if text is None:
            text = escape_text(value)
            if len(self._escaped) >= _ESCAPE_CACHE:
                self._escaped.clear()
            self._escaped[value] = text
        self._buf.append(
            f'{self._opens[col]}{self._r}"{self._styles[style]} t="inlineStr">'
            f'<is><t xml:space="preserve">{text}</t></is></c>'
        )


def _stored_width(chars: float) -> float:
    """Excel's stored column width for `chars` digits of Calibri 11 (7 px + 5 px padding)."""
    if chars <= 0:
        return 0
    pixels = int(chars * 7 + 0.5) + 5 if chars >= 1 else int(chars * 12 + 0.5)
    return int(pixels / 7 * 256) / 256


# ------------------------------------------------------------------------------------------------
# The workbook
# ------------------------------------------------------------------------------------------------

_DEFAULT_STYLE = Style()


class Workbook:
    """A workbook written to `out` (a binary file or a path) when `close()` is called.

    `shared_strings`: strings go to one table, each distinct string once (smaller, and faster for
    repeated values); the table's XML is spooled like the rows, and what stays in memory is the
    index of each distinct string, for at most `shared_limit` strings (later new strings are
    written inline). Otherwise every cell holds its string inline and nothing grows.
    `level`: zlib level of the zip entries. `spool`: bytes of a part kept in memory before the
    rest goes to a temporary file.
    """

    def __init__(
        self,
        out: IO[bytes] | str,
        *,
        properties: Properties,
        default: Style = _DEFAULT_STYLE,
        shared_strings: bool = True,
        level: int = 6,
        spool: int = 4 << 20,
        shared_limit: int = 200_000,
    ) -> None:
        self.out = out
        self.properties = properties
        self.styles = Styles(default)
        self.shared_strings = shared_strings
        self.level = level
        self.spool = spool
        self.shared_limit = shared_limit
        self.sheets: list[Worksheet] = []
        self.active = 0
        """Index of the sheet shown when the workbook opens."""
        self._shared: dict[object, str] = {}
        """Shared string (or rich runs) → the end of its cells: ' t="s"><v>index</v></c>'."""
        self._shared_count = 0
        self._shared_buf: list[str] = []
        """<si> entries not yet spooled."""
        self._shared_spool = _Spool(spool)
        self._run_fonts: dict[Font | None, str] = {None: ""}
        self._time = _zip_time(properties.created)
        self._closed = False

    def style(self, style: Style) -> int:
        """The index of a style, for the cell methods' `style` argument."""
        return self.styles.add(style)

    def add_sheet(self, name: str) -> Worksheet:
        """A new sheet, last in the tab order."""
        check_sheet_name(name)
        if any(s.name.casefold() == name.casefold() for s in self.sheets):
            raise ValueError(f"there is already a sheet named {name!r}")
        kind = _SharedSheet if self.shared_strings else _InlineSheet
        sheet = kind(self, name, len(self.sheets))
        self.sheets.append(sheet)
        return sheet

    def _share(self, key: object, xml: str, *, rich: bool = False) -> str:
        """Add a string to the shared table; return the end of the cells that show it.

        Once the table holds `shared_limit` strings, a new one is written inline instead (and
        not remembered), so the memory the table takes stays bounded."""
        if self._shared_count >= self.shared_limit:
            body = xml if rich else f'<t xml:space="preserve">{xml}</t>'
            return f' t="inlineStr"><is>{body}</is></c>'
        tail = f' t="s"><v>{self._shared_count}</v></c>'
        self._shared[key] = tail
        self._shared_count += 1
        buf = self._shared_buf
        buf.append(f"<si>{xml}</si>" if rich else f'<si><t xml:space="preserve">{xml}</t></si>')
        if len(buf) >= _FLUSH_ITEMS:
            self._shared_spool.write("".join(buf))
            buf.clear()
        return tail

    def _run_font(self, font: Font | None) -> str:
        found = self._run_fonts.get(font)
        if found is None:
            assert font is not None
            found = self._run_fonts[font] = font.run_xml()
        return found

    def _info(self, path: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, self._time)
        info.compress_type = zipfile.ZIP_DEFLATED
        setattr(info, _LEVEL_ATTR, self.level)
        info.create_system = 0
        info.external_attr = 0
        return info

    def close(self) -> None:
        """Write the whole package."""
        if self._closed:
            return
        if not self.sheets:
            raise ValueError("a workbook has at least one sheet")
        for sheet in self.sheets:
            sheet.close()
        with zipfile.ZipFile(self.out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            parts = [
                ("[Content_Types].xml", self._content_types()),
                ("_rels/.rels", self._package_rels()),
                ("docProps/app.xml", self._app()),
                ("docProps/core.xml", self._core()),
                ("xl/workbook.xml", self._workbook()),
                ("xl/_rels/workbook.xml.rels", self._workbook_rels()),
                ("xl/styles.xml", self.styles.xml()),
            ]
            for path, xml in parts:
                zf.writestr(self._info(path), xml.encode("utf-8"))
            for sheet in self.sheets:
                sheet._write(zf, f"xl/worksheets/sheet{sheet.index + 1}.xml", self._selected(sheet))
            if self.shared_strings:
                self._write_shared(zf)
        self._closed = True

    def _selected(self, sheet: Worksheet) -> bool:
        return sheet.index == self.active

    def _write_shared(self, zf: zipfile.ZipFile) -> None:
        spool = self._shared_spool
        spool.write("".join(self._shared_buf))
        self._shared_buf.clear()
        head = f'{_DECL}<sst xmlns="{_MAIN}" uniqueCount="{self._shared_count}">'.encode()
        big = len(head) + spool.size >= zipfile.ZIP64_LIMIT
        with zf.open(self._info("xl/sharedStrings.xml"), "w", force_zip64=big) as out:
            out.write(head)
            spool.copy_to(out)
            out.write(b"</sst>")

    def _content_types(self) -> str:
        over = [
            (
                "/docProps/app.xml",
                "application/vnd.openxmlformats-officedocument.extended-properties+xml",
            ),
            ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ("/xl/workbook.xml", f"{_CT}.sheet.main+xml"),
            ("/xl/styles.xml", f"{_CT}.styles+xml"),
        ]
        over += [
            (f"/xl/worksheets/sheet{s.index + 1}.xml", f"{_CT}.worksheet+xml") for s in self.sheets
        ]
        if self.shared_strings:
            over.append(("/xl/sharedStrings.xml", f"{_CT}.sharedStrings+xml"))
        return (
            f'{_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in over)
            + "</Types>"
        )

    def _package_rels(self) -> str:
        rels = [
            (f"{_REL}/officeDocument", "xl/workbook.xml"),
            (f"{_PKG_REL}/metadata/core-properties", "docProps/core.xml"),
            (f"{_REL}/extended-properties", "docProps/app.xml"),
        ]
        return _relationships(rels)

    def _workbook_rels(self) -> str:
        rels = [(f"{_REL}/worksheet", f"worksheets/sheet{s.index + 1}.xml") for s in self.sheets]
        rels.append((f"{_REL}/styles", "styles.xml"))
        if self.shared_strings:
            rels.append((f"{_REL}/sharedStrings", "sharedStrings.xml"))
        return _relationships(rels)

    def _names(self) -> list[tuple[str, int, str, bool]]:
        names = [name for sheet in self.sheets for name in sheet._defined_names()]
        return sorted(names, key=lambda n: (n[0], self.sheets[n[1]].name.casefold()))

    def _workbook(self) -> str:
        active = f' activeTab="{self.active}"' if self.active else ""
        out = [
            _DECL,
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">',
            '<bookViews><workbookView xWindow="240" yWindow="15" windowWidth="16095" '
            f'windowHeight="9660"{active}/></bookViews><sheets>',
        ]
        out += [
            f'<sheet name="{escape_attr(s.name)}" sheetId="{s.index + 1}" r:id="rId{s.index + 1}"/>'
            for s in self.sheets
        ]
        out.append("</sheets>")
        names = self._names()
        if names:
            out.append("<definedNames>")
            for name, sheet, formula, hidden in names:
                flag = ' hidden="1"' if hidden else ""
                out.append(
                    f'<definedName name="{name}" localSheetId="{sheet}"{flag}>'
                    f"{escape_text(formula)}</definedName>"
                )
            out.append("</definedNames>")
        out.append("</workbook>")
        return "".join(out)

    def _core(self) -> str:
        p = self.properties
        when = _w3c(p.created)
        fields = [
            ("dc:title", p.title),
            ("dc:subject", p.subject),
            ("dc:creator", p.creator),
            ("cp:keywords", p.keywords),
            ("dc:description", p.description),
            ("cp:lastModifiedBy", p.creator),
        ]
        body = "".join(f"<{tag}>{escape_text(v)}</{tag}>" for tag, v in fields if v is not None)
        return (
            f"{_DECL}<cp:coreProperties "
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"{body}"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            "</cp:coreProperties>"
        )

    def _app(self) -> str:
        titles = [s.name for s in self.sheets]
        named = [
            f"{s.name}!Print_Titles"
            for s in sorted(self.sheets, key=lambda s: s.name.casefold())
            if s._titles
        ]
        pairs = [("Worksheets", len(titles))] + ([("Named Ranges", len(named))] if named else [])
        heading = "".join(
            f"<vt:variant><vt:lpstr>{k}</vt:lpstr></vt:variant><vt:variant><vt:i4>{n}</vt:i4>"
            "</vt:variant>"
            for k, n in pairs
        )
        parts = "".join(f"<vt:lpstr>{escape_text(t)}</vt:lpstr>" for t in titles + named)
        return (
            f"{_DECL}<Properties "
            'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity>"
            "<ScaleCrop>false</ScaleCrop>"
            f'<HeadingPairs><vt:vector size="{2 * len(pairs)}" baseType="variant">{heading}'
            "</vt:vector></HeadingPairs>"
            f'<TitlesOfParts><vt:vector size="{len(titles) + len(named)}" baseType="lpstr">'
            f"{parts}</vt:vector></TitlesOfParts>"
            "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
            "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion>"
            "</Properties>"
        )


def _relationships(rels: Iterable[tuple[str, str]]) -> str:
    body = "".join(
        f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>'
        for i, (kind, target) in enumerate(rels, 1)
    )
    return f'{_DECL}<Relationships xmlns="{_PKG_REL}">{body}</Relationships>'
