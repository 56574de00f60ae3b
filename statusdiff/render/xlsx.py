"""Render a Report as Excel (placeholder until the renderer lands)."""

from __future__ import annotations

from pathlib import Path

from ..errors import RenderError
from ..pipeline import Report


def render(report: Report, templates: Path | None = None) -> bytes:
    """Not available yet."""
    raise RenderError("the Excel report is not available in this version")
