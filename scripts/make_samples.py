"""Write the bundled samples (samples/): a small, realistic org with several kinds of mismatch.

Run from the repository root: `python scripts/make_samples.py`. The output is deterministic.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import xlsxwriter

from statusdiff.ids import checksum

OUT = Path(__file__).resolve().parent.parent / "samples"


def sfid(prefix: str, n: int) -> str:
    """A valid 18-character Salesforce ID."""
    id15 = f"{prefix}5gQa{n:08d}"  # mixed case, as real IDs are
    assert len(id15) == 15
    return id15 + checksum(id15)


CHANNELS = [
    {
        "id": 11,
        "name": "Webinar",
        "applicableProgramType": "event",
        "statuses": [
            ("Invited", 10, False, False),
            ("Registered", 20, False, False),
            ("No Show", 30, False, False),
            ("Attended", 40, True, False),
            ("Attended On-Demand", 50, True, False),
        ],
    },
    {
        "id": 12,
        "name": "Tradeshow",
        "applicableProgramType": "event",
        "statuses": [
            ("Invited", 10, False, False),
            ("Visited Booth", 20, True, False),
            ("Engaged", 30, True, False),
        ],
    },
    {
        "id": 13,
        "name": "Email Send",
        "applicableProgramType": "email",
        "statuses": [("Member", 10, False, False), ("Engaged", 20, True, False)],
    },
    {
        "id": 14,
        "name": "Content Syndication",
        "applicableProgramType": "program",
        "statuses": [
            ("Member", 10, False, False),
            ("Downloaded", 20, True, False),
            ("Do Not Use", 30, True, True),
        ],
    },
]

# (key, name, type, statuses [(label, responded, default)], members per label)
CAMPAIGNS = [
    (
        1,
        "2026-03 Webinar: Pipeline Hygiene",
        "Webinar",
        [
            ("Invited", False, True),
            ("Registered", False, False),
            ("No Show", False, False),
            ("Attended", True, False),
            ("Attended On-Demand", True, False),
        ],
        {"Invited": 40, "Registered": 22, "No Show": 7, "Attended": 12, "Attended On-Demand": 3},
    ),
    (
        2,
        "2026-04 Webinar: Data Quality",
        "Webinar",
        [
            ("Invited", False, True),
            ("Registered", False, False),
            ("No-Show", False, False),
            ("Attended ", True, False),
            ("Attended On\u2011Demand", True, False),
        ],
        {
            "Invited": 55,
            "Registered": 30,
            "No-Show": 9,
            "Attended ": 18,
            "Attended On\u2011Demand": 4,
        },
    ),
    (
        3,
        "2026-05 Tradeshow: Dreamforce",
        "Tradeshow",
        [("Sent", False, True), ("Responded", True, False)],
        {"Sent": 120, "Responded": 14},
    ),
    (
        4,
        "2026 Newsletter",
        "Email",
        [("Member", False, True), ("engaged", True, False), ("Opened", True, False)],
        {"Member": 300, "engaged": 41, "Opened": 66},
    ),
    (
        5,
        "Content Syndication Q2",
        "Content Syndication",
        [("Member", False, True), ("Downloaded", False, False), ("Do Not Use", True, False)],
        {"Member": 80, "Downloaded": 25},
    ),
    (
        6,
        "2026-06 Tradeshow: Vivatech",
        "Tradeshow",
        [
            ("Invited", False, True),
            ("Visited Booth", True, False),
            ("Engaged", True, False),
            ("Meeting Booked", True, False),
        ],
        {"Invited": 60, "Visited Booth": 21, "Engaged": 8, "Meeting Booked": 5},
    ),
    (
        7,
        "Webinar template (do not use)",
        "Webinar",
        [
            ("Invited", False, True),
            ("Registered", False, False),
            ("No Show", False, False),
            ("Attended", True, False),
            ("Attended On-Demand", True, False),
        ],
        {},
    ),
]

PAIRS = [
    ("2026-03 Webinar - Pipeline Hygiene", "Webinar", "id18", 1),
    ("2026-04 Webinar - Data Quality", "Webinar", "id15", 2),
    ("2026-05 Tradeshow - Dreamforce", "Tradeshow", "name", 3),
    ("2026 Newsletter", "Email Send", "id18", 4),
    ("Content Syndication Q2", "Content Syndication", "id18", 5),
    ("2026-06 Tradeshow - Vivatech", "Tradeshow", "id18", 6),
    ("2026-07 Webinar - Roadmap", "Webinar", "missing", 99),
]


def campaign_id(n: int) -> str:
    return sfid("701", n)


def write_channels_json() -> None:
    result = []
    for ch in CHANNELS:
        statuses = [
            {
                "name": "Not in Program",
                "step": 0,
                "description": None,
                "hidden": False,
                "success": False,
            }
        ]
        for name, step, success, hidden in ch["statuses"]:  # type: ignore[attr-defined]
            statuses.append(
                {
                    "name": name,
                    "step": step,
                    "description": None,
                    "hidden": hidden,
                    "success": success,
                }
            )
        result.append(
            {
                "id": ch["id"],
                "name": ch["name"],
                "applicableProgramType": ch["applicableProgramType"],
                "progressionStatuses": statuses,
                "createdAt": "2025-11-04T09:12:40Z+0000",
                "updatedAt": "2026-02-17T15:03:11Z+0000",
            }
        )
    doc = {
        "success": True,
        "errors": [],
        "requestId": "a1f3#19c2e8f0b7d",
        "warnings": [],
        "result": result,
    }
    (OUT / "marketo-channels.json").write_text(json.dumps(doc, indent=4) + "\n", encoding="utf-8")


def _book(path: Path) -> xlsxwriter.Workbook:
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": dt.datetime(2026, 3, 2, 9, 0, 0), "author": "statusdiff"})
    return book


def write_channels_xlsx() -> None:
    book = _book(OUT / "marketo-channels-handmade.xlsx")
    sheet = book.add_worksheet("Canaux")
    bold = book.add_format({"bold": True})
    sheet.write_string(0, 0, "Canaux Marketo — relevé manuel (Admin > Balises), mars 2026", bold)
    headers = ["Canal", "Type de programme", "Statut", "Étape", "Succès", "Masqué"]
    for col, h in enumerate(headers):
        sheet.write_string(2, col, h, bold)
    row = 3
    for ch in CHANNELS:
        first = True
        for name, step, success, hidden in ch["statuses"]:  # type: ignore[attr-defined]
            if first:
                sheet.write_string(row, 0, str(ch["name"]))
                sheet.write_string(row, 1, str(ch["applicableProgramType"]).capitalize())
            sheet.write_string(row, 2, name)
            sheet.write_number(row, 3, step)
            sheet.write_string(row, 4, "Oui" if success else "")
            sheet.write_string(row, 5, "Oui" if hidden else "Non")
            row += 1
            first = False
        row += 1  # a blank separator row between channels
    sheet.set_column(0, 2, 22)
    book.close()


def _status_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    n = 0
    for key, name, _type, statuses, _members in CAMPAIGNS:
        for order, (label, responded, default) in enumerate(statuses, 1):
            n += 1
            rows.append(
                [
                    sfid("01Y", 100 + n),
                    campaign_id(key),
                    name,
                    label,
                    "true" if responded else "false",
                    "true" if default else "false",
                    order,
                ]
            )
    return rows


def write_statuses_csv() -> None:
    header = [
        "Id",
        "CampaignId",
        "Campaign.Name",
        "Label",
        "HasResponded",
        "IsDefault",
        "SortOrder",
    ]
    path = OUT / "salesforce-member-statuses.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(_status_rows())


# The same org after the change ticket (the "after" half of `statusdiff demo`): most of the Data
# Loader files were applied, one rename went to another label, one campaign was not touched, and
# someone edited an unrelated status by hand. Keyed by the status's number in _status_rows (101+).
AFTER: dict[int, dict[str, str] | None] = {
    102: {"HasResponded": "true"},  # hand edit: "Registered" of campaign 1 now counts as responded
    108: {"Label": "No Show"},
    109: {"Label": "Attended"},
    110: {"Label": "Attended On-demand"},  # renamed, but not to the channel's "Attended On-Demand"
    111: {"Label": "Invited"},
    112: {"Label": "Visited Booth"},
    114: {"Label": "Engaged"},
    115: None,  # "Opened" deleted after its members moved
    # 122 "Meeting Booked" of campaign 6: not applied (still there, members not moved)
}


def write_statuses_after_csv() -> None:
    header = [
        "Id",
        "CampaignId",
        "Campaign.Name",
        "Label",
        "HasResponded",
        "IsDefault",
        "SortOrder",
    ]
    fields = {"Label": 3, "HasResponded": 4, "IsDefault": 5}
    rows = []
    for number, row in enumerate(_status_rows(), 101):
        if number in AFTER and AFTER[number] is None:
            continue
        for name, value in (AFTER.get(number) or {}).items():
            row[fields[name]] = value
        rows.append(row)
    path = OUT / "salesforce-member-statuses-after.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_statuses_report_xlsx() -> None:
    book = _book(OUT / "salesforce-member-statuses-report.xlsx")
    sheet = book.add_worksheet("Campaign Member Statuses")
    bold = book.add_format({"bold": True})
    sheet.write_string(0, 0, "Campaign Member Statuses", bold)
    sheet.write_string(1, 0, "Filtered By:")
    sheet.write_string(
        2, 0, "    Campaign Type equals Webinar, Tradeshow, Email, Content Syndication"
    )
    header = ["Campaign ID", "Campaign Name", "Member Status", "Responded", "Default", "Sort Order"]
    for col, h in enumerate(header):
        sheet.write_string(4, col, h, bold)
    row = 5
    previous = None
    for record in _status_rows():
        cid = str(record[1])[:15]
        if cid != previous:
            sheet.write_string(row, 0, cid)
            sheet.write_string(row, 1, str(record[2]))
            previous = cid
        sheet.write_string(row, 2, str(record[3]))
        sheet.write_boolean(row, 3, record[4] == "true")
        sheet.write_boolean(row, 4, record[5] == "true")
        sheet.write_number(row, 5, int(record[6]))  # type: ignore[call-overload]
        row += 1
    total = len(_status_rows())
    row += 1
    sheet.write_string(row, 0, f"Grand Totals ({total} records)", bold)
    row += 2
    sheet.write_string(row, 0, "Confidential Information - Do Not Distribute")
    sheet.write_string(
        row + 1, 0, "Copyright © 2000-2026 salesforce.com, inc. All rights reserved."
    )
    sheet.set_column(0, 2, 26)
    book.close()


def write_members_csv() -> None:
    path = OUT / "salesforce-campaign-members.csv"
    n = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(["Id", "CampaignId", "LeadId", "ContactId", "Status", "HasResponded"])
        for key, _name, _type, statuses, members in CAMPAIGNS:
            responded = {label: r for label, r, _ in statuses}
            for label, count in members.items():
                for _ in range(count):
                    n += 1
                    lead = sfid("00Q", n) if n % 3 else ""
                    contact = "" if n % 3 else sfid("003", n)
                    writer.writerow(
                        [
                            sfid("00v", n),
                            campaign_id(key),
                            lead,
                            contact,
                            label,
                            "true" if responded.get(label) else "false",
                        ]
                    )


def write_campaigns_csv() -> None:
    path = OUT / "salesforce-campaigns.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(["Id", "Name", "Type", "Status", "IsActive", "StartDate"])
        for key, name, ctype, _statuses, _members in CAMPAIGNS:
            writer.writerow([campaign_id(key), name, ctype, "In Progress", "true", "2026-03-01"])


def write_pairs_csv() -> None:
    path = OUT / "program-campaign-pairs.csv"
    names = {key: name for key, name, *_ in CAMPAIGNS}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["Program Name", "Channel", "SFDC Campaign"])
        for program, channel, how, key in PAIRS:
            if how == "id18":
                ref = campaign_id(key)
            elif how == "id15":
                ref = campaign_id(key)[:15]
            elif how == "name":
                ref = names[key]
            else:
                ref = campaign_id(key)
            writer.writerow([program, channel, ref])


def write_channels_blocks() -> None:
    """The channels as a consultant without API access types them from Admin > Tags > Channel:
    one block per channel (its name alone on a line, then Step, Status, Success, Hidden)."""
    lines: list[list[object]] = []
    for channel in CHANNELS:
        lines.append([channel["name"]])
        lines.append(["Step", "Status", "Success", "Hidden"])
        for name, step, success, hidden in channel["statuses"]:  # type: ignore[attr-defined]
            lines.append([step, name, "yes" if success else "no", "yes" if hidden else "no"])
        lines.append([])
    with (OUT / "marketo-channels-blocks.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(lines[:-1])


def write_statuses_pasted() -> None:
    """One campaign's statuses copied from its Advanced Setup page into a text file (tabs, ✓)."""
    _, _, _, statuses, _ = next(c for c in CAMPAIGNS if c[0] == 2)
    rows = ["Member Status\tResponded\tDefault"]
    for label, responded, default in statuses:  # type: ignore[attr-defined]
        rows.append(f"{label}\t{'✓' if responded else ''}\t{'✓' if default else ''}")
    (OUT / "salesforce-statuses-pasted.txt").write_bytes(("\n".join(rows) + "\n").encode())


def main() -> None:
    """Write every sample."""
    OUT.mkdir(exist_ok=True)
    write_channels_json()
    write_channels_xlsx()
    write_statuses_csv()
    write_statuses_after_csv()
    write_statuses_report_xlsx()
    write_members_csv()
    write_campaigns_csv()
    write_pairs_csv()
    write_channels_blocks()
    write_statuses_pasted()


if __name__ == "__main__":
    main()
