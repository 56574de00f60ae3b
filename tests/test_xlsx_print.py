"""The workbook on paper: LibreOffice prints it to PDF, poppler's tools read the pages back.

Landscape pages, the header row repeated, text never shrunk below 8 points to fit the width, no
page without text (issue 12, item 4: the former writer shrank every sheet to one page wide, 4-5 pt
text, and its uncapped row heights printed a 4-pair report on 81 mostly blank pages). pdfinfo and
pdftotext come from poppler-utils, which scripts/setup installs with LibreOffice.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from statusdiff.render import xlsx

from .test_render_xlsx import load, report_of, report_with_labels, sample_job
from .test_xlsx_libreoffice import convert

pytestmark = pytest.mark.office


def poppler(tool: str) -> str:
    found = shutil.which(tool)
    assert found, f"{tool} is needed: scripts/setup installs poppler-utils"
    return found


def pdf_of(data: bytes, folder: Path, name: str) -> Path:
    source = folder / f"{name}.xlsx"
    source.write_bytes(data)
    convert(source, "pdf", folder / "pdf", folder / "profile")
    return folder / "pdf" / f"{name}.pdf"


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """(width, height) in points of every page."""
    out = subprocess.run(
        [poppler("pdfinfo"), "-f", "1", "-l", "100000", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (float(w), float(h))
        for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)
    ]


def page_texts(pdf: Path, pages: int) -> list[str]:
    return [
        subprocess.run(
            [poppler("pdftotext"), "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]


def word_heights(pdf: Path) -> list[float]:
    """The height of every word's box, in points (about 1.1 × its font size)."""
    out = subprocess.run(
        [poppler("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        float(y1) - float(y0)
        for y0, y1 in re.findall(r'<word [^>]*yMin="([\d.]+)"[^>]*yMax="([\d.]+)"', out)
    ]


def test_the_sample_report_prints_readably(tmp_path: Path) -> None:
    data = xlsx.render(report_of(sample_job()))
    pdf = pdf_of(data, tmp_path, "sample")
    sizes = page_sizes(pdf)
    assert 8 <= len(sizes) <= 24, len(sizes)  # 18 today: 7 pairs, 5 sheets of 13-14 columns
    assert all(w > h for w, h in sizes)  # landscape
    texts = page_texts(pdf, len(sizes))
    assert all(t.strip() for t in texts), [i + 1 for i, t in enumerate(texts) if not t.strip()]
    # text is never shrunk below 8 points (the former 4-5 pt gave boxes of about 5 points)
    heights = word_heights(pdf)
    assert len(heights) > 1000 and min(heights) >= 8.0
    # the header row is repeated on the pages a long sheet continues on
    differences = [t for t in texts if "Kind" in t and "Salesforce label" in t]
    assert differences
    book = load(data)
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.print_area is not None
        if ws.title != "Inputs":
            assert ws.print_title_rows is not None


def test_fit_to_width_only_where_text_stays_at_8_points(tmp_path: Path) -> None:
    """A narrow sheet is fitted to one page wide; a wide one flows, at a scale that keeps 8 pt."""
    report = report_with_labels(tmp_path, ["Invited", "x"])
    book = load(xlsx.render(report))
    fitted = {ws.title for ws in book.worksheets if ws.sheet_properties.pageSetUpPr.fitToPage}
    assert "Statuses" in fitted  # 13 narrow columns
    assert "Remediation" not in fitted  # two 60-character wrapped columns
    remediation = book["Remediation"]
    assert remediation.page_setup.scale == 73  # 11-point text at 73 % is 8 points
    summary = book["Summary"]
    assert summary.page_setup.scale == 89  # 9-point total labels


def test_long_labels_print_without_blank_pages(tmp_path: Path) -> None:
    """A 40,000-character label: rows capped at 409 pt, overflow stopped at the print area."""
    report = report_with_labels(tmp_path, ["Invited", "L" * 40_000, "x" * 5_000, "Sent"])
    pdf = pdf_of(xlsx.render(report), tmp_path, "long")
    sizes = page_sizes(pdf)
    assert len(sizes) <= 45, len(sizes)
    texts = page_texts(pdf, len(sizes))
    assert all(t.strip() for t in texts), [i + 1 for i, t in enumerate(texts) if not t.strip()]
    # no page holds nothing but the overflow of one long label
    lonely = [i + 1 for i, t in enumerate(texts) if len(t.split()) <= 1]
    assert not lonely, lonely
