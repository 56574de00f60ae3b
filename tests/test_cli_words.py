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


# --- cliwords: --help from the catalogue, English unless STATUSDIFF_LANG=fr ---------------------


def _help_texts(lang: str) -> list[re.Pattern[str]]:
    """Every cli.help.* text of a language, as a pattern (a {parameter} stands for any text)."""
    from statusdiff.i18n import messages, typeset

    patterns = []
    for key, entry in messages().items():
        if key.startswith("cli.help."):
            pieces = re.split(r"\{\w+\}", typeset(entry[lang], lang))
            patterns.append(re.compile(".+".join(re.escape(p) for p in pieces)))
    return patterns


def _from_catalogue(text: str | None, patterns: list[re.Pattern[str]]) -> bool:
    return bool(text) and any(p.fullmatch(text or "") for p in patterns)


def test_every_command_and_option_has_a_help_text_from_the_catalogue() -> None:
    import typer
    import typer.main
    from typer.core import TyperGroup

    from statusdiff.cli import help_language

    patterns = _help_texts(help_language())
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    ctx = typer.Context(group)
    commands = [group, *group.commands.values()]
    assert len(commands) == 5
    for command in commands:
        where = command.name
        if command is not group:
            assert _from_catalogue(command.help, patterns), (where, command.help)
            assert _from_catalogue(command.short_help, patterns), (where, command.short_help)
        params = [*command.params, command.get_help_option(ctx)]
        for param in params:
            assert param is not None
            text = getattr(param, "help", None)
            assert _from_catalogue(text, patterns), (where, param.name, text)
    assert _from_catalogue(group.help, patterns)


_WIDE_HELP = (
    "import sys; from statusdiff.cli import app; "
    "app([sys.argv[1], '--help'], terminal_width=1000, max_content_width=1000)"
)
"""--help of a command in a fresh interpreter (the help language is read at start), unwrapped."""


def _help(command: str, lang: str | None) -> str:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "STATUSDIFF_LANG"}
    if lang is not None:
        env["STATUSDIFF_LANG"] = lang
    done = subprocess.run(
        [sys.executable, "-c", _WIDE_HELP, command],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_help_is_french_when_the_environment_asks() -> None:
    from statusdiff.i18n import Catalog

    fr, en = Catalog("fr"), Catalog("en")
    text = _help("compare", "fr")
    for key in ("compare", "compare.channels", "compare.strict", "help", "lang.report"):
        assert fr(f"cli.help.{key}") in text, key
        assert en(f"cli.help.{key}") not in text, key
    assert "Une paire\u00a0: le nom du canal." in text
    assert "Fichier de rapport (.html, .xlsx, .json ou .md\u202f; «\u202f-\u202f» = JSON" in text


def test_help_is_english_by_default_and_for_an_unknown_language() -> None:
    for lang in (None, "de"):
        text = _help("compare", lang)
        assert "One pair: the channel's name." in text
        assert "Report file (.html, .xlsx, .json or .md; '-' = JSON on stdout)." in text
        assert "Une paire" not in text


# --- cliwords: inspect --lang ------------------------------------------------------------------

REPORT_XLSX = "samples/salesforce-member-statuses-report.xlsx"
DIALECTS = Path("tests/fixtures/dialects")


def test_inspect_speaks_english_by_default_unchanged() -> None:
    result = CliRunner().invoke(app, ["inspect", REPORT_XLSX])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1:6] == [
        "  role:       statuses (Salesforce member statuses)",
        "  role by:    its content (one table)",
        "  format:     xlsx",
        "  table:      Campaign Member Statuses",
        "  header row: 5",
    ]
    assert "  rows read:  32; records: 7" in lines
    assert "  skipped:    2 × blank rows (rows 33, 35)" in lines
    assert "  filled down: 20" in lines


def test_inspect_in_french() -> None:
    result = CliRunner().invoke(
        app,
        ["inspect", "--lang", "fr", REPORT_XLSX, str(DIALECTS / "statuses-multisheet.xlsx")],
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1:6] == [
        "  rôle\u00a0:            statuses (Statuts de membres Salesforce)",
        "  rôle d’après\u00a0:    son contenu (un tableau)",
        "  format\u00a0:          xlsx",
        "  table\u00a0:           Campaign Member Statuses",
        "  ligne d’en-tête\u00a0: 5",
    ]
    text = spaced(result.stdout)
    assert "  lignes lues :     32 ; enregistrements : 7" in text
    assert "  lignes sautées :  2 × lignes vides (lignes 33, 35)" in text
    assert "  table :           Export (aussi : Notes, Scratch)" in text
    for english in ("role:", "role by:", "header row:", "rows read:", "skipped:", "records:"):
        assert english not in result.stdout


def test_inspect_json_and_errors_follow_lang() -> None:
    import json

    result = CliRunner().invoke(app, ["inspect", "--lang", "fr", "--json", REPORT_XLSX])
    assert result.exit_code == 0, result.output
    (doc,) = json.loads(result.stdout)
    messages = [s["message"] for s in doc["skipped"]]
    assert "lignes vides" in messages
    result = CliRunner().invoke(app, ["inspect", "--lang", "fr", "tests/fixtures/bad/empty.csv"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: tests/fixtures/bad/empty.csv: le fichier est vide")
