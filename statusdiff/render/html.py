"""Render a Report as one self-contained HTML file: a view model in Python, templates to print it.

The page loads nothing: CSS and the small filter script are inlined from the templates folder, and
a Content-Security-Policy allows exactly those two (by SHA-256) and data: images, nothing else. A
consultancy can brand the report with its own copy of the templates (`--templates DIR`); a broken
copy fails with one line naming the template file and line, never a traceback.
"""

from __future__ import annotations

import base64
import hashlib
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..errors import RenderError
from ..i18n import Catalog, phrase
from ..pipeline import Report
from . import htmlview

TEMPLATE = "report.html.j2"
STYLESHEET = "report.css"
SCRIPT = "report.js"


def _hint() -> str:
    return phrase("cli.template.hint")


def templates_folder(templates: Path | None = None) -> Path:
    """The templates to use: the given folder, else the installed package's, else the checkout's."""
    if templates is not None:
        return templates
    packaged = resources.files("statusdiff") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "templates"


class _Loader(jinja2.FileSystemLoader):
    """Load templates as UTF-8, naming the file that is not."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            raise RenderError(
                phrase("cli.template.not_utf8", reason=exc.reason, byte=exc.start),
                file=str(Path(self.searchpath[0]) / template),
                hint=_hint(),
            ) from None


def environment(folder: Path) -> jinja2.Environment:
    """A Jinja environment that escapes everything and fails on any undefined name."""
    return jinja2.Environment(
        loader=_Loader(str(folder), encoding="utf-8"),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "htm", "j2"), default_for_string=True, default=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(css: str, js: str) -> str:
    """Allow the inline stylesheet and script (by hash) and data: images; forbid everything else."""
    return "; ".join(
        (
            "default-src 'none'",
            f"style-src {_sha256(css)}",
            f"script-src {_sha256(js)}",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )


def _asset(env: jinja2.Environment, folder: Path, name: str, closing: str) -> str:
    """Read a stylesheet or script to inline, refusing one that would close its own element."""
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    if closing in source.lower():
        raise RenderError(
            phrase("cli.template.closes_element", name=name, closing=closing),
            file=str(folder / name),
            hint=_hint(),
        )
    return source


def _where(exc: BaseException, folder: Path) -> tuple[str | None, int | None]:
    """The template file and line an error was raised from (Jinja maps frames to template lines)."""
    filename = getattr(exc, "filename", None)
    lineno = getattr(exc, "lineno", None)
    if isinstance(exc, jinja2.TemplateSyntaxError) and filename:
        return filename, lineno
    root = folder.resolve()
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        if path.suffix == ".j2" or path.parent.resolve() == root:
            found = (frame.filename, frame.lineno)
    return found


def _message(exc: BaseException) -> str:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return phrase("cli.template.syntax", detail=exc.message)
    if isinstance(exc, jinja2.UndefinedError):
        return phrase("cli.template.undefined", detail=exc.message)
    if isinstance(exc, KeyError):
        return phrase("cli.template.error", detail=exc.args[0] if exc.args else exc)
    return phrase("cli.template.error", detail=exc)


BUFFER = 1 << 16
"""Characters gathered before a chunk is handed on: Jinja yields many tiny strings."""


@contextmanager
def _template_errors(folder: Path) -> Iterator[None]:
    """Turn what a broken template raises into one RenderError naming its file and line."""
    try:
        yield
    except jinja2.TemplateNotFound as exc:
        file, line = _where(exc, folder)
        raise RenderError(
            phrase("cli.template.not_found", name=exc.name, folder=folder),
            file=file,
            row=line,
            hint=_hint(),
        ) from None
    except (
        jinja2.TemplateError,
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
        IndexError,
    ) as exc:
        file, line = _where(exc, folder)
        if file is None and not isinstance(exc, jinja2.TemplateError):
            raise
        raise RenderError(_message(exc), file=file, row=line, hint=_hint()) from None


def _chunks(pieces: Iterator[str], folder: Path) -> Iterator[bytes]:
    """The page in UTF-8 chunks of about BUFFER characters, as the template prints it."""
    with _template_errors(folder):
        buffer: list[str] = []
        size = 0
        for piece in pieces:
            buffer.append(piece)
            size += len(piece)
            if size >= BUFFER:
                yield "".join(buffer).encode("utf-8")
                buffer.clear()
                size = 0
        if buffer:
            yield "".join(buffer).encode("utf-8")


def render(report: Report, templates: Path | None = None) -> Iterator[bytes]:
    """The report as one HTML file, in UTF-8 chunks printed as they are written: the page is
    never held whole (its view model has a budget of its own, see htmlview).

    The view model is built and the templates are loaded before this returns, so a missing or
    syntactically broken template fails here; an error while printing fails on the chunk that
    meets it (output.write then leaves no partial file).
    """
    folder = templates_folder(templates)
    env = environment(folder)
    catalog = Catalog(report.lang)
    env.globals.update(t=catalog, tn=catalog.n)
    view = htmlview.build(report)
    with _template_errors(folder):
        template = env.get_template(TEMPLATE)
        css = _asset(env, folder, STYLESHEET, "</style")
        js = _asset(env, folder, SCRIPT, "</script")
    context = {
        "view": view,
        "css": Markup(css),
        "js": Markup(js),
        "csp": content_security_policy(css, js),
    }
    return _chunks(template.generate(context), folder)
