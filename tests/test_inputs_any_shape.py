"""Whatever exports the consultant has: roles by content in any order, several files per role,
channel sheets typed one block per channel, and one campaign's statuses pasted without a campaign.
"""

from __future__ import annotations

import json
from itertools import permutations
from pathlib import Path

import pytest
from typer.testing import CliRunner

from statusdiff.cli import app
from statusdiff.model import Role
from statusdiff.read import ReadOptions, read, read_members

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DIALECTS = ROOT / "tests" / "fixtures" / "dialects"
BAD = ROOT / "tests" / "fixtures" / "bad"
WHEN = "2026-03-02T09:00:00Z"

SAMPLE_FILES = [
    "marketo-channels.json",
    "salesforce-member-statuses.csv",
    "program-campaign-pairs.csv",
    "salesforce-campaign-members.csv",
    "salesforce-campaigns.csv",
]
BLOCK_FILES = [
    "channels-blocks.csv",
    "channels-blocks-fr.tsv",
    "channels-blocks-pasted.txt",
    "channels-blocks.xlsx",
]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _json(runner: CliRunner, args: list[str], expect: int = 1) -> dict[str, object]:
    result = runner.invoke(app, ["compare", *args, "-o", "-", "--generated-at", WHEN, "-q"])
    assert result.exit_code == expect, (result.stdout, result.stderr, result.exception)
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


def _error_line(runner: CliRunner, args: list[str]) -> str:
    """Run compare on bad input: exit 2 and one line on stderr, returned."""
    result = runner.invoke(app, ["compare", *args])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    line: str = result.stderr.strip()
    assert "\n" not in line
    return line


def _orders(items: list[str]) -> list[list[str]]:
    """A spread of orders: every rotation, and every rotation reversed."""
    out = []
    for shift in range(len(items)):
        rotated = items[shift:] + items[:shift]
        out += [rotated, rotated[::-1]]
    return out


def test_every_order_of_the_samples_gives_the_same_report(runner: CliRunner) -> None:
    paths = [str(SAMPLES / name) for name in SAMPLE_FILES]
    reference = runner.invoke(
        app,
        [
            "compare",
            # The 0.1 form: channels and statuses by position, the rest by option.
            paths[0],
            paths[1],
            "--pairs",
            paths[2],
            "--members",
            paths[3],
            "--campaigns",
            paths[4],
            "-o",
            "-",
            "--generated-at",
            WHEN,
            "-q",
        ],
    )
    assert reference.exit_code == 1, reference.stderr
    roles = {i["file"]: i["role"] for i in json.loads(reference.stdout)["inputs"]}
    assert list(roles.values()) == ["channels", "statuses", "members", "campaigns", "pairs"]
    outputs = set()
    for order in _orders(paths):
        result = runner.invoke(app, ["compare", *order, "-o", "-", "--generated-at", WHEN, "-q"])
        assert result.exit_code == 1, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1  # every order: the same bytes
    doc = json.loads(outputs.pop())
    assert {i["file"]: i["role"] for i in doc["inputs"]} == roles
    assert all(i["role_by"] == "content" for i in doc["inputs"])
    # The same report as the 0.1 form, but for the recorded role decision (option vs content).
    assert _without(doc, "role_by") == _without(json.loads(reference.stdout), "role_by")


def _without(value: object, *keys: str) -> object:
    """A JSON value with some keys removed at every depth."""
    if isinstance(value, dict):
        return {k: _without(v, *keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [_without(v, *keys) for v in value]
    return value


def test_every_order_of_fixtures_in_matrix_mode_gives_the_same_bytes(runner: CliRunner) -> None:
    paths = [
        str(DIALECTS / "channels-blocks.csv"),
        str(DIALECTS / "statuses-dataloader-v63.csv"),
        str(DIALECTS / "members-dataloader-deleted.csv"),
    ]
    outputs = set()
    for order in permutations(paths):
        result = runner.invoke(app, ["compare", *order, "-o", "-", "--generated-at", WHEN, "-q"])
        assert result.exit_code == 1, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_a_file_whose_role_cannot_be_told_names_the_options(runner: CliRunner) -> None:
    line = _error_line(
        runner,
        [
            str(SAMPLES / "marketo-channels.json"),
            str(SAMPLES / "salesforce-member-statuses.csv"),
            str(BAD / "ambiguous-role.csv"),
        ],
    )
    assert "channels and pairs" in line
    assert "--channels FILE or --pairs FILE" in line


def test_a_forced_role_settles_an_ambiguous_file(runner: CliRunner) -> None:
    doc = _json(
        runner,
        [
            str(SAMPLES / "marketo-channels.json"),
            str(SAMPLES / "salesforce-member-statuses.csv"),
            "--channels",
            str(BAD / "ambiguous-role.csv"),
        ],
    )
    inputs = {Path(str(i["file"])).name: i for i in doc["inputs"]}  # type: ignore[union-attr]
    assert inputs["ambiguous-role.csv"]["role"] == "channels"
    assert inputs["ambiguous-role.csv"]["role_by"] == "option"


def test_missing_statuses_is_one_clear_line(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", str(SAMPLES / "marketo-channels.json")])
    assert result.exit_code == 2
    assert "Missing argument" not in result.stderr
    assert "no Salesforce member statuses among the files" in (result.stderr)
    assert "--statuses FILE" in result.stderr


# --- several files per role -----------------------------------------------------------------


def _pairs_and_summary(doc: dict[str, object]) -> list[object]:
    return [doc["pairs"], doc["summary"], doc.get("campaigns")]


def test_two_status_exports_split_from_one_give_the_report_of_the_whole(
    runner: CliRunner,
) -> None:
    channels = str(SAMPLES / "marketo-channels.json")
    whole = _json(runner, [channels, str(DIALECTS / "statuses-dataloader-v63.csv")])
    split = _json(
        runner,
        [
            str(DIALECTS / "statuses-split-bu2.csv"),
            channels,
            str(DIALECTS / "statuses-split-bu1.csv"),
        ],
    )
    # Rows and files differ (the evidence points into each file); the verdicts do not.
    assert _without(_pairs_and_summary(split), "row", "source") == _without(
        _pairs_and_summary(whole), "row", "source"
    )
    # The record found in both files is counted once, and said.
    notes = [n for n in split["notes"] if n["code"] == "duplicate_records"]  # type: ignore[union-attr,index]
    assert [(n["params"]["file"], n["params"]["count"]) for n in notes] == [
        (str(DIALECTS / "statuses-split-bu2.csv"), "1")
    ]
    statuses = [i for i in split["inputs"] if i["role"] == "statuses"]  # type: ignore[union-attr,index]
    assert len(statuses) == 2


def test_the_same_record_with_other_content_in_two_files_is_an_error(
    runner: CliRunner,
) -> None:
    line = _error_line(
        runner,
        [
            str(SAMPLES / "marketo-channels.json"),
            str(DIALECTS / "statuses-split-bu1.csv"),
            str(BAD / "statuses-split-stale.csv"),
        ],
    )
    assert "statuses-split-bu1.csv:3" in line
    assert "statuses-split-stale.csv:2" in line
    assert "pass only the newer one" in line


def _split_members(tmp_path: Path, overlap: int) -> tuple[Path, Path, list[str]]:
    """The sample members export in two files sharing `overlap` rows (both files hold them)."""
    members = (SAMPLES / "salesforce-campaign-members.csv").read_text(encoding="utf-8-sig")
    header, *rows = members.splitlines()
    half = len(rows) // 2
    a, b = tmp_path / "members-a.csv", tmp_path / "members-b.csv"
    a.write_text("\n".join([header, *rows[: half + overlap]]) + "\n")
    b.write_text("\n".join([header, *rows[half:]]) + "\n")
    return a, b, rows


def test_members_from_several_files_add_up(runner: CliRunner, tmp_path: Path) -> None:
    a, b, _ = _split_members(tmp_path, overlap=0)
    common = [
        str(SAMPLES / "marketo-channels.json"),
        str(SAMPLES / "salesforce-member-statuses.csv"),
        str(SAMPLES / "program-campaign-pairs.csv"),
    ]
    whole = _json(runner, [*common, str(SAMPLES / "salesforce-campaign-members.csv")])
    split = _json(runner, [*common, str(a), str(b)])
    assert split["pairs"] == whole["pairs"]


def test_members_in_two_files_are_merged_by_member_id_without_change_files(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Without --changes the IDs are not kept when one export is read; two exports found by
    their content are read with them, so a member in both files still counts once."""
    a, b, _ = _split_members(tmp_path, overlap=3)
    common = [
        str(SAMPLES / "marketo-channels.json"),
        str(SAMPLES / "salesforce-member-statuses.csv"),
        str(SAMPLES / "program-campaign-pairs.csv"),
    ]
    whole = _json(runner, [*common, str(SAMPLES / "salesforce-campaign-members.csv")])
    split = _json(runner, [*common, str(a), str(b)])
    assert split["pairs"] == whole["pairs"]
    notes = [n for n in split["notes"] if n["code"] == "duplicate_records"]  # type: ignore[union-attr,index]
    assert [(n["params"]["file"], n["params"]["count"]) for n in notes] == [(str(b), "3")]


def test_a_member_with_two_statuses_in_two_files_is_an_error_without_change_files(
    runner: CliRunner, tmp_path: Path
) -> None:
    a, b, rows = _split_members(tmp_path, overlap=0)
    member = rows[0].split(",")[0]
    moved = rows[0].replace('"Invited"', '"Registered"').replace('"Sent"', '"Responded"')
    assert moved != rows[0]
    b.write_text(b.read_text() + moved + "\n")
    line = _error_line(
        runner,
        [
            str(SAMPLES / "marketo-channels.json"),
            str(SAMPLES / "salesforce-member-statuses.csv"),
            str(a),
            str(b),
        ],
    )
    assert member.strip('"') in line


def test_one_members_export_is_counted_without_keeping_ids_unless_asked() -> None:
    path = SAMPLES / "salesforce-campaign-members.csv"
    counted = read_members(path).records
    kept = read_members(path, ReadOptions(member_ids=True)).records
    assert counted.counts == kept.counts
    assert counted.has_member_ids and kept.has_member_ids
    assert (counted.ids_kept, kept.ids_kept) == (False, True)
    assert counted.member_ids == {}
    assert sum(len(v) for v in kept.member_ids.values()) == sum(kept.counts.values())


# --- channel sheets typed one block per channel ------------------------------------------------


@pytest.mark.parametrize("name", BLOCK_FILES)
def test_block_layout_channels(name: str) -> None:
    loaded = read(DIALECTS / name)
    assert loaded.detection.role is Role.CHANNELS
    assert loaded.detection.layout == "blocks"
    assert loaded.detection.role_by == "content"
    assert [n.code for n in loaded.detection.notes].count("block_layout") == 1
    channels = {c.name: c for c in loaded.records}
    assert list(channels) == ["Webinar", "Email Send"]
    webinar = channels["Webinar"]
    assert [s.name for s in webinar.statuses] == [
        "Not in Program",
        "Invited",
        "Registered",
        "No Show",
        "Attended",
        "Attended On-demand",
    ]
    assert [s.step for s in webinar.statuses] == [0, 10, 20, 30, 40, 50]
    assert [s.success for s in webinar.statuses] == [False, False, False, False, True, True]
    email = channels["Email Send"]
    # Columns in another order in the second block; the trailing space is kept.
    assert [(s.name, s.step, s.success) for s in email.statuses] == [
        ("Member", 10, False),
        ("Opened", 20, False),
        ("Clicked ", 30, True),
    ]
    assert all(s.row is not None for s in email.statuses)


def test_block_layout_keeps_row_numbers_for_evidence() -> None:
    loaded = read(DIALECTS / "channels-blocks.csv")
    email = next(c for c in loaded.records if c.name == "Email Send")
    # Line 10 is the name, 11 its header, 12 to 14 its statuses.
    assert [s.row for s in email.statuses] == [12, 13, 14]
    assert email.row == 10


def test_a_block_without_statuses_is_an_error(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "blocks.csv"
    path.write_text("Webinar\nStep,Status,Success\n10,Invited,false\n\nEmpty\nStep,Status\n")
    result = runner.invoke(app, ["inspect", str(path)])
    assert result.exit_code == 2
    assert "channel “Empty” has a header but no status" in result.stderr


# --- one campaign's statuses, pasted ----------------------------------------------------------


def test_a_pasted_status_list_needs_a_campaign_name(runner: CliRunner) -> None:
    line = _error_line(
        runner,
        [
            str(DIALECTS / "statuses-one-campaign-paste.txt"),
            str(DIALECTS / "channels-blocks.csv"),
        ],
    )
    assert "statuses-one-campaign-paste.txt:1: these statuses name no campaign" in line
    assert "--campaign" in line


def test_a_pasted_status_list_is_one_campaign(runner: CliRunner) -> None:
    doc = _json(
        runner,
        [
            str(DIALECTS / "statuses-one-campaign-paste.txt"),
            str(DIALECTS / "channels-blocks.csv"),
            "--campaign",
            "Spring Webinar",
            "--channel",
            "Webinar",
        ],
    )
    (pair,) = doc["pairs"]  # type: ignore[misc]
    assert pair["campaign_name"] == "Spring Webinar"
    assert pair["campaign_id"] is None
    blocking = {d["label"]: d for d in pair["differences"] if d["blocking"]}
    assert set(blocking) == {"Attended ", "No-Show"}
    assert blocking["Attended "]["near_match"] == "Attended"
    statuses = next(i for i in doc["inputs"] if i["role"] == "statuses")  # type: ignore[union-attr]
    assert statuses["layout"] == "one_campaign"
    assert "one_campaign" in [n["code"] for n in statuses["notes"]]


def test_a_pasted_status_list_against_every_channel(runner: CliRunner) -> None:
    doc = _json(
        runner,
        [
            str(DIALECTS / "statuses-one-campaign-paste.txt"),
            str(DIALECTS / "channels-blocks.xlsx"),
            "--campaign",
            "Spring Webinar",
        ],
    )
    assert doc["mode"] == "matrix"
    (campaign,) = doc["campaigns"]  # type: ignore[misc]
    assert campaign["campaign_name"] == "Spring Webinar"
    assert campaign["closest_channel"] == "Webinar"


def test_campaign_alone_restricts_the_matrix_to_that_campaign(runner: CliRunner) -> None:
    doc = _json(
        runner,
        [
            str(SAMPLES / "marketo-channels.json"),
            str(SAMPLES / "salesforce-member-statuses.csv"),
            "--campaign",
            "2026 Newsletter",
        ],
    )
    assert [c["campaign_name"] for c in doc["campaigns"]] == ["2026 Newsletter"]  # type: ignore[union-attr,index]


def test_inspect_says_how_each_role_was_decided(runner: CliRunner) -> None:
    result = runner.invoke(app, ["inspect", str(DIALECTS / "channels-blocks-pasted.txt")])
    assert result.exit_code == 0, result.stderr
    assert "role by:    its content (one block per channel)" in result.stdout
    result = runner.invoke(app, ["inspect", "--json", str(SAMPLES / "salesforce-campaigns.csv")])
    (doc,) = json.loads(result.stdout)
    assert (doc["role"], doc["role_by"], doc["layout"]) == ("campaigns", "content", "table")


def test_the_no_api_samples_give_the_same_verdict_as_the_exports(runner: CliRunner) -> None:
    """The block-layout channels and the pasted list say what the API exports say."""
    pasted = _json(
        runner,
        [
            str(SAMPLES / "marketo-channels-blocks.csv"),
            str(SAMPLES / "salesforce-statuses-pasted.txt"),
            "--campaign",
            "2026-04 Webinar: Data Quality",
            "--channel",
            "Webinar",
        ],
    )
    exported = _json(
        runner,
        [
            str(SAMPLES / "marketo-channels.json"),
            str(SAMPLES / "salesforce-member-statuses.csv"),
            "--campaign",
            "2026-04 Webinar: Data Quality",
            "--channel",
            "Webinar",
        ],
    )
    (a,), (b,) = pasted["pairs"], exported["pairs"]  # type: ignore[misc]
    assert [(d["label"], d["near_match"], d["reasons"]) for d in a["differences"]] == [
        (d["label"], d["near_match"], d["reasons"]) for d in b["differences"]
    ]
    assert a["blocking"] == b["blocking"] == 3


def test_a_pasted_list_gets_manual_steps_in_the_runbook(runner: CliRunner, tmp_path: Path) -> None:
    """Without record IDs no Data Loader file can address the statuses: the runbook says which
    steps to take by hand instead, and no CSV is written."""
    result = runner.invoke(
        app,
        [
            "compare",
            str(DIALECTS / "statuses-one-campaign-paste.txt"),
            str(DIALECTS / "channels-blocks.csv"),
            "--campaign",
            "Spring Webinar",
            "--channel",
            "Webinar",
            "--changes",
            str(tmp_path / "dl"),
            "-q",
        ],
    )
    assert result.exit_code == 1, result.stderr
    assert sorted(p.name for p in (tmp_path / "dl").iterdir()) == ["RUNBOOK.md"]
    runbook = (tmp_path / "dl" / "RUNBOOK.md").read_text(encoding="utf-8")
    assert "every campaign is left for manual work" in runbook
    assert "Campaign Member Statuses related list" in runbook
    assert "1. Rename “Attended·” to “Attended”." in runbook
    assert "2. Rename “No-Show” to “No Show”." in runbook
    assert "## Campaigns covered" not in runbook


def test_limits_apply_to_files_whose_role_is_found_by_content(
    runner: CliRunner, tmp_path: Path
) -> None:
    """--limit holds for every file, also before its role is known (it was ignored there)."""
    statuses = tmp_path / "statuses.csv"
    statuses.write_text(
        "CampaignId,Label,HasResponded,IsDefault\n7015gQa00000101,"
        + "L" * 12_000
        + ",false,true\n",
        encoding="utf-8",
    )
    channels = str(SAMPLES / "marketo-channels.json")
    line = _error_line(runner, [channels, str(statuses)])
    assert "--limit label=" in line
    result = runner.invoke(
        app, ["compare", channels, str(statuses), "--limit", "label=100000", "-q"]
    )
    assert result.exit_code == 1, result.stderr


def test_a_bad_value_in_a_block_names_its_row_and_the_block_header(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "blocks.csv"
    path.write_text("Webinar\nStep,Status\n10,Invited\n\nEmail\nÉtape,Statut\ndix,Member\n")
    result = runner.invoke(app, ["inspect", str(path)])
    assert result.exit_code == 2
    assert "blocks.csv:7:" in result.stderr
    assert "'Étape'" in result.stderr


def test_an_unknown_file_is_never_explained_as_templates(runner: CliRunner, tmp_path: Path) -> None:
    """Templates are read only with --type-templates: a file by content that fits no role is
    told what it lacks for a role it can be read as, never for templates."""
    path = tmp_path / "unknown.csv"
    for header in ("Status,Responded\nInvited,no\n", "Campaign Type,Status,Foo\nWebinar,a,x\n"):
        path.write_text(header, encoding="utf-8")
        line = _error_line(runner, [str(SAMPLES / "marketo-channels.json"), str(path)])
        assert "template" not in line.casefold(), line
        assert "campaign_type" not in line, line
        assert "unknown.csv" in line
