"""The JSON report, schema version 1: the contract fields, determinism, streaming."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from statusdiff import ids
from statusdiff.cli import app
from statusdiff.comparison import compare
from statusdiff.model import Campaign, Channel, MemberStatus, Pairing, ProgramStatus, Source
from statusdiff.pipeline import Report
from statusdiff.remediate import plan_all
from statusdiff.render.json import INDENT_LIMIT, as_dict, render

from .conftest import SAMPLES, sample_args

PAIR_FIELDS = {
    "program",
    "channel",
    "campaign_id",
    "campaign_name",
    "compatible",
    "differences",
    "warnings",
    "alternatives",
    "remediation",
    "problem",
}
DIFF_FIELDS = {"kind", "label", "near_match", "reasons", "members", "blocking", "changes"}


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    out = tmp_path_factory.mktemp("json") / "report.json"
    result = CliRunner().invoke(app, sample_args("-o", str(out), "--quiet"))
    assert result.exit_code == 1
    loaded: dict = json.loads(out.read_text(encoding="utf-8"))  # type: ignore[type-arg]
    return loaded


def test_top_level_contract(doc: dict) -> None:  # type: ignore[type-arg]
    assert doc["schema_version"] == 1
    assert doc["tool"]["name"] == "statusdiff"
    assert doc["generated_at"] == "2026-03-02T09:00:00Z"
    assert doc["rule"] == "salesforce-subset"
    assert doc["mode"] == "pairs"
    assert {i["role"] for i in doc["inputs"]} == {
        "channels",
        "statuses",
        "members",
        "campaigns",
        "pairs",
    }
    for entry in doc["inputs"]:
        assert {"role", "file", "sha256", "format", "rows"} <= set(entry)
        assert len(entry["sha256"]) == 64
    assert doc["summary"] == {
        "pairs": 7,
        "compatible": 2,
        "incompatible": 4,
        "unresolved": 1,
        "blocking_labels": 8,
        "near_misses": 4,
        "warnings": 3,
        "remediation": {"A": 0, "B": 1, "C": 3},  # lossy plans B are never recommended
    }


def test_pairs_and_differences(doc: dict) -> None:  # type: ignore[type-arg]
    pairs = doc["pairs"]
    assert len(pairs) == 7
    for pair in pairs:
        assert set(pair) >= PAIR_FIELDS
        if pair["campaign_id"] is not None:
            assert len(pair["campaign_id"]) == 18
        for diff in pair["differences"]:
            assert set(diff) >= DIFF_FIELDS
    quality = pairs[1]
    assert (quality["program"], quality["compatible"]) == ("2026-04 Webinar - Data Quality", False)
    # The pairing gave a 15-character ID; the report carries the 18-character form.
    assert quality["campaign_ref"] == "7015gQa00000002"
    assert quality["campaign_id"] == "7015gQa00000002ABA"
    blocking = {d["label"]: d for d in quality["differences"] if d["blocking"]}
    assert set(blocking) == {"No-Show", "Attended ", "Attended On\u2011Demand"}
    trailing = blocking["Attended "]
    assert (trailing["near_match"], trailing["reasons"], trailing["members"]) == (
        "Attended",
        ["whitespace"],
        18,
    )
    (change,) = trailing["changes"]
    assert change["op"] == "delete"
    assert change["label_chars"] == [
        {"char": " ", "code": "U+0020", "name": "SPACE", "invisible": True}
    ]
    assert blocking["Attended On\u2011Demand"]["reasons"] == ["unicode"]
    assert blocking["No-Show"]["reasons"] == ["similar"]
    plan = quality["remediation"]
    assert plan["recommended"] == "B"
    assert plan["reason"]["code"] == "rec_near_misses"
    assert [o["key"] for o in plan["options"]] == ["A", "B", "C"]
    b = plan["options"][1]
    assert [a["act"] for a in b["actions"]] == ["rename", "rename", "rename"]
    assert all(code in doc["constraints"] for o in plan["options"] for code in o["constraints"])
    missing = pairs[6]
    assert (missing["compatible"], missing["problem"]) == (False, "unknown_campaign")
    assert missing["remediation"] is None
    assert missing["problem_message"].startswith("the campaign “7015gQa00000099ABA”")


def test_alternatives_for_a_blocked_webinar(doc: dict) -> None:  # type: ignore[type-arg]
    quality = doc["pairs"][1]
    assert [a["campaign_name"] for a in quality["alternatives"]] == [
        "Webinar template (do not use)"
    ]
    assert quality["alternatives_total"] == 1


def test_same_inputs_same_bytes(runner: CliRunner, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for out in (first, second):
        assert runner.invoke(app, sample_args("-o", str(out), "-q")).exit_code == 1
    assert first.read_bytes() == second.read_bytes()


def test_source_date_epoch_sets_the_time(runner: CliRunner, tmp_path: Path) -> None:
    args = [
        "compare",
        str(SAMPLES / "marketo-channels.json"),
        str(SAMPLES / "salesforce-member-statuses.csv"),
        "-o",
        str(tmp_path / "r.json"),
        "-q",
    ]
    result = runner.invoke(app, args, env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert result.exit_code == 1
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert doc["generated_at"] == "2026-01-01T00:00:00Z"
    assert doc["mode"] == "matrix"
    assert {c["closest_channel"] for c in doc["campaigns"]} >= {"Webinar", "Tradeshow"}


def test_one_pair_exit_codes(runner: CliRunner, tmp_path: Path) -> None:
    base = [
        "compare",
        str(SAMPLES / "marketo-channels.json"),
        str(SAMPLES / "salesforce-member-statuses.csv"),
        "-o",
        str(tmp_path / "one.json"),
        "-q",
    ]
    ok = runner.invoke(app, [*base, "--channel", "Webinar", "--campaign", "7015gQa00000001ABA"])
    assert ok.exit_code == 0
    doc = json.loads((tmp_path / "one.json").read_text(encoding="utf-8"))
    assert doc["mode"] == "single"
    assert doc["summary"]["compatible"] == 1
    blocked = runner.invoke(
        app, [*base, "--channel", "Tradeshow", "--campaign", "2026-05 Tradeshow: Dreamforce"]
    )
    assert blocked.exit_code == 1


def _big_report(n: int) -> Report:
    source = Source("generated")
    channel = Channel(
        "Webinar",
        None,
        (
            ProgramStatus("Invited", 10, False, False, source, 1),
            ProgramStatus("Attended", 20, True, False, source, 2),
        ),
        source,
    )
    campaigns = []
    pairings = []
    for i in range(n):
        key = ids.to18(f"7015gQa{i:08d}")
        labels = ["Invited", "Attended"] if i % 3 else ["Sent", "Attended "]
        statuses = tuple(
            MemberStatus(label, j == 1, j == 0, j + 1, None, source, j)
            for j, label in enumerate(labels)
        )
        campaigns.append(Campaign(key, key, f"Campaign {i}", None, statuses, source))
        pairings.append(Pairing(f"Program {i}", "Webinar", key, source))
    comparison = compare([channel], campaigns, pairings=pairings)
    return Report(comparison, plan_all(comparison), (), "2026-03-02T09:00:00Z")


def test_big_reports_stream_one_compact_line_per_pair() -> None:
    report = _big_report(INDENT_LIMIT + 10)
    chunks = list(render(report))
    assert len(chunks) > 3
    text = b"".join(chunks).decode("utf-8")
    assert json.loads(text) == as_dict(report)
    assert text.count("\n") == INDENT_LIMIT + 10 + 2
    small = b"".join(render(_big_report(5))).decode("utf-8")
    assert small.startswith('{\n  "schema_version": 1')
