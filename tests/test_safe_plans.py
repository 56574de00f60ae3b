"""Issue 10 (safe plans): member counts carry their evidence, every action its risk class, and
the change files hold only what can be applied blind. One fixture per finding (tests/fixtures/
plans, written by make_plan_fixtures.py), asserted on the JSON and on the change files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from statusdiff.cli import app
from statusdiff.evidence import member_evidence
from statusdiff.read import read_campaigns, read_members, read_statuses

from .conftest import FIXTURES, GENERATED_AT, SAMPLES, spaced

PLANS = FIXTURES / "plans"
NEWSLETTER = "7015gQa00000004ABA"
VIVATECH = "7015gQa00000006ABA"
TEMPLATE = "7015gQa00000007ABA"


def run(
    tmp_path: Path,
    *,
    members: Path | None = None,
    campaigns: Path | None = None,
    pairs: Path = SAMPLES / "program-campaign-pairs.csv",
    channels: Path = SAMPLES / "marketo-channels.json",
    extra: tuple[str, ...] = (),
    lang: str = "en",
) -> tuple[dict[str, Any], Path]:
    """Compare with the sample statuses; return the JSON report and the change folder."""
    args = [
        "compare",
        str(channels),
        str(SAMPLES / "salesforce-member-statuses.csv"),
        "--pairs",
        str(pairs),
        "--generated-at",
        GENERATED_AT,
        "-o",
        str(tmp_path / "report.json"),
        "--changes",
        str(tmp_path / "changes"),
        "--quiet",
        "--lang",
        lang,
        *extra,
    ]
    if members is not None:
        args += ["--members", str(members)]
    if campaigns is not None:
        args += ["--campaigns", str(campaigns)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.stderr
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    return report, tmp_path / "changes"


def table(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def pair(report: dict[str, Any], campaign_id: str) -> dict[str, Any]:
    return next(p for p in report["pairs"] if p["campaign_id"] == campaign_id)


def option(p: dict[str, Any], key: str) -> dict[str, Any]:
    return next(o for o in p["remediation"]["options"] if o["key"] == key)


def blind_files(folder: Path) -> list[Path]:
    return [f for f in folder.glob("*.csv") if "review-" not in f.name and "rollback" not in f.name]


def assert_blind_files_are_safe(folder: Path) -> None:
    """No lossy or guessed row is ever in a file meant to be applied without review."""
    for path in folder.glob("*.csv"):
        rows = table(path)
        assert rows, f"{path.name} is empty"
        if "review-" not in path.name:
            assert {r["review_risk"] for r in rows} <= {"exact", "safe"}, path.name
            assert "rename_is_a_choice" not in {r["review_reason"] for r in rows}


# ---- Finding 1: a members export that does not cover the campaign ------------------------------


def test_members_of_another_org_prove_nothing(tmp_path: Path) -> None:
    report, changes = run(
        tmp_path,
        members=PLANS / "members-other-org.csv",
        campaigns=SAMPLES / "salesforce-campaigns.csv",
    )
    summary = (
        CliRunner()
        .invoke(
            app,
            [
                "compare",
                str(SAMPLES / "marketo-channels.json"),
                str(SAMPLES / "salesforce-member-statuses.csv"),
                "--pairs",
                str(SAMPLES / "program-campaign-pairs.csv"),
                "--members",
                str(PLANS / "members-other-org.csv"),
            ],
        )
        .stdout
    )
    assert [n["code"] for n in report["notes"]] == ["members_cover_none"]
    assert "⚠ the members export shares no campaign with the status export" in summary
    assert "shares no campaign" in report["notes"][0]["message"]
    for p in report["pairs"]:
        assert all(m["members"] is None for m in p["matches"])
        assert all(d["members"] is None for d in p["differences"])
    # Opened and Meeting Booked hold members in reality: never deleted as if they held none.
    for campaign, label in ((NEWSLETTER, "Opened"), (VIVATECH, "Meeting Booked")):
        steps = option(pair(report, campaign), "B")["actions"]
        move = next(a for a in steps if a["act"] == "move_members")
        delete = next(a for a in steps if a["act"] == "delete")
        assert (move["label"], move["members"], move["verify"]) == (label, None, True)
        assert (delete["label"], delete["verify"], delete["risk"]) == (label, True, "lossy")
        assert "how many is unknown" in move["loss"]["message"]
    assert not (changes / "CampaignMemberStatus-delete.csv").exists()
    reviewed = {
        r["review_current_label"] for r in table(changes / "review-CampaignMemberStatus-delete.csv")
    }
    assert reviewed == {"Opened", "Meeting Booked"}
    assert_blind_files_are_safe(changes)


def test_a_filtered_export_missing_a_campaign_leaves_that_campaign_unknown(tmp_path: Path) -> None:
    report, _ = run(tmp_path, members=PLANS / "members-filtered.csv")
    newsletter = pair(report, NEWSLETTER)
    assert [w["code"] for w in newsletter["warnings"]] == ["members_not_in_export"]
    assert all(d["members"] is None for d in newsletter["differences"])
    move = next(a for a in option(newsletter, "B")["actions"] if a["act"] == "move_members")
    assert move["verify"] is True
    # The campaigns it does cover keep their known counts.
    vivatech = pair(report, VIVATECH)
    assert {d["label"]: d["members"] for d in vivatech["differences"]} == {"Meeting Booked": 5}
    assert not [w for w in vivatech["warnings"] if w["code"].startswith("members")]


def test_campaign_totals_prove_coverage_or_contradict_it(tmp_path: Path) -> None:
    report, _ = run(
        tmp_path,
        members=SAMPLES / "salesforce-campaign-members.csv",
        campaigns=PLANS / "campaigns-with-totals.csv",
    )
    newsletter = pair(report, NEWSLETTER)
    warning = next(w for w in newsletter["warnings"] if w["code"] == "members_totals_disagree")
    assert warning["params"] == {"found": "407", "expected": "419"}
    assert all(d["members"] is None for d in newsletter["differences"])
    assert {d["label"]: d["members"] for d in pair(report, VIVATECH)["differences"]} == {
        "Meeting Booked": 5
    }


def test_campaign_totals_of_zero_prove_an_absent_campaign_empty() -> None:
    campaigns = {
        c.key: c for c in read_statuses(SAMPLES / "salesforce-member-statuses.csv").records
    }
    members = read_members(SAMPLES / "salesforce-campaign-members.csv").records
    info = read_campaigns(PLANS / "campaigns-with-totals.csv").records
    assert next(i for i in info if i.campaign_id == TEMPLATE).members == 0
    evidence = member_evidence(members, campaigns, info)
    assert evidence is not None
    assert evidence.counts(TEMPLATE) == {}  # known: no member at all
    assert evidence.counts(NEWSLETTER) is None  # totals disagree
    without_totals = member_evidence(members, campaigns, None)
    assert without_totals is not None
    assert without_totals.counts(TEMPLATE) is None
    assert without_totals.warnings[TEMPLATE].code == "members_not_in_export"


# ---- Finding 9: an empty members export -------------------------------------------------------


def test_an_empty_members_export_is_valid_and_proves_nothing(tmp_path: Path) -> None:
    report, changes = run(tmp_path, members=PLANS / "members-header-only.csv")
    members = next(i for i in report["inputs"] if i["role"] == "members")
    assert members["records"] == 0
    assert [n["code"] for n in members["notes"]] == ["members_export_empty"]
    assert [n["code"] for n in report["notes"]] == ["members_export_empty"]
    assert all(d["members"] is None for p in report["pairs"] for d in p["differences"])
    assert_blind_files_are_safe(changes)


# ---- Finding 2: option B merging statuses of different meaning ---------------------------------


@pytest.mark.parametrize(
    ("channels", "pairs"),
    [
        (SAMPLES / "marketo-channels.json", PLANS / "pairs-webinar-email.csv"),
        (PLANS / "channels-single-status.json", PLANS / "pairs-single-status.csv"),
    ],
    ids=["webinar-on-email-send", "single-status-channel"],
)
def test_a_lossy_plan_is_said_and_never_recommended(
    tmp_path: Path, channels: Path, pairs: Path
) -> None:
    report, changes = run(tmp_path, channels=channels, pairs=pairs)
    (p,) = report["pairs"]
    b = option(p, "B")
    assert b["verified"] is True and b["lossy"] is True
    assert "lossy" in b["check"]
    assert p["remediation"]["recommended"] == "C"
    assert p["remediation"]["reason"]["code"] == "rec_b_lossy"
    assert "touches nothing else" not in p["remediation"]["reason"]["message"]
    attended = next(
        a for a in b["actions"] if a["label"] == "Attended" and a["act"] != "set_responded"
    )
    assert attended["risk"] == "lossy"
    assert attended["loss"]["code"] == "responders_lost"
    assert attended["loss"]["message"] == (
        "Lossy: the “Attended” members (how many is unknown) become non-responders."
    )
    assert attended["loss"]["message"] in attended["text"]
    # Nothing of this plan can be applied blind.
    assert blind_files(changes) == []
    assert_blind_files_are_safe(changes)
    runbook = (changes / "RUNBOOK.md").read_text("utf-8")
    assert "No step can be applied without confirmation" in runbook
    assert "## Confirm first" in runbook and "become non-responders" in runbook


def test_the_reports_say_what_a_lossy_step_loses(tmp_path: Path) -> None:
    args = [
        "compare",
        str(SAMPLES / "marketo-channels.json"),
        str(SAMPLES / "salesforce-member-statuses.csv"),
        "--pairs",
        str(PLANS / "pairs-webinar-email.csv"),
        "--generated-at",
        GENERATED_AT,
        "-o",
        str(tmp_path / "r.md"),
        "-o",
        str(tmp_path / "r.html"),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "⚠ B: Lossy: the “Attended” members (how many is unknown) become non-responders." in (
        result.stdout
    )
    markdown = (tmp_path / "r.md").read_text("utf-8")
    assert "**Recommended: C. Fix the Marketo channel**" in markdown
    assert "Not recommended — B. Fix the Salesforce campaign is lossy:" in markdown
    assert (
        "- Lossy: the “Attended” members (how many is unknown) become non-responders." in markdown
    )
    html = (tmp_path / "r.html").read_text("utf-8")
    assert (
        "tested, but lossy: after these steps the pair syncs, and members lose information" in html
    )
    assert "become non-responders" in html


# ---- Issue 11: member IDs come from the read stage ---------------------------------------------


def moved(changes: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in table(changes / "review-CampaignMember-update.csv"):
        out.setdefault(row["review_current_label"], []).append(row["Id"])
    return out


def test_a_custom_status_column_reaches_the_member_moves(tmp_path: Path) -> None:
    _, changes = run(
        tmp_path,
        members=PLANS / "members-custom-status.csv",
        extra=("--column", "members.status=Statut personnalisé"),
    )
    assert {k: len(v) for k, v in moved(changes).items()} == {"Opened": 66, "Meeting Booked": 5}


def test_deleted_members_are_never_moved(tmp_path: Path) -> None:
    report, changes = run(tmp_path, members=PLANS / "members-deleted.csv")
    binned = [r["Id"] for r in table(PLANS / "members-deleted.csv") if r["IsDeleted"] == "true"]
    assert len(binned) == 2
    ids = moved(changes)
    assert len(ids["Opened"]) == 64 and not set(binned) & set(ids["Opened"])
    move = next(
        a for a in option(pair(report, NEWSLETTER), "B")["actions"] if a["act"] == "move_members"
    )
    assert move["members"] == 64


def test_members_keyed_by_campaign_name_are_moved_by_id(tmp_path: Path) -> None:
    report, changes = run(tmp_path, members=PLANS / "members-by-name.csv")
    move = next(
        a for a in option(pair(report, NEWSLETTER), "B")["actions"] if a["act"] == "move_members"
    )
    assert move["members"] == 66
    ids = moved(changes)
    assert {k: len(v) for k, v in ids.items()} == {"Opened": 66, "Meeting Booked": 5}
    assert all(len(i) == 18 and i.startswith("00v") for v in ids.values() for i in v)


def test_french_review_files_and_runbook(tmp_path: Path) -> None:
    _, changes = run(tmp_path, members=SAMPLES / "salesforce-campaign-members.csv", lang="fr")
    runbook = spaced((changes / "RUNBOOK.md").read_text("utf-8"))
    assert "## À confirmer d’abord" in runbook
    assert "Avec perte : 66 membres « Opened » sont enregistrés comme « Engaged »" in runbook
    # the runbook keeps the no-break spaces of the phrases (they are not drawn as invisible)
    assert "⍽" not in runbook
    sdl = (changes / "CampaignMemberStatus-update.sdl").read_text("utf-8")
    assert sdl.startswith("# Mappage des champs Data Loader")


# ---- Finding 4: every recommendation reason follows from the plan ------------------------------


def premise_holds(name: str, result: Any, plan: Any) -> bool:
    """Derive one premise from the plan and its pair alone (never from the recommending code)."""
    from statusdiff.model import Kind
    from statusdiff.remediate import OptionKey, Risk

    a, b, c = (plan.option(k) for k in (OptionKey.A, OptionKey.B, OptionKey.C))
    blocking = [d for d in result.differences if d.blocking and d.kind is Kind.SALESFORCE_ONLY]
    others = sum(n for _, n in c.blast_counts)
    lossy = any(x.risk is Risk.LOSSY for x in b.actions)
    facts = {
        "a_feasible": a.feasible,
        "a_not_feasible": not a.feasible,
        "c_feasible": c.feasible,
        "c_not_feasible": not c.feasible,
        "b_verified": b.feasible and b.verified is True,
        "b_not_clean": not (b.feasible and b.verified is True),
        "b_lossy": lossy,
        "b_not_lossy": not lossy,
        "all_near_misses": bool(blocking) and all(d.near_match for d in blocking),
        "no_near_misses": not any(d.near_match for d in blocking),
        "channel_shared": others >= 2,
        "channel_not_shared": others == 0 and not c.blast_radius and not c.shared_by,
        "only_salesforce_defaults": bool(blocking)
        and {d.label for d in blocking} <= {"Sent", "Responded"},
        "members_known": all(d.members is not None for d in blocking),
        "channel_tied": len(result.tied) >= 2,
    }
    return facts[name]


def scenario_reports() -> list[Any]:
    from statusdiff.pipeline import Job
    from statusdiff.pipeline import run as run_job

    channels = [str(SAMPLES / "marketo-channels.json")]
    statuses = str(SAMPLES / "salesforce-member-statuses.csv")
    pairs = str(SAMPLES / "program-campaign-pairs.csv")
    jobs = [
        Job(channels, statuses, pairs=pairs),
        Job(
            channels,
            statuses,
            pairs=pairs,
            members=str(SAMPLES / "salesforce-campaign-members.csv"),
        ),
        Job(channels, statuses, pairs=pairs, members=str(PLANS / "members-other-org.csv")),
        Job(channels, statuses, pairs=pairs, members=str(PLANS / "members-filtered.csv")),
        Job(channels, statuses, pairs=pairs, strict=True),
        Job(channels, statuses, pairs=str(PLANS / "pairs-webinar-email.csv")),
        Job(
            [str(PLANS / "channels-single-status.json")],
            statuses,
            pairs=str(PLANS / "pairs-single-status.csv"),
        ),
        # The matrix: every campaign against its closest channel (finding 4 came from here).
        Job(channels, statuses, members=str(SAMPLES / "salesforce-campaign-members.csv")),
        Job(channels, statuses),
    ]
    return [run_job(job, generated_at=GENERATED_AT) for job in jobs]


def test_every_reason_states_premises_that_the_plan_bears_out() -> None:
    from statusdiff.remediate import PREMISES

    seen: set[str] = set()
    for report in scenario_reports():
        for result in report.comparison.pairs:
            plan = report.plans.get(result.index)
            if plan is None:
                continue
            code = plan.reason.code
            seen.add(code)
            assert code in PREMISES, code
            for premise in PREMISES[code]:
                assert premise_holds(premise, result, plan), (code, premise, result.campaign_ref)
    # The scenarios reach the reasons this issue is about, lossy ones included.
    assert {"rec_near_misses", "rec_b_lossy", "rec_members_hold"} <= seen


def test_no_reason_says_nobody_shares_a_channel_others_are_on() -> None:
    from statusdiff.remediate import OptionKey

    seen = 0
    for report in scenario_reports():
        for plan in report.plans.values():
            if plan.reason.code == "rec_members_hold":
                seen += 1
                c = plan.option(OptionKey.C)
                assert not c.blast_radius and sum(n for _, n in c.blast_counts) == 0
    assert seen, "the scenarios reach rec_members_hold"


# ---- Finding 6: a guessed mapping never goes into a blind file, even when nothing is lost -------


def test_a_guessed_rename_of_an_empty_label_is_safe_but_confirmed_first() -> None:
    from statusdiff.comparison import compare
    from statusdiff.model import MemberCounts, Pairing, Source
    from statusdiff.pipeline import Report
    from statusdiff.read import read_channels
    from statusdiff.remediate import OptionKey, Risk, plan_all
    from statusdiff.render.dataloader import render_changes

    channels = read_channels(SAMPLES / "marketo-channels.json").records
    campaigns = read_statuses(SAMPLES / "salesforce-member-statuses.csv").records
    dreamforce = next(c for c in campaigns if c.name == "2026-05 Tradeshow: Dreamforce")
    src = Source("test")
    # The export covers Dreamforce (a known 0 on both labels).
    members = MemberCounts({(dreamforce.key, "Sent"): 0, (dreamforce.key, "Responded"): 0}, src)
    comparison = compare(
        channels,
        campaigns,
        pairings=[Pairing("P", "Tradeshow", dreamforce.key, src)],
        members=members,
    )
    plans = plan_all(comparison)
    b = plans[1].option(OptionKey.B)
    renames = [a for a in b.actions if a.act.value == "rename"]
    assert [(a.label, a.target, a.risk, a.guessed) for a in renames] == [
        ("Sent", "Invited", Risk.SAFE, True),
        ("Responded", "Visited Booth", Risk.SAFE, True),
    ]
    assert not b.lossy
    files = render_changes(Report(comparison, plans, (), GENERATED_AT))
    assert "CampaignMemberStatus-update.csv" not in files
    rows = table_of(files["review-CampaignMemberStatus-update.csv"])
    assert [(r["Label"], r["review_reason"], r["review_risk"]) for r in rows] == [
        ("Invited", "rename_is_a_choice", "safe"),
        ("Visited Booth", "rename_is_a_choice", "safe"),
    ]
    runbook = files["RUNBOOK.md"].decode("utf-8")
    assert "Rename “Sent” to “Invited”. *safe: no near match: statusdiff chose" in runbook


def table_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
