"""Progress shows on a terminal only; --quiet leaves nothing but errors."""

from __future__ import annotations

import io
from pathlib import Path

from typer.testing import CliRunner

from statusdiff.cli import app
from statusdiff.pipeline import Job, run
from statusdiff.progress import NoProgress, TerminalProgress, for_stream

from .conftest import GENERATED_AT, SAMPLES, sample_args


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_is_off_when_stderr_is_not_a_terminal() -> None:
    assert isinstance(for_stream(io.StringIO()), NoProgress)
    assert isinstance(for_stream(FakeTerminal(), quiet=True), NoProgress)


def test_terminal_progress_draws_each_stage() -> None:
    stream = FakeTerminal()
    progress = for_stream(stream)
    assert isinstance(progress, TerminalProgress)
    job = Job(
        channels=[str(SAMPLES / "marketo-channels.json")],
        statuses=str(SAMPLES / "salesforce-member-statuses.csv"),
        members=str(SAMPLES / "salesforce-campaign-members.csv"),
    )
    try:
        run(job, generated_at=GENERATED_AT, progress=progress)
    finally:
        progress.close()
    drawn = stream.getvalue()
    assert "salesforce-campaign-members.csv" in drawn
    assert "comparing" in drawn


def test_pipes_get_no_progress_and_quiet_prints_nothing(runner: CliRunner, tmp_path: Path) -> None:
    normal = runner.invoke(app, sample_args("-o", str(tmp_path / "r.json")))
    assert normal.exit_code == 1
    assert normal.stderr == ""
    assert "7 pairs" in normal.stdout
    quiet = runner.invoke(app, sample_args("-o", str(tmp_path / "q.json"), "--quiet"))
    assert quiet.exit_code == 1
    assert quiet.stdout == "" and quiet.stderr == ""


def test_json_on_stdout_moves_the_summary_to_stderr(runner: CliRunner) -> None:
    result = runner.invoke(app, sample_args("-o", "-"))
    assert result.exit_code == 1
    assert result.stdout.lstrip().startswith("{")
    assert "7 pairs" in result.stderr
