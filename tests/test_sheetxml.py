"""The SpreadsheetML writer on its own: escaping, references, cells, styles, layout, determinism.

Every workbook written here is checked the way a spreadsheet program would meet it: each XML part
parses, every part is declared, openpyxl and python-calamine read back the same values.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell.rich_text import CellRichText, TextBlock
from python_calamine import CalamineWorkbook

from statusdiff.render import sheetxml as sx

CREATED = dt.datetime(2026, 3, 2, 9, 30, 15, tzinfo=dt.UTC)
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
CONTROL = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))]
ILLEGAL = [*CONTROL, "\ufffe", "\uffff", "\ud800", "\udbff", "\udc00", "\udfff"]
TRICKY = [
    "=1+1",
    "+33",
    "-x",
    "@home",
    "  two leading",
    "trailing  ",
    "double  space",
    " ",
    "a & b < c > d \"q\" 'a'",
    "<r>x</r>",
    "]]>",
    "_x0041_",
    "_X0041_",
    "_x0041_x0042_",
    "__x00e9__",
    "_x12_",
    "_x1_",
    "_x0007_",
    "_x12345_",
    "line\nfeed\ttab",
    "No\u00a0Show",
    "Cafe\u0301",
    "emoji 🙂 𝔘",
    "x005F_",
]


def build(write: Callable[[sx.Workbook], None], *, shared: bool = True, **options: Any) -> bytes:
    """A workbook made by `write`, as bytes, with fixed properties."""
    out = io.BytesIO()
    book = sx.Workbook(
        out,
        properties=sx.Properties(created=CREATED, title="T & <t>", creator="tests"),
        shared_strings=shared,
        **options,
    )
    write(book)
    book.close()
    return out.getvalue()


def column_of(values: list[str], *, shared: bool = True) -> bytes:
    """A one-sheet workbook with one string per row in column A."""

    def write(book: sx.Workbook) -> None:
        ws = book.add_sheet("S")
        for value in values:
            ws.string(0, value)
            ws.end_row()

    return build(write, shared=shared)


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def check_package(data: bytes) -> None:
    """Every part parses, is declared in [Content_Types].xml, and every relationship resolves."""
    found = parts(data)
    for body in found.values():
        ET.fromstring(body)  # raises on malformed XML
        assert body.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')
    types = ET.fromstring(found["[Content_Types].xml"])
    declared = {e.get("PartName") for e in types if e.get("PartName")}
    assert declared == {"/" + n for n in found if not n.endswith(".rels")} - {
        "/[Content_Types].xml"
    }
    for rels, base in (("_rels/.rels", ""), ("xl/_rels/workbook.xml.rels", "xl/")):
        for rel in ET.fromstring(found[rels]):
            assert base + rel.get("Target", "") in found
            assert rel.get("TargetMode") is None


def calamine(data: bytes, sheet: str = "S") -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(sheet).to_python()


def xml_texts(data: bytes) -> Iterator[str]:
    """The text of every <t> of the workbook, as an XML parser gives it (escapes not decoded)."""
    for name, body in parts(data).items():
        if name.startswith("xl/") and name.endswith(".xml"):
            for t in ET.fromstring(body).iter(f"{MAIN}t"):
                yield t.text or ""


# ------------------------------------------------------------------------------------------------
# Escaping
# ------------------------------------------------------------------------------------------------


def test_xml_escaping_of_text_and_attributes() -> None:
    assert sx.escape_text("a & b < c > d \"q\" 'a'") == "a &amp; b &lt; c &gt; d \"q\" 'a'"
    assert sx.escape_attr('a & b < c > "q"') == "a &amp; b &lt; c &gt; &quot;q&quot;"
    # whitespace in attributes would be normalised to spaces by any XML parser
    assert sx.escape_attr("a\tb\nc\rd") == "a&#9;b&#10;c&#13;d"
    assert sx.escape_text("a\tb\nc") == "a\tb\nc"
    # a carriage return would be folded into a line feed in element content
    assert sx.escape_text("a\r\nb") == "a&#13;\nb"
    crlf = sx.escape_text("a\r\nb")
    assert ET.fromstring(f"<t>{crlf}</t>").text == "a\r\nb"
    plain = "nothing to do"
    assert sx.escape_text(plain) is plain


@pytest.mark.parametrize("char", ILLEGAL, ids=lambda c: f"U+{ord(c):04X}")
def test_characters_xml_forbids_are_written_as_excel_escapes(char: str) -> None:
    escaped = sx.escape_text(f"a{char}b")
    assert escaped == f"a_x{ord(char):04X}_b"
    ET.fromstring(f"<t>{escaped}</t>".encode())
    assert sx.excel_unescape(escaped) == f"a{char}b"
    assert sx.escape_attr(char) == f"_x{ord(char):04X}_"


def test_literal_escape_patterns_are_escaped_so_they_read_back_literally() -> None:
    assert sx.escape_text("_x0041_") == "_x005F_x0041_"
    assert sx.escape_text("_X0041_") == "_x005F_X0041_"
    assert sx.escape_text("_x00e9_") == "_x005F_x00e9_"
    # overlapping patterns: every underscore that starts one is escaped
    assert sx.escape_text("_x0041_x0042_") == "_x005F_x0041_x005F_x0042_"
    assert sx.excel_unescape(sx.escape_text("_x0041_x0042_")) == "_x0041_x0042_"
    # LibreOffice also decodes one to three digits ("_x1_" is U+0001 there): escaped as well
    assert sx.escape_text("_x1_") == "_x005F_x1_"
    assert sx.escape_text("_x12_") == "_x005F_x12_"
    for text in ("_x12345_", "_xZZZZ_", "x0041_", "_x0041", "__", "_x_"):
        assert sx.escape_text(text) == text
    for text in TRICKY:
        parsed = ET.fromstring(f"<t>{sx.escape_text(text)}</t>".encode()).text or ""
        assert sx.excel_unescape(parsed) == text


@given(st.text(st.characters(exclude_categories=())))  # lone surrogates included
def test_any_text_survives_xml_and_excel_escapes(text: str) -> None:
    escaped = sx.escape_text(text)
    parsed = ET.fromstring(f"<t>{escaped}</t>".encode()).text or ""
    assert sx.excel_unescape(parsed) == text
    assert lenient_unescape(parsed) == text
    attr = ET.fromstring(f'<a v="{sx.escape_attr(text)}"/>'.encode()).get("v", "")
    assert sx.excel_unescape(attr) == text


def lenient_unescape(value: str) -> str:
    """LibreOffice's reading: one to four hex digits make an escape too ("_x1_" is U+0001)."""
    return re.sub(r"_x([0-9A-Fa-f]{1,4})_", lambda m: chr(int(m.group(1), 16)), value)


# ------------------------------------------------------------------------------------------------
# References and sheet names
# ------------------------------------------------------------------------------------------------


def test_column_letters_and_cell_references() -> None:
    expected = {0: "A", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"}
    for col, letters in expected.items():
        assert sx.column_letter(col) == letters
    assert sx.column_letter(sx.MAX_COLS - 1) == "XFD"
    assert sx.cell_ref(0, 27) == "AB1"
    assert sx.cell_ref(sx.MAX_ROWS - 1, 702) == "AAA1048576"
    for bad in (-1, sx.MAX_COLS):
        with pytest.raises(ValueError):
            sx.column_letter(bad)
    with pytest.raises(ValueError):
        sx.cell_ref(sx.MAX_ROWS, 0)


def test_cells_beyond_column_z_land_where_they_belong() -> None:
    def write(book: sx.Workbook) -> None:
        ws = book.add_sheet("S")
        for col in (0, 25, 26, 27, 701, 702, 16383):
            ws.number(col, col)
        ws.end_row()

    data = build(write)
    check_package(data)
    ws = openpyxl.load_workbook(io.BytesIO(data))["S"]
    for col in (0, 25, 26, 27, 701, 702, 16383):
        assert ws[sx.cell_ref(0, col)].value == col
    assert calamine(data)[0][702] == 702
    assert (
        ET.fromstring(parts(data)["xl/worksheets/sheet1.xml"]).find(f"{MAIN}dimension").get("ref")
        == "A1:XFD1"
    )  # type: ignore[union-attr]


def test_sheet_names_follow_excels_rules() -> None:
    assert sx.check_sheet_name("x" * 31) == "x" * 31
    assert sx.check_sheet_name("Différences") == "Différences"
    for bad in ("", "x" * 32, "🙂" * 16, "'quoted", "quoted'", "history", "tab\there", "\ud800"):
        with pytest.raises(ValueError):
            sx.check_sheet_name(bad)
    for char in sx.SHEET_NAME_FORBIDDEN:
        with pytest.raises(ValueError):
            sx.check_sheet_name(f"a{char}b")
    book = sx.Workbook(io.BytesIO(), properties=sx.Properties(created=CREATED))
    book.add_sheet("Summary")
    with pytest.raises(ValueError):
        book.add_sheet("SUMMARY")


# ------------------------------------------------------------------------------------------------
# Cells
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shared", [True, False], ids=["shared", "inline"])
def test_strings_read_back_exactly_and_never_as_formulas(shared: bool) -> None:
    data = column_of(TRICKY, shared=shared)
    check_package(data)
    ws = openpyxl.load_workbook(io.BytesIO(data))["S"]
    got = [ws.cell(r, 1).value for r in range(1, len(TRICKY) + 1)]
    assert [ws.cell(r, 1).data_type for r in range(1, len(TRICKY) + 1)] == ["s"] * len(TRICKY)
    # as Excel reads it: the XML text, then its _xHHHH_ escapes decoded; calamine does the same
    raw = list(xml_texts(data))
    assert [sx.excel_unescape(t) for t in raw] == TRICKY
    assert [row[0] for row in calamine(data)] == TRICKY
    # openpyxl decodes no escape in inline strings, and in shared strings only drops "x005F_"
    # (wherever it is: a literal "x005F_" reads back empty, an openpyxl quirk)
    assert got == (raw if not shared else [t.replace("x005F_", "") for t in raw])
    assert got[TRICKY.index("_x0041_")] == ("_x0041_" if shared else "_x005F_x0041_")
    assert "<f>" not in parts(data)["xl/worksheets/sheet1.xml"].decode()
    assert b'<t xml:space="preserve">  two leading</t>' in b"".join(parts(data).values())


@pytest.mark.parametrize("shared", [True, False], ids=["shared", "inline"])
def test_control_characters_read_back_as_characters(shared: bool) -> None:
    values = [f"{c}x" for c in ILLEGAL if not 0xD800 <= ord(c) <= 0xDFFF]
    data = column_of(values, shared=shared)
    check_package(data)
    assert [sx.excel_unescape(t) for t in xml_texts(data)] == values
    # calamine decodes the escapes of control characters (not those of U+FFFE and U+FFFF)
    assert [row[0] for row in calamine(data)][: len(CONTROL)] == values[: len(CONTROL)]
    ws = openpyxl.load_workbook(io.BytesIO(data))["S"]
    assert ws["B1"].value is None and ws["A2"].value == "_x0001_x"  # openpyxl keeps the escape


def test_numbers_booleans_blanks() -> None:
    def write(book: sx.Workbook) -> None:
        fill = book.style(sx.Style(fill="FFC7CE"))
        ws = book.add_sheet("S")
        ws.number(0, 7)
        ws.number(1, -2.5)
        ws.number(2, 1e20)
        ws.number(3, 0.1 + 0.2)  # written with every digit it needs (repr)
        ws.boolean(4, True)
        ws.number(5, False)  # a bool is a boolean, not 0
        ws.blank(6, fill)
        ws.number(7, 100.0)  # "100", as Excel writes it
        ws.end_row()

    data = build(write)
    check_package(data)
    ws = openpyxl.load_workbook(io.BytesIO(data))["S"]
    assert [c.value for c in ws[1]] == [7, -2.5, 1e20, 0.1 + 0.2, True, False, None, 100]
    assert '<c r="H1"><v>100</v></c>' in parts(data)["xl/worksheets/sheet1.xml"].decode()
    assert ws["G1"].fill.fgColor.rgb == "FFFFC7CE"
    assert calamine(data)[0][:6] == [7, -2.5, 1e20, 0.1 + 0.2, True, False]


def test_invalid_writes_are_refused() -> None:
    book = sx.Workbook(io.BytesIO(), properties=sx.Properties(created=CREATED))
    ws = book.add_sheet("S")
    ws.string(2, "c")
    for col in (2, 1, -1):
        with pytest.raises(ValueError, match="left to right"):
            ws.string(col, "again")
    with pytest.raises(ValueError):
        ws.number(3, float("nan"))
    with pytest.raises(ValueError):
        ws.number(3, float("inf"))
    ws.end_row()
    ws.close()
    with pytest.raises(ValueError, match="closed"):
        ws.string(0, "late")
    with pytest.raises(ValueError, match="closed"):
        ws.end_row()


def test_rows_heights_formats_and_empty_rows() -> None:
    def write(book: sx.Workbook) -> None:
        band = book.style(sx.Style(font=sx.Font(bold=True), fill="EDEDED"))
        ws = book.add_sheet("S")
        ws.string(0, "tall")
        assert ws.end_row(45) == 0
        ws.end_row()  # nothing: not written
        ws.end_row(style=band)  # a band across an empty row
        ws.string(1, "last")
        ws.close()  # ends the open row

    data = build(write)
    check_package(data)
    sheet = parts(data)["xl/worksheets/sheet1.xml"].decode()
    assert '<row r="2"' not in sheet
    ws = openpyxl.load_workbook(io.BytesIO(data))["S"]
    assert ws.row_dimensions[1].height == 45
    assert ws["B4"].value == "last"
    assert ws.row_dimensions[3].s is not None and ws.row_dimensions[3].customFormat


@pytest.mark.parametrize("shared", [True, False], ids=["shared", "inline"])
def test_rich_text_runs(shared: bool) -> None:
    red = sx.Font(bold=True, underline=True, color="C00000")
    runs: list[sx.Run] = [("No", None), ("\u00a0", red), (" <&>\x07", None), ("", red)]

    def write(book: sx.Workbook) -> None:
        fill = book.style(sx.Style(font=sx.Font(color="7F4F00"), fill="FFEB9C"))
        ws = book.add_sheet("S")
        ws.rich(0, runs, fill)
        ws.rich(1, runs, fill)  # the same rich string again
        ws.rich(2, [("", red)], fill)  # nothing in it: an empty string
        ws.end_row()

    data = build(write, shared=shared)
    check_package(data)
    ws = openpyxl.load_workbook(io.BytesIO(data), rich_text=True)["S"]
    value = ws["A1"].value
    assert isinstance(value, CellRichText)
    assert [p if isinstance(p, str) else (p.text, p.font.b, p.font.u) for p in value] == [
        "No",
        ("\u00a0", True, "single"),
        " <&>_x0007_",
    ]
    block = next(p for p in value if isinstance(p, TextBlock))
    assert block.font.color.rgb == "FFC00000" and block.font.rFont == "Calibri"
    assert ws["A1"].font.color.rgb == "FF7F4F00"  # the plain runs keep the cell's font
    assert calamine(data)[0][:2] == ["No\u00a0 <&>\x07"] * 2
    if shared:
        assert parts(data)["xl/sharedStrings.xml"].count(b"<si><r>") == 1


def test_internal_hyperlinks() -> None:
    def write(book: sx.Workbook) -> None:
        link = book.style(sx.Style(font=sx.Font(color="0563C1", underline=True)))
        first = book.add_sheet("Summary")
        other = book.add_sheet("O'Brien & co")
        first.link(0, "→ row 2", f"{sx.quote_sheet(other.name)}!A2", link)
        first.end_row()
        other.string(0, "top")
        other.end_row()
        other.string(0, "target")
        other.end_row()

    data = build(write)
    check_package(data)
    assert sx.quote_sheet("O'Brien & co") == "'O''Brien & co'"
    assert not [n for n in parts(data) if n.startswith("xl/worksheets/_rels")]
    book = openpyxl.load_workbook(io.BytesIO(data))
    link = book["Summary"]["A1"].hyperlink
    assert link.target is None and link.location == "'O''Brien & co'!A2"
    assert link.display == "→ row 2" and book["Summary"]["A1"].value == "→ row 2"
    assert book["Summary"]["A1"].font.u == "single"


# ------------------------------------------------------------------------------------------------
# Styles and layout
# ------------------------------------------------------------------------------------------------


def test_styles_registry() -> None:
    header = sx.Style(
        font=sx.Font(bold=True, color="#FFFFFF"),
        fill="1F4E78",
        border=sx.Border.box(sx.Line(color="8EA9C1")),
        vertical="top",
        wrap=True,
    )
    styles = {
        "header": header,
        "amount": sx.Style(num_format="#,##0", horizontal="right"),
        "decimal": sx.Style(num_format="0.0"),
        "id": sx.Style(font=sx.Font(name="Consolas", size=10)),
        "total": sx.Style(font=sx.Font(size=14), border=sx.Border(bottom=sx.Line())),
    }
    index: dict[str, int] = {}

    def write(book: sx.Workbook) -> None:
        index.update({k: book.style(v) for k, v in styles.items()})
        assert (
            book.style(sx.Style(**{f: getattr(header, f) for f in header.__slots__}))
            == (index["header"])
        )
        ws = book.add_sheet("S")
        for col, key in enumerate(styles):
            ws.number(col, 1234.5, index[key])
        ws.end_row()

    data = build(write)
    check_package(data)
    assert sorted(index.values()) == list(range(1, len(styles) + 1))
    ws = openpyxl.load_workbook(io.BytesIO(data))["S"]
    a, b, c, d, e = ws[1]
    assert a.font.b and a.font.color.rgb == "FFFFFFFF" and a.fill.fgColor.rgb == "FF1F4E78"
    assert a.border.left.style == "thin" and a.border.left.color.rgb == "FF8EA9C1"
    assert a.alignment.wrap_text and a.alignment.vertical == "top"
    assert b.number_format == "#,##0" and b.alignment.horizontal == "right"
    assert c.number_format == "0.0"
    assert d.font.name == "Consolas" and d.font.sz == 10
    assert e.border.bottom.style == "thin" and e.border.top.style is None
    # the default format (Calibri 11 unless told) is the Normal style: cells without one get it
    assert ws["F1"].font.name == "Calibri" and ws["F1"].alignment.vertical is None
    top = build(lambda b: b.add_sheet("S").string(0, "x"), default=sx.Style(vertical="top"))
    styles_xml = ET.fromstring(parts(top)["xl/styles.xml"])
    for xf in (f"{MAIN}cellXfs/{MAIN}xf", f"{MAIN}cellStyleXfs/{MAIN}xf"):
        alignment = styles_xml.find(f"{xf}/{MAIN}alignment")
        assert alignment is not None and alignment.get("vertical") == "top"
    assert openpyxl.load_workbook(io.BytesIO(top))["S"]["A1"].alignment.vertical == "top"
    with pytest.raises(ValueError):
        sx.Workbook(io.BytesIO(), properties=sx.Properties(created=CREATED)).style(
            sx.Style(fill="red")
        )


def test_widths_panes_filters_and_print_setup() -> None:
    def write(book: sx.Workbook) -> None:
        for name, freeze in (("Both", (4, 2)), ("Rows", (1, 0)), ("Cols", (0, 1))):
            ws = book.add_sheet(name)
            for row in range(6):
                for col in range(3):
                    ws.string(col, f"{name}{row}{col}")
                ws.end_row()
            ws.freeze(*freeze)
            ws.autofilter(freeze[0] - 1 if freeze[0] else 0, 0, 5, 2)
            ws.column_width(0, 7)
            ws.column_width(1, 7)
            ws.column_width(2, 50)
            if name == "Both":
                ws.print_titles(3)
                ws.print_setup(landscape=True, fit_width=1)
        book.active = 1

    data = build(write)
    check_package(data)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Both", "Rows", "Cols"]
    assert book.active.title == "Rows"
    assert [book[n].freeze_panes for n in book.sheetnames] == ["C5", "A2", "B1"]
    assert [book[n].auto_filter.ref for n in book.sheetnames] == ["A4:C6", "A1:C6", "A1:C6"]
    both = book["Both"]
    assert both.column_dimensions["A"].width == 7.7109375  # Excel's 5-pixel padding included
    assert both.column_dimensions["C"].width == 50.7109375
    assert both.print_title_rows == "$4:$4"
    assert both.page_setup.orientation == "landscape" and both.page_setup.fitToHeight == 0
    assert both.sheet_properties.pageSetUpPr.fitToPage
    workbook = ET.fromstring(parts(data)["xl/workbook.xml"])
    names = [
        (n.get("name"), n.get("localSheetId"), n.get("hidden"), n.text)
        for n in workbook.iter(f"{MAIN}definedName")
    ]
    assert ("_xlnm._FilterDatabase", "0", "1", "'Both'!$A$4:$C$6") in names
    assert ("_xlnm._FilterDatabase", "2", "1", "'Cols'!$A$1:$C$6") in names
    assert ("_xlnm.Print_Titles", "0", None, "'Both'!$4:$4") in names
    views = [
        ET.fromstring(parts(data)[f"xl/worksheets/sheet{i}.xml"]).find(
            f"{MAIN}sheetViews/{MAIN}sheetView"
        )
        for i in (1, 2, 3)
    ]
    assert [v.get("tabSelected") for v in views if v is not None] == [None, "1", None]


def test_empty_sheet_and_properties() -> None:
    data = build(lambda book: book.add_sheet("Empty") and None)
    check_package(data)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Empty"] and book["Empty"].max_row == 1
    assert book.properties.created == dt.datetime(2026, 3, 2, 9, 30, 15)
    assert book.properties.title == "T & <t>" and book.properties.creator == "tests"
    with pytest.raises(ValueError):
        build(lambda book: None)


# ------------------------------------------------------------------------------------------------
# Determinism and streaming
# ------------------------------------------------------------------------------------------------


def many(book: sx.Workbook) -> None:
    bold = book.style(sx.Style(font=sx.Font(bold=True)))
    for name in ("One", "Two"):
        ws = book.add_sheet(name)
        for row in range(3000):
            ws.number(0, row)
            ws.string(1, f"label {row % 97}", bold if row % 5 == 0 else 0)
            ws.rich(2, [("a", None), (str(row % 7), sx.Font(bold=True))])
            ws.string(3, f"unique {row} {name}")
            ws.end_row(30 if row % 11 == 0 else None)
        ws.freeze(1)
        ws.autofilter(0, 0, 2999, 3)


@pytest.mark.parametrize("shared", [True, False], ids=["shared", "inline"])
def test_same_input_same_bytes_whatever_the_spool(shared: bool) -> None:
    first = build(many, shared=shared)
    assert build(many, shared=shared) == first
    assert build(many, shared=shared, spool=1024) == first  # rows spooled to disk
    check_package(first)
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 3, 2, 9, 30, 14)}  # 2-second steps
        assert z.namelist()[0] == "[Content_Types].xml"
    ws = openpyxl.load_workbook(io.BytesIO(first))["Two"]
    assert ws.max_row == 3000 and ws["D3000"].value == "unique 2999 Two"
    assert ws.row_dimensions[1].height == 30


def test_other_time_other_bytes() -> None:
    def at(when: dt.datetime) -> bytes:
        out = io.BytesIO()
        book = sx.Workbook(out, properties=sx.Properties(created=when))
        book.add_sheet("S").string(0, "x")
        book.close()
        return out.getvalue()

    assert at(CREATED) == at(CREATED)
    assert at(CREATED) != at(CREATED + dt.timedelta(days=1))
    old = at(dt.datetime(1970, 1, 1))  # before the zip epoch: clamped, not an error
    with zipfile.ZipFile(io.BytesIO(old)) as z:
        assert z.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


def test_shared_strings_are_smaller_for_repeated_values() -> None:
    values = [f"Program {i % 50}" for i in range(5000)]
    shared, inline = column_of(values), column_of(values, shared=False)
    assert len(shared) < len(inline)
    assert re.search(rb'uniqueCount="50"', parts(shared)["xl/sharedStrings.xml"])


def test_the_shared_table_is_bounded() -> None:
    """Past `shared_limit` distinct strings, new ones are written inline: memory stays bounded."""
    values = ["a", "b", "a", "c", "d", "a", "e & <e>", "d", "b"]

    def write(book: sx.Workbook) -> None:
        ws = book.add_sheet("S")
        for value in values:
            ws.string(0, value)
            ws.rich(1, [("x", None), (value, sx.Font(bold=True))])
            ws.end_row()

    data = build(write, shared_limit=3)
    check_package(data)
    sheet = parts(data)["xl/worksheets/sheet1.xml"].decode()
    assert b'uniqueCount="3"' in parts(data)["xl/sharedStrings.xml"]
    # shared: "a", its rich string and "b" (the first three), each time they come back
    assert sheet.count('t="s"') == 8 and sheet.count('t="inlineStr"') == 10
    ws = openpyxl.load_workbook(io.BytesIO(data))["S"]
    assert [ws.cell(r, 1).value for r in range(1, len(values) + 1)] == values
    assert [row[:2] for row in calamine(data)] == [[v, f"x{v}"] for v in values]
