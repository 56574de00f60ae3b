"""File names in reports as given on the command line, never a machine's absolute path unless
asked (`--show-paths absolute`), and the demo's reports name its samples beside them (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from statusdiff.cli import app

from .conftest import GENERATED_AT, ROOT

RELATIVE = [
    "compare",
    "samples/marketo-channels.json",
    "samples/salesforce-member-statuses.csv",
    "--pairs",
    "samples/program-campaign-pairs.csv",
    "--generated-at",
    GENERATED_AT,
]


def _files(report: Path) -> list[str]:
    doc = json.loads(report.read_text(encoding="utf-8"))
    return [i["file"] for i in doc["inputs"]]


def test_reports_name_files_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "r.json"
    html = tmp_path / "r.html"
    result = CliRunner().invoke(app, [*RELATIVE, "-o", str(out), "-o", str(html)])
    assert result.exit_code == 1, result.output
    assert sorted(_files(out)) == sorted(
        [
            "samples/marketo-channels.json",
            "samples/salesforce-member-statuses.csv",
            "samples/program-campaign-pairs.csv",
        ]
    )
    assert str(ROOT) not in html.read_text(encoding="utf-8")


def test_show_paths_absolute_on_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "r.json"
    args = [*RELATIVE, "--show-paths", "absolute", "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    files = _files(out)
    assert all(Path(f).is_absolute() for f in files)
    assert str(ROOT / "samples" / "marketo-channels.json") in files


def test_demo_names_its_samples_beside_the_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["demo", "demo"])
    assert result.exit_code == 0, result.output
    files = _files(tmp_path / "demo" / "statusdiff-report.json")
    assert "demo/samples/marketo-channels.json" in files
    for name in ("statusdiff-report.html", "statusdiff-report.md", "statusdiff-after.html"):
        text = (tmp_path / "demo" / name).read_text(encoding="utf-8")
        assert "site-packages" not in text
        assert str(tmp_path) not in text
        assert str(ROOT) not in text
