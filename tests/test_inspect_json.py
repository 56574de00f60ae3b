"""`inspect --json` prints, for each file, the same entry as the JSON report's `inputs[]`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from statusdiff.cli import app

from .conftest import SAMPLES, sample_args


def test_inspect_json_is_the_reports_input_entry() -> None:
    files = [SAMPLES / "salesforce-member-statuses.csv", SAMPLES / "marketo-channels.json"]
    result = CliRunner().invoke(app, ["inspect", "--json", *map(str, files)])
    assert result.exit_code == 0, result.stderr
    inspected = json.loads(result.stdout)
    assert [entry["file"] for entry in inspected] == [str(f) for f in files]
    assert [entry["role"] for entry in inspected] == ["statuses", "channels"]
    report = CliRunner().invoke(app, sample_args("-o", "-", "--quiet"))
    assert report.exit_code == 1, report.stderr
    inputs = {entry["file"]: entry for entry in json.loads(report.stdout)["inputs"]}
    for entry in inspected:
        assert entry == inputs[entry["file"]]
        assert entry["rows"] > 0 and entry["sha256"]
    assert inspected[0]["columns"], "a CSV's column mapping is shown"
