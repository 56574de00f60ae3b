"""Renderers: one module per format, each turning a Report into bytes or byte chunks.

None writes a file: output.write does, atomically.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import assert_never

from ..errors import UsageError
from ..output import Rendered
from ..pipeline import Report


class OutputFormat(StrEnum):
    """The report formats, chosen by the output file's extension."""

    JSON = "json"
    HTML = "html"
    XLSX = "xlsx"
    MARKDOWN = "md"


_SUFFIXES = {
    ".json": OutputFormat.JSON,
    ".html": OutputFormat.HTML,
    ".htm": OutputFormat.HTML,
    ".xlsx": OutputFormat.XLSX,
    ".md": OutputFormat.MARKDOWN,
    ".markdown": OutputFormat.MARKDOWN,
}


def format_for(path: str) -> OutputFormat:
    """Tell the format from an output path's extension."""
    suffix = Path(path).suffix.lower()
    found = _SUFFIXES.get(suffix)
    if found is None:
        raise UsageError(
            f"cannot tell the report format of '{path}'",
            hint="use a name ending in .html, .xlsx, .json or .md",
        )
    return found


def render(report: Report, fmt: OutputFormat, *, templates: Path | None = None) -> Rendered:
    """Render a report in one format: bytes, or chunks of bytes for formats that stream."""
    if fmt is OutputFormat.JSON:
        from . import json

        return json.render(report)
    if fmt is OutputFormat.HTML:
        from . import html

        return html.render(report, templates=templates)
    if fmt is OutputFormat.XLSX:
        from . import xlsx

        return xlsx.render(report)
    if fmt is OutputFormat.MARKDOWN:
        from . import markdown

        return markdown.render(report)
    assert_never(fmt)
