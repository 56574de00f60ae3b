"""Shared fixtures: paths to fixture files and samples, a CLI runner, a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

# Property tests check behaviour, never speed: no per-example deadline (a shared CI machine under
# load took 200 ms for one example and failed a correct run).
settings.register_profile("statusdiff", deadline=None)
settings.load_profile("statusdiff")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "samples"
REALWORLD = FIXTURES / "realworld"
GENERATED_AT = "2026-03-02T09:00:00Z"


@pytest.fixture
def runner() -> CliRunner:
    """A Typer CLI runner (stdout and stderr kept apart)."""
    return CliRunner()


def sample_args(*extra: str) -> list[str]:
    """Arguments of a compare over the bundled samples."""
    return [
        "compare",
        str(SAMPLES / "marketo-channels.json"),
        str(SAMPLES / "salesforce-member-statuses.csv"),
        "--pairs",
        str(SAMPLES / "program-campaign-pairs.csv"),
        "--members",
        str(SAMPLES / "salesforce-campaign-members.csv"),
        "--campaigns",
        str(SAMPLES / "salesforce-campaigns.csv"),
        "--generated-at",
        GENERATED_AT,
        *extra,
    ]


def spaced(text: str) -> str:
    """French output with its no-break spaces read as spaces (typography is tested on its own, in
    tests/test_french.py; other tests assert the words)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture(autouse=True)
def _cli_speaks_english_again() -> Iterator[None]:
    """A command run with --lang fr sets the process's message language; the next test starts in
    English (library errors are catalogue phrases in that language, brief cliwords)."""
    yield
    from statusdiff.i18n import set_cli_language

    set_cli_language("en")
