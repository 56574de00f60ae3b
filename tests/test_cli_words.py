"""The terminal and the CLI in plain words (issue 13, finding 8): which labels block a single
pair, suggestions for names not found, help without Python types or cut descriptions, and the
CLI's own messages in the report's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from statusdiff.cli import app

from .conftest import ROOT, spaced

ONE = [
    "compare",
    "samples/marketo-channels.json",
    "samples/salesforce-member-statuses.csv",
    "--generated-at",
    "2026-03-02T09:00:00Z",
]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_one_pair_names_each_blocking_label_with_its_near_match() -> None:
    args = [*ONE, "--channel", "Webinar", "--campaign", "2026-04 Webinar: Data Quality"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    labels = [line.strip() for line in lines if line.startswith("      · ")]
    assert labels == [
        "· “No-Show” ≈ “No Show”: U+002D HYPHEN-MINUS instead of U+0020 SPACE (at position 3)",
        "· “Attended·” ≈ “Attended”: extra U+0020 SPACE (trailing)",
        "· “Attended On\u2011Demand” ≈ “Attended On-Demand”: U+2011 NON-BREAKING HYPHEN instead "
        "of U+002D HYPHEN-MINUS (at position 12)",
    ]


def test_batch_runs_keep_one_line_per_pair() -> None:
    args = [*ONE, "--pairs", "samples/program-campaign-pairs.csv"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert not [line for line in result.stdout.splitlines() if line.startswith("      · ")]


def test_unknown_channel_did_you_mean_and_the_list() -> None:
    args = [*ONE, "--channel", "Webinars", "--campaign", "2026-04 Webinar: Data Quality"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert (
        "the channel “Webinars” is not in the channel export — did you mean “Webinar”? "
        "channels in the export: Webinar, Tradeshow, Email Send, Content Syndication"
    ) in result.stdout


def test_unknown_campaign_did_you_mean_in_french() -> None:
    args = [*ONE, "--channel", "Webinar", "--campaign", "2026-04 Webinar Data Quality"]
    result = CliRunner().invoke(app, [*args, "--lang", "fr"])
    assert result.exit_code == 1
    assert "vouliez-vous dire « 2026-04 Webinar: Data Quality » ?" in spaced(result.stdout)


def test_unknown_name_without_near_one_gets_no_guess() -> None:
    args = [*ONE, "--channel", "Zzzz", "--campaign", "2026-04 Webinar: Data Quality"]
    result = CliRunner().invoke(app, args)
    assert "did you mean" not in result.stdout
    assert "channels in the export: Webinar" in result.stdout


@pytest.mark.parametrize("command", [[], ["compare"], ["inspect"], ["type-templates"], ["demo"]])
def test_help_has_no_python_types_and_no_cut_descriptions(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"], terminal_width=80)
    assert result.exit_code == 0
    assert not re.search(r"<(list\[|str>|path>|int>|Path>)", result.stdout), result.stdout
    text = "\n".join(line for line in result.stdout.splitlines() if not line.startswith("Usage:"))
    assert "..." not in text


def test_demo_in_french_speaks_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["demo", "d", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert "ouvrez d/statusdiff-report.html dans un navigateur" in result.stdout
    assert "wrote " not in result.output
    assert "écrit : d/statusdiff-report.html" in spaced(result.output)


def test_statuses_missing_is_named_not_a_missing_argument() -> None:
    result = CliRunner().invoke(app, ["compare", "samples/marketo-channels.json"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "Missing argument" not in result.output
    assert lines[0].startswith("error: no Salesforce member statuses among the files")
    assert "--statuses FILE" in lines[0]
