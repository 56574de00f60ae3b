"""Data Loader change files for the samples, checked field by field and byte by byte."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from statusdiff.cli import app

from .conftest import GENERATED_AT, SAMPLES, sample_args

FILES = {
    "CampaignMemberStatus-update.csv",
    "CampaignMemberStatus-delete.csv",
    "CampaignMemberStatus-insert.csv",
    "CampaignMember-update.csv",
    "rollback-CampaignMemberStatus-update.csv",
    "rollback-CampaignMemberStatus-insert.csv",
    "rollback-CampaignMember-update.csv",
    "RUNBOOK.md",
}


def rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} has no UTF-8 BOM"
    text = raw[3:].decode("utf-8")
    assert "\n" not in text.replace("\r\n", ""), f"{path.name} has a bare LF"
    for line in text.splitlines():
        assert line.startswith('"') and line.endswith('"'), line
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture(scope="module")
def changes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("changes")
    result = CliRunner().invoke(app, sample_args("--changes", str(folder), "--quiet"))
    assert result.exit_code == 1, result.stderr
    return folder


def test_every_file_is_written(changes: Path) -> None:
    assert {p.name for p in changes.iterdir()} == FILES


def test_status_updates_field_by_field(changes: Path) -> None:
    assert rows(changes / "CampaignMemberStatus-update.csv") == [
        ["Id", "Label", "IsDefault", "HasResponded"],
        ["01Y5gQa00000109EBA", "Attended", "false", "true"],
        ["01Y5gQa00000108EBA", "No Show", "false", "false"],
        ["01Y5gQa00000110EBA", "Attended On-Demand", "false", "true"],
        ["01Y5gQa00000111EBA", "Invited", "true", "false"],
        ["01Y5gQa00000112EBA", "Visited Booth", "false", "true"],
        ["01Y5gQa00000114EBA", "Engaged", "false", "true"],
    ]


def test_rollback_holds_the_original_labels_byte_for_byte(changes: Path) -> None:
    raw = (changes / "rollback-CampaignMemberStatus-update.csv").read_bytes()
    assert b'"Attended ","false","true"' in raw  # the trailing space survives
    assert "Attended On\u2011Demand".encode() in raw  # U+2011 as E2 80 91
    assert rows(changes / "rollback-CampaignMemberStatus-update.csv")[1:] == [
        ["01Y5gQa00000109EBA", "Attended ", "false", "true"],
        ["01Y5gQa00000108EBA", "No-Show", "false", "false"],
        ["01Y5gQa00000110EBA", "Attended On\u2011Demand", "false", "true"],
        ["01Y5gQa00000111EBA", "Sent", "true", "false"],
        ["01Y5gQa00000112EBA", "Responded", "false", "true"],
        ["01Y5gQa00000114EBA", "engaged", "false", "true"],
    ]


def test_deletes_and_their_rollback(changes: Path) -> None:
    assert rows(changes / "CampaignMemberStatus-delete.csv") == [
        ["Id"],
        ["01Y5gQa00000115EBA"],
        ["01Y5gQa00000122EBA"],
    ]
    assert rows(changes / "rollback-CampaignMemberStatus-insert.csv") == [
        ["CampaignId", "Label", "HasResponded", "IsDefault", "SortOrder"],
        ["7015gQa00000004ABA", "Opened", "true", "false", "3"],
        ["7015gQa00000006ABA", "Meeting Booked", "true", "false", "4"],
    ]
    assert rows(changes / "CampaignMemberStatus-insert.csv") == [
        ["CampaignId", "Label", "HasResponded", "IsDefault", "SortOrder"]
    ]


def test_member_moves_use_member_ids_and_final_labels(changes: Path) -> None:
    moves = rows(changes / "CampaignMember-update.csv")
    assert moves[0] == ["Id", "Status"]
    by_status: dict[str, int] = {}
    for member_id, status in moves[1:]:
        assert member_id.startswith("00v") and len(member_id) == 18
        by_status[status] = by_status.get(status, 0) + 1
    assert by_status == {"Engaged": 66, "Visited Booth": 5}
    back = rows(changes / "rollback-CampaignMember-update.csv")
    assert [r[0] for r in back[1:]] == [r[0] for r in moves[1:]]
    assert {r[1] for r in back[1:]} == {"Opened", "Meeting Booked"}


def test_runbook_orders_operations_with_counts(changes: Path) -> None:
    text = (changes / "RUNBOOK.md").read_text(encoding="utf-8")
    order = [
        text.index("`CampaignMemberStatus-insert.csv` (0 rows)"),
        text.index("`CampaignMemberStatus-update.csv` (6 rows)"),
        text.index("`CampaignMember-update.csv` (71 rows)"),
        text.index("`CampaignMemberStatus-delete.csv` (2 rows)"),
    ]
    assert order == sorted(order)
    assert "Salesforce does not document whether renaming a status" in text
    assert "Rename “Attended·” to “Attended”." in text


def changes_without_members(statuses: str, folder: Path) -> None:
    """Write the change files of the samples with another status export and no members export."""
    args = [
        "compare",
        str(SAMPLES / "marketo-channels.json"),
        str(SAMPLES / statuses),
        "--pairs",
        str(SAMPLES / "program-campaign-pairs.csv"),
        "--generated-at",
        GENERATED_AT,
        "--changes",
        str(folder),
        "--quiet",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.stderr


def test_without_members_export_the_runbook_lists_moves_to_do_by_hand(tmp_path: Path) -> None:
    changes_without_members("salesforce-member-statuses.csv", tmp_path)
    assert rows(tmp_path / "CampaignMember-update.csv") == [["Id", "Status"]]
    assert "member moves have no member IDs" in (tmp_path / "RUNBOOK.md").read_text("utf-8")


def test_statuses_without_record_ids_are_left_for_manual_work(tmp_path: Path) -> None:
    changes_without_members("salesforce-member-statuses-report.xlsx", tmp_path)
    assert rows(tmp_path / "CampaignMemberStatus-update.csv") == [["Id"]]
    runbook = (tmp_path / "RUNBOOK.md").read_text("utf-8")
    assert runbook.count("the status export carries no record IDs") == 4


def test_french_runbook(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, sample_args("--changes", str(tmp_path), "--quiet", "--lang", "fr")
    )
    assert result.exit_code == 1
    runbook = (tmp_path / "RUNBOOK.md").read_text("utf-8")
    assert runbook.startswith("# Procédure : appliquer la correction B")
    assert "Renommez « Attended· » en « Attended »." in runbook
