"""The workbook catches up: risk classes and losses (issue 10), ties (issue 10), the Plan check
sheet (issue 14), the Templates sheet (issue 18) and the role decision on the Inputs sheet.

Each test runs the CLI on an existing fixture, writes the JSON and the workbook of one run, and
reads the workbook back with openpyxl (and python-calamine) against the JSON.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from statusdiff.cli import app

from .conftest import FIXTURES, GENERATED_AT, SAMPLES
from .test_render_xlsx import SHEETS_EN, excel, header, rows
from .test_xlsx_libreoffice import CSV_ALL_SHEETS, convert

PLANS = FIXTURES / "plans"
MATCH = FIXTURES / "match"
LOOP = FIXTURES / "baseline"
TEMPLATES = FIXTURES / "templates"


def _run(runner: CliRunner, tmp_path: Path, args: list[str], *, code: int = 1) -> Any:
    """Run compare writing report.json and report.xlsx; return (JSON, workbook, xlsx bytes)."""
    result = runner.invoke(
        app,
        [
            *args,
            "--generated-at",
            GENERATED_AT,
            "-o",
            str(tmp_path / "report.json"),
            "-o",
            str(tmp_path / "report.xlsx"),
            "-q",
        ],
    )
    assert result.exit_code == code, (result.stdout, result.stderr)
    doc = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    data = (tmp_path / "report.xlsx").read_bytes()
    return doc, openpyxl.load_workbook(io.BytesIO(data)), data


def _calamine(data: bytes, sheet: str) -> list[list[Any]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return list(book.get_sheet_by_name(sheet).to_python())


# ------------------------------------------------------------------------------------------------
# Issue 10: a lossy plan B is never simply "checked"; each step shows its risk and its loss
# ------------------------------------------------------------------------------------------------

LOSS = "Lossy: the “Attended” members (how many is unknown) become non-responders."


def test_lossy_plan_b_shows_its_risk_and_loss(runner: CliRunner, tmp_path: Path) -> None:
    doc, book, data = _run(
        runner,
        tmp_path,
        [
            "compare",
            str(SAMPLES / "marketo-channels.json"),
            str(SAMPLES / "salesforce-member-statuses.csv"),
            "--pairs",
            str(PLANS / "pairs-webinar-email.csv"),
        ],
    )
    (pair,) = doc["pairs"]
    b = next(o for o in pair["remediation"]["options"] if o["key"] == "B")
    assert b["verified"] is True and b["lossy"] is True
    table = list(rows(book["Remediation"]))
    bands = {r["Fix"][:2]: r for r in table if r["Step"] is None}
    # The option's band: checked, but lossy; never the plain "checked" badge.
    said = bands["B."]["What to do"]
    assert said.startswith("tested, but lossy:")
    assert "★" not in bands["B."]["Fix"] and "★" in bands["C."]["Fix"]
    steps = [r for r in table if r["Step"] is not None and r["Fix"].startswith("B.")]
    assert [r["Risk"] for r in steps] == [a["risk"] for a in b["actions"]]
    # Each lossy step's sentence ends with what it loses, as the JSON says it.
    for row, action in zip(steps, b["actions"], strict=True):
        assert row["What to do"] == action["text"]
        if action.get("loss"):
            assert row["Risk"] == "lossy"
            assert row["What to do"].endswith(" " + action["loss"]["message"])
        else:
            assert "Lossy" not in row["What to do"]
    attended = next(r for r in steps if r["What to do"].endswith(LOSS))
    assert attended["Risk"] == "lossy" and attended["Status (exact)"] == "Attended"
    # The risk cell of a lossy step is filled like a blocking cell (the word says it too).
    ws = book["Remediation"]
    risk = header(ws).index("Risk") + 1
    lossy = next(c for c in ws.iter_rows(min_col=risk, max_col=risk) if c[0].value == "lossy")
    assert lossy[0].fill.fgColor.rgb == "FFFFC7CE"
    # calamine reads the same risk and loss columns.
    values = _calamine(data, "Remediation")
    at, said_at = values[0].index("Risk"), values[0].index("What to do")
    assert [r[at] for r in values[1:] if r[at]] == [r["Risk"] for r in table if r["Risk"]]
    assert any(str(r[said_at]).endswith(LOSS) for r in values[1:])


def test_sample_steps_carry_exact_and_safe_risks(runner: CliRunner, tmp_path: Path) -> None:
    doc, book, _ = _run(
        runner,
        tmp_path,
        [
            "compare",
            str(SAMPLES / "marketo-channels.json"),
            str(SAMPLES / "salesforce-member-statuses.csv"),
            "--pairs",
            str(SAMPLES / "program-campaign-pairs.csv"),
            "--members",
            str(SAMPLES / "salesforce-campaign-members.csv"),
        ],
    )
    expected = [
        (p["index"], o["key"], a["label"], a["risk"])
        for p in doc["pairs"]
        if p.get("remediation")
        for o in p["remediation"]["options"]
        for a in o["actions"]
    ]
    table = [r for r in rows(book["Remediation"]) if r["Step"] is not None]
    got = [(r["Pair"], r["Fix"][0], r["Status (exact)"], r["Risk"]) for r in table]
    assert sorted(got) == sorted(expected)
    assert {"exact", "safe"} <= {r[3] for r in got}
    # A plan that loses nothing keeps the plain badge.
    for p in doc["pairs"]:
        for o in (p.get("remediation") or {}).get("options", []):
            if o["verified"] is True and not o["lossy"]:
                assert o["check"].startswith("tested: after these steps, the pair syncs")


# ------------------------------------------------------------------------------------------------
# Issue 10: a tied matrix campaign is shown as a tie, never under the first tied channel
# ------------------------------------------------------------------------------------------------


def test_matrix_ties_are_ties_in_the_workbook(runner: CliRunner, tmp_path: Path) -> None:
    doc, book, data = _run(
        runner,
        tmp_path,
        [
            "compare",
            str(MATCH / "matrix-channels.json"),
            str(MATCH / "matrix-statuses.csv"),
            "--campaigns",
            str(MATCH / "matrix-campaigns.csv"),
        ],
    )
    tied = {c["campaign_name"]: c["closest_tied"] for c in doc["campaigns"] if c["closest_tied"]}
    assert "2026 Newsletter (defaults)" in tied
    matrix = {r["Campaign name"]: r for r in rows(book["Matrix"])}
    for name, channels in tied.items():
        assert matrix[name]["Closest channel"] == "tie between " + ", ".join(channels)
    assert matrix["Partner webinar"]["Closest channel"] == "Webinar"

    summary = list(rows(book["Summary"], 4))
    by_name = {r["Campaign name"]: r for r in summary}
    newsletter = by_name["2026 Newsletter (defaults)"]
    assert newsletter["Channel"] == "tie between " + ", ".join(tied["2026 Newsletter (defaults)"])
    # Tallied per channel (the Channel column's filter), a tied pair counts under no channel.
    untied = [p for p in doc["pairs"] if not p["closest_tied"]]
    for channel in {p["channel"] for p in doc["pairs"]}:
        assert sum(r["Channel"] == channel for r in summary) == sum(
            p["channel"] == channel for p in untied
        )
    # The Differences sheet says which channel a tied pair's differences were computed against.
    first = tied["2026 Newsletter (defaults)"][0]
    differences = [
        r for r in rows(book["Differences"]) if r["Campaign"] == "2026 Newsletter (defaults)"
    ]
    assert differences
    assert {r["Channel"] for r in differences} == {
        f"tie between {', '.join(tied['2026 Newsletter (defaults)'])} (compared here with {first})"
    }
    values = _calamine(data, "Matrix")
    at = values[0].index("Closest channel")
    assert sum(str(r[at]).startswith("tie between ") for r in values[1:]) == len(tied)


# ------------------------------------------------------------------------------------------------
# Issue 14: the Plan check sheet, first, and the Change column of the Summary
# ------------------------------------------------------------------------------------------------


def _loop(runner: CliRunner, tmp_path: Path, variant: str, lang: str = "en") -> Any:
    before = tmp_path / "before.json"
    first = runner.invoke(
        app,
        ["compare", str(LOOP / "channels.json"), str(LOOP / f"statuses-before-{variant}.csv"),
         "--pairs", str(LOOP / "pairs.csv"), "--members", str(LOOP / "members-before.csv"),
         "-o", str(before), "--changes", str(tmp_path / "dataloader"),
         "--generated-at", "2026-03-01T08:00:00Z", "-q"],
    )  # fmt: skip
    assert first.exit_code == 1, first.stderr
    return _run(
        runner,
        tmp_path,
        [
            "compare",
            str(LOOP / "channels.json"),
            str(LOOP / f"statuses-after-{variant}.csv"),
            "--pairs",
            str(LOOP / "pairs.csv"),
            "--baseline",
            str(before),
            "--lang",
            lang,
        ],
    )


def _tables(ws: Worksheet) -> dict[str, list[dict[str, Any]]]:
    """The Plan check sheet's tables: {section title: rows as {header: value}}."""
    out: dict[str, list[dict[str, Any]]] = {}
    grid = [[excel(v) for v in row] for row in ws.iter_rows(min_row=3, values_only=True)]
    title: str | None = None
    titles: list[Any] = []
    for i, row in enumerate(grid):
        cells = [v for v in row if v is not None]
        if not cells:
            title = None
            continue
        if title is None:
            title, titles = cells[0], grid[i + 1]
            out[title] = []
            continue
        if row == titles:
            continue
        out[title].append({t: v for t, v in zip(titles, row, strict=False) if t is not None})
    return out


def test_plan_check_sheet_leads_with_the_outcome(runner: CliRunner, tmp_path: Path) -> None:
    doc, book, data = _loop(runner, tmp_path, "ids")
    assert book.sheetnames == ["Plan check", *SHEETS_EN]
    assert book.active.title == "Plan check"
    ws = book["Plan check"]
    assert (
        ws["A1"].value
        == doc["plan_check"]["outcome"]
        == (
            "4 of 6 planned changes applied (1 not applied, 1 applied differently); "
            "3 of 6 pairs now sync; 2 unexpected changes"
        )
    )
    assert ws["A1"].font.b
    assert ws["A2"].value == (
        f"Checked against the earlier report {doc['baseline']['file']} (written "
        f"Mar 1, 2026 at 08:00 UTC by statusdiff {doc['baseline']['tool_version']}; "
        f"SHA-256 {doc['baseline']['sha256'][:12]})."
    )
    assert ws.freeze_panes == "A3"

    tables = _tables(ws)
    assert list(tables) == [
        "Planned changes",
        "Unexpected changes (no planned action explains them)",
        "Pairs then and now",
    ]
    actions = tables["Planned changes"]
    assert list(actions[0]) == [
        "Pair", "Campaign", "Planned action", "Record ID", "State", "What the export shows",
    ]  # fmt: skip
    # Not applied, then applied differently, then applied.
    assert [a["State"] for a in actions] == [
        "not applied", "applied differently", "applied", "applied", "applied", "applied",
    ]  # fmt: skip
    planned = {
        (p["index"], a["record_id"], a["state"].replace("_", " "))
        for p in doc["pairs"]
        for a in p["plan_check"]
    }
    assert {(a["Pair"], a["Record ID"], a["State"]) for a in actions} == planned
    assert all(a["Record ID"] for a in actions)  # the ids variant: every action has its record
    diverted = actions[1]
    assert "Booth Visit" in diverted["What the export shows"]
    state_cells = [
        c for row in ws.iter_rows(min_col=5, max_col=5) for c in row if c.value == "not applied"
    ]
    assert state_cells[0].fill.fgColor.rgb == "FFFFC7CE"

    unexpected = tables["Unexpected changes (no planned action explains them)"]
    assert list(unexpected[0]) == ["Pair", "Campaign", "Change", "Record ID", "Was", "Is"]
    found = {
        (p["index"], u["change"], u["record_id"]) for p in doc["pairs"] for u in p["unexpected"]
    }
    edits = {"reflagged": "re-flagged", "added": "added"}
    assert {(u["Pair"], u["Change"], u["Record ID"]) for u in unexpected} == {
        (i, edits.get(c, c), r) for i, c, r in found
    }
    added = next(u for u in unexpected if u["Change"] == "added")
    assert added["Was"] == "—" and "Meeting Booked" in added["Is"]

    pairs = tables["Pairs then and now"]
    assert list(pairs[0]) == ["Pair", "Campaign", "Program", "Channel", "Before", "Now", "Change"]
    words = {"still_blocked": "still blocked", "still_syncs": "still syncs"}
    assert {r["Program"]: r["Change"] for r in pairs} == {
        p["program"]: words.get(p["change"], p["change"]) for p in doc["pairs"]
    }

    # The Summary's Change column, one per pair, beside its verdict.
    summary = list(rows(book["Summary"], 4))
    assert header(book["Summary"], 4)[-1] == "Change since the earlier report"
    assert {r["Program"]: r["Change since the earlier report"] for r in summary} == {
        p["program"]: words.get(p["change"], p["change"]) for p in doc["pairs"]
    }
    assert book["Summary"].auto_filter.ref.startswith("A4:O")
    # calamine reads the outcome where openpyxl does.
    assert _calamine(data, "Plan check")[0][0] == doc["plan_check"]["outcome"]


def test_plan_check_without_record_ids_and_in_french(runner: CliRunner, tmp_path: Path) -> None:
    doc, book, _ = _loop(runner, tmp_path, "report", lang="fr")
    assert book.sheetnames[0] == "Contrôle du plan"
    ws = book["Contrôle du plan"]
    assert ws["A1"].value == doc["plan_check"]["outcome"]
    tables = _tables(ws)
    actions = next(iter(tables.values()))
    assert len(actions) == doc["plan_check"]["planned"] == 6
    assert all(a["ID de l’enregistrement"] is None for a in actions)
    assert header(book["Synthèse"], 4)[-1] == "Évolution depuis le rapport précédent"


def test_no_plan_check_sheet_without_a_baseline(runner: CliRunner, tmp_path: Path) -> None:
    _, book, _ = _run(
        runner,
        tmp_path,
        ["compare", str(LOOP / "channels.json"), str(LOOP / "statuses-before-ids.csv"),
         "--pairs", str(LOOP / "pairs.csv")],
    )  # fmt: skip
    assert book.sheetnames == SHEETS_EN
    assert "Change since the earlier report" not in header(book["Summary"], 4)


# ------------------------------------------------------------------------------------------------
# Issue 18: the Templates sheet, one row per template record, before the pair sheets
# ------------------------------------------------------------------------------------------------


def _templates(runner: CliRunner, tmp_path: Path, source: Path, *extra: str) -> Any:
    return _run(
        runner,
        tmp_path,
        [
            "compare",
            str(SAMPLES / "marketo-channels.json"),
            str(SAMPLES / "salesforce-member-statuses.csv"),
            "--pairs",
            str(SAMPLES / "program-campaign-pairs.csv"),
            "--type-templates",
            str(source),
            *extra,
        ],
    )


TEMPLATE_HEAD = [
    "Campaign Type",
    "Channel",
    "Verdict",
    "DeveloperName",
    "Status (Campaign_Member_Status__c)",
    "Responded",
    "Default",
    "Sort order",
    "Near match (channel status)",
    "Reasons",
    "Fix",
]


def test_templates_sheet_one_row_per_record(runner: CliRunner, tmp_path: Path) -> None:
    doc, book, data = _templates(runner, tmp_path, TEMPLATES / "templates-excel-fr.csv", "--strict")
    assert book.sheetnames == ["Summary", "Templates", *SHEETS_EN[1:]]
    ws = book["Templates"]
    assert header(ws) == TEMPLATE_HEAD
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:K{ws.max_row}"
    table = list(rows(ws))
    (webinar,) = doc["templates"]
    records = [r for r in table if r["Status (Campaign_Member_Status__c)"] is not None]
    source = (TEMPLATES / "templates-excel-fr.csv").read_bytes().decode("cp1252").splitlines()
    statuses = [line.split(";")[1] for line in source[1:] if line]
    assert [r["Status (Campaign_Member_Status__c)"] for r in records] == statuses
    assert {r["Campaign Type"] for r in table} == {"Webinar"}
    assert {r["Verdict"] for r in table} == {"new campaigns of this Type will not sync"}
    no_show = next(r for r in records if r["Status (Campaign_Member_Status__c)"] == "No-Show")
    assert no_show["Near match (channel status)"] == "No Show"
    assert no_show["Reasons"]
    assert no_show["Fix"] == next(f["text"] for f in webinar["fix"] if f["status"] == "No-Show")
    assert (no_show["Responded"], no_show["Default"], no_show["Sort order"]) == ("no", "no", 3)
    # A record to add has a row of its own: the fix, and no record fields.
    adds = [r for r in table if r["Status (Campaign_Member_Status__c)"] is None]
    assert [r["Fix"] for r in adds] == [f["text"] for f in webinar["fix"] if f["act"] == "add"]
    assert adds and all(r["Near match (channel status)"] is None for r in adds)
    # Every fix of the JSON is on the sheet, once.
    said = [line for r in table if r["Fix"] for line in r["Fix"].split("\n")]
    assert sorted(said) == sorted(f["text"] for f in webinar["fix"])
    values = _calamine(data, "Templates")
    at = values[0].index("Status (Campaign_Member_Status__c)")
    assert [r[at] for r in values[1:] if r[at]] == statuses


def test_templates_sheet_for_md_meta_records(runner: CliRunner, tmp_path: Path) -> None:
    """Records retrieved from an org: a near miss ("Attended " with a trailing space), a Type
    with no channel, a Type that fits."""
    doc, book, data = _templates(runner, tmp_path, TEMPLATES / "org-retrieve")
    table = list(rows(book["Templates"]))
    expected = [
        (t["campaign_type"], r["developer_name"], r["status"], r["sort_order"])
        for t in doc["templates"]
        for r in t["records"]
    ]
    got = [
        (r["Campaign Type"], r["DeveloperName"], r["Status (Campaign_Member_Status__c)"],
         r["Sort order"])
        for r in table
    ]  # fmt: skip
    assert got == expected
    by_type = {t["campaign_type"]: t for t in doc["templates"]}
    assert by_type["Partner"]["checked"] is False
    for r in table:
        if r["Campaign Type"] == "Partner":
            assert r["Verdict"] == by_type["Partner"]["problem_message"]
        elif r["Campaign Type"] == "Tradeshow":
            assert r["Verdict"] == "new campaigns of this Type will sync" and r["Fix"] is None
    attended = next(r for r in table if r["DeveloperName"] == "Webinar_Attended")
    assert attended["Status (Campaign_Member_Status__c)"] == "Attended "  # the space is kept
    assert (attended["Near match (channel status)"], attended["Reasons"]) == ("Attended", "spaces")
    (fix,) = by_type["Webinar"]["fix"]
    assert attended["Fix"] == fix["text"]
    ws = book["Templates"]
    status = header(ws).index("Status (Campaign_Member_Status__c)") + 1
    cell = next(
        c for (c,) in ws.iter_rows(min_col=status, max_col=status) if c.value == "Attended "
    )
    assert cell.fill.fgColor.rgb == "FFFFEB9C"  # the near-miss fill
    values = _calamine(data, "Templates")
    assert "Attended " in [r[status - 1] for r in values[1:]]


def test_no_templates_sheet_without_templates(runner: CliRunner, tmp_path: Path) -> None:
    _, book, _ = _run(
        runner,
        tmp_path,
        ["compare", str(SAMPLES / "marketo-channels.json"),
         str(SAMPLES / "salesforce-member-statuses.csv"),
         "--pairs", str(SAMPLES / "program-campaign-pairs.csv")],
    )  # fmt: skip
    assert "Templates" not in book.sheetnames


# ------------------------------------------------------------------------------------------------
# Inputs: how each file's role was decided
# ------------------------------------------------------------------------------------------------


def test_inputs_say_how_each_role_was_decided(runner: CliRunner, tmp_path: Path) -> None:
    doc, book, _ = _run(
        runner,
        tmp_path,
        ["compare", str(SAMPLES / "marketo-channels.json"),
         str(SAMPLES / "salesforce-member-statuses.csv"),
         "--pairs", str(SAMPLES / "program-campaign-pairs.csv")],
    )  # fmt: skip
    ws: Worksheet = book["Inputs"]
    first = next(i for i, v in enumerate(_texts_col_a(book), 1) if v == "Input")
    inputs = {r["File"]: r["Input"] for r in rows(ws, first)}
    assert inputs[str(SAMPLES / "salesforce-member-statuses.csv")] == (
        "Salesforce member statuses (recognised by content)"
    )
    assert inputs[str(SAMPLES / "program-campaign-pairs.csv")].endswith("(named by option)")
    assert len(inputs) == len(doc["inputs"])


def _texts_col_a(book: Workbook) -> list[Any]:
    return [row[0] for row in book["Inputs"].iter_rows(values_only=True)]


# ------------------------------------------------------------------------------------------------
# A real spreadsheet program opens the new sheets: LibreOffice converts each one to CSV
# ------------------------------------------------------------------------------------------------


@pytest.mark.office
def test_libreoffice_reads_the_plan_check_and_templates_sheets(
    runner: CliRunner, tmp_path: Path
) -> None:
    doc, _, _ = _loop(runner, tmp_path, "ids")
    out_dir = tmp_path / "csv"
    convert(tmp_path / "report.xlsx", CSV_ALL_SHEETS, out_dir, tmp_path / "profile")
    plan = list(csv.reader(io.StringIO((out_dir / "report-Plan check.csv").read_text("utf-8"))))
    assert plan[0][0] == doc["plan_check"]["outcome"]
    assert sum(row[4] == "not applied" for row in plan) == doc["plan_check"]["not_applied"]

    folder = tmp_path / "templates"
    folder.mkdir()
    doc, _, _ = _templates(runner, folder, TEMPLATES / "org-retrieve")
    convert(folder / "report.xlsx", CSV_ALL_SHEETS, folder / "csv", folder / "profile")
    text = (folder / "csv" / "report-Templates.csv").read_text("utf-8")
    statuses = [r["Status (Campaign_Member_Status__c)"] for r in csv.DictReader(io.StringIO(text))]
    assert statuses == [r["status"] for t in doc["templates"] for r in t["records"]]
    assert "Attended " in statuses
