"""The command runs end to end on the bundled samples."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from statusdiff import __version__
from statusdiff.cli import app

from .conftest import sample_args


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"statusdiff {__version__}"


def test_compare_samples_writes_json_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = runner.invoke(app, sample_args("-o", str(out)))
    assert result.exit_code == 1, result.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["summary"]["pairs"] == 7
    assert doc["summary"]["compatible"] == 2
    assert "7 pairs: 2 will sync, 4 will not, 1 cannot be checked" in result.stdout


def test_several_channel_files_are_one_list(runner: CliRunner, tmp_path: Path) -> None:
    from .conftest import REALWORLD

    out = tmp_path / "r.json"
    result = runner.invoke(
        app,
        [
            "compare",
            str(REALWORLD / "marketo-rest-channels-browse-adobe-docs-sample.json"),
            str(REALWORLD / "marketo-soap-getchannels-response-adobe-docs-sample.xml"),
            str(REALWORLD / "npsp-trailhead-dataset-campaignmemberstatus-excerpt.sql"),
            "-o",
            str(out),
            "-q",
        ],
    )
    assert result.exit_code == 1, result.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [i["role"] for i in doc["inputs"]] == ["channels", "channels", "statuses"]
    (note,) = doc["notes"]
    assert (note["code"], note["label"]) == ("duplicate_channel_name", "Blog")
    # Every NPSP campaign needs as many changes on several channels: ties, named as ties.
    assert {c["closest_channel"] for c in doc["campaigns"]} == {None}
    tied = {name for c in doc["campaigns"] for name in c["closest_tied"]}
    assert tied == {"Blog", "Online Advertising", "Tradeshow", "Webinar"}
    assert all(len(c["closest_tied"]) >= 2 for c in doc["campaigns"])
