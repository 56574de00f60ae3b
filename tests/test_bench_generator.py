"""The benchmark's data generator plants answers that statusdiff finds exactly (not timed)."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from statusdiff import ids
from statusdiff.model import Kind
from statusdiff.pipeline import Job, run

from .conftest import GENERATED_AT, ROOT

SMALL = ["--campaigns", "200", "--members", "2000", "--quiet"]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return _generator()


@pytest.fixture(scope="module")
def generated(generator: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench-data")
    assert generator.main([*SMALL, "--out", str(out)]) == 0
    return out


def _answers(folder: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((folder / "answers.json").read_text(encoding="utf-8"))
    return doc


def test_generation_is_deterministic(
    generator: ModuleType, generated: Path, tmp_path: Path
) -> None:
    assert generator.main([*SMALL, "--out", str(tmp_path)]) == 0
    for name in generator.FILES:
        assert (tmp_path / name).read_bytes() == (generated / name).read_bytes(), name


def test_another_seed_gives_other_data(
    generator: ModuleType, generated: Path, tmp_path: Path
) -> None:
    assert generator.main([*SMALL, "--seed", "7", "--formats", "csv", "--out", str(tmp_path)]) == 0
    assert not (tmp_path / "statuses.xlsx").exists()
    assert (tmp_path / "statuses.csv").read_bytes() != (generated / "statuses.csv").read_bytes()


def test_exports_have_the_documented_shape(generated: Path) -> None:
    with (generated / "statuses.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, data = rows[0], rows[1:]
    assert header == ["Id", "CampaignId", "Campaign.Name", "Label", "HasResponded", "IsDefault",
                      "SortOrder"]  # fmt: skip
    first_line = (generated / "statuses.csv").read_text(encoding="utf-8").splitlines()[1]
    assert first_line.startswith('"01Y') and first_line.endswith('"1"'), "every field quoted"
    by_campaign: dict[str, list[list[str]]] = {}
    for row in data:
        for value in (row[0], row[1]):
            assert len(value) == 18 and ids.to18(value) == value
            assert value[15:] == ids.checksum(value[:15])
        by_campaign.setdefault(row[1], []).append(row)
    for rows_of in by_campaign.values():
        assert sum(r[5] == "true" for r in rows_of) == 1, "exactly one default"
        assert any(r[4] == "true" for r in rows_of), "at least one responded status"
    labels = {cid: {r[3] for r in rows_of} for cid, rows_of in by_campaign.items()}
    with (generated / "members.csv").open(encoding="utf-8", newline="") as handle:
        members = list(csv.reader(handle))
    assert members[0] == ["Id", "CampaignId", "LeadId", "ContactId", "Status"]
    assert len(members) == 2001
    assert len({m[0] for m in members[1:]}) == 2000
    for member_id, campaign_id, lead, contact, status in members[1:]:
        assert status in labels[campaign_id]
        assert bool(lead) != bool(contact)
        for value in (member_id, lead or contact):
            assert value[15:] == ids.checksum(value[:15])
    channels = json.loads((generated / "channels.json").read_text(encoding="utf-8"))
    assert channels["success"] is True and len(channels["result"]) == 30
    for channel in channels["result"]:
        first = channel["progressionStatuses"][0]
        assert (first["name"], first["step"]) == ("Not in Program", 0)
        assert {"id", "name", "applicableProgramType"} <= channel.keys()


def test_statuses_xlsx_holds_the_same_rows(generated: Path) -> None:
    from statusdiff.read import read_statuses

    from_csv = read_statuses(generated / "statuses.csv").records
    from_xlsx = read_statuses(generated / "statuses.xlsx").records
    assert [(c.key, [(s.label, s.responded, s.default, s.sort_order) for s in c.statuses])
            for c in from_csv] == [
        (c.key, [(s.label, s.responded, s.default, s.sort_order) for s in c.statuses])
        for c in from_xlsx
    ]  # fmt: skip


def test_statusdiff_finds_exactly_the_planted_answers(generated: Path) -> None:
    _check_planted_answers(generated)


@pytest.mark.parametrize("mode", ["independent", "distinct"])
def test_other_modes_plant_answers_statusdiff_finds(
    generator: ModuleType, tmp_path: Path, mode: str
) -> None:
    assert generator.main([*SMALL, "--mode", mode, "--formats", "csv", "--out", str(tmp_path)]) == 0
    assert _answers(tmp_path)["summary"]["mode"] == mode
    _check_planted_answers(tmp_path)


def _status_sets(folder: Path) -> dict[str, frozenset[tuple[str, str, str]]]:
    """Each campaign's status set (label, responded, default) as read back from statuses.csv."""
    sets: dict[str, set[tuple[str, str, str]]] = {}
    with (folder / "statuses.csv").open(encoding="utf-8", newline="") as handle:
        for row in list(csv.reader(handle))[1:]:
            sets.setdefault(row[1], set()).add((row[3], row[4], row[5]))
    return {key: frozenset(value) for key, value in sets.items()}


def test_realistic_mode_is_the_default_and_clones_templates(generated: Path) -> None:
    answers = _answers(generated)
    summary = answers["summary"]
    assert summary["mode"] == "realistic"
    sets = _status_sets(generated)
    assert summary["distinct_status_sets"] == len(set(sets.values()))
    assert summary["distinct_status_sets"] < len(sets) // 2, "clones share their status sets"
    campaigns = answers["campaigns"]
    assert all(c["template"] is not None for c in campaigns)
    assert set(summary["drifts"]) == {"renamed", "added", "case", "space"}
    by_template: dict[int, list[dict[str, Any]]] = {}
    for campaign in campaigns:
        by_template.setdefault(campaign["template"], []).append(campaign)
    # Clones that did not drift hold exactly their template's labels; drifting ones differ.
    for clones in by_template.values():
        plain = {tuple(c["labels"]) for c in clones if c["drift"] is None}
        assert len(plain) <= 1
        for clone in clones:
            if clone["drift"] is not None and plain:
                assert tuple(clone["labels"]) not in plain, clone["id"]


def test_distinct_mode_gives_every_campaign_its_own_status_set(
    generator: ModuleType, tmp_path: Path
) -> None:
    assert generator.main([*SMALL, "--mode", "distinct", "--formats", "csv", "--out",
                           str(tmp_path)]) == 0  # fmt: skip
    sets = _status_sets(tmp_path)
    assert len(set(sets.values())) == len(sets) == 200
    assert _answers(tmp_path)["summary"]["distinct_status_sets"] == 200


def _check_planted_answers(generated: Path) -> None:
    answers = _answers(generated)
    job = Job(
        channels=[str(generated / "channels.json")],
        statuses=str(generated / "statuses.csv"),
        members=str(generated / "members.csv"),
        campaigns=str(generated / "campaigns.csv"),
        pairs=str(generated / "pairs.csv"),
    )
    report = run(job, generated_at=GENERATED_AT)
    results = report.comparison.pairs
    planted = answers["pairs"]
    assert len(results) == len(planted)
    kinds = answers["summary"]["kinds"]
    assert kinds["near_miss"] > 0
    assert kinds.get("exact", 0) > 0 or answers["summary"]["mode"] == "distinct"
    reasons = answers["summary"]["near_miss_reasons"]
    assert set(reasons) == {"case", "whitespace", "unicode", "similar"}
    for result, expected in zip(results, planted, strict=True):
        where = f"pair {expected['index']} ({expected['campaign_ref']})"
        assert result.index == expected["index"], where
        assert result.campaign_ref == expected["campaign_ref"], where
        if expected["problem"] is not None:
            assert result.problem is not None and result.problem.value == expected["problem"]
            continue
        assert result.problem is None, where
        assert result.campaign is not None and result.campaign.key == expected["campaign_id"]
        assert result.compatible is not expected["blocks"], where
        blocking = {d.label: d for d in result.blocking}
        assert set(blocking) == set(expected["blocking"]), where
        assert all(d.kind is Kind.SALESFORCE_ONLY for d in blocking.values()), where
        near = {n["label"]: n for n in expected["near_misses"]}
        for label, diff in blocking.items():
            if label in near:
                assert diff.near_match is not None, f"{where}: {label!r} has no near match"
                assert diff.near_match.target == near[label]["target"], f"{where}: {label!r}"
                got = [r.value for r in diff.near_match.reasons]
                assert got == near[label]["reasons"], f"{where}: {label!r}"
            else:
                assert diff.near_match is None, f"{where}: {label!r} ~ {diff.near_match}"
    summary = report.comparison.summary
    want = answers["summary"]
    assert (summary.pairs, summary.compatible, summary.incompatible, summary.unresolved) == (
        want["pairs"],
        want["compatible"],
        want["incompatible"],
        want["unresolved"],
    )
    assert summary.blocking_labels == want["blocking_labels"]
    assert summary.near_misses == want["near_misses"]


def test_statusdiff_counts_every_member(generated: Path) -> None:
    from statusdiff.read import read_members

    counts = read_members(generated / "members.csv").records.counts
    assert sum(counts.values()) == 2000
