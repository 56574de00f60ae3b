"""The Excel workbook read back: every label exact, never a formula, sheets styled and linked."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.utils.escape import unescape
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook

from statusdiff.i18n import Catalog
from statusdiff.ids import checksum
from statusdiff.limits import Limits
from statusdiff.model import NOT_IN_PROGRAM, Role
from statusdiff.pipeline import Job, Report, run
from statusdiff.read import ReadOptions
from statusdiff.render import xlsx

from .conftest import FIXTURES, GENERATED_AT, SAMPLES

TRICKY = FIXTURES / "xlsx"
SHEETS_EN = ["Summary", "Differences", "Statuses", "Remediation", "Inputs"]
SHEETS_FR = ["Synthèse", "Différences", "Statuts", "Corrections", "Entrées"]
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
SUMMARY_HEADER = 4
"""Row (1-based) of the Summary sheet's header: title, totals labels, totals, then the header."""


# ------------------------------------------------------------------------------------------------
# Reports and helpers (also used by the Markdown and LibreOffice tests)
# ------------------------------------------------------------------------------------------------


def sample_job() -> Job:
    """The bundled samples, as `statusdiff demo` compares them."""
    return Job(
        channels=[str(SAMPLES / "marketo-channels.json")],
        statuses=str(SAMPLES / "salesforce-member-statuses.csv"),
        pairs=str(SAMPLES / "program-campaign-pairs.csv"),
        members=str(SAMPLES / "salesforce-campaign-members.csv"),
        campaigns=str(SAMPLES / "salesforce-campaigns.csv"),
    )


def tricky_job() -> Job:
    """Labels that break naive writers: spaces, NBSP, NFD, U+2011, =+-@, pipes, backticks, XML."""
    return Job(
        channels=[str(TRICKY / "tricky-channels.json")],
        statuses=str(TRICKY / "tricky-statuses.csv"),
        pairs=str(TRICKY / "tricky-pairs.csv"),
    )


def report_with_labels(folder: Path, labels: list[str]) -> Report:
    """A report of one campaign holding the given labels against the tricky channels."""
    statuses = folder / "statuses.csv"
    campaign = "7015gQa00000001" + checksum("7015gQa00000001")
    with statuses.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, quoting=csv.QUOTE_ALL)
        out.writerow(["Id", "CampaignId", "Label", "HasResponded", "IsDefault", "SortOrder"])
        for i, label in enumerate(labels, 1):
            head = f"01Y5gQa{i:08d}"
            out.writerow([head + checksum(head), campaign, label, "false", str(i == 1), i])
    pairs = folder / "pairs.csv"
    pairs.write_text(f"Program Name,Channel,SFDC Campaign\nP,Tricky | `Event`,{campaign}\n")
    # Labels past the default label limit (10,000) are the point of some tests: raise it.
    wide = ReadOptions(limits=Limits(label=100_000))
    job = Job(
        channels=[str(TRICKY / "tricky-channels.json")],
        statuses=str(statuses),
        pairs=str(pairs),
        read_options={Role.STATUSES: wide},
    )
    return report_of(job)


def parts(data: bytes) -> dict[str, bytes]:
    """The parts of a workbook, by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def check_package(data: bytes) -> None:
    """Every part parses, is declared in [Content_Types].xml, and every relationship resolves."""
    found = parts(data)
    for body in found.values():
        ET.fromstring(body)  # raises on malformed XML
    types = ET.fromstring(found["[Content_Types].xml"])
    declared = {e.get("PartName") for e in types if e.get("PartName")}
    assert declared == {"/" + n for n in found if not n.endswith(".rels")} - {
        "/[Content_Types].xml"
    }
    for rels, base in (("_rels/.rels", ""), ("xl/_rels/workbook.xml.rels", "xl/")):
        for rel in ET.fromstring(found[rels]):
            target = rel.get("Target", "").lstrip("/")
            assert (target if target.startswith("xl/") or not base else base + target) in found
            assert rel.get("TargetMode") is None


def report_of(job: Job, lang: str = "en") -> Report:
    """Run a job with the fixed clock."""
    return run(job, generated_at=GENERATED_AT, lang=lang)


def load(data: bytes, *, rich: bool = False) -> Workbook:
    """Open rendered bytes with openpyxl (formulas kept as formulas, so they would show)."""
    return openpyxl.load_workbook(io.BytesIO(data), rich_text=rich)


def header(ws: Worksheet, row: int = 1) -> list[str]:
    """The non-empty titles of a header row."""
    return [c.value for c in ws[row] if c.value is not None]


def column(ws: Worksheet, title: str, header_row: int = 1) -> int:
    """The 1-based column of a header title."""
    return header(ws, header_row).index(title) + 1


def excel(value: Any) -> Any:
    """A value as Excel shows it: openpyxl returns the stored text, escapes and all, and its own
    `unescape` decodes Excel's _xHHHH_ escapes as Excel does."""
    return unescape(value) if isinstance(value, str) else value


def rows(ws: Worksheet, header_row: int = 1) -> Iterator[dict[str, Any]]:
    """The rows below a header, as {title: value}, values as Excel shows them."""
    titles = [c.value for c in ws[header_row]]
    for values in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if any(v is not None for v in values):
            yield {t: excel(v) for t, v in zip(titles, values, strict=False) if t is not None}


def input_labels(path: Path) -> list[str]:
    """The Label column of a statuses CSV, decoded from its bytes and nothing else."""
    text = path.read_bytes().decode("utf-8")
    return [row["Label"] for row in csv.DictReader(io.StringIO(text, newline=""))]


def channel_names(path: Path) -> list[str]:
    """The status names of every channel of a REST channels export (no pseudo-status)."""
    doc = json.loads(path.read_bytes().decode("utf-8"))
    return [
        s["name"]
        for channel in doc["result"]
        for s in channel["progressionStatuses"]
        if s["name"] != NOT_IN_PROGRAM
    ]


@pytest.fixture(scope="module")
def sample() -> Report:
    return report_of(sample_job())


@pytest.fixture(scope="module")
def tricky() -> Report:
    return report_of(tricky_job())


@pytest.fixture(scope="module")
def sample_book(sample: Report) -> Workbook:
    return load(xlsx.render(sample))


@pytest.fixture(scope="module")
def tricky_bytes(tricky: Report) -> bytes:
    return xlsx.render(tricky)


@pytest.fixture(scope="module")
def tricky_book(tricky_bytes: bytes) -> Workbook:
    return load(tricky_bytes)


# ------------------------------------------------------------------------------------------------
# Structure: sheets, headers, filters, frozen panes
# ------------------------------------------------------------------------------------------------


def test_sheet_names(sample_book: Workbook) -> None:
    assert sample_book.sheetnames == SHEETS_EN
    assert sample_book.active.title == "Summary"


def test_headers_autofilters_and_frozen_panes(sample_book: Workbook) -> None:
    summary = sample_book["Summary"]
    assert header(summary, SUMMARY_HEADER) == [
        "Pair",
        "Program",
        "Channel",
        "Campaign ID",
        "Campaign name",
        "Verdict",
        "Blocking labels",
        "Near misses",
        "Warnings",
        "Recommended fix",
        "Why",
        "Notes",
        "Differences",
        "Steps",
    ]
    assert summary.freeze_panes == f"C{SUMMARY_HEADER + 1}"
    assert summary.auto_filter.ref == f"A{SUMMARY_HEADER}:N{SUMMARY_HEADER + 7}"

    differences = sample_book["Differences"]
    assert header(differences) == [
        "Pair",
        "Program",
        "Channel",
        "Campaign",
        "Kind",
        "Salesforce label",
        "Channel status",
        "Reasons",
        "Explained",
        "Similarity (%)",
        "Members",
        "Blocks the sync?",
        "Status record ID",
    ]
    assert differences.freeze_panes == "A2"
    assert differences.auto_filter.ref == f"A1:M{differences.max_row}"

    statuses = sample_book["Statuses"]
    assert header(statuses)[:4] == ["Pair", "Campaign", "Salesforce label", "Responded"]
    assert "Channel status" in header(statuses)
    assert statuses.freeze_panes == "A2"
    assert statuses.auto_filter.ref == f"A1:M{statuses.max_row}"

    remediation = sample_book["Remediation"]
    assert header(remediation) == [
        "Pair",
        "Program",
        "Campaign",
        "Fix",
        "Step",
        "Who",
        "Risk",
        "What to do",
        "Status (exact)",
        "Target (exact)",
        "Members",
        "Status record ID",
        "Notes",
        "Done",
    ]
    assert remediation.freeze_panes == "A2"
    assert remediation.auto_filter.ref == f"A1:N{remediation.max_row}"

    inputs = sample_book["Inputs"]
    assert header(inputs) == ["Item", "Value"]
    assert inputs.freeze_panes == "A2"


def test_header_style_and_column_widths(sample_book: Workbook) -> None:
    ws = sample_book["Differences"]
    cell = ws["A1"]
    assert cell.font.b
    assert cell.fill.fgColor.rgb.endswith("1F4E78")
    explained = ws.column_dimensions["I"].width
    assert 30 <= explained <= 112
    assert ws.column_dimensions["A"].width < 10


def test_fills_carry_a_text_cue_too(sample_book: Workbook) -> None:
    summary = sample_book["Summary"]
    verdict = column(summary, "Verdict", SUMMARY_HEADER)
    seen = {}
    for row in range(SUMMARY_HEADER + 1, summary.max_row + 1):
        cell = summary.cell(row, verdict)
        seen[cell.value] = cell.fill.fgColor.rgb[-6:]
    assert seen == {
        "✓ will sync": "C6EFCE",
        "✗ will not sync": "FFC7CE",
        "? cannot be checked": "D9E1F2",
    }
    differences = sample_book["Differences"]
    blocks = column(differences, "Blocks the sync?")
    fills = {
        (differences.cell(r, blocks).value, differences.cell(r, blocks).fill.fgColor.rgb[-6:])
        for r in range(2, differences.max_row + 1)
    }
    assert ("blocks the sync", "FFEB9C") in fills  # a near miss
    assert ("blocks the sync", "FFC7CE") in fills  # nothing close
    assert ("does not block", "F2F2F2") in fills


# ------------------------------------------------------------------------------------------------
# Exactness: labels, formulas, rich text
# ------------------------------------------------------------------------------------------------


def test_every_label_cell_equals_the_input_bytes(
    tricky_book: Workbook, tricky_bytes: bytes
) -> None:
    labels = input_labels(TRICKY / "tricky-statuses.csv")
    names = channel_names(TRICKY / "tricky-channels.json")
    blocked = labels[:16]  # the first campaign; the second one syncs
    statuses = tricky_book["Statuses"]
    raw = [r["Salesforce label"] for r in rows(statuses) if r["Salesforce label"] is not None]
    # "_x0041_" is stored as "_x005F_x0041_" (Excel's escape of a literal _xHHHH_); every pair
    # that could be checked is there, the one that syncs too (its evidence, issue 13)
    assert raw == labels
    assert raw == calamine_column(tricky_bytes, "Statuses", "Salesforce label")
    channel = [
        r["Channel status"]
        for r in rows(statuses)
        if r["Channel status"] is not None and r["Pair"] == 1
    ]
    assert sorted(channel) == sorted(names)

    differences = list(rows(tricky_book["Differences"]))
    salesforce_only = [r["Salesforce label"] for r in differences if r["Kind"] == "Salesforce only"]
    assert salesforce_only == [label for label in blocked if label not in names]
    assert {"Attended ", "No\u00a0Show", "Cafe\u0301", "Inscrite\u0301", "On\u2011Demand"} <= set(
        salesforce_only
    )
    assert {"=1+1", "+33", "-x", "@home", "a|b`c``d", "<r>x</r>", "_x0041_"} <= set(blocked)
    remediation = list(rows(tricky_book["Remediation"]))
    exact = {r["Status (exact)"] for r in remediation}
    assert set(salesforce_only) <= exact


def test_no_cell_holds_a_formula(tricky_book: Workbook, sample_book: Workbook) -> None:
    texts = 0
    for book in (tricky_book, sample_book):
        for ws in book.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                        assert cell.data_type == "s"
                        texts += 1
    assert texts >= 4


def test_no_macros_no_external_links(tricky_bytes: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(tricky_bytes)) as z:
        names = z.namelist()
        rels = "".join(z.read(n).decode("utf-8") for n in names if n.endswith(".rels"))
        sheets = "".join(z.read(n).decode("utf-8") for n in names if n.startswith("xl/worksheets/"))
    assert not [n for n in names if "vba" in n.lower() or "externalLink" in n]
    assert 'TargetMode="External"' not in rels
    assert "<f>" not in sheets and "<f " not in sheets


def test_rich_text_highlights_the_differing_characters(tricky_bytes: bytes) -> None:
    book = load(tricky_bytes, rich=True)
    ws = book["Differences"]
    label = column(ws, "Salesforce label")
    target = column(ws, "Channel status")
    cells = {
        excel(str(ws.cell(r, label).value)): (ws.cell(r, label), ws.cell(r, target))
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, 5).value == "Salesforce only"
    }

    def runs(value: Any) -> list[tuple[str, bool]]:
        assert isinstance(value, CellRichText), value
        out = []
        for part in value:
            if isinstance(part, TextBlock):
                font = part.font
                marked = bool(
                    font.b and font.u and font.color and font.color.rgb.endswith("C00000")
                )
                out.append((excel(part.text), marked))
            else:
                out.append((excel(part), False))
        return out

    nbsp, target_cell = cells["No\u00a0Show"]
    assert runs(nbsp.value) == [("No", False), ("\u00a0", True), ("Show", False)]
    assert runs(target_cell.value) == [("No", False), (" ", True), ("Show", False)]
    trailing, _ = cells["Attended "]
    assert runs(trailing.value) == [("Attended", False), (" ", True)]
    nfd, _ = cells["Cafe\u0301"]
    assert runs(nfd.value) == [("Caf", False), ("e\u0301", True)]
    # the whole label differs: one run is not a rich string, so the whole cell is highlighted
    whole, whole_target = cells["x"]
    assert whole.value == "x" and whole_target.value == "X"
    assert whole.font.b and whole.font.u and whole.font.color.rgb.endswith("C00000")
    # no near match: plain text
    plain, _ = cells["+33"]
    assert plain.value == "+33"


def test_control_characters_round_trip(tmp_path: Path) -> None:
    """What Excel's XML does to control characters, documented.

    XML 1.0 cannot hold U+0000–U+001F except tab, LF and CR: they are stored as Excel's _xHHHH_
    escapes (and a literal "_xHHHH_" as "_x005F_xHHHH_"). Excel, LibreOffice
    (tests/test_xlsx_libreoffice.py) and calamine read the escapes back as the characters; openpyxl
    returns the stored text, which its `unescape` decodes.
    """
    labels = ["Invited", "Bell\x07", "Tab\there", "Line\nfeed", "_x0041_", "Attended\x01 "]
    report = report_with_labels(tmp_path, labels)
    data = xlsx.render(report)
    book = load(data)
    statuses = book["Statuses"]
    at = column(statuses, "Salesforce label")
    stored = [statuses.cell(r, at).value for r in range(2, statuses.max_row + 1)]
    assert [v for v in stored if v] == [
        "Invited",
        "Bell_x0007_",
        "Tab\there",
        "Line\nfeed",
        "_x005F_x0041_",
        "Attended_x0001_ ",
    ]
    got = [r["Salesforce label"] for r in rows(statuses) if r["Salesforce label"]]
    assert got == labels
    assert calamine_column(data, "Statuses", "Salesforce label") == labels
    # a control character is a character like another for the highlighting: it is marked too
    rich = load(data, rich=True)["Differences"]
    label = column(rich, "Salesforce label")
    cells = [rich.cell(r, label).value for r in range(2, rich.max_row + 1)]
    marked = [c for c in cells if isinstance(c, CellRichText)]
    assert [str(c) for c in marked] == ["Attended_x0001_ "]
    assert [part.text for part in marked[0] if isinstance(part, TextBlock)] == ["_x0001_ "]


def calamine_column(data: bytes, sheet: str, title: str) -> list[str]:
    """The non-empty strings of one column of a sheet, as python-calamine reads them."""
    values = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(sheet).to_python()
    at = values[0].index(title)
    return [row[at] for row in values[1:] if row[at] != ""]


def test_rich_text_like_labels_are_not_taken_for_xml(tricky_book: Workbook) -> None:
    """A string that looks like rich-text XML ("<r>x</r>") is escaped like any other text."""
    values = [r["Salesforce label"] for r in rows(tricky_book["Differences"])]
    assert "<r>x</r>" in values
    assert "" not in values and "x" in values


# ------------------------------------------------------------------------------------------------
# Content: summary, links, totals, remediation, inputs, matrix
# ------------------------------------------------------------------------------------------------


def test_summary_rows_links_and_totals(sample: Report, sample_book: Workbook) -> None:
    summary = sample_book["Summary"]
    assert summary["A1"].value.startswith("Marketo ⇄ Salesforce status check")
    labels = [c.value for c in summary[2]]
    values = [c.value for c in summary[3]]
    totals = {label: value for label, value in zip(labels, values, strict=True) if label}
    s = sample.comparison.summary
    assert totals == {
        "Pairs": s.pairs,
        "Will sync": s.compatible,
        "Will not sync": s.incompatible,
        "Cannot be checked": s.unresolved,
        "Blocking labels": s.blocking_labels,
        "Near misses": s.near_misses,
        "Warnings": s.warnings,
        "Fix A recommended": 0,
        "Fix B recommended": 1,  # lossy plans B are never recommended over C
        "Fix C recommended": 3,
    }
    table = list(rows(summary, SUMMARY_HEADER))
    assert [r["Pair"] for r in table] == list(range(1, 8))
    assert sum(r["Blocking labels"] or 0 for r in table) == s.blocking_labels
    assert sum(r["Near misses"] or 0 for r in table) == s.near_misses
    assert sum(r["Warnings"] for r in table) == s.warnings
    second = table[1]
    assert second["Campaign ID"] == "7015gQa00000002ABA"
    assert second["Campaign name"] == "2026-04 Webinar: Data Quality"
    assert second["Recommended fix"] == "B. Fix the Salesforce campaign"
    assert table[6]["Verdict"] == "? cannot be checked"
    assert "not in the status export" in table[6]["Notes"]

    differences = sample_book["Differences"]
    for row in range(SUMMARY_HEADER + 1, summary.max_row + 1):
        pair = summary.cell(row, 1).value
        link = summary.cell(row, column(summary, "Differences", SUMMARY_HEADER)).hyperlink
        if link is None:
            continue
        assert link.target is None
        sheet, cell = link.location.split("!")
        assert sheet == "'Differences'"
        target = int(cell[1:])
        assert differences.cell(target, 1).value == pair
        assert differences.cell(target - 1, 1).value != pair


def test_differences_explained_column(sample_book: Workbook) -> None:
    explained = {
        r["Salesforce label"]: r["Explained"]
        for r in rows(sample_book["Differences"])
        if r["Kind"] == "Salesforce only"
    }
    assert explained["Attended "] == "“Attended·” — extra U+0020 SPACE (trailing)"
    assert explained["No-Show"].startswith("“No-Show” — U+002D HYPHEN-MINUS instead of U+0020")
    assert explained["Sent"].startswith("“Sent” — no channel status comes close")


def test_statuses_side_by_side(sample_book: Workbook) -> None:
    pair2 = [r for r in rows(sample_book["Statuses"]) if r["Pair"] == 2]
    aligned = [(r["Salesforce label"], r["Match"], r["Channel status"]) for r in pair2]
    assert aligned == [
        ("Invited", "exact", "Invited"),
        ("Registered", "exact", "Registered"),
        ("No-Show", "near miss", "No Show"),
        ("Attended ", "near miss", "Attended"),
        ("Attended On\u2011Demand", "near miss", "Attended On-Demand"),
    ]
    pair3 = [r for r in rows(sample_book["Statuses"]) if r["Pair"] == 3]
    assert [r["Match"] for r in pair3] == ["Salesforce only"] * 2 + ["channel only"] * 3
    # pairs that sync (1 and 5) have their matches listed too; pair 7 cannot be checked
    assert {r["Pair"] for r in rows(sample_book["Statuses"])} == {1, 2, 3, 4, 5, 6}
    pair1 = [r for r in rows(sample_book["Statuses"]) if r["Pair"] == 1]
    assert pair1 and {r["Match"] for r in pair1 if r["Salesforce label"]} == {"exact"}


def test_each_pair_opens_with_a_grey_band(sample_book: Workbook) -> None:
    """The band fills the whole first row of a pair: its empty cells and the cells it holds."""
    ws = sample_book["Statuses"]
    responded, sort_order = column(ws, "Responded"), column(ws, "Sort order")
    for cell in (ws.cell(2, 1), ws.cell(2, responded), ws.cell(2, sort_order)):
        assert cell.font.b and cell.fill.fgColor.rgb == "FFEDEDED", cell.coordinate
        assert cell.border.top.style == "thin"
    assert ws.row_dimensions[2].customFormat  # the row's own format, for its empty cells
    assert ws.row_dimensions[2].fill.fgColor.rgb == "FFEDEDED"
    assert ws.cell(2, column(ws, "Salesforce label")).fill.fgColor.rgb == "FFC6EFCE"  # its state
    assert not ws.cell(3, responded).font.b and ws.cell(3, responded).fill.fill_type is None


def test_remediation_steps(sample: Report, sample_book: Workbook) -> None:
    table = list(rows(sample_book["Remediation"]))
    assert {r["Pair"] for r in table} == set(sample.plans)
    pair2 = [r for r in table if r["Pair"] == 2]
    bands = [r for r in pair2 if r["Step"] is None]
    # options always in the order A, B, C; the recommended one is marked, not moved (issue 13)
    assert [r["Fix"] for r in bands] == [
        "A. Sync another campaign",
        "B. Fix the Salesforce campaign (★ recommended)",
        "C. Fix the Marketo channel",
    ]
    steps = [r for r in pair2 if r["Step"] is not None]
    recommended = [r for r in steps if "★" in r["Fix"]]
    assert [r["Step"] for r in recommended] == [1, 2, 3]
    assert {r["Who"] for r in recommended} == {"Salesforce admin"}
    assert [r["Status (exact)"] for r in recommended] == [
        "Attended ",
        "No-Show",
        "Attended On\u2011Demand",
    ]
    # Option C adds to the channel (Marketo admin), and renames in Salesforce the label the
    # channel already has under other spacing ("Attended " → "Attended", Salesforce admin).
    assert [(r["Status (exact)"], r["Who"]) for r in steps if r["Fix"].startswith("C.")] == [
        ("Attended ", "Salesforce admin"),
        ("No-Show", "Marketo admin"),
        ("Attended On\u2011Demand", "Marketo admin"),
    ]
    assert all(r["Done"] is None for r in table)
    ws = sample_book["Remediation"]
    done = column(ws, "Done")
    step = column(ws, "Step")
    first = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, step).value is not None)
    assert ws.cell(first, done).border.left.style == "thin"


def test_inputs_audit(sample: Report, sample_book: Workbook) -> None:
    ws = sample_book["Inputs"]
    run_rows = {}
    row = 2
    while ws.cell(row, 1).value is not None:
        run_rows[ws.cell(row, 1).value] = ws.cell(row, 2).value
        row += 1
    assert run_rows["Tool"] == f"statusdiff {sample.version}"
    assert run_rows["Generated at"] == GENERATED_AT
    assert run_rows["Rule"] == "Salesforce labels ⊆ channel statuses"
    assert run_rows["Rule chosen (--strict)"] == "Salesforce labels ⊆ channel statuses"
    inputs = list(rows(ws, row + 1))
    assert [r["File"] for r in inputs] == [d.file for d in sample.inputs]
    for r in inputs:
        assert r["SHA-256"] == hashlib.sha256(Path(r["File"]).read_bytes()).hexdigest()
        assert r["Format"] == "csv" or r["Format"].startswith("JSON")
    statuses = next(
        r for r in inputs if r["Input"] == "Salesforce member statuses (named by option)"
    )
    assert statuses["Encoding"] == "utf-8-sig"
    assert statuses["Rows read"] == 27
    assert statuses["Rows skipped"] == 0
    props = sample_book.properties
    assert props.created.isoformat() == "2026-03-02T09:00:00"
    assert props.title == "Marketo ⇄ Salesforce status check"


def test_matrix_sheet_in_matrix_mode() -> None:
    job = sample_job()
    report = report_of(Job(channels=job.channels, statuses=job.statuses, members=job.members))
    assert report.comparison.matrix is not None
    book = load(xlsx.render(report))
    assert book.sheetnames == [*SHEETS_EN[:4], "Matrix", "Inputs"]
    ws = book["Matrix"]
    titles = header(ws)
    assert titles[:5] == [
        "Campaign ID",
        "Campaign name",
        "Channels that fit",
        "Closest channel",
        "Blocking labels (closest)",
    ]
    assert titles[5:] == list(report.comparison.matrix.channels)
    assert ws.freeze_panes == "C2"
    for fit, values in zip(report.comparison.matrix.fits, rows(ws), strict=True):
        assert values["Campaign ID"] == fit.campaign.campaign_id
        blocking = report.comparison.matrix.blocking[fit.campaign.key]
        assert [values[name] for name in report.comparison.matrix.channels] == list(blocking)


def test_french_workbook() -> None:
    book = load(xlsx.render(report_of(sample_job(), "fr")))
    assert book.sheetnames == SHEETS_FR
    assert header(book["Synthèse"], SUMMARY_HEADER)[:3] == ["Paire", "Programme", "Canal"]
    assert header(book["Différences"])[4:7] == ["Nature", "Libellé Salesforce", "Statut du canal"]
    verdicts = {r["Verdict"] for r in rows(book["Synthèse"], SUMMARY_HEADER)}
    assert verdicts == {
        "✓ se synchronisera",
        "✗ ne se synchronisera pas",
        "? impossible à vérifier",
    }
    link = book["Synthèse"].cell(SUMMARY_HEADER + 2, 13).hyperlink
    assert link is not None and link.location.startswith("'Différences'!A")
    t = Catalog("fr")
    remediation = header(book["Corrections"])
    assert remediation[-1] == t("xlsx.col.done") == "Fait"


def test_same_report_same_bytes(sample: Report) -> None:
    data = xlsx.render(sample)
    assert xlsx.render(sample) == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 3, 2, 9, 0, 0)}  # GENERATED_AT
    other = report_of(sample_job())
    assert xlsx.render(other) == data  # a fresh run of the same inputs


def test_sentences_are_cached_by_all_they_depend_on(
    sample: Report, tricky: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The renderer says each distinct step or difference once; the workbook is the same."""
    cached = [xlsx.render(sample), xlsx.render(tricky)]
    monkeypatch.setattr(xlsx, "_SAID_ACTION", lambda item: (id(item),))
    monkeypatch.setattr(xlsx, "_SAID_DIFF", lambda item: (id(item),))
    assert [xlsx.render(sample), xlsx.render(tricky)] == cached


def test_the_package_is_well_formed(tricky_bytes: bytes, sample: Report) -> None:
    """Every XML part parses and is declared, every relationship resolves, filters are named."""
    for data in (tricky_bytes, xlsx.render(sample)):
        check_package(data)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            workbook = ET.fromstring(z.read("xl/workbook.xml"))
        book = load(data)
        named = {
            int(n.get("localSheetId", "-1")): n.text
            for n in workbook.iter(f"{MAIN}definedName")
            if n.get("name") == "_xlnm._FilterDatabase" and n.get("hidden") == "1"
        }
        for i, ws in enumerate(book.worksheets):
            first, last = ws.auto_filter.ref.split(":")
            absolute = re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", f"{first}:{last}")
            assert named[i] == f"'{ws.title}'!{absolute}"


def test_calamine_reads_what_openpyxl_reads(tricky_bytes: bytes, sample: Report) -> None:
    """A second reader, in Rust: every cell of every sheet, the same value."""
    for data in (tricky_bytes, xlsx.render(sample)):
        book = load(data)
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        assert workbook.sheet_names == book.sheetnames
        for ws in book.worksheets:
            values = workbook.get_sheet_by_name(ws.title).to_python()
            for row in ws.iter_rows():
                for cell in row:
                    got = values[cell.row - 1][cell.column - 1]
                    expected = "" if cell.value is None else excel(cell.value)
                    assert got == expected, (ws.title, cell.coordinate)


def test_every_sheet_name_is_valid_in_both_languages(sample: Report) -> None:
    for lang in ("en", "fr"):
        for name in xlsx.sheet_names(Catalog(lang), sample):
            assert 0 < len(name) <= 31
            assert not set(name) & set("[]:*?/\\")


def test_many_differences(tmp_path: Path) -> None:
    """A few thousand differences: every one gets its row, links stay right, memory mode holds."""
    statuses = tmp_path / "statuses.csv"
    pairs = tmp_path / "pairs.csv"
    drift = ["Invited", "Registerd", "No-Show", "Attended ", "Sent"]
    with statuses.open("w", encoding="utf-8", newline="") as f, pairs.open("w") as p:
        out = csv.writer(f)
        out.writerow(["Id", "CampaignId", "Label", "HasResponded", "IsDefault", "SortOrder"])
        p.write("Program Name,Channel,SFDC Campaign\n")
        n = 0
        for c in range(400):
            head = f"7015gQa{c:08d}"
            campaign = head + checksum(head)
            p.write(f"Program {c},Tricky | `Event`,{campaign}\n")
            for order, label in enumerate(drift, 1):
                n += 1
                status = f"01Y5gQa{n:08d}"
                out.writerow(
                    [status + checksum(status), campaign, label, "false", order == 1, order]
                )
    report = report_of(
        Job(
            channels=[str(TRICKY / "tricky-channels.json")],
            statuses=str(statuses),
            pairs=str(pairs),
        )
    )
    count = sum(len(p.differences) for p in report.comparison.pairs)
    assert count > 3000
    book = load(xlsx.render(report))
    differences = book["Differences"]
    assert differences.max_row == count + 1
    summary = book["Summary"]
    assert summary.max_row == SUMMARY_HEADER + 400
    last = summary.cell(summary.max_row, column(summary, "Differences", SUMMARY_HEADER))
    target = int(last.hyperlink.location.split("!A")[1])
    assert differences.cell(target, 1).value == 400
    assert differences.cell(target - 1, 1).value == 399
    assert differences.cell(differences.max_row, 1).value == 400


def test_cells_without_a_format_are_top_aligned(sample: Report, sample_book: Workbook) -> None:
    """Most cells carry no format (the cheapest to write): the default one is top-aligned, in the
    cell format Excel reads and in the Normal style LibreOffice reads, so the short cells of a row
    start level with the first line of a wrapped one."""
    ws = sample_book["Remediation"]
    col = column(ws, "Program")
    plain = next(
        ws.cell(r, col)
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, col).value and ws.cell(r, col).style_id == 0
    )
    assert plain.alignment.vertical == "top"
    styles = ET.fromstring(parts(xlsx.render(sample))["xl/styles.xml"])
    for group in ("cellStyleXfs", "cellXfs"):
        first = styles.find(f"{MAIN}{group}/{MAIN}xf")
        assert first is not None
        alignment = first.find(f"{MAIN}alignment")
        assert alignment is not None and alignment.get("vertical") == "top", group
