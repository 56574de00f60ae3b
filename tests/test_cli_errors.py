"""Bad input: exit code 2, one clear line naming the file (and row or column), never a traceback."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from statusdiff.cli import app

from .conftest import FIXTURES, SAMPLES, sample_args

BAD = FIXTURES / "bad"
DIALECTS = FIXTURES / "dialects"
REAL = FIXTURES / "realworld"
CHANNELS = str(SAMPLES / "marketo-channels.json")
STATUSES = str(SAMPLES / "salesforce-member-statuses.csv")

CASES = {
    "missing file": (
        ["inspect", str(FIXTURES / "no-such-file.csv")],
        "no-such-file.csv: file not found",
    ),
    "empty file": (["inspect", str(BAD / "empty.csv")], "empty.csv: the file is empty"),
    "header only": (
        ["inspect", str(BAD / "header-only.csv")],
        "header-only.csv: no data rows after the header (row 1)",
    ),
    "image renamed csv": (["inspect", str(BAD / "image.csv")], "this is a PNG image, not a table"),
    "binary": (["inspect", str(BAD / "binary.dat")], "binary file, not a text table"),
    "zip archive": (["inspect", str(BAD / "zip-archive.csv")], "zip archive, not a workbook"),
    "corrupt workbook": (["inspect", str(BAD / "corrupt.xlsx")], "the workbook is damaged"),
    "encrypted workbook": (
        ["inspect", str(BAD / "encrypted.xlsx")],
        "the workbook is password-protected",
    ),
    "no header": (
        ["compare", CHANNELS, str(BAD / "no-header.csv")],
        "no header row recognised (headers found: 'Foo', 'Bar')",
    ),
    "required column missing": (
        ["compare", CHANNELS, str(BAD / "missing-label.csv")],
        "no statuses header: missing label",
    ),
    "bad boolean": (
        ["compare", CHANNELS, str(BAD / "bad-boolean.csv")],
        "bad-boolean.csv:3: column 'HasResponded': 'maybe' is not a yes/no value",
    ),
    "bad integer": (
        ["compare", CHANNELS, str(BAD / "bad-integer.csv")],
        "bad-integer.csv:4: column 'SortOrder': 'first' is not a whole number",
    ),
    "bad checksum": (
        ["compare", CHANNELS, str(BAD / "bad-checksum.csv")],
        "bad-checksum.csv:5: column 'CampaignId': '7015gQa00000101ZZZ' has a wrong checksum",
    ),
    "not an id": (
        ["compare", CHANNELS, str(BAD / "bad-id.csv")],
        "bad-id.csv:2: column 'CampaignId': 'Spring-Webinar' is not a Salesforce ID",
    ),
    "role cannot be told": (
        ["inspect", str(BAD / "ambiguous-role.csv")],
        "cannot tell what this file holds: its headers fit channels and pairs",
    ),
    "statuses forced as channels": (
        ["compare", "--channels", STATUSES, CHANNELS],
        "this looks like Salesforce campaign member statuses",
    ),
    "no statuses among the files": (
        ["compare", CHANNELS, str(DIALECTS / "channels-handmade.csv")],
        "no Salesforce member statuses among the files",
    ),
    "role of a compare input cannot be told": (
        ["compare", CHANNELS, STATUSES, str(BAD / "ambiguous-role.csv")],
        "name its role with --channels FILE or --pairs FILE",
    ),
    "standard value set": (
        ["compare", CHANNELS, str(REAL / "sfdc-standardvalueset-campaignmemberstatus-gusto.xml")],
        "this is a Salesforce StandardValueSet",
    ),
    "markdown tables": (
        [
            "compare",
            str(REAL / "gitlab-handbook-campaign-type-member-status-tables.md"),
            STATUSES,
        ],
        "this is a Markdown page, not an exported table",
    ),
    "invalid json": (
        ["compare", str(BAD / "invalid.json"), STATUSES],
        "invalid.json:1: not valid JSON",
    ),
    "api error saved": (
        ["compare", str(BAD / "api-error.json"), STATUSES],
        "the saved API call failed (601 Access token invalid)",
    ),
    "no matching sheet": (
        ["compare", CHANNELS, str(BAD / "no-matching-sheet.xlsx")],
        "no sheet holds a header for any known export",
    ),
    "unknown sheet": (
        ["inspect", "--sheet", "Nope", str(DIALECTS / "statuses-multisheet.xlsx")],
        "no sheet named 'Nope' (sheets: 'Notes', 'Export', 'Scratch')",
    ),
    "member row cut short": (
        [
            "compare",
            CHANNELS,
            STATUSES,
            "--members",
            str(BAD / "members-short-row.csv"),
        ],
        "members-short-row.csv:3: row has 2 cells, fewer than the header's 3",
    ),
    "channel without campaign": (
        ["compare", CHANNELS, STATUSES, "--channel", "Webinar"],
        "--channel and --campaign go together",
    ),
    "unknown output format": (
        ["compare", CHANNELS, STATUSES, "-o", "report.pdf"],
        "cannot tell the report format of 'report.pdf'",
    ),
    "bad --generated-at": (
        ["compare", CHANNELS, STATUSES, "--generated-at", "yesterday"],
        "--generated-at 'yesterday' is not an ISO date-time",
    ),
    "--column without role": (
        ["compare", CHANNELS, STATUSES, "--column", "label=Statut"],
        "--column 'label=Statut' needs a role",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_one_line_and_exit_2(runner: CliRunner, case: str) -> None:
    args, expected = CASES[case]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.stdout, result.stderr, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert expected in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert " — " in lines[0] or case in {"channel without campaign"}


def test_file_named_in_error_is_the_one_given(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", CHANNELS, str(BAD / "bad-boolean.csv")])
    assert result.stderr.startswith(f"error: {BAD / 'bad-boolean.csv'}:3: ")


def test_inputs_are_never_modified(runner: CliRunner, tmp_path: Path) -> None:
    inputs = sorted(SAMPLES.iterdir())
    before = {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in inputs}
    result = runner.invoke(
        app, sample_args("-o", str(tmp_path / "r.json"), "--changes", str(tmp_path / "dl"))
    )
    assert result.exit_code == 1
    after = {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in inputs}
    assert before == after
