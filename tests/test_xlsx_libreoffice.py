"""The workbook is valid for a real spreadsheet program: LibreOffice opens and converts it exactly.

Each conversion runs `soffice --headless` with its own throw-away profile, so it never touches (or
waits on) a user's LibreOffice. A missing soffice fails these tests: they are not optional.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from statusdiff.render import xlsx

from .test_render_xlsx import (
    SHEETS_EN,
    TRICKY,
    calamine_column,
    channel_names,
    input_labels,
    report_of,
    report_with_labels,
    tricky_job,
)
from .test_xlsx_text import CORPUS

pytestmark = pytest.mark.office

CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
"""Comma, double quotes, UTF-8, raw values (not as shown), spaces kept, every sheet to its file."""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice (soffice) is needed: scripts/setup installs libreoffice-calc-nogui"
    return found


def convert(
    source: Path, target: str, out: Path, profile: Path
) -> subprocess.CompletedProcess[str]:
    """Convert one file with LibreOffice headless; fail on a non-zero exit."""
    done = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stderr, done.stderr
    return done


def read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_libreoffice_resaves_the_workbook_exactly(tmp_path: Path) -> None:
    source = tmp_path / "report.xlsx"
    source.write_bytes(xlsx.render(report_of(tricky_job())))
    out = tmp_path / "out"
    convert(source, "xlsx", out, tmp_path / "profile")
    converted = out / "report.xlsx"
    assert converted.is_file()

    book = openpyxl.load_workbook(converted)
    assert book.sheetnames == SHEETS_EN
    # every checked pair, the second campaign (it syncs) too: its statuses are its evidence.
    # LibreOffice saves shared strings; calamine decodes their escapes as Excel does
    labels = input_labels(TRICKY / "tricky-statuses.csv")
    resaved = converted.read_bytes()
    assert calamine_column(resaved, "Statuses", "Salesforce label") == labels
    channel = set(calamine_column(resaved, "Statuses", "Channel status"))
    assert channel == set(channel_names(TRICKY / "tricky-channels.json"))
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    # filters and widths survive; LibreOffice headless keeps no view data, so no frozen panes
    original = openpyxl.load_workbook(source)
    for ws in book.worksheets:
        assert ws.auto_filter.ref == original[ws.title].auto_filter.ref


def test_libreoffice_reads_every_sheet_and_decodes_control_characters(tmp_path: Path) -> None:
    labels = ["Invited", "Bell\x07", "Attended\x01 ", "_x0041_", "=1+1", "<r>x</r>", "No\u00a0Show"]
    report = report_with_labels(tmp_path, labels)
    source = tmp_path / "report.xlsx"
    source.write_bytes(xlsx.render(report))
    out_dir = tmp_path / "csv"
    convert(source, CSV_ALL_SHEETS, out_dir, tmp_path / "profile")
    files = {p.name for p in out_dir.glob("*.csv")}
    assert files == {f"report-{name}.csv" for name in SHEETS_EN}

    side = read_csv(out_dir / "report-Statuses.csv")
    assert [r["Salesforce label"] for r in side if r["Salesforce label"]] == labels
    differences = read_csv(out_dir / "report-Differences.csv")
    blocking = [r["Salesforce label"] for r in differences if r["Kind"] == "Salesforce only"]
    assert set(blocking) == set(labels) - {"Invited", "=1+1"}
    summary = list(csv.reader(io.StringIO((out_dir / "report-Summary.csv").read_text("utf-8"))))
    assert summary[1][0] == "Pairs" and summary[2][0] == "1"


LIBREOFFICE_READS = {"crlf\r\n": "crlf\n"}
"""LibreOffice turns a CR LF inside a cell into LF when it imports a workbook (a lone CR it keeps);
the workbook stores "_x000D_" + LF, as Excel writes it."""


def test_libreoffice_reads_the_corpus_exactly(tmp_path: Path) -> None:
    """Every label of the corpus, converted to CSV by LibreOffice, on every sheet that shows it."""
    report = report_with_labels(tmp_path, CORPUS)
    source = tmp_path / "corpus.xlsx"
    source.write_bytes(xlsx.render(report))
    out_dir = tmp_path / "csv"
    convert(source, CSV_ALL_SHEETS, out_dir, tmp_path / "profile")
    expected = [LIBREOFFICE_READS.get(label, label) for label in CORPUS]
    side = read_csv(out_dir / "corpus-Statuses.csv")
    assert [r["Salesforce label"] for r in side if r["Salesforce label"]] == expected
    differences = {r["Salesforce label"] for r in read_csv(out_dir / "corpus-Differences.csv")}
    blocking = {
        LIBREOFFICE_READS.get(d.label, d.label) for d in report.comparison.pairs[0].differences
    }
    assert blocking & set(expected) <= differences
    steps = {r["Status (exact)"] for r in read_csv(out_dir / "corpus-Remediation.csv")}
    assert blocking & set(expected) <= steps
