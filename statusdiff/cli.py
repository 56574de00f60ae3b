"""The command line: a thin Typer shell over pipeline.run, renderers and output.write.

Exit codes: 0 every pair will sync; 1 at least one will not (or a pairing names something absent
from the exports); 2 bad input or usage. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO, cast

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from . import __version__
from .errors import EXIT_INTERNAL, EXIT_TROUBLE, StatusDiffError, Terminated, UsageError
from .i18n import LANGUAGES, Catalog, phrase, set_cli_language
from .limits import parse as parse_limits
from .model import Role
from .render import STDOUT_FORMAT, suffix_list
from .safe_text import has_surrogate, shown


def _catalogued_help_option(option: Any) -> Any:
    """The --help option with its text from the catalogue (not Click's English)."""
    if option is not None:
        option.help = _h("help")
    return option


class _OneLineErrors(TyperGroup):
    """Usage errors as one line on stderr (exit 2), like every other error of statusdiff."""

    def get_help_option(self, ctx: Any) -> Any:
        return _catalogued_help_option(super().get_help_option(ctx))

    def main(self, *args: Any, **extra: Any) -> Any:
        parent: Any = super()
        if not extra.pop("standalone_mode", True):
            return parent.main(*args, **extra, standalone_mode=False)
        from typer._click import exceptions as click_errors

        try:
            code = parent.main(*args, **extra, standalone_mode=False)
        except click_errors.NoArgsIsHelpError as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click_errors.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx is not None else "statusdiff"
            _say(
                StatusDiffError(
                    exc.format_message(), hint=phrase("cli.usage.hint", command=command)
                ).one_line()
            )
            sys.exit(EXIT_TROUBLE)
        except click_errors.ClickException as exc:
            _say(StatusDiffError(exc.format_message()).one_line())
            sys.exit(exc.exit_code)
        except typer.Abort:
            _say(StatusDiffError(phrase("cli.interrupted")).one_line())
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)


def _untyped(record: Any) -> Any:
    """A help record (name, text) without the Python type typer appends to the name."""

    def get(ctx: Any) -> tuple[str, str] | None:
        found = record(ctx)
        if found is None:
            return None
        name, text = found
        return name.split(" <", 1)[0], text

    return get


class _Command(TyperCommand):
    """A command whose help names arguments by their metavar alone (FILE...), never by a Python
    type such as <list[Path]> (issue 13)."""

    def get_help_option(self, ctx: Any) -> Any:
        return _catalogued_help_option(super().get_help_option(ctx))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        for param in self.params:
            if isinstance(param, TyperArgument) and not getattr(param, "_untyped", False):
                # NOTE: on this command's own parameter objects only, nothing process-wide.
                param.get_help_record = _untyped(param.get_help_record)  # type: ignore[method-assign]
                param._untyped = True  # type: ignore[attr-defined]
        super().format_help(ctx, formatter)


HELP_LANG_VARIABLE = "STATUSDIFF_LANG"
"""--help is printed before any --lang is parsed: this environment variable chooses its language."""


def help_language() -> str:
    """The language of --help texts: STATUSDIFF_LANG when it names one of ours, else English."""
    wanted = os.environ.get(HELP_LANG_VARIABLE, "")
    return wanted if wanted in LANGUAGES else "en"


_HELP = Catalog(help_language())


def _h(key: str, /, **params: Any) -> str:
    """A --help text from the catalogue (cli.help.<key>)."""
    return _HELP(f"cli.help.{key}", **params)


app = typer.Typer(
    cls=_OneLineErrors,
    name="statusdiff",
    help=_h("app"),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Lang(StrEnum):
    """Report languages."""

    en = "en"
    fr = "fr"


class ShowPaths(StrEnum):
    """How reports name the input files (issue 13: never a machine's absolute path unless asked)."""

    given = "given"
    absolute = "absolute"


class RoleChoice(StrEnum):
    """Roles for inspect --role."""

    channels = "channels"
    statuses = "statuses"
    members = "members"
    campaigns = "campaigns"
    pairs = "pairs"
    templates = "templates"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"statusdiff {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=_h("version")),
    ] = False,
) -> None:
    """statusdiff: offline Marketo ⇄ Salesforce member status checks."""


def _fail(exc: StatusDiffError, code: int = EXIT_TROUBLE) -> NoReturn:
    _say(exc.one_line())
    raise typer.Exit(code)


def _say(line: str) -> None:
    """One line on stderr, control characters escaped (a label cannot drive the terminal)."""
    try:
        sys.stderr.write(shown(line) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


class _Shown:
    """A text stream that writes control characters escaped (line ends kept): the terminal shows
    a label's ESC or U+202E instead of obeying it. `.buffer` (reports on stdout) is untouched."""

    def __init__(self, inner: TextIO) -> None:
        self.unescaped = inner

    def write(self, text: str) -> int:
        lines = text.split("\n")
        self.unescaped.write("\n".join(shown(line) for line in lines))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.unescaped, name)


@contextmanager
def _terminal_safe() -> Iterator[None]:
    """Escape what a command prints on stdout and stderr, then flush stdout (a full disk shows)."""
    streams = sys.stdout, sys.stderr
    sys.stdout = cast(TextIO, _Shown(sys.stdout))
    sys.stderr = cast(TextIO, _Shown(sys.stderr))
    try:
        yield
        sys.stdout.flush()
    finally:
        sys.stdout, sys.stderr = streams


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def _crash_report() -> str | None:
    """Write the traceback of an unexpected exception to a file; return its path."""
    import tempfile
    import traceback

    try:
        fd, path = tempfile.mkstemp(prefix="statusdiff-crash-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(f"statusdiff {__version__}, Python {sys.version.split()[0]}\n")
            handle.write(f"arguments: {sys.argv[1:]!r}\n\n")
            handle.write(traceback.format_exc())
    except OSError:
        return None
    return path


@contextmanager
def _guard() -> Iterator[None]:
    """Turn every failure into one line on stderr: 2 for bad input, 3 for our own bugs.

    SIGTERM becomes an exception while a command runs, so half-written outputs are cleaned up.
    """
    import signal

    previous = None
    with suppress(ValueError):  # NOTE: only the main thread may set signal handlers
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        with _terminal_safe():
            yield
    except StatusDiffError as exc:
        _fail(exc)
    except OSError as exc:
        name = getattr(exc, "filename", None)
        if name is None and exc.errno is not None and _is_stdout_error():
            from .output import stdout_error

            _fail(stdout_error(exc))
        _fail(StatusDiffError(exc.strerror or str(exc), file=str(name) if name else None))
    except KeyboardInterrupt:
        _say(StatusDiffError(phrase("cli.interrupted")).one_line())
        raise typer.Exit(130) from None
    except Terminated:
        _say(StatusDiffError(phrase("cli.terminated")).one_line())
        raise typer.Exit(143) from None
    except RecursionError:
        _fail(StatusDiffError(phrase("cli.too_deep"), hint=phrase("cli.too_deep.hint")))
    except MemoryError:
        _fail(StatusDiffError(phrase("cli.out_of_memory"), hint=phrase("cli.out_of_memory.hint")))
    except Exception:
        _crash()
    except BaseException as exc:
        # NOTE: a panic in a Rust extension (pyo3) derives from BaseException, not Exception.
        if isinstance(exc, (SystemExit, GeneratorExit)):
            raise
        _crash()
    finally:
        if previous is not None:
            with suppress(ValueError):
                signal.signal(signal.SIGTERM, previous)


def _crash_error() -> StatusDiffError:
    """The one line of an internal error; the traceback goes to a file it names."""
    path = _crash_report()
    return StatusDiffError(
        phrase("cli.internal"), hint=phrase("cli.internal.hint", path=path or "-")
    )


def _crash() -> NoReturn:
    _fail(_crash_error(), EXIT_INTERNAL)


def _is_stdout_error() -> bool:
    """Whether standard output is what failed (a full disk, a closed pipe)."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        return True
    return False


def _no_surrogates(named: dict[str, str | None], *lists: list[str] | None) -> None:
    """Refuse option values holding bytes the terminal's encoding could not decode."""
    values = [(k, v) for k, v in named.items() if v] + [
        ("", v) for values in lists for v in values or []
    ]
    for option, value in values:
        if has_surrogate(value):
            raise UsageError(
                phrase("cli.undecodable_option", option=option or shown(value)),
                hint=phrase("cli.undecodable_option.hint"),
            )


def _generated_at(value: str | None) -> str:
    """The report time: --generated-at, else SOURCE_DATE_EPOCH, else now (UTC)."""
    if value:
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise UsageError(
                phrase("cli.generated_at_not_iso", value=value),
                hint=phrase("cli.generated_at.hint"),
            ) from exc
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        try:
            return parsed.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        except (OverflowError, ValueError) as exc:
            raise UsageError(
                phrase("cli.generated_at_range", value=value),
                hint=phrase("cli.generated_at.hint"),
            ) from exc
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError, OSError) as exc:
            raise UsageError(phrase("cli.epoch_not_seconds", value=epoch)) from exc
    else:
        moment = dt.datetime.now(tz=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _per_role(values: list[str] | None, option: str) -> dict[Role, str]:
    out: dict[Role, str] = {}
    for value in values or []:
        role_name, sep, rest = value.partition("=")
        try:
            role = Role(role_name.strip())
        except ValueError:
            raise UsageError(
                phrase("cli.option_no_role", option=option, value=value),
                hint=phrase(
                    "cli.option_no_role.hint", option=option, roles=", ".join(r.value for r in Role)
                ),
            ) from None
        if not sep:
            raise UsageError(
                phrase("cli.option_no_value", option=option, value=value),
                hint=phrase("cli.option_no_value.hint", option=option),
            )
        out[role] = rest
    return out


def _columns(values: list[str] | None, *, with_role: bool) -> dict[Role | None, dict[str, str]]:
    out: dict[Role | None, dict[str, str]] = {}
    for value in values or []:
        left, sep, header = value.partition("=")
        if not sep or not left:
            raise UsageError(
                phrase("cli.column_not_field_header", value=value),
                hint=phrase("cli.column_not_field_header.hint"),
            )
        role: Role | None = None
        field_name = left
        if "." in left:
            role_name, field_name = left.split(".", 1)
            try:
                role = Role(role_name)
            except ValueError:
                raise UsageError(phrase("cli.column_no_role", value=value)) from None
        elif with_role:
            raise UsageError(
                phrase("cli.column_needs_role", value=value),
                hint=phrase("cli.column_needs_role.hint"),
            )
        out.setdefault(role, {})[field_name] = header
    return out


@app.command(cls=_Command, help=_h("compare"), short_help=_h("compare.short"))
def compare(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FILE",
            help=_h("compare.files"),
            show_default=False,
        ),
    ] = None,
    channels_files: Annotated[
        list[Path] | None,
        typer.Option("--channels", metavar="FILE", help=_h("compare.channels")),
    ] = None,
    statuses_files: Annotated[
        list[Path] | None,
        typer.Option("--statuses", metavar="FILE", help=_h("compare.statuses")),
    ] = None,
    pairs: Annotated[
        list[Path] | None,
        typer.Option(
            "--pairs",
            metavar="FILE",
            help=_h("compare.pairs"),
        ),
    ] = None,
    channel: Annotated[
        str | None, typer.Option("--channel", metavar="NAME", help=_h("compare.channel"))
    ] = None,
    campaign: Annotated[
        str | None,
        typer.Option(
            "--campaign",
            metavar="ID|NAME",
            help=_h("compare.campaign"),
        ),
    ] = None,
    program: Annotated[
        str | None,
        typer.Option("--program", metavar="NAME", help=_h("compare.program")),
    ] = None,
    members: Annotated[
        list[Path] | None,
        typer.Option(
            "--members",
            metavar="FILE",
            help=_h("compare.members"),
        ),
    ] = None,
    campaigns: Annotated[
        list[Path] | None,
        typer.Option("--campaigns", metavar="FILE", help=_h("compare.campaigns")),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help=_h("compare.strict")),
    ] = False,
    output: Annotated[
        list[str] | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help=_h(
                "compare.output",
                suffixes=suffix_list(conjunction=_h("or")),
                stdout=STDOUT_FORMAT.upper(),
            ),
        ),
    ] = None,
    changes: Annotated[
        Path | None,
        typer.Option("--changes", metavar="FOLDER", help=_h("compare.changes")),
    ] = None,
    lang: Annotated[
        Lang, typer.Option("--lang", metavar="en|fr", help=_h("lang.report"))
    ] = Lang.en,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="FOLDER",
            help=_h("compare.templates"),
        ),
    ] = None,
    generated_at: Annotated[
        str | None,
        typer.Option(
            "--generated-at",
            metavar="TIME",
            help=_h("compare.generated_at"),
        ),
    ] = None,
    sheet: Annotated[
        list[str] | None,
        typer.Option("--sheet", metavar="ROLE=SHEET", help=_h("compare.sheet")),
    ] = None,
    encoding: Annotated[
        list[str] | None,
        typer.Option("--encoding", metavar="ROLE=ENCODING", help=_h("compare.encoding")),
    ] = None,
    delimiter: Annotated[
        list[str] | None,
        typer.Option("--delimiter", metavar="ROLE=CHAR", help=_h("compare.delimiter")),
    ] = None,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column",
            metavar="ROLE.FIELD=HEADER",
            help=_h("compare.column"),
        ),
    ] = None,
    limit: Annotated[
        list[str] | None,
        typer.Option(
            "--limit",
            metavar="NAME=NUMBER",
            help=_h("compare.limit"),
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_h("quiet"))] = False,
    all_pairs: Annotated[bool, typer.Option("--all", help=_h("compare.all"))] = False,
    type_templates: Annotated[
        Path | None,
        typer.Option(
            "--type-templates",
            metavar="FILE",
            help=_h("compare.type_templates"),
        ),
    ] = None,
    template_type: Annotated[
        list[str] | None,
        typer.Option(
            "--type",
            metavar="CHANNEL=TYPE",
            help=_h("compare.type"),
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            metavar="FILE",
            help=_h("compare.baseline"),
        ),
    ] = None,
    show_paths: Annotated[
        ShowPaths,
        typer.Option(
            "--show-paths",
            metavar="given|absolute",
            help=_h("compare.show_paths"),
        ),
    ] = ShowPaths.given,
) -> None:
    """Check channel ⇄ campaign pairs (help text: cli.help.compare)."""
    from . import commands
    from .typetemplates import parse_types

    set_cli_language(lang.value)
    if show_paths is ShowPaths.absolute:
        files, channels_files, statuses_files, pairs, members, campaigns = (
            [p.absolute() for p in group or []]
            for group in (files, channels_files, statuses_files, pairs, members, campaigns)
        )
    with _guard():
        _no_surrogates(
            {"--channel": channel, "--campaign": campaign, "--program": program},
            sheet,
            column,
        )
        code = commands.compare(
            commands.CompareArgs(
                files=[str(f) for f in files or []],
                channels=[str(c) for c in channels_files or []],
                statuses=[str(c) for c in statuses_files or []],
                pairs=[str(c) for c in pairs or []],
                channel=channel,
                campaign=campaign,
                program=program,
                members=[str(c) for c in members or []],
                campaigns=[str(c) for c in campaigns or []],
                strict=strict,
                outputs=output or [],
                changes=str(changes) if changes else None,
                lang=lang.value,
                templates=templates,
                generated_at=_generated_at(generated_at),
                sheet=_per_role(sheet, "--sheet"),
                encoding=_per_role(encoding, "--encoding"),
                delimiter=_per_role(delimiter, "--delimiter"),
                columns={
                    k: v for k, v in _columns(column, with_role=True).items() if k is not None
                },
                limits=parse_limits(limit or []),
                quiet=quiet,
                all_pairs=all_pairs,
                type_templates=str(type_templates) if type_templates else None,
                template_types=parse_types(template_type),
                baseline=str(baseline) if baseline else None,
            )
        )
    raise typer.Exit(code)


@app.command(cls=_Command, help=_h("inspect"), short_help=_h("inspect.short"))
def inspect(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help=_h("inspect.files"))],
    role: Annotated[RoleChoice | None, typer.Option("--role", help=_h("inspect.role"))] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", metavar="SHEET", help=_h("inspect.sheet"))
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", metavar="ENCODING", help=_h("inspect.encoding"))
    ] = None,
    delimiter: Annotated[
        str | None, typer.Option("--delimiter", metavar="CHAR", help=_h("inspect.delimiter"))
    ] = None,
    column: Annotated[
        list[str] | None,
        typer.Option("--column", metavar="FIELD=HEADER", help=_h("inspect.column")),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_h("inspect.json"))] = False,
    limit: Annotated[
        list[str] | None,
        typer.Option(
            "--limit",
            metavar="NAME=NUMBER",
            help=_h("inspect.limit"),
        ),
    ] = None,
    lang: Annotated[
        Lang, typer.Option("--lang", metavar="en|fr", help=_h("inspect.lang"))
    ] = Lang.en,
) -> None:
    """Show what statusdiff reads in each file (help text: cli.help.inspect)."""
    from . import commands

    set_cli_language(lang.value)
    with _guard():
        columns = _columns(column, with_role=False)
        merged: dict[str, str] = {}
        for mapping in columns.values():
            merged.update(mapping)
        code = commands.inspect(
            [str(f) for f in files],
            role=Role(role.value) if role else None,
            sheet=sheet,
            encoding=encoding,
            delimiter=delimiter,
            columns=merged or None,
            as_json=as_json,
            limits=parse_limits(limit or []),
            lang=lang.value,
        )
    raise typer.Exit(code)


@app.command(
    "type-templates",
    cls=_Command,
    help=_h("type_templates"),
    short_help=_h("type_templates.short"),
)
def type_templates(
    channels: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE",
            help=_h("type_templates.channels"),
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="FOLDER", help=_h("type_templates.output")),
    ],
    campaign_type: Annotated[
        list[str] | None,
        typer.Option(
            "--type",
            metavar="CHANNEL=TYPE",
            help=_h("type_templates.type"),
        ),
    ] = None,
    default: Annotated[
        list[str] | None,
        typer.Option(
            "--default",
            metavar="CHANNEL=STATUS",
            help=_h("type_templates.default"),
        ),
    ] = None,
    channel: Annotated[
        list[str] | None,
        typer.Option(
            "--channel",
            metavar="NAME",
            help=_h("type_templates.channel"),
        ),
    ] = None,
    lang: Annotated[
        Lang, typer.Option("--lang", metavar="en|fr", help=_h("type_templates.lang"))
    ] = Lang.en,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_h("quiet"))] = False,
) -> None:
    """Write the statuses each channel's Type needs (help text: cli.help.type_templates)."""
    from . import commands
    from .typetemplates import parse_defaults, parse_types

    set_cli_language(lang.value)
    with _guard():
        code = commands.type_templates(
            commands.TypeTemplatesArgs(
                channels=[str(c) for c in channels],
                folder=str(output),
                types=parse_types(campaign_type),
                defaults=parse_defaults(default),
                only=list(channel or []),
                lang=lang.value,
                quiet=quiet,
                command=_command_line(
                    "type-templates", channels, output, campaign_type, default, channel
                ),
            )
        )
    raise typer.Exit(code)


def _command_line(
    name: str,
    channels: list[Path],
    output: Path,
    types: list[str] | None,
    defaults: list[str] | None,
    only: list[str] | None,
) -> str:
    """The command as a shell line (for the README), with the paths as they were given."""
    import shlex

    parts = ["statusdiff", name, *(str(c) for c in channels), "-o", str(output)]
    for option, values in (("--type", types), ("--default", defaults), ("--channel", only)):
        for value in values or []:
            parts += [option, value]
    return shlex.join(parts)


@app.command(cls=_Command, help=_h("demo"), short_help=_h("demo.short"))
def demo(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help=_h("demo.folder"))] = Path(
        "statusdiff-demo"
    ),
    lang: Annotated[
        Lang, typer.Option("--lang", metavar="en|fr", help=_h("lang.report"))
    ] = Lang.en,
) -> None:
    """Run the bundled samples (help text: cli.help.demo)."""
    from . import commands

    set_cli_language(lang.value)
    with _guard():
        code = commands.demo(str(folder), lang=lang.value)
    raise typer.Exit(code)


def main() -> None:
    """Console entry point: no traceback ever reaches the terminal."""
    for stream in (sys.stdout, sys.stderr):
        with suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        _say(StatusDiffError(phrase("cli.interrupted")).one_line())
        sys.exit(130)
    except Exception:
        _say(_crash_error().one_line())
        sys.exit(EXIT_INTERNAL)
