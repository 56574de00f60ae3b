"""Excel's limits, each kept: cell text, row height, sheet names, links per sheet."""

from __future__ import annotations

import pytest
from openpyxl.utils.escape import unescape
from openpyxl.workbook.workbook import Workbook
from python_calamine import CalamineWorkbook

from statusdiff.i18n import Catalog
from statusdiff.pipeline import Report
from statusdiff.render import xlsx

from .test_render_xlsx import (
    SUMMARY_HEADER,
    column,
    load,
    report_of,
    report_with_labels,
    sample_job,
)

LONG = "L" * 40_000
WIDE = "🙂" * 20_000
"""20,000 characters, 40,000 UTF-16 code units: what Excel counts."""
ESCAPED = "\x01" * 10_000
"""10,000 characters stored as 70,000 (_x0001_ each): openpyxl would cut them silently."""


def inputs_notes(book: Workbook) -> list[str]:
    ws = book["Inputs"]
    return [str(ws.cell(r, 2).value) for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value]


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@pytest.fixture(scope="module")
def long_labels(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, bytes]:
    report = report_with_labels(tmp_path_factory.mktemp("long"), ["Invited", LONG, WIDE, ESCAPED])
    return report, xlsx.render(report)


def test_cells_are_cut_at_32767_characters_with_a_visible_marker(
    long_labels: tuple[Report, bytes],
) -> None:
    _, data = long_labels
    book = load(data)
    marker = "characters; full text in the JSON report]"
    seen = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    stored, shown = cell.value, unescape(cell.value)
                    assert len(stored) <= xlsx.MAX_CHARS, (ws.title, cell.coordinate)
                    assert utf16(shown) <= xlsx.MAX_CHARS, (ws.title, cell.coordinate)
                    if shown.endswith(marker):
                        seen[ws.title, cell.coordinate] = shown
    statuses = book["Statuses"]
    at = column(statuses, "Salesforce label")
    cut = {r: unescape(statuses.cell(r, at).value) for r in range(3, 6)}
    assert cut[3] == "L" * len(cut[3].split("…")[0]) + (
        "…[truncated, 40,000 characters; full text in the JSON report]"
    )
    assert len(cut[3]) >= xlsx.MAX_CHARS - 100  # cut close to the limit, not far below it
    assert cut[4].startswith("🙂" * 16_000) and cut[4].endswith("20,000 " + marker)
    assert cut[5].startswith("\x01" * 4_000) and cut[5].endswith("10,000 " + marker)
    assert ("Statuses", f"{statuses.cell(5, at).column_letter}5") in seen
    # calamine reads the same cut text (and Excel would: it is within its limit)
    values = CalamineWorkbook.from_filelike(__import__("io").BytesIO(data))
    side = values.get_sheet_by_name("Statuses").to_python()
    assert side[2][at - 1] == cut[3]
    # the Inputs sheet says which cells were cut, at most LIST_ROWS of them, then how many more
    notes = [n for n in inputs_notes(book) if "32,767" in n or "more cells" in n]
    assert len(notes) == xlsx.LIST_ROWS + 1
    assert notes[0].startswith("Cell ") and "sheet holds" in notes[0]
    assert notes[-1].endswith("more cells are cut the same way.")
    assert len(seen) == xlsx.LIST_ROWS + int(notes[-1].split()[0])


def test_short_text_is_never_cut() -> None:
    assert xlsx.fit_text("x" * xlsx.MAX_CHARS, "…") is None
    assert xlsx.fit_text("🙂" * (xlsx.MAX_CHARS // 2), "…") is None
    cut = xlsx.fit_text("🙂" * (xlsx.MAX_CHARS // 2 + 1), "…")
    assert cut is not None and utf16(cut) <= xlsx.MAX_CHARS and cut.endswith("🙂…")


def test_row_heights_stay_within_409_points(long_labels: tuple[Report, bytes]) -> None:
    book = load(long_labels[1])
    heights = [d.height for ws in book.worksheets for d in ws.row_dimensions.values() if d.height]
    assert max(heights) == xlsx.MAX_HEIGHT  # the tall rows are capped, not dropped
    assert all(0 < h <= 409 for h in heights)


def test_sheet_names_follow_excels_rules() -> None:
    assert xlsx.sheet_title("Summary") == "Summary"
    assert xlsx.sheet_title("a[b]:c*d?e/f\\g") == "a-b--c-d-e-f-g"
    assert xlsx.sheet_title("x" * 40) == "x" * 31
    assert xlsx.sheet_title("🙂" * 20) == "🙂" * 15  # 31 UTF-16 code units at most
    assert xlsx.sheet_title("'quoted'") == "quoted"
    assert xlsx.sheet_title("History") == "History-"
    assert xlsx.sheet_title("") == "-"
    assert xlsx.sheet_title("Summary", ["summary"]) == "Summary (2)"
    assert xlsx.sheet_title("y" * 31, ["y" * 31]) == "y" * 27 + " (2)"


def test_a_catalogue_sheet_name_excel_refuses_is_made_valid(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A translation that breaks the rules still gives a workbook, with links that resolve."""
    names = ["Summary: all pairs [2026] / every campaign", "Diffs?", "Statuses", "Summary"]
    real = xlsx.sheet_names

    def broken(t: Catalog, report: Report) -> list[str]:
        return [*names, *real(t, report)[4:]]

    monkeypatch.setattr(xlsx, "sheet_names", broken)
    book = load(xlsx.render(report_of(sample_job())))
    assert book.sheetnames[:4] == [
        "Summary- all pairs -2026- - eve",
        "Diffs-",
        "Statuses",
        "Summary",
    ]
    summary = book.worksheets[0]
    link = summary.cell(SUMMARY_HEADER + 2, 13).hyperlink
    assert link is not None and link.location.startswith("'Diffs-'!A")


def test_links_stop_at_65530_per_sheet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the limit (lowered here to 3: the real one needs 65,531 pairs) a link is plain text."""
    assert xlsx.MAX_LINKS == 65_530
    monkeypatch.setattr(xlsx, "MAX_LINKS", 3)
    book = load(xlsx.render(report_of(sample_job())))
    summary = book["Summary"]
    cells = [
        summary.cell(r, c)
        for r in range(SUMMARY_HEADER + 1, summary.max_row + 1)
        for c in (13, 14)
        if summary.cell(r, c).value
    ]
    linked = [c for c in cells if c.hyperlink is not None]
    assert len(linked) == 3 and len(cells) > 3
    assert all(c.value.startswith("→ row ") for c in cells)
    notes = [n for n in inputs_notes(book) if "links" in n]
    assert notes == [
        f"The “Summary” sheet would need {len(cells) - 3} links more than the 3 Excel "
        "allows on a sheet: those rows show the row number as plain text."
    ]


def test_one_link_past_the_limit_is_said_in_the_singular(monkeypatch: pytest.MonkeyPatch) -> None:
    """One link past the limit used to read "1 links more" ("1 liens de plus" in French)."""
    report = report_of(sample_job())
    summary = load(xlsx.render(report))["Summary"]
    links = sum(
        1
        for r in range(SUMMARY_HEADER + 1, summary.max_row + 1)
        for c in (13, 14)
        if summary.cell(r, c).hyperlink is not None
    )
    monkeypatch.setattr(xlsx, "MAX_LINKS", links - 1)
    notes = [n for n in inputs_notes(load(xlsx.render(report))) if "link" in n]
    assert notes == [
        f"The “Summary” sheet would need 1 link more than the {links - 1} Excel allows on a "
        "sheet: that row shows the row number as plain text."
    ]
