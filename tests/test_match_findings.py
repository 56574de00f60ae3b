"""Issue 10, matching findings: ties are ties, plausible option A, numbered statuses, checksums.

Each test runs the CLI on the fixture that reproduces a finding (tests/fixtures/match, written by
make_match_fixtures.py) and asserts the fixed behaviour on the JSON and on the reports.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from statusdiff.cli import app
from statusdiff.comparison import compare
from statusdiff.errors import IdError
from statusdiff.explain import Reason, apply_folds
from statusdiff.i18n import Catalog, messages
from statusdiff.model import Pairing

from .conftest import FIXTURES, GENERATED_AT, SAMPLES, sample_args
from .test_compare import SRC, WEBINAR, campaign

MATCH = FIXTURES / "match"
MATRIX_CHANNELS = (
    "List Import",
    "Content Syndication",
    "Tradeshow",
    "Webinar",
    "Email Send",
    "Online Advertising",
    "Nurture",
    "Blog",
    "Sales Outreach",
)


def _run(runner: CliRunner, args: list[str], out: Path, *formats: str) -> Any:
    outputs = [arg for fmt in formats for arg in ("-o", str(out / f"report.{fmt}"))]
    result = runner.invoke(app, [*args, "--generated-at", GENERATED_AT, *outputs])
    assert result.exit_code == 1, (result.stdout, result.stderr)
    return result


def _doc(out: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return doc


def _matrix_args() -> list[str]:
    return [
        "compare",
        str(MATCH / "matrix-channels.json"),
        str(MATCH / "matrix-statuses.csv"),
        "--campaigns",
        str(MATCH / "matrix-campaigns.csv"),
    ]


def _pairs_args(*extra: str) -> list[str]:
    return [
        "compare",
        str(MATCH / "channels.json"),
        str(MATCH / "statuses.csv"),
        "--pairs",
        str(MATCH / "pairs.csv"),
        "--campaigns",
        str(MATCH / "campaigns.csv"),
        *extra,
    ]


# ------------------------------------------------------------------------------------------------
# Finding 3: ties are ties
# ------------------------------------------------------------------------------------------------


def test_matrix_ties_name_no_channel(runner: CliRunner, tmp_path: Path) -> None:
    result = _run(runner, _matrix_args(), tmp_path, "json", "md", "html", "xlsx")
    doc = _doc(tmp_path)
    fits = {c["campaign_name"]: c for c in doc["campaigns"]}
    # Every channel needs the same two changes: a 9-way tie, once shown as "List Import".
    newsletter = fits["2026 Newsletter (defaults)"]
    assert newsletter["closest_channel"] is None
    assert newsletter["closest_tied"] == list(MATRIX_CHANNELS)
    assert newsletter["closest_blocking"] == 2
    # Tie on changes, broken by the campaign Type (once "Content Syndication").
    tradeshow = fits["2026-05 Tradeshow: Dreamforce"]
    assert (tradeshow["closest_channel"], tradeshow["closest_tied"]) == ("Tradeshow", [])
    # Tie on changes, broken by the near miss "Registerd" → "Registered".
    assert (
        fits["Partner webinar"]["closest_channel"],
        fits["Partner webinar"]["closest_tied"],
    ) == (
        "Webinar",
        [],
    )
    # Fits seven channels, nothing picks one of them.
    quarterly = fits["Quarterly list"]
    assert quarterly["closest_channel"] is None
    assert len(quarterly["closest_tied"]) == 7
    assert fits["Content Syndication Q2"]["closest_channel"] == "Content Syndication"

    pairs = {p["campaign_name"]: p for p in doc["pairs"]}
    tied = pairs["2026 Newsletter (defaults)"]
    assert tied["closest_tied"] == list(MATRIX_CHANNELS)
    plan = tied["remediation"]
    assert plan["reason"]["code"] == "rec_tied_channel"
    options = {o["key"]: o for o in plan["options"]}
    # No channel-specific plan: nothing to add to one channel, nothing to rename towards one.
    for key in ("B", "C"):
        assert not options[key]["feasible"]
        assert options[key]["actions"] == []
        assert options[key]["constraints"] == ["tied_channel"]
    assert "tied_channel" in doc["constraints"]
    unique = pairs["2026-05 Tradeshow: Dreamforce"]
    assert unique["channel"] == "Tradeshow" and unique["closest_tied"] == []
    assert unique["remediation"]["reason"]["code"] != "rec_tied_channel"

    everything = ", ".join(MATRIX_CHANNELS)
    assert f"tie between {everything} ⇄ 2026 Newsletter (defaults)" in result.stdout
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert f"| tie between {everything} | 2026 Newsletter (defaults) |" in markdown
    assert f"Channel: tie between {everything} (compared here with List Import)" in markdown
    assert "9 channels are equally close" in markdown
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "tie between List Import, Content Syndication, Tradeshow, Webinar, Email Send" in html
    assert "(2 blocking labels each)" in html
    # The workbook shows the tie through what it already prints: no closest channel, and the
    # recommendation's reason.
    book = openpyxl.load_workbook(tmp_path / "report.xlsx", read_only=True)
    texts = {
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    }
    assert any(text.startswith("9 channels are equally close") for text in texts)


def test_tie_phrases_exist_in_both_languages() -> None:
    for key in ("tie.between", "tie.compared", "rec.rec_tied_channel", "constraint.tied_channel"):
        entry = messages()[key]
        assert entry["en"] and entry["fr"] and entry["en"] != entry["fr"]
    fr = Catalog("fr")
    assert fr("tie.between", channels="A, B") == "égalité entre A, B"


# ------------------------------------------------------------------------------------------------
# Finding 5: option A proposes only plausible campaigns, recommended only for a clear twin
# ------------------------------------------------------------------------------------------------


def test_option_a_lists_plausible_campaigns_and_proposes_only_a_clear_twin(
    runner: CliRunner, tmp_path: Path
) -> None:
    _run(runner, _pairs_args(), tmp_path, "json", "html", "md")
    doc = _doc(tmp_path)
    pairs = {p["program"]: p for p in doc["pairs"]}
    roadmap = pairs["2026-11 Webinar - Roadmap"]
    # The inactive copy and the Tradeshow-typed look-alike are never offered.
    offered = [a["campaign_name"] for a in roadmap["alternatives"]]
    assert offered == ["2026-12 Webinar - Security", "Webinar template (do not use)"]
    assert roadmap["alternatives_total"] == 2
    assert not any(a["clear_twin"] for a in roadmap["alternatives"])
    option_a = next(o for o in roadmap["remediation"]["options"] if o["key"] == "A")
    assert not option_a["feasible"] and option_a["actions"] == []
    assert "a_no_clear_twin" in option_a["constraints"]
    assert roadmap["remediation"]["recommended"] != "A"

    security = pairs["2026-12 Webinar - Security"]
    twin = security["alternatives"][0]
    assert (twin["campaign_name"], twin["score"], twin["campaign_type"], twin["clear_twin"]) == (
        "2026-12 Webinar - Security",
        100.0,
        "Webinar",
        True,
    )
    assert security["remediation"]["recommended"] == "A"
    assert security["remediation"]["reason"]["code"] == "rec_sync_other"

    # Never proposed anywhere: no step, no reason names the template.
    for pair in doc["pairs"]:
        plan = pair["remediation"]
        if plan is None:
            continue
        assert "template" not in plan["reason"]["message"]
        for option in plan["options"]:
            assert all("template" not in a["text"] for a in option["actions"])
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Also fit the channel (not a clear twin: never recommended)" in html
    assert "pick campaign “Webinar template (do not use)”" not in html
    assert "pick campaign “2026-12 Webinar - Security”" in html


def test_samples_never_recommend_the_webinar_template(runner: CliRunner, tmp_path: Path) -> None:
    """Regression: the bundled samples offered "Webinar template (do not use)" at 48 %."""
    result = runner.invoke(app, sample_args("-o", str(tmp_path / "report.json"), "-q"))
    assert result.exit_code == 1, result.stderr
    doc = _doc(tmp_path)
    pair = next(p for p in doc["pairs"] if p["program"] == "2026-04 Webinar - Data Quality")
    (template,) = pair["alternatives"]
    assert template["campaign_name"] == "Webinar template (do not use)"
    assert template["score"] < 50 and not template["clear_twin"]
    plan = pair["remediation"]
    assert plan["recommended"] != "A"
    option_a = next(o for o in plan["options"] if o["key"] == "A")
    assert not option_a["feasible"] and option_a["actions"] == []


# ------------------------------------------------------------------------------------------------
# Finding 7: numbered statuses are near misses
# ------------------------------------------------------------------------------------------------


def test_numbered_statuses_are_near_misses_renamed_by_b_never_added_by_c(
    runner: CliRunner, tmp_path: Path
) -> None:
    changes = tmp_path / "changes"
    _run(runner, _pairs_args("--changes", str(changes)), tmp_path, "json", "html")
    doc = _doc(tmp_path)
    pairs = {p["program"]: p for p in doc["pairs"]}
    expected = {
        "2026-09 Webinar - Numbered channel": {
            "Invited": "1 Invited",
            "Registered": "2 Registered",
            "No Show": "3 No Show",
            "Attended": "4 Attended",
        },
        "2026-10 Webinar - Numbered labels": {
            "1 Invited": "Invited",
            "2 Registered": "Registered",
            "3 No Show": "No Show",
            "4 - Attended": "Attended",
        },
    }
    for program, near in expected.items():
        pair = pairs[program]
        blocking = {d["label"]: d for d in pair["differences"] if d["blocking"]}
        assert {label: d["near_match"] for label, d in blocking.items()} == near
        assert all(d["reasons"] == ["numbering"] for d in blocking.values())
        plan = pair["remediation"]
        assert (plan["recommended"], plan["reason"]["code"]) == ("B", "rec_near_misses")
        options = {o["key"]: o for o in plan["options"]}
        renames = {a["label"]: a["target"] for a in options["B"]["actions"]}
        assert renames == near
        assert {a["act"] for a in options["B"]["actions"]} == {"rename"}
        assert options["B"]["verified"]
        # Option C never proposes a duplicate "No Show" beside "3 No Show": it points at it, and
        # the Salesforce label is renamed to it.
        assert [(a["act"], a["label"], a["target"]) for a in options["C"]["actions"]] == [
            ("use_channel_status", label, target) for label, target in near.items()
        ]
        assert {a["owner"] for a in options["C"]["actions"]} == {"salesforce_admin"}
        # Nothing is added to the channel, so no other pair's verdict changes.
        assert not {"fixed", "broken"} & set(options["C"]["blast_counts"])
        assert "mk_existing_status" in options["C"]["constraints"]
    # The renames reach the Data Loader update file, byte-exact.
    with (changes / "CampaignMemberStatus-update.csv").open(encoding="utf-8-sig") as handle:
        labels = {row["Label"] for row in csv.DictReader(handle)}
    assert {"1 Invited", "3 No Show", "No Show", "Attended"} <= labels
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "step number" in html


def test_option_c_never_adds_what_the_channel_has_under_another_numbering_case_or_spacing(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Whatever pairs the fixtures hold, no status C adds folds onto an existing channel status."""
    _run(runner, _pairs_args(), tmp_path, "json")
    doc = _doc(tmp_path)
    channels = json.loads((MATCH / "channels.json").read_text(encoding="utf-8"))["result"]
    names = {c["name"]: [s["name"] for s in c["progressionStatuses"]] for c in channels}
    same = (Reason.NUMBERING, Reason.CASE, Reason.WHITESPACE)
    checked = 0
    for pair in doc["pairs"]:
        if pair["remediation"] is None:
            continue
        existing = {apply_folds(n, same) for n in names[pair["channel"]]}
        option_c = next(o for o in pair["remediation"]["options"] if o["key"] == "C")
        for action in option_c["actions"]:
            if action["act"] == "add_channel_status":
                assert apply_folds(action["label"], same) not in existing
                checked += 1
    assert checked == 4  # Sent and Responded, for two pairs


def test_numbering_reason_is_in_the_catalogue_and_readme() -> None:
    for key in ("reason.numbering", "reason.numbering.explained", "act.use_channel_status"):
        entry = messages()[key]
        assert entry["en"] and entry["fr"] and entry["en"] != entry["fr"]
    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    assert "| `numbering` |" in readme


# ------------------------------------------------------------------------------------------------
# Finding 8: a wrong checksum wherever an ID is read is an input error
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (
            [
                "compare",
                str(MATCH / "channels.json"),
                str(MATCH / "statuses.csv"),
                "--pairs",
                str(MATCH / "pairs-bad-checksum.csv"),
            ],
            f"error: {MATCH / 'pairs-bad-checksum.csv'}:3: ",
        ),
        (
            [
                "compare",
                str(MATCH / "channels.json"),
                str(MATCH / "statuses.csv"),
                "--channel",
                "Webinar",
                "--campaign",
                "7015gQa00000403AAB",
            ],
            "error: --campaign: ",
        ),
    ],
    ids=["pairs file", "--campaign"],
)
def test_wrong_checksum_in_a_pairing_is_exit_2(
    runner: CliRunner, args: list[str], where: str
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    (line,) = result.stderr.splitlines()
    assert line.startswith(where)
    assert "'7015gQa00000403AAB' has a wrong checksum suffix (expected 'ABA')" in line
    assert " — " in line and "Traceback" not in result.stderr + result.stdout


def test_a_campaign_named_like_a_bad_id_is_still_found_by_name() -> None:
    named = campaign(1, ["Invited", "Attended"], name="7015gQa00000403AAB")
    result = compare([WEBINAR], [named], pairings=[Pairing("P", "Webinar", named.name or "", SRC)])
    assert result.pairs[0].campaign == named
    with pytest.raises(IdError, match="wrong checksum"):
        compare([WEBINAR], [named], pairings=[Pairing("P", "Webinar", "7015gQa00000404AAB", SRC)])
