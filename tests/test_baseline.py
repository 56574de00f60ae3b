"""Close the ticket: `compare … --baseline BEFORE.json` on fixtures that simulate the whole loop.

The fixtures (tests/fixtures/baseline/, written by make_baseline_fixtures.py) hold one org before
and after a change ticket, exported twice: with record IDs (Data Loader) and without (a report).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright
from typer.testing import CliRunner

from statusdiff import baseline as bl
from statusdiff.cli import app
from statusdiff.comparison import compare
from statusdiff.read import read

from .conftest import FIXTURES, GENERATED_AT, SAMPLES, spaced
from .test_html_browser import ARGS, CHROMIUM, Opened

LOOP = FIXTURES / "baseline"
CHANNELS = str(LOOP / "channels.json")
PAIRS = str(LOOP / "pairs.csv")
MEMBERS = str(LOOP / "members-before.csv")


def _before(runner: CliRunner, tmp_path: Path, variant: str) -> Path:
    """The ticket's first report, with its change files, as a consultant runs it."""
    out = tmp_path / "before.json"
    result = runner.invoke(
        app,
        [
            "compare",
            CHANNELS,
            str(LOOP / f"statuses-before-{variant}.csv"),
            "--pairs",
            PAIRS,
            "--members",
            MEMBERS,
            "-o",
            str(out),
            "--changes",
            str(tmp_path / "dataloader"),
            "--generated-at",
            "2026-03-01T08:00:00Z",
            "-q",
        ],
    )
    assert result.exit_code == 1, result.stderr
    return out


def _after(
    runner: CliRunner,
    tmp_path: Path,
    statuses: Path | str,
    before: Path,
    *extra: str,
    channels: str = CHANNELS,
    pairs: str = PAIRS,
) -> tuple[Any, dict[str, Any]]:
    out = tmp_path / "after.json"
    result = runner.invoke(
        app,
        [
            "compare",
            channels,
            str(statuses),
            *(["--pairs", pairs] if pairs else []),
            "--baseline",
            str(before),
            "-o",
            str(out),
            "--generated-at",
            GENERATED_AT,
            *extra,
        ],
    )
    doc = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    return result, doc


def _states(doc: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {
        (p["program"], a["action"], a["label"]): a for p in doc["pairs"] for a in p["plan_check"]
    }


@pytest.mark.parametrize("variant", ["ids", "report"])
def test_loop_reports_applied_missed_and_diverted_changes(
    runner: CliRunner, tmp_path: Path, variant: str
) -> None:
    before = _before(runner, tmp_path, variant)
    result, doc = _after(runner, tmp_path, LOOP / f"statuses-after-{variant}.csv", before)
    assert result.exit_code == 1, result.stderr
    outcome = (
        "4 of 6 planned changes applied (1 not applied, 1 applied differently); "
        "3 of 6 pairs now sync; 2 unexpected changes"
    )
    assert result.stdout.splitlines()[0] == outcome
    assert doc["schema_version"] == 1
    assert doc["baseline"] == {
        "file": str(before),
        "sha256": hashlib.sha256(before.read_bytes()).hexdigest(),
        "generated_at": "2026-03-01T08:00:00Z",
        "tool_version": doc["tool"]["version"],
        "changes_written": True,
    }
    check = doc["plan_check"]
    assert (check["planned"], check["applied"], check["not_applied"]) == (6, 4, 1)
    assert (check["applied_differently"], check["unexpected"]) == (1, 2)
    assert check["outcome"] == outcome
    changes = {p["program"]: p["change"] for p in doc["pairs"]}
    assert changes == {
        "Program A": "fixed",
        "Program B": "still_blocked",
        "Program C": "still_blocked",
        "Program D": "fixed",
        "Program E": "still_syncs",
        "Program F": "broke",
    }
    f = next(p for p in doc["pairs"] if p["program"] == "Program F")
    assert f["before"] == {"compatible": True, "blocking": 0}
    states = _states(doc)
    assert {k: v["state"] for k, v in states.items()} == {
        ("Program A", "rename", "No-Show"): "applied",
        ("Program A", "rename", "Attended "): "applied",
        ("Program B", "rename", "Registerd"): "not_applied",
        ("Program B", "delete", "Cancelled"): "applied",
        ("Program C", "rename", "Visited booth"): "applied_differently",
        ("Program D", "delete", "Opened"): "applied",
    }
    diverted = states[("Program C", "rename", "Visited booth")]
    assert (diverted["target"], diverted["found"]) == ("Visited Booth", "Booth Visit")
    with_ids = variant == "ids"
    assert (diverted["record_id"] is not None) is with_ids
    unexpected = {
        p["program"]: [(u["change"], u["before"], u["after"]) for u in p["unexpected"]]
        for p in doc["pairs"]
        if p["unexpected"]
    }
    assert set(unexpected) == {"Program E", "Program F"}
    ((change, was, now),) = unexpected["Program E"]
    assert change == "reflagged"
    assert (was["label"], was["responded"], now["label"], now["responded"]) == (
        "Registered",
        False,
        "Registered",
        True,
    )
    ((change, was, now),) = unexpected["Program F"]
    assert (change, was, now["label"]) == ("added", None, "Meeting Booked")
    records = [u["record_id"] for p in doc["pairs"] for u in p["unexpected"]]
    assert all(r is not None for r in records) is with_ids
    assert all(r is None for r in records) is not with_ids


def test_without_change_files_the_recommended_option_is_the_plan(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "before.json"
    first = runner.invoke(
        app,
        ["compare", CHANNELS, str(LOOP / "statuses-before-ids.csv"), "--pairs", PAIRS,
         "--members", MEMBERS, "-o", str(out), "-q"],
    )  # fmt: skip
    assert first.exit_code == 1
    assert "changes" not in json.loads(out.read_text(encoding="utf-8"))["options"]
    result, doc = _after(runner, tmp_path, LOOP / "statuses-after-ids.csv", out)
    assert result.exit_code == 1
    assert doc["baseline"]["changes_written"] is False
    assert doc["plan_check"]["planned"] == 6


def _fully_applied(tmp_path: Path) -> Path:
    """The after export with the missed and diverted changes done and the hand edits undone."""
    text = (LOOP / "statuses-after-ids.csv").read_text(encoding="utf-8-sig")
    text = text.replace('"Registerd"', '"Registered"').replace('"Booth Visit"', '"Visited Booth"')
    text = text.replace('"Webinar E","Registered","true"', '"Webinar E","Registered","false"')
    text = "\n".join(line for line in text.splitlines() if "Meeting Booked" not in line) + "\n"
    path = tmp_path / "statuses-done.csv"
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_everything_applied_exits_0_and_says_so(runner: CliRunner, tmp_path: Path) -> None:
    before = _before(runner, tmp_path, "ids")
    result, doc = _after(runner, tmp_path, _fully_applied(tmp_path), before)
    assert result.exit_code == 0, result.stdout
    assert doc["plan_check"]["outcome"] == (
        "6 of 6 planned changes applied; all 6 pairs now sync; no unexpected change"
    )
    assert all(not p["unexpected"] for p in doc["pairs"])


def test_a_change_applied_differently_exits_1_even_when_every_pair_syncs(
    runner: CliRunner, tmp_path: Path
) -> None:
    before = _before(runner, tmp_path, "ids")
    done = _fully_applied(tmp_path)
    lines = done.read_text(encoding="utf-8-sig").splitlines()
    done.write_text(
        "\n".join(
            line for line in lines if "Visited Booth" not in line or "Tradeshow C" not in line
        )
        + "\n",
        encoding="utf-8-sig",
    )
    result, doc = _after(runner, tmp_path, done, before)
    assert doc["summary"]["compatible"] == doc["summary"]["pairs"] == 6
    assert result.exit_code == 1
    state = _states(doc)[("Program C", "rename", "Visited booth")]
    assert (state["state"], state["detail"]) == ("applied_differently", "deleted_instead")


def test_new_and_gone_pairs(runner: CliRunner, tmp_path: Path) -> None:
    before = _before(runner, tmp_path, "ids")
    rows = (LOOP / "pairs.csv").read_text(encoding="utf-8").splitlines()
    kept = [r for r in rows if not r.startswith("Program F")]
    kept.append(rows[-2].replace("Program E", "Program G"))
    pairs = tmp_path / "pairs-after.csv"
    pairs.write_text("\n".join(kept) + "\n", encoding="utf-8")
    result, doc = _after(
        runner, tmp_path, LOOP / "statuses-after-ids.csv", before, pairs=str(pairs)
    )
    assert result.exit_code == 1
    g = next(p for p in doc["pairs"] if p["program"] == "Program G")
    assert (g["change"], g["before"], g["plan_check"], g["unexpected"]) == (
        "new_pair",
        None,
        [],
        [],
    )
    (gone,) = doc["gone_pairs"]
    assert (gone["program"], gone["change"], gone["before"]["compatible"]) == (
        "Program F",
        "gone",
        True,
    )
    assert doc["plan_check"]["changes"]["gone"] == 1
    assert doc["plan_check"]["changes"]["new_pair"] == 1


def test_a_channel_missing_today_is_a_note(runner: CliRunner, tmp_path: Path) -> None:
    before = _before(runner, tmp_path, "ids")
    channels = json.loads(Path(CHANNELS).read_text(encoding="utf-8"))
    channels["result"] = [c for c in channels["result"] if c["name"] != "Newsletter"]
    path = tmp_path / "channels-after.json"
    path.write_text(json.dumps(channels), encoding="utf-8")
    result, doc = _after(
        runner, tmp_path, LOOP / "statuses-after-ids.csv", before, channels=str(path)
    )
    assert result.exit_code == 1
    notes = [n for n in doc["notes"] if n["code"] == "baseline_channel_gone"]
    assert [n["label"] for n in notes] == ["Newsletter"]
    assert "Newsletter" in notes[0]["message"]


def test_markdown_and_html_lead_with_the_outcome(runner: CliRunner, tmp_path: Path) -> None:
    before = _before(runner, tmp_path, "report")
    md = tmp_path / "after.md"
    html = tmp_path / "after.html"
    result, _ = _after(
        runner,
        tmp_path,
        LOOP / "statuses-after-report.csv",
        before,
        "-o",
        str(md),
        "-o",
        str(html),
        "--lang",
        "fr",
    )
    assert result.exit_code == 1, result.stderr
    outcome = (
        "4 modifications prévues sur 6 appliquées (1 non appliquée, 1 appliquée autrement) ; "
        "3 paires sur 6 se synchronisent désormais ; 2 changements inattendus"
    )
    lines = spaced(md.read_text(encoding="utf-8")).splitlines()
    assert lines[0].startswith("# Ticket de modification")
    assert lines[2] == f"**{outcome}**"
    assert "| 3 | Tradeshow C | Renommez « Visited booth » en « Visited Booth »." in spaced(
        md.read_text(encoding="utf-8")
    )
    page = spaced(html.read_text(encoding="utf-8"))
    assert page.index(f"<h1>{outcome}</h1>") < page.index("<main>") < page.index('id="closing"')
    assert page.index(outcome) < page.index("6 paires")
    assert page.index('id="closing"') < page.index('id="audit"')
    assert "appliquée autrement" in page


def test_channel_edits_are_checked_in_todays_channel_export(tmp_path: Path) -> None:
    planned = bl.Planned("add_channel_status", "marketo_admin", "Booth Visit", step=25)
    earlier = bl.Baseline(
        "before.json",
        "0" * 64,
        None,
        None,
        None,
        False,
        (
            bl.BeforePair(
                1,
                "Program C",
                "Tradeshow",
                (LOOP / "pairs.csv").read_text(encoding="utf-8").splitlines()[3].split(",")[2],
                None,
                None,
                False,
                None,
                1,
                (),
                (planned,),
            ),
        ),
    )
    statuses = read(str(LOOP / "statuses-after-ids.csv")).records
    pairings = [p for p in read(PAIRS).records if p.program == "Program C"]

    def state(channels_file: str) -> bl.ActionCheck:
        result = compare(read(channels_file).records, statuses, pairings=pairings)
        (pair,) = bl.check(earlier, result).pairs.values()
        (action,) = pair.actions
        return action

    missed = state(CHANNELS)
    assert (missed.state, missed.detail) == (bl.State.NOT_APPLIED, "channel_lacks")
    doc = json.loads(Path(CHANNELS).read_text(encoding="utf-8"))
    tradeshow = next(c for c in doc["result"] if c["name"] == "Tradeshow")
    tradeshow["progressionStatuses"].append(
        {"name": "Booth Visit", "step": 25, "hidden": False, "success": True}
    )
    edited = tmp_path / "channels-edited.json"
    edited.write_text(json.dumps(doc), encoding="utf-8")
    assert state(str(edited)).state is bl.State.APPLIED


# ------------------------------------------------------------------------------------------------
# A baseline that is not one: one line, exit 2, never a traceback
# ------------------------------------------------------------------------------------------------


def _schema_2(tmp_path: Path) -> Path:
    doc = {"schema_version": 2, "tool": {"name": "statusdiff", "version": "9.0"}, "pairs": []}
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


BAD_BASELINES = {
    "missing": (lambda tmp: tmp / "nope.json", "the earlier report does not exist"),
    "not json": (lambda tmp: LOOP / "pairs.csv", "the earlier report is not JSON"),
    "foreign json": (lambda tmp: LOOP / "channels.json", "this JSON is not a statusdiff report"),
    "other schema": (
        _schema_2,
        "the earlier report has JSON schema version 2; this statusdiff reads version 1",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_BASELINES))
def test_unusable_baseline_is_one_line(runner: CliRunner, tmp_path: Path, case: str) -> None:
    make, expected = BAD_BASELINES[case]
    path = make(tmp_path)
    result, _ = _after(runner, tmp_path, LOOP / "statuses-after-ids.csv", path)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {path}: {expected}"), line
    assert " — " in line
    assert "Traceback" not in result.stderr + result.stdout


def test_baseline_of_other_programs_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    other = tmp_path / "samples.json"
    first = runner.invoke(
        app,
        ["compare", str(SAMPLES / "marketo-channels.json"),
         str(SAMPLES / "salesforce-member-statuses.csv"), "--pairs",
         str(SAMPLES / "program-campaign-pairs.csv"), "-o", str(other), "-q"],
    )  # fmt: skip
    assert first.exit_code == 1
    result, _ = _after(runner, tmp_path, LOOP / "statuses-after-ids.csv", other, "--lang", "fr")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {other}: le rapport précédent n’a aucune paire"), line


def test_truncated_pair_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    before = _before(runner, tmp_path, "ids")
    doc = json.loads(before.read_text(encoding="utf-8"))
    del doc["pairs"][2]["compatible"]
    before.write_text(json.dumps(doc), encoding="utf-8")
    result, _ = _after(runner, tmp_path, LOOP / "statuses-after-ids.csv", before)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {before}: pair 2 of the earlier report")


def test_actions_read_tolerantly(runner: CliRunner, tmp_path: Path) -> None:
    """Fields added to actions by a later version (a risk level, say) change nothing."""
    before = _before(runner, tmp_path, "ids")
    doc = json.loads(before.read_text(encoding="utf-8"))
    for pair in doc["pairs"]:
        for option in (pair["remediation"] or {}).get("options", []):
            for action in option["actions"]:
                action["risk"] = "review"
    before.write_text(json.dumps(doc), encoding="utf-8")
    result, after = _after(runner, tmp_path, LOOP / "statuses-after-ids.csv", before)
    assert result.exit_code == 1
    assert after["plan_check"]["planned"] == 6


def test_demo_writes_the_after_example(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.stderr
    doc = json.loads((tmp_path / "demo" / "statusdiff-after.json").read_text(encoding="utf-8"))
    check = doc["plan_check"]
    # Dreamforce and the Newsletter were advised C (B is lossy), and fixed through B's review
    # files instead: those steps count as applied, the channel edits are no longer owed.
    # Vivatech's channel edit was not made (the channel export is unchanged).
    assert (check["planned"], check["applied"], check["not_applied"]) == (9, 7, 1)
    assert (check["applied_differently"], check["unexpected"]) == (1, 1)
    assert doc["baseline"]["file"].endswith("statusdiff-report.json")
    for ext in ("html", "xlsx", "md"):
        assert (tmp_path / "demo" / f"statusdiff-after.{ext}").stat().st_size > 0


def test_a_big_streamed_report_reads_like_an_indented_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports over 2,000 pairs are written one pair per line; they are read one line at a time."""
    from statusdiff.pipeline import Job, run
    from statusdiff.render import json as render_json

    job = Job(channels=[CHANNELS], statuses=str(LOOP / "statuses-before-ids.csv"), pairs=PAIRS)
    report = run(job, generated_at=GENERATED_AT)
    indented = b"".join(render_json.render(report))
    monkeypatch.setattr(render_json, "INDENT_LIMIT", 1)
    streamed = b"".join(render_json.render(report))
    assert streamed.startswith(b'{"schema_version":1,') and streamed.count(b"\n") == 8
    one = bl.parse(indented, "indented.json")
    other = bl.parse(streamed, "streamed.json")
    assert len(one.pairs) == 6
    assert one.pairs == other.pairs
    cut = streamed[: streamed.rindex(b"\n]")]
    with pytest.raises(bl.BaselineError, match="not JSON"):
        bl.parse(cut, "cut.json")


def test_rule_change_is_a_note_and_library_names(runner: CliRunner, tmp_path: Path) -> None:
    import statusdiff

    before = _before(runner, tmp_path, "ids")
    result, doc = _after(runner, tmp_path, LOOP / "statuses-after-ids.csv", before, "--strict")
    assert result.exit_code == 1
    (note,) = [n for n in doc["notes"] if n["code"] == "baseline_rule_differs"]
    assert note["params"] == {"before": "salesforce-subset", "now": "exact-set"}
    earlier = statusdiff.read_baseline(str(before))
    channels = statusdiff.read_channels(CHANNELS).records
    statuses = statusdiff.read_statuses(str(LOOP / "statuses-after-ids.csv")).records
    pairings = statusdiff.read_pairs(PAIRS).records
    closing = statusdiff.check_baseline(
        earlier, statusdiff.compare(channels, statuses, pairings=pairings)
    )
    assert (closing.planned, closing.applied, closing.unexpected) == (6, 4, 2)
    assert closing.failed


def test_matrix_runs_follow_each_campaign(runner: CliRunner, tmp_path: Path) -> None:
    """Without pairing, a campaign's closest channel may change with the fix: still followed."""
    before = tmp_path / "matrix.json"
    samples = [str(SAMPLES / "marketo-channels.json")]
    first = runner.invoke(
        app,
        ["compare", *samples, str(SAMPLES / "salesforce-member-statuses.csv"), "-o", str(before),
         "-q"],
    )  # fmt: skip
    assert first.exit_code == 1
    result, doc = _after(
        runner,
        tmp_path,
        SAMPLES / "salesforce-member-statuses-after.csv",
        before,
        channels=samples[0],
        pairs="",
    )
    assert result.exit_code == 1, result.stderr
    assert doc["mode"] == "matrix"
    changes = doc["plan_check"]["changes"]
    assert (changes["new_pair"], changes["gone"], changes["fixed"]) == (0, 0, 2)


@pytest.mark.browser
def test_after_report_in_a_browser(runner: CliRunner, tmp_path: Path) -> None:
    before = _before(runner, tmp_path, "ids")
    html = tmp_path / "after.html"
    result, doc = _after(runner, tmp_path, LOOP / "statuses-after-ids.csv", before, "-o", str(html))
    assert result.exit_code == 1
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            opened = Opened(page, html)
            heading = page.get_by_role("heading", level=1)
            assert heading.inner_text() == doc["plan_check"]["outcome"]
            assert heading.is_visible()
            row = page.locator("#closing").get_by_role("row").filter(has_text="Booth Visit")
            assert row.is_visible()
            assert "applied differently" in row.inner_text()
            page.wait_for_load_state("networkidle")
            assert opened.requests == [opened.url]
            assert opened.errors == []
        finally:
            browser.close()


def test_option_c_rename_onto_the_channel_spelling_is_checked_as_a_rename() -> None:
    """Option C's `use_channel_status` step renames a Salesforce label ("3 No Show" → "No Show"):
    it was read as an unchecked action, so applying it showed as an unexpected change."""
    planned = bl._planned(
        {"act": "use_channel_status", "label": "3 No Show", "target": "No Show", "owner": "x"}
    )
    assert planned.act == "rename"
    assert planned.act in bl.CHECKED
