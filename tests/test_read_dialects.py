"""Every export dialect: columns mapped, rows skipped, and the exact code points of labels read."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from statusdiff.model import Campaign, Role
from statusdiff.read import ReadOptions, read, read_channels, read_members, read_pairs

from .conftest import FIXTURES

DIALECTS = FIXTURES / "dialects"

LABELS_A = ["Invited", "Attended ", "No\u00a0Show", "De\u0301sinscrit", "Attended On\u2011Demand"]
LABELS_A_CP1252 = ["Invited", "Attended ", "No\u00a0Show", "Désinscrit", "Attended On-Demand"]
LABELS_B = ["Sent", "Responded"]
ID_A = "7015gQa00000101ABA"
ID_B = "7015gQa00000102ABA"

API_COLUMNS = {
    "record_id",
    "campaign_id",
    "campaign_name",
    "label",
    "responded",
    "default",
    "sort_order",
}
UI_COLUMNS = API_COLUMNS - {"record_id"}

# fixture -> (format, encoding, delimiter, fields mapped, labels of campaign A, notes expected)
STATUS_DIALECTS = {
    "statuses-dataloader-v63.csv": ("csv", "utf-8-sig", ",", API_COLUMNS, LABELS_A, {"bom"}),
    "statuses-dataloader-legacy.csv": ("csv", "utf-8", ",", API_COLUMNS, LABELS_A, set()),
    "statuses-dataloader-lowercase.csv": ("csv", "utf-8", ",", API_COLUMNS, LABELS_A, set()),
    "statuses-excel-fr.csv": ("csv", "cp1252", ";", UI_COLUMNS, LABELS_A_CP1252, {"not_utf8"}),
    "statuses-unicode-text.txt": ("tsv", "utf-16", "TAB", UI_COLUMNS, LABELS_A, {"bom"}),
    "statuses-utf16be.csv": ("csv", "utf-16", ",", API_COLUMNS, LABELS_A, {"bom"}),
    "statuses-pipe.txt": ("csv", "utf-8", "|", API_COLUMNS, LABELS_A, set()),
    "statuses-sep-line.csv": ("csv", "utf-8", ";", API_COLUMNS, LABELS_A, {"sep_line"}),
    "statuses-inspector.csv": ("csv", "utf-8", ",", API_COLUMNS, LABELS_A, set()),
    "statuses-report-export.csv": ("csv", "utf-8", ",", UI_COLUMNS, LABELS_A, set()),
    "statuses-report-export-fr.csv": ("csv", "utf-8-sig", ",", UI_COLUMNS, LABELS_A, {"bom"}),
    "statuses-report.xlsx": ("xlsx", None, None, UI_COLUMNS, LABELS_A, {"fill_down"}),
    "statuses-multisheet.xlsx": ("xlsx", None, None, API_COLUMNS, LABELS_A, set()),
    "statuses.xls": ("xls", None, None, API_COLUMNS, LABELS_A, set()),
    "statuses.ods": ("ods", None, None, API_COLUMNS, LABELS_A, set()),
}


def codepoints(labels: list[str]) -> list[list[str]]:
    """Labels as lists of U+XXXX, so a failing assertion shows invisible differences."""
    return [[f"U+{ord(c):04X}" for c in label] for label in labels]


@pytest.mark.parametrize("name", sorted(STATUS_DIALECTS))
def test_status_dialect(name: str) -> None:
    fmt, encoding, delimiter, fields, labels_a, notes = STATUS_DIALECTS[name]
    loaded = read(DIALECTS / name, Role.STATUSES)
    d = loaded.detection
    assert d.role is Role.STATUSES
    assert d.format == fmt
    assert d.encoding == encoding
    assert d.delimiter == delimiter
    assert {f for _, f in d.columns} == fields
    assert notes <= {n.code for n in d.notes}
    campaigns: list[Campaign] = loaded.records
    assert [c.key for c in campaigns] == [ID_A, ID_B]
    assert codepoints([s.label for s in campaigns[0].statuses]) == codepoints(labels_a)
    assert [s.label for s in campaigns[1].statuses] == LABELS_B
    assert [s.default for s in campaigns[0].statuses] == [True, False, False, False, False]
    assert [s.responded for s in campaigns[0].statuses] == [False, True, False, False, True]
    assert [s.sort_order for s in campaigns[0].statuses] == [1, 2, 3, 4, 5]
    # The NFD accent survives as two code points; nothing was normalised on the way in.
    if labels_a is LABELS_A:
        assert unicodedata.is_normalized("NFC", campaigns[0].statuses[3].label) is False


def test_report_export_skips_title_and_footer_and_keeps_quoted_newline() -> None:
    loaded = read(DIALECTS / "statuses-report-export.csv", Role.STATUSES)
    d = loaded.detection
    assert d.header_row == 5
    skipped = {s.reason: s.rows for s in d.skipped}
    assert skipped == {"title": (1, 2, 3), "blank": (14, 16), "totals": (15,), "footer": (17, 18)}
    first = loaded.records[0]
    assert first.name == "Spring\nLaunch"
    # Rows are the lines records start on: the first data record spans lines 6 and 7.
    assert [s.row for s in first.statuses] == [6, 8, 9, 10, 11]


def test_localized_report_footer_is_skipped() -> None:
    d = read(DIALECTS / "statuses-report-export-fr.csv", Role.STATUSES).detection
    skipped = {s.reason: s.rows for s in d.skipped}
    assert skipped["totals"] == (10,)
    assert skipped["footer"] == (12, 13)


def test_formatted_report_fills_the_campaign_down() -> None:
    d = read(DIALECTS / "statuses-report.xlsx", Role.STATUSES).detection
    assert d.table == "Report"
    assert d.header_row == 4
    assert d.fill_downs == 5
    assert {s.reason for s in d.skipped} == {"title", "blank", "totals", "footer"}


def test_workbook_sheet_is_found_and_hidden_sheet_listed() -> None:
    d = read(DIALECTS / "statuses-multisheet.xlsx", Role.STATUSES).detection
    assert d.table == "Export"
    assert d.tables == ("Notes", "Export", "Scratch")


def test_sheet_option_forces_a_sheet() -> None:
    loaded = read(DIALECTS / "statuses-multisheet.xlsx", Role.STATUSES, ReadOptions(sheet="2"))
    assert loaded.detection.table == "Export"


def test_formulas_give_their_cached_values() -> None:
    campaign = read(DIALECTS / "statuses-formulas.xlsx", Role.STATUSES).records[0]
    first = campaign.statuses[0]
    assert (first.label, first.responded, first.default, first.sort_order) == (
        "Attended ",
        True,
        False,
        2,
    )


def test_inspector_underscore_column_is_ignored() -> None:
    d = read(DIALECTS / "statuses-inspector.csv", Role.STATUSES).detection
    assert "_" not in [h for h, _ in d.columns]


def test_role_is_detected_from_headers() -> None:
    assert read(DIALECTS / "statuses-excel-fr.csv").detection.role is Role.STATUSES
    assert read(DIALECTS / "members-report-export.csv").detection.role is Role.MEMBERS
    assert read(DIALECTS / "channels-handmade.csv").detection.role is Role.CHANNELS
    assert read(DIALECTS / "pairs-fr.csv").detection.role is Role.PAIRS
    campaigns = FIXTURES / "realworld" / "sfdc-campaign-dataloader-export-data-cloud-workshop.csv"
    assert read(campaigns).detection.role is Role.CAMPAIGNS


# --- channels ----------------------------------------------------------------------------------


def test_handmade_channels_fill_down_and_blank_success() -> None:
    loaded = read_channels(DIALECTS / "channels-handmade.csv")
    webinar, email = loaded.records
    assert webinar.name == "Webinar"
    assert webinar.program_type == "Event"
    assert [s.name for s in webinar.statuses] == [
        "Invited",
        "Registered",
        "No Show",
        "Attended",
        "Attended On-Demand",
    ]
    assert [s.success for s in webinar.statuses] == [False, False, False, True, True]
    assert [(s.name, s.hidden) for s in email.statuses][-1] == ("Do Not Use", True)
    codes = {n.code for n in loaded.detection.notes}
    assert {"fill_down", "blank_success_false"} <= codes
    assert loaded.detection.fill_downs == 6


def test_merged_channel_cells_fill_down_and_keep_labels() -> None:
    loaded = read_channels(DIALECTS / "channels-merged.xlsx")
    (webinar,) = loaded.records
    assert codepoints([s.name for s in webinar.statuses]) == codepoints(
        ["Invited", "Attended ", "No\u00a0Show"]
    )


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("channels-list.json", "json-list"), ("channels-object.json", "json-object")],
)
def test_json_channel_shapes(name: str, fmt: str) -> None:
    loaded = read_channels(DIALECTS / name)
    assert loaded.detection.format == fmt
    (webinar,) = loaded.records
    assert codepoints([s.name for s in webinar.statuses]) == codepoints(
        ["Not in Program", "Invited", "Attended ", "No\u00a0Show"]
    )
    assert webinar.program_type == "event"


def test_complete_soap_response() -> None:
    loaded = read_channels(DIALECTS / "channels-soap-complete.xml")
    (webinar,) = loaded.records
    assert [(s.name, s.step, s.success) for s in webinar.statuses] == [
        ("Attended On-demand", 75, True),
        ("Wait Listed", 30, False),
        ("Registered", 40, False),
    ]
    assert loaded.detection.notes == ()


# --- members and pairs -------------------------------------------------------------------------


def test_members_report_export_counts_by_campaign_name() -> None:
    loaded = read_members(DIALECTS / "members-report-export.csv")
    counts = loaded.records
    assert counts.keyed_by == "name"
    assert counts.counts[("name:2026 Newsletter", "Sent")] == 2
    assert counts.counts[("name:Spring Webinar – Données", "Attended ")] == 2
    assert sum(counts.counts.values()) == 14


def test_deleted_members_are_not_counted() -> None:
    loaded = read_members(DIALECTS / "members-dataloader-deleted.csv")
    assert loaded.records.counts == {(ID_A, "Invited"): 1, (ID_A, "Attended "): 1}
    assert {s.reason: s.rows for s in loaded.detection.skipped} == {"deleted": (3,)}
    assert loaded.records.has_member_ids


def test_pairs_marketo_headers_and_french_headers() -> None:
    marketo = read_pairs(DIALECTS / "pairs-marketo.csv").records
    assert [(p.program, p.channel, p.campaign_ref) for p in marketo] == [
        ("Spring Webinar", "Webinar", ID_A[:15]),
        ("Newsletter", "Email Send", ID_B),
    ]
    french = read_pairs(DIALECTS / "pairs-fr.csv")
    assert french.detection.delimiter == ";"
    assert [p.campaign_ref for p in french.records] == [
        "Spring Webinar – Données",
        "2026 Newsletter",
    ]


def test_explicit_column_mapping_covers_unknown_headers(tmp_path: Path) -> None:
    path = tmp_path / "custom.csv"
    path.write_text("Kampagne,Mitgliedsstatus\n7015gQa00000101,Eingeladen\n", encoding="utf-8")
    options = ReadOptions(columns={"campaign_id": "Kampagne", "label": "Mitgliedsstatus"})
    loaded = read(path, Role.STATUSES, options)
    assert loaded.records[0].statuses[0].label == "Eingeladen"
    assert loaded.records[0].key == ID_A


def test_utf16_without_bom_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "no-bom.csv"
    path.write_bytes("CampaignId,Label\n7015gQa00000101,Attended \n".encode("utf-16-le"))
    loaded = read(path, Role.STATUSES)
    assert loaded.detection.encoding == "utf-16-le"
    assert loaded.records[0].statuses[0].label == "Attended "


def test_workbook_named_csv_is_read_as_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "statuses.csv"
    path.write_bytes((DIALECTS / "statuses-multisheet.xlsx").read_bytes())
    loaded = read(path, Role.STATUSES)
    assert loaded.detection.format == "xlsx"
    assert "content_is_workbook" in {n.code for n in loaded.detection.notes}


def test_late_non_utf8_byte_restarts_as_cp1252(tmp_path: Path) -> None:
    """UTF-8 is assumed from the first 64 KiB; a Windows-1252 byte further on restarts the read."""
    path = tmp_path / "late.csv"
    rows = ["CampaignId;Label"] + [f"7015gQa00000101;Status {i}" for i in range(4000)]
    rows.append("7015gQa00000101;Désinscrit")
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    loaded = read(path, Role.STATUSES)
    d = loaded.detection
    assert d.encoding == "cp1252"
    (note,) = [n for n in d.notes if n.code == "not_utf8"]
    assert int(note.param("offset")) > 64 * 1024
    assert loaded.records[0].statuses[-1].label == "Désinscrit"
    assert len(loaded.records[0].statuses) == 4001
    import hashlib

    assert d.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_text_digest_is_computed_while_reading() -> None:
    import hashlib

    path = DIALECTS / "statuses-report-export.csv"
    assert (
        read(path, Role.STATUSES).detection.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    )


def _members_file(path: Path, rows: int, tail: str) -> None:
    lines = ["Id;CampaignId;Status"] + [
        f"{ID_A[:3]}{i:012d};{ID_A};{'Invited' if i % 2 else 'Attended '}" for i in range(rows)
    ]
    path.write_text("\r\n".join(lines) + "\r\n" + tail, encoding="utf-8")


def test_member_footer_beyond_the_head_is_read_again_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    _members_file(
        path, 100, '\r\n"Grand Totals (100 records)"\r\n\r\n"Confidential Information"\r\n'
    )
    loaded = read_members(path)
    assert loaded.records.counts == {(ID_A, "Invited"): 50, (ID_A, "Attended "): 50}
    skipped = {s.reason: s.rows for s in loaded.detection.skipped}
    assert skipped == {"blank": (102, 104), "totals": (103,), "footer": (105,)}
    assert loaded.detection.rows_read == 104


def test_member_row_cut_short_beyond_the_head_names_its_line(tmp_path: Path) -> None:
    from statusdiff.errors import InputError

    path = tmp_path / "members.csv"
    _members_file(path, 80, f"{ID_A[:3]}999;{ID_A}\r\n")
    with pytest.raises(InputError) as caught:
        read_members(path)
    assert caught.value.row == 82
    assert "row has 2 cells, fewer than the header's 3" in caught.value.message
