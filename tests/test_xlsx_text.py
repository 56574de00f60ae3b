"""Labels exact as Excel reads them: the escaping we own, and a corpus read back by two readers.

LibreOffice reads the same corpus in tests/test_xlsx_libreoffice.py. openpyxl returns the text as
stored; its own `openpyxl.utils.escape.unescape` decodes Excel's _xHHHH_ escapes the way Excel does
(left to right, four hex digits), which is how these tests read what openpyxl returns.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils.escape import unescape

from statusdiff.render import xlsx

from .test_render_xlsx import calamine_column, load, report_with_labels, rows

CORPUS = [
    "Invited",
    "Bell\x07",
    "\x01start",
    "Attended\x01 ",
    "vt\x0bff\x0c",
    "esc\x1b\x1f",
    "cr\rlf",
    "crlf\r\n",
    "nc\ufffe",
    "\uffff",
    "_x0041_",
    "_x0041\x01",
    "ab_x00e9\x1f",
    "_X0041_",
    "_x12_",
    "x005F_",
    "_x005F_",
    "_x0041_x0001_",
    "Attended ",
    "  two",
    "No\u00a0Show",
    "\u00a0",
    " ",
    "   ",
    "\t",
    "Tab\there",
    "Line\nfeed",
    "مرحبا بالعالم",
    "\u202eevil",
    "emoji 🙂 𝔘",
    "=1+1",
    "@home",
    "+33",
    "-x",
    "#N/A",
    "<r>x</r>",
    "a & b",
]
"""Labels that break writers: control characters, U+FFFE/U+FFFF, literal escapes (alone, and
followed by a character that is escaped itself), spaces of every kind, RTL text and U+202E, emoji,
formula-like and error-like text, XML."""

CALAMINE_UNDECODED = {"nc\ufffe": "nc_xFFFE_", "\uffff": "_xFFFF_"}
"""python-calamine decodes _xHHHH_ only below U+0100: these two come back as their escapes.
They are stored the only way Excel's format can hold them (XML 1.0 forbids the characters)."""


def lenient_unescape(value: str) -> str:
    """LibreOffice's reading of escapes: one to four hex digits."""
    return re.sub(r"_x([0-9A-Fa-f]{1,4})_", lambda m: chr(int(m.group(1), 16)), value)


def test_escapes_of_characters_xml_cannot_hold() -> None:
    assert xlsx.excel_text("Bell\x07") == "Bell_x0007_"
    assert xlsx.excel_text("nul\x00") == "nul_x0000_"
    assert xlsx.excel_text("a\ufffeb\uffff") == "a_xFFFE_b_xFFFF_"
    assert xlsx.excel_text("lone\ud800") == "lone_xD800_"
    # XML readers turn CR into LF: it is escaped too; tab and LF are kept as they are
    assert xlsx.excel_text("a\r\nb\tc") == "a_x000D_\nb\tc"
    plain = "nothing to do: é 🙂"
    assert xlsx.excel_text(plain) is plain


def test_literal_escapes_are_escaped() -> None:
    assert xlsx.excel_text("_x0041_") == "_x005F_x0041_"
    assert xlsx.excel_text("_X0041_") == "_x005F_X0041_"
    assert xlsx.excel_text("_x12_") == "_x005F_x12_"  # LibreOffice decodes 1 to 4 digits
    assert xlsx.excel_text("x005F_") == "x005F_"
    assert xlsx.excel_text("_x12345_") == "_x12345_"  # five digits: no reader decodes it
    assert xlsx.excel_text("_xyz_") == "_xyz_"


def test_a_literal_escape_closed_by_the_next_escape() -> None:
    """Issue 12, item 3: "_x0041" + U+0001 was stored as "_x0041_x0001_", read as "Ax0001_"."""
    stored = xlsx.excel_text("_x0041\x01")
    assert stored == "_x005F_x0041_x0001_"
    assert unescape(stored) == "_x0041\x01"
    assert xlsx.excel_text("ab_x00e9\x1f") == "ab_x005F_x00e9_x001F_"
    assert unescape(xlsx.excel_text("ab_x00e9\x1f")) == "ab_x00e9\x1f"


@given(st.text(alphabet=st.sampled_from(["_", "x", "X", "0", "4", "1", "e", "\x01", "\r", "a"])))
def test_escape_patterns_read_back_exactly(text: str) -> None:
    stored = xlsx.excel_text(text)
    assert unescape(stored) == text
    assert lenient_unescape(stored) == text


@given(st.text())
def test_any_text_reads_back_exactly(text: str) -> None:
    stored = xlsx.excel_text(text)
    assert unescape(stored) == text
    assert lenient_unescape(stored) == text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\r\ud800-\udfff\ufffe\uffff]", stored)


def test_the_corpus_reads_back_exactly(tmp_path: Path) -> None:
    """Through the whole pipeline: a status export holding the corpus, the rendered workbook read
    back by openpyxl and python-calamine, and no formula cell anywhere."""
    report = report_with_labels(tmp_path, CORPUS)
    assert [s.label for s in report.comparison.pairs[0].campaign.statuses] == CORPUS
    data = xlsx.render(report)
    book = load(data)
    got = [r["Salesforce label"] for r in rows(book["Statuses"]) if r["Salesforce label"]]
    assert got == CORPUS
    expected = [CALAMINE_UNDECODED.get(label, label) for label in CORPUS]
    assert calamine_column(data, "Statuses", "Salesforce label") == expected
    # the differences and the remediation steps quote the labels too
    blocking = {d.label for d in report.comparison.pairs[0].differences} & set(CORPUS)
    assert len(blocking) >= len(CORPUS) - 3
    differences = {r["Salesforce label"] for r in rows(book["Differences"])}
    assert blocking <= differences
    steps = {r["Status (exact)"] for r in rows(book["Remediation"])}
    assert blocking <= steps
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type in ("s", "n"), (ws.title, cell.coordinate, cell.value)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in s or b"<f " in s or b't="e"' in s for s in sheets)
