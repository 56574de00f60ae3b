"""The output formats come from one registry: every registered format renders the samples."""

from __future__ import annotations

import inspect
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from statusdiff import render as registry
from statusdiff.cli import app
from statusdiff.errors import UsageError
from statusdiff.pipeline import Job, Report, run

from .conftest import GENERATED_AT, ROOT, sample_args


def _html(data: bytes) -> None:
    text = data.decode("utf-8")
    assert text.lstrip().lower().startswith("<!doctype html>")
    assert text.rstrip().endswith("</html>")


def _xlsx(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert "xl/workbook.xml" in book.namelist()


def _json(data: bytes) -> None:
    doc = json.loads(data)
    assert doc["schema_version"] == 1 and doc["pairs"]


def _markdown(data: bytes) -> None:
    text = data.decode("utf-8")
    assert text.startswith("# ") and "|" in text


CHECKS: dict[str, Callable[[bytes], None]] = {
    "html": _html,
    "xlsx": _xlsx,
    "json": _json,
    "md": _markdown,
}
"""How to tell that bytes are in a format (a new format adds its check here)."""


def render(report: Report) -> bytes:
    """A renderer module in one function: this test module is registered as a format below."""
    return f"{report.comparison.summary.pairs} pairs\n".encode()


@pytest.fixture(scope="module")
def report() -> Report:
    job = Job(
        channels=[str(ROOT / "samples" / "marketo-channels.json")],
        statuses=str(ROOT / "samples" / "salesforce-member-statuses.csv"),
        pairs=str(ROOT / "samples" / "program-campaign-pairs.csv"),
        members=str(ROOT / "samples" / "salesforce-campaign-members.csv"),
        campaigns=str(ROOT / "samples" / "salesforce-campaigns.csv"),
    )
    return run(job, generated_at=GENERATED_AT)


def _bytes(rendered: bytes | object) -> bytes:
    if isinstance(rendered, bytes):
        return rendered
    assert not isinstance(rendered, str)
    return b"".join(rendered)  # type: ignore[call-overload]


def test_every_format_has_a_check() -> None:
    assert [f.name for f in registry.FORMATS] == list(CHECKS)


@pytest.mark.parametrize("fmt", registry.FORMATS, ids=lambda f: f.name)
def test_every_registered_format_renders_the_samples(fmt: registry.Format, report: Report) -> None:
    CHECKS[fmt.name](_bytes(registry.render(report, fmt)))
    assert _bytes(registry.render(report, fmt.name)) == _bytes(registry.render(report, fmt))


@pytest.mark.parametrize("fmt", registry.FORMATS, ids=lambda f: f.name)
def test_renderer_modules_follow_the_protocol(fmt: registry.Format) -> None:
    module = fmt.renderer()
    parameters = inspect.signature(module.render).parameters
    assert next(iter(parameters)) == "report"
    required = [p for p in parameters.values() if p.default is inspect.Parameter.empty]
    assert len(required) == 1, f"{fmt.module}.render needs only the report"
    assert ("templates" in parameters) is fmt.uses_templates


def test_every_suffix_chooses_its_format() -> None:
    for fmt in registry.FORMATS:
        assert fmt.suffixes and all(s.startswith(".") and s == s.lower() for s in fmt.suffixes)
        for suffix in fmt.suffixes:
            assert registry.format_for(f"report{suffix}") is fmt
            assert registry.format_for(f"REPORT{suffix.upper()}") is fmt
    assert registry.format_for("-").name == registry.STDOUT_FORMAT
    suffixes = [s for f in registry.FORMATS for s in f.suffixes]
    assert len(suffixes) == len(set(suffixes)), "one format per extension"


def test_an_unknown_extension_names_the_registered_ones() -> None:
    with pytest.raises(UsageError) as caught:
        registry.format_for("report.pdf")
    assert caught.value.hint is not None
    for fmt in registry.FORMATS:
        assert fmt.suffixes[0] in caught.value.hint
    with pytest.raises(UsageError):
        registry.format_named("pdf")


def test_cli_help_lists_the_registered_formats() -> None:
    result = CliRunner().invoke(app, ["compare", "--help"], terminal_width=200)
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert f"Report file ({registry.suffix_list()};" in text


def test_cli_writes_every_registered_format(tmp_path: Path) -> None:
    outputs = [tmp_path / f"report{f.suffixes[-1]}" for f in registry.FORMATS]
    args = [a for path in outputs for a in ("-o", str(path))]
    result = CliRunner().invoke(app, sample_args(*args, "--quiet"))
    assert result.exit_code == 1, result.stderr
    for fmt, path in zip(registry.FORMATS, outputs, strict=True):
        CHECKS[fmt.name](path.read_bytes())


def test_a_new_format_is_one_module_and_one_registry_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, report: Report
) -> None:
    monkeypatch.setattr(
        registry, "FORMATS", (*registry.FORMATS, registry.Format("txt", (".txt",), __name__))
    )
    out = tmp_path / "pairs.txt"
    result = CliRunner().invoke(app, sample_args("-o", str(out), "--quiet"))
    assert result.exit_code == 1, result.stderr
    assert out.read_bytes() == render(report)
    assert report.comparison.summary.pairs > 1
