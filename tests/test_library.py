"""The library API used from a notebook: the same typed results the CLI renders."""

from __future__ import annotations

import subprocess
import sys

import statusdiff
from statusdiff.model import Comparison

from .conftest import GENERATED_AT, ROOT, SAMPLES


def test_read_compare_plan_from_python() -> None:
    channels = statusdiff.read_channels(SAMPLES / "marketo-channels.json").records
    campaigns = statusdiff.read_statuses(SAMPLES / "salesforce-member-statuses.csv").records
    result = statusdiff.compare(channels, campaigns)
    assert isinstance(result, Comparison)
    assert result.mode == "matrix"
    fits = {f.campaign.name: f.closest_channel for f in result.matrix.fits}  # type: ignore[union-attr]
    assert fits["2026-04 Webinar: Data Quality"] == "Webinar"
    plans = statusdiff.plan_all(result)
    assert plans and all(p.recommended.value in "ABC" for p in plans.values())


def test_run_a_whole_job() -> None:
    job = statusdiff.Job(
        channels=[str(SAMPLES / "marketo-channels.json")],
        statuses=str(SAMPLES / "salesforce-member-statuses.csv"),
        pairs=str(SAMPLES / "program-campaign-pairs.csv"),
    )
    report = statusdiff.run(job, generated_at=GENERATED_AT)
    assert report.comparison.summary.pairs == 7
    assert report.exit_code == 1


def test_version_does_not_import_the_heavy_modules() -> None:
    code = (
        "import sys, statusdiff.cli; "
        "print(sorted(m for m in ('rapidfuzz', 'jinja2', 'openpyxl', 'python_calamine', "
        "'statusdiff.comparison') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"
