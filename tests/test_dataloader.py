"""Data Loader change files for the samples, checked field by field and byte by byte."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from statusdiff.cli import app

from .conftest import GENERATED_AT, SAMPLES, sample_args, spaced

FILES = {
    # Applied blind: exact and safe steps only (the near-miss renames).
    "CampaignMemberStatus-update.csv",
    "rollback-CampaignMemberStatus-update.csv",
    # Confirmed first: lossy and guessed steps.
    "review-CampaignMemberStatus-update.csv",
    "review-CampaignMember-update.csv",
    "review-CampaignMemberStatus-delete.csv",
    "rollback-review-CampaignMemberStatus-update.csv",
    "rollback-review-CampaignMember-update.csv",
    "rollback-review-CampaignMemberStatus-insert.csv",
}
REVIEW = [
    "review_campaign_id",
    "review_campaign_name",
    "review_current_label",
    "review_new_label",
    "review_reason",
    "review_risk",
]


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


def test_every_file_is_written_with_its_mapping_and_none_is_empty(changes: Path) -> None:
    names = {p.name for p in changes.iterdir()}
    assert names == FILES | {f.replace(".csv", ".sdl") for f in FILES} | {"RUNBOOK.md"}
    for name in FILES:
        table = rows(changes / name)
        assert len(table) > 1, f"{name} has no rows"
        header = table[0]
        assert header[-6:] == REVIEW
        api = header[:-6]
        # The mapping maps the API fields only (CSV column = field), never a review column.
        sdl = (changes / name.replace(".csv", ".sdl")).read_text("utf-8").splitlines()
        assert sdl[0].startswith("# ")
        assert sdl[1:] == [f"{field}={field}" for field in api]


def test_blind_updates_hold_only_near_miss_renames(changes: Path) -> None:
    table = rows(changes / "CampaignMemberStatus-update.csv")
    assert [r[:4] + r[-4:] for r in table[1:]] == [
        [
            "01Y5gQa00000109EBA",
            "Attended",
            "false",
            "true",
            "Attended ",
            "Attended",
            "near_miss",
            "exact",
        ],
        [
            "01Y5gQa00000108EBA",
            "No Show",
            "false",
            "false",
            "No-Show",
            "No Show",
            "near_miss",
            "exact",
        ],
        [
            "01Y5gQa00000110EBA",
            "Attended On-Demand",
            "false",
            "true",
            "Attended On\u2011Demand",
            "Attended On-Demand",
            "near_miss",
            "exact",
        ],
        [
            "01Y5gQa00000114EBA",
            "Engaged",
            "false",
            "true",
            "engaged",
            "Engaged",
            "near_miss",
            "exact",
        ],
    ]
    assert {r[4] for r in table[1:]} == {"7015gQa00000002ABA", "7015gQa00000004ABA"}


def test_guessed_renames_go_to_review(changes: Path) -> None:
    table = rows(changes / "review-CampaignMemberStatus-update.csv")
    assert [r[:2] + r[-4:] for r in table[1:]] == [
        ["01Y5gQa00000111EBA", "Invited", "Sent", "Invited", "rename_is_a_choice", "lossy"],
        [
            "01Y5gQa00000112EBA",
            "Visited Booth",
            "Responded",
            "Visited Booth",
            "rename_is_a_choice",
            "lossy",
        ],
    ]


def test_rollback_holds_the_original_labels_byte_for_byte(changes: Path) -> None:
    raw = (changes / "rollback-CampaignMemberStatus-update.csv").read_bytes()
    assert b'"Attended ","false","true"' in raw  # the trailing space survives
    assert "Attended On\u2011Demand".encode() in raw  # U+2011 as E2 80 91
    assert [r[:4] for r in rows(changes / "rollback-CampaignMemberStatus-update.csv")[1:]] == [
        ["01Y5gQa00000109EBA", "Attended ", "false", "true"],
        ["01Y5gQa00000108EBA", "No-Show", "false", "false"],
        ["01Y5gQa00000110EBA", "Attended On\u2011Demand", "false", "true"],
        ["01Y5gQa00000114EBA", "engaged", "false", "true"],
    ]
    assert [
        r[:4] for r in rows(changes / "rollback-review-CampaignMemberStatus-update.csv")[1:]
    ] == [
        ["01Y5gQa00000111EBA", "Sent", "true", "false"],
        ["01Y5gQa00000112EBA", "Responded", "false", "true"],
    ]


def test_deletes_of_labels_members_hold_are_reviewed(changes: Path) -> None:
    assert [
        r[:1] + r[-4:] for r in rows(changes / "review-CampaignMemberStatus-delete.csv")[1:]
    ] == [
        ["01Y5gQa00000115EBA", "Opened", "", "members_keep_history", "lossy"],
        ["01Y5gQa00000122EBA", "Meeting Booked", "", "members_keep_history", "lossy"],
    ]
    assert [r[:5] for r in rows(changes / "rollback-review-CampaignMemberStatus-insert.csv")] == [
        ["CampaignId", "Label", "HasResponded", "IsDefault", "SortOrder"],
        ["7015gQa00000004ABA", "Opened", "true", "false", "3"],
        ["7015gQa00000006ABA", "Meeting Booked", "true", "false", "4"],
    ]


def test_member_moves_use_member_ids_and_final_labels(changes: Path) -> None:
    moves = rows(changes / "review-CampaignMember-update.csv")
    assert moves[0][:2] == ["Id", "Status"]
    by_status: dict[str, int] = {}
    for member_id, status, campaign, _name, current, new, reason, risk in moves[1:]:
        assert member_id.startswith("00v") and len(member_id) == 18
        assert (status, reason, risk) == (new, "members_keep_history", "lossy")
        assert campaign in ("7015gQa00000004ABA", "7015gQa00000006ABA")
        assert current in ("Opened", "Meeting Booked")
        by_status[status] = by_status.get(status, 0) + 1
    assert by_status == {"Engaged": 66, "Visited Booth": 5}
    back = rows(changes / "rollback-review-CampaignMember-update.csv")
    assert [r[0] for r in back[1:]] == [r[0] for r in moves[1:]]
    assert {r[1] for r in back[1:]} == {"Opened", "Meeting Booked"}


def test_runbook_orders_operations_and_lists_rows_to_confirm(changes: Path) -> None:
    text = (changes / "RUNBOOK.md").read_text(encoding="utf-8")
    order = [
        text.index("`CampaignMemberStatus-update.csv` (4 rows)"),
        text.index("## Confirm first"),
        text.index("`review-CampaignMemberStatus-update.csv` (2 rows)"),
        text.index("`review-CampaignMember-update.csv` (71 rows)"),
        text.index("`review-CampaignMemberStatus-delete.csv` (2 rows)"),
    ]
    assert order == sorted(order)
    assert "(0 rows)" not in text and "`CampaignMemberStatus-insert.csv`" not in text
    assert "Mapping: `CampaignMemberStatus-update.sdl`." in text
    assert "Salesforce does not document whether renaming a status" in text
    assert "Rename “Attended·” to “Attended”." in text
    # Each row to confirm, with what it loses and why.
    assert (
        "2026 Newsletter (`7015gQa00000004ABA`) — Move the 66 members whose status is “Opened” to "
        "“Engaged”. Lossy: 66 “Opened” members are recorded as “Engaged”; who held “Opened” can no "
        "longer be told. *lossy: members hold the status: they move onto a status of another "
        "meaning*"
    ) in text
    assert "Rename “Sent” to “Invited”." in text and "no near match: statusdiff chose" in text


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
    assert not (tmp_path / "CampaignMember-update.csv").exists()
    assert not (tmp_path / "review-CampaignMember-update.csv").exists()
    assert "member moves have no member IDs" in (tmp_path / "RUNBOOK.md").read_text("utf-8")


def test_statuses_without_record_ids_are_left_for_manual_work(tmp_path: Path) -> None:
    changes_without_members("salesforce-member-statuses-report.xlsx", tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {"RUNBOOK.md"}
    runbook = (tmp_path / "RUNBOOK.md").read_text("utf-8")
    assert runbook.count("the status export carries no record IDs") == 4


def test_french_runbook(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, sample_args("--changes", str(tmp_path), "--quiet", "--lang", "fr")
    )
    assert result.exit_code == 1
    runbook = spaced((tmp_path / "RUNBOOK.md").read_text("utf-8"))
    assert runbook.startswith("# Procédure : appliquer la correction B")
    assert "Renommez « Attended· » en « Attended »." in runbook
