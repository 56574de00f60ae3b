"""The Markdown ticket summary parses back: tables hold their columns whatever the labels hold.

Also: several -o in one run render one result, and JSON, XLSX and Markdown agree on every count.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from typer.testing import CliRunner

from statusdiff.cli import app
from statusdiff.explain import shown
from statusdiff.pipeline import Report
from statusdiff.render import markdown

from .conftest import sample_args
from .test_render_xlsx import SUMMARY_HEADER, report_of, rows, sample_job, tricky_job

PARSER = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def gfm_cells(line: str) -> list[str]:
    """Split a table row as GitHub does: on every pipe not preceded by a backslash."""
    body = line.strip()
    body = body.removeprefix("|")
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return re.split(r"(?<!\\)\|", body)


def table_blocks(text: str) -> Iterator[list[str]]:
    """The raw lines of each table of a Markdown document."""
    block: list[str] = []
    for line in text.splitlines():
        if line.startswith("|"):
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def parsed_tables(text: str) -> list[list[list[Token]]]:
    """Each table as rows of cell tokens (th/td inline tokens), as markdown-it parses it."""
    tokens = PARSER.parse(text)
    tables: list[list[list[Token]]] = []
    row: list[Token] = []
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            row.append(tokens[i + 1])
        elif token.type == "tr_close":
            tables[-1].append(row)
    return tables


def plain(cell: Token) -> str:
    """A cell's text as a reader sees it (code spans and text, markup dropped)."""
    return "".join(c.content for c in cell.children or [] if c.type in ("text", "code_inline"))


def codes(cell: Token) -> list[str]:
    return [c.content for c in cell.children or [] if c.type == "code_inline"]


@pytest.fixture(scope="module")
def tricky() -> Report:
    return report_of(tricky_job())


@pytest.fixture(scope="module")
def tricky_md(tricky: Report) -> str:
    return markdown.render(tricky).decode("utf-8")


def test_tables_keep_their_columns(tricky_md: str) -> None:
    blocks = list(table_blocks(tricky_md))
    assert len(blocks) == 3  # totals, verdicts, the blocked pair's labels
    for block in blocks:
        widths = {len(gfm_cells(line)) for line in block}
        assert len(widths) == 1, block
    for table in parsed_tables(tricky_md):
        assert len({len(row) for row in table}) == 1
    sample_md = markdown.render(report_of(sample_job())).decode("utf-8")
    for table in parsed_tables(sample_md):
        assert len({len(row) for row in table}) == 1


def test_labels_are_code_spans_with_invisibles_drawn(tricky: Report, tricky_md: str) -> None:
    labels_table = parsed_tables(tricky_md)[2]
    header, *body = labels_table
    assert [plain(c) for c in header] == [
        "Salesforce label",
        "Members",
        "Closest channel status",
        "What differs",
    ]
    pair = tricky.comparison.pairs[0]
    assert [codes(row[0]) for row in body] == [[shown(d.label)] for d in pair.blocking]
    by_label = {codes(row[0])[0]: row for row in body}
    assert "Attended·" in by_label and "No⍽Show" in by_label
    assert codes(by_label["a|b`c``d"][0]) == ["a|b`c``d"]
    assert codes(by_label["`tick|pipe`"][0]) == ["`tick|pipe`"]
    assert codes(by_label["Attended·"][2]) == ["Attended"]
    assert plain(by_label["Attended·"][3]) == "extra U+0020 SPACE (trailing)"
    assert "```a\\|b`c``d```" in tricky_md
    assert "`` `tick\\|pipe` ``" in tricky_md


def test_other_data_is_escaped_not_interpreted(tricky_md: str) -> None:
    verdicts = parsed_tables(tricky_md)[1]
    first = verdicts[1]
    assert plain(first[1]) == "Tricky | `program` *1*"
    assert plain(first[2]) == "Tricky | `Event`"
    assert [c.type for c in first[1].children or []] == ["text"]
    html = PARSER.render(tricky_md)
    assert "<em>1</em>" not in html and "<b>" not in html
    assert "&lt;b&gt;&amp;amp; #h \\" in html  # a step naming the label, escaped
    steps = [t for t in PARSER.parse(tricky_md) if t.type == "ordered_list_open"]
    assert len(steps) == 1


def test_summary_shape(tricky_md: str) -> None:
    lines = tricky_md.splitlines()
    assert lines[0] == "# Marketo ⇄ Salesforce status check"
    assert "**3 pairs: 1 will sync, 1 will not, 1 cannot be checked**" in lines
    assert "## Verdict per pair" in lines
    # Plan B would move members of unknown number onto other statuses (lossy): C is recommended.
    assert "**Recommended: C. Fix the Marketo channel** — " in tricky_md
    assert "## Pairings that cannot be checked" in lines
    assert tricky_md.endswith("\n") and not tricky_md.endswith("\n\n")


def test_french() -> None:
    text = markdown.render(report_of(sample_job(), "fr")).decode("utf-8")
    assert text.startswith("# Contrôle des statuts Marketo ⇄ Salesforce\n")
    assert "## Verdict par paire" in text
    assert "## Ce qui bloque, et la correction recommandée" in text
    tables = parsed_tables(text)
    assert [plain(c) for c in tables[0][0]][:3] == [
        "Paires",
        "Se synchroniseront",
        "Ne se synchroniseront pas",
    ]
    assert "**Recommandé\u00a0: B. Corriger la campagne Salesforce**" in text
    assert "*(administrateur Salesforce)*" in text


def test_one_run_many_formats_agree_on_every_count(runner: CliRunner, tmp_path: Path) -> None:
    outputs = [tmp_path / f"report.{ext}" for ext in ("json", "xlsx", "md")]
    args = sample_args(*(arg for path in outputs for arg in ("-o", str(path))))
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.stderr
    doc = json.loads(outputs[0].read_text(encoding="utf-8"))
    counts = doc["summary"]
    per_pair = {p["index"]: p for p in doc["pairs"]}

    book = openpyxl.load_workbook(io.BytesIO(outputs[1].read_bytes()))
    summary = book["Summary"]
    totals = dict(zip([c.value for c in summary[2]], [c.value for c in summary[3]], strict=True))
    assert totals["Pairs"] == counts["pairs"]
    assert totals["Will sync"] == counts["compatible"]
    assert totals["Will not sync"] == counts["incompatible"]
    assert totals["Cannot be checked"] == counts["unresolved"]
    assert totals["Blocking labels"] == counts["blocking_labels"]
    assert totals["Near misses"] == counts["near_misses"]
    assert totals["Warnings"] == counts["warnings"]
    for key in ("A", "B", "C"):
        assert totals[f"Fix {key} recommended"] == counts["remediation"][key]
    for row in rows(summary, SUMMARY_HEADER):
        pair = per_pair[row["Pair"]]
        assert (row["Blocking labels"] or 0) == pair["blocking"]
        assert (row["Near misses"] or 0) == pair["near_misses"]
        assert row["Warnings"] == pair["warning_count"]
    differences = list(rows(book["Differences"]))
    assert len(differences) == sum(len(p["differences"]) for p in doc["pairs"])
    blocking = [r for r in differences if r["Blocks the sync?"] == "blocks the sync"]
    assert len(blocking) == counts["blocking_labels"]

    text = outputs[2].read_text(encoding="utf-8")
    totals_md, verdicts, *_ = parsed_tables(text)
    names = [plain(c) for c in totals_md[0]]
    md_totals = dict(zip(names, [plain(c) for c in totals_md[1]], strict=True))
    assert md_totals == {
        "Pairs": str(counts["pairs"]),
        "Will sync": str(counts["compatible"]),
        "Will not sync": str(counts["incompatible"]),
        "Cannot be checked": str(counts["unresolved"]),
        "Blocking labels": str(counts["blocking_labels"]),
        "Near misses": str(counts["near_misses"]),
        "Warnings": str(counts["warnings"]),
    }
    titles = [plain(c) for c in verdicts[0]]
    table = [dict(zip(titles, [plain(c) for c in row], strict=True)) for row in verdicts[1:]]
    assert [int(r["#"]) for r in table] == sorted(per_pair)
    assert sum(int(r["Blocking"] or 0) for r in table) == counts["blocking_labels"]
    assert sum(int(r["Near misses"] or 0) for r in table) == counts["near_misses"]
    assert sum(int(r["Warnings"]) for r in table) == counts["warnings"]
    assert sum(r["Verdict"] == "✓ will sync" for r in table) == counts["compatible"]
    assert sum(r["Verdict"] == "✗ will not sync" for r in table) == counts["incompatible"]
    blocked_sections = re.findall(r"^### ", text, flags=re.MULTILINE)
    assert len(blocked_sections) == counts["incompatible"]


@pytest.mark.parametrize(
    "label",
    ["```", "`a", "b`", "a``b`c", "x\\|y", "| pipe |", "*no* _emphasis_", "Attended ", "Tab\there"],
)
def test_code_spans_round_trip_in_and_out_of_tables(label: str) -> None:
    drawn = shown(label)
    para = PARSER.parse(markdown.code(label))
    assert [c.content for c in para[1].children or [] if c.type == "code_inline"] == [drawn]
    doc = markdown.table(
        ["a", "b"], "ll", [[markdown.code(label, cell=True), markdown.text(label)]]
    )
    (table,) = parsed_tables(doc)
    assert len(table[1]) == 2
    assert codes(table[1][0]) == [drawn]
    assert plain(table[1][1]) == label.replace("\t", "→").strip()  # cells are trimmed
    assert len({len(gfm_cells(line)) for line in doc.splitlines()}) == 1


def test_big_runs_list_failing_pairs_only_and_limit_detail() -> None:
    from statusdiff.render.markdown import DETAIL_LIMIT, TABLE_LIMIT, render

    from .test_render_json import _big_report

    report = _big_report(3 * TABLE_LIMIT)
    text = render(report).decode("utf-8")
    assert f"This run has {3 * TABLE_LIMIT} pairs" in text
    verdict_rows = [line for line in text.splitlines() if "| ✗ will not sync |" in line]
    assert len(verdict_rows) == TABLE_LIMIT  # every third of the pairs fails
    assert "| ✓ will sync |" not in text
    assert text.count("\n### ") == DETAIL_LIMIT
    assert f"The first {DETAIL_LIMIT} of {TABLE_LIMIT} blocked pairs" in text
    assert len(text.encode()) < 200_000
