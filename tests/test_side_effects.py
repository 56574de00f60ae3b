"""Library calls leave the process as they found it: collector on, csv field limit unchanged."""

from __future__ import annotations

import csv
import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from statusdiff.errors import StatusDiffError
from statusdiff.read import pausing_gc, read_members, read_statuses

from .conftest import ROOT, SAMPLES

BIG = 200_000
"""Characters of one field: more than csv's default limit (131,072)."""


@pytest.fixture
def big_field_csv(tmp_path: Path) -> Path:
    """A status export with a Description column holding one very long field."""
    path = tmp_path / "statuses-long-description.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(["CampaignId", "Label", "HasResponded", "IsDefault", "Description"])
        writer.writerow(["7015g000001WbQ1AAK", "Attended", "true", "false", "x" * BIG])
        writer.writerow(["7015g000001WbQ1AAK", "Invited", "false", "true", "short"])
    return path


@pytest.fixture
def gc_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Record every gc.disable / gc.enable call (and still make it)."""
    calls: list[str] = []
    disable, enable = gc.disable, gc.enable

    def recording_disable() -> None:
        calls.append("disable")
        disable()

    def recording_enable() -> None:
        calls.append("enable")
        enable()

    monkeypatch.setattr(gc, "disable", recording_disable)
    monkeypatch.setattr(gc, "enable", recording_enable)
    was = gc.isenabled()
    yield calls
    if was:
        enable()


def test_importing_statusdiff_changes_no_csv_limit() -> None:
    code = (
        "import csv; before = csv.field_size_limit(); "
        "import statusdiff, statusdiff.read, statusdiff.read.tables, statusdiff.cli, "
        "statusdiff.pipeline, statusdiff.render.dataloader; "
        "print(before, csv.field_size_limit())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    before, after = out.stdout.split()
    assert before == after == str(131_072)


def test_a_long_field_is_read_and_the_callers_limit_restored(big_field_csv: Path) -> None:
    previous = csv.field_size_limit(5_000)
    try:
        campaigns = read_statuses(big_field_csv).records
        assert [s.label for s in campaigns[0].statuses] == ["Attended", "Invited"]
        assert csv.field_size_limit() == 5_000
    finally:
        csv.field_size_limit(previous)


def test_the_limit_is_restored_when_a_read_fails(tmp_path: Path) -> None:
    bad = tmp_path / "empty.csv"
    bad.write_text("CampaignId,Label\n", encoding="utf-8")
    previous = csv.field_size_limit(5_000)  # the caller's own limit, not csv's default
    try:
        with pytest.raises(StatusDiffError, match="no data rows"):
            read_statuses(bad)
        assert csv.field_size_limit() == 5_000
    finally:
        csv.field_size_limit(previous)


def test_a_library_read_never_switches_the_collector_off(gc_calls: list[str]) -> None:
    assert gc.isenabled()
    read_statuses(SAMPLES / "salesforce-member-statuses.csv")
    read_members(SAMPLES / "salesforce-campaign-members.csv")
    assert gc_calls == []
    assert gc.isenabled()


def test_pausing_gc_is_opt_in_and_scoped(gc_calls: list[str]) -> None:
    with pausing_gc():
        read_statuses(SAMPLES / "salesforce-member-statuses.csv")
        assert gc.isenabled(), "each read switches the collector back on"
    assert gc_calls == ["disable", "enable"]
    read_statuses(SAMPLES / "salesforce-member-statuses.csv")
    assert gc_calls == ["disable", "enable"], "outside the block reads leave it alone"


def test_pausing_gc_keeps_a_collector_the_caller_switched_off(gc_calls: list[str]) -> None:
    gc.disable()
    gc_calls.clear()
    with pausing_gc():
        read_statuses(SAMPLES / "salesforce-member-statuses.csv")
    assert not gc.isenabled()
    assert "enable" not in gc_calls
