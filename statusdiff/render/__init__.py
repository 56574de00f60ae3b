"""Renderers: one module per format, each turning a Report into bytes or byte chunks.

None writes a file: output.write does, atomically.

Every format is one line of `FORMATS`: its name, the file extensions that choose it and the module
of this package that renders it. A renderer module satisfies `RendererModule`: a function
`render(report)` returning bytes or chunks of bytes; a format listed with `uses_templates` also
accepts `templates=` (a folder with the user's copy of the templates). Choosing a format by file
name, the CLI's help and `render()` all read the registry, so adding a format is one module and
one line here. The registry is imported by the CLI at start-up: this module imports no renderer
(nor the pipeline) until a report is rendered.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from ..errors import UsageError
from ..i18n import phrase

if TYPE_CHECKING:
    from ..output import Rendered
    from ..pipeline import Report


class RendererModule(Protocol):
    """What a renderer module offers: `render(report)`, pure (no file is read or written)."""

    def render(self, report: Report, /) -> Rendered:
        """The whole report in this module's format: bytes, or chunks for formats that stream."""
        ...


@dataclass(frozen=True, slots=True)
class Format:
    """One output format: how it is named and chosen, and the module that renders it."""

    name: str
    """Stable name (the JSON report and tests use it): also the first extension without the dot."""
    suffixes: tuple[str, ...]
    """File extensions that choose this format (lower case, with the dot; first = preferred)."""
    module: str
    """The renderer module, imported on first use: relative to statusdiff.render ('.html') or
    absolute."""
    uses_templates: bool = False
    """The renderer accepts `templates=` (--templates)."""

    def renderer(self) -> RendererModule:
        """Import the renderer module."""
        return cast(RendererModule, importlib.import_module(self.module, __name__))


FORMATS: tuple[Format, ...] = (
    Format("html", (".html", ".htm"), ".html", uses_templates=True),
    Format("xlsx", (".xlsx",), ".xlsx"),
    Format("json", (".json",), ".json"),
    Format("md", (".md", ".markdown"), ".markdown"),
)
"""The registry of output formats, in the order help texts list them."""

STDOUT_FORMAT = "json"
"""The format written to stdout for the output name '-'."""


def by_name() -> Mapping[str, Format]:
    """The registered formats by name."""
    return {f.name: f for f in FORMATS}


def by_suffix() -> Mapping[str, Format]:
    """The registered formats by file extension."""
    return {s: f for f in FORMATS for s in f.suffixes}


def suffix_list(conjunction: str = "or") -> str:
    """The preferred extension of every format, for help texts: '.html, .xlsx, .json or .md'."""
    names = [f.suffixes[0] for f in FORMATS]
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def format_named(name: str) -> Format:
    """A format by its name ('html', 'json', …)."""
    names = by_name()
    try:
        return names[name]
    except KeyError:
        raise UsageError(
            phrase("cli.no_format_named", name=name),
            hint=phrase("cli.no_format_named.hint", names=", ".join(names)),
        ) from None


def format_for(path: str) -> Format:
    """Tell the format from an output path's extension ('-' is the stdout format)."""
    if path == "-":
        return format_named(STDOUT_FORMAT)
    found = by_suffix().get(Path(path).suffix.lower())
    if found is None:
        raise UsageError(
            phrase("cli.unknown_format", path=path),
            hint=phrase("cli.unknown_format.hint", suffixes=suffix_list()),
        )
    return found


def render(report: Report, fmt: Format | str, *, templates: Path | None = None) -> Rendered:
    """Render a report in one format (a Format or its name): bytes, or chunks of bytes."""
    chosen = format_named(fmt) if isinstance(fmt, str) else fmt
    module = chosen.renderer()
    if chosen.uses_templates:
        # NOTE: the protocol's render takes the report only; formats that declare
        # uses_templates also take the keyword (checked by tests/test_render_registry.py).
        return cast(_TemplatedRenderer, module).render(report, templates=templates)
    return module.render(report)


class _TemplatedRenderer(Protocol):
    def render(self, report: Report, /, templates: Path | None = None) -> Rendered: ...
