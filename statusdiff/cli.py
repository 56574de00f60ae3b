"""The command line: a thin Typer shell over pipeline.run, renderers and output.write.

Exit codes: 0 every pair will sync; 1 at least one will not (or a pairing names something absent
from the exports); 2 bad input or usage. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from . import __version__
from .errors import EXIT_TROUBLE, PhraseError, StatusDiffError, UsageError
from .model import Role
from .render import STDOUT_FORMAT, suffix_list

app = typer.Typer(
    name="statusdiff",
    help="Will this Marketo program sync with that Salesforce campaign? Checks exported member "
    "statuses offline, explains every near miss, plans the fix.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Lang(StrEnum):
    """Report languages."""

    en = "en"
    fr = "fr"


class RoleChoice(StrEnum):
    """Roles for inspect --role."""

    channels = "channels"
    statuses = "statuses"
    members = "members"
    campaigns = "campaigns"
    pairs = "pairs"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"statusdiff {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """statusdiff: offline Marketo ⇄ Salesforce member status checks."""


def _fail(exc: StatusDiffError) -> NoReturn:
    sys.stderr.write(exc.one_line() + "\n")
    raise typer.Exit(EXIT_TROUBLE)


@contextmanager
def _guard() -> Iterator[None]:
    """Turn statusdiff's errors (and a few system ones) into one line and exit code 2."""
    try:
        yield
    except StatusDiffError as exc:
        _fail(exc)
    except OSError as exc:
        name = getattr(exc, "filename", None)
        _fail(StatusDiffError(exc.strerror or str(exc), file=str(name) if name else None))
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        raise typer.Exit(130) from None
    except PhraseError as exc:
        # NOTE: an internal error (a phrase missing from the catalogue): said in English, since
        # the catalogue is what is broken; one line, no traceback.
        sys.stderr.write(f"error: internal error: {exc} — please report this statusdiff bug\n")
        raise typer.Exit(EXIT_TROUBLE) from None


def _generated_at(value: str | None) -> str:
    """The report time: --generated-at, else SOURCE_DATE_EPOCH, else now (UTC)."""
    if value:
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise UsageError(
                f"--generated-at '{value}' is not an ISO date-time",
                hint="write it like 2026-01-31T09:00:00Z",
            ) from exc
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        return parsed.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except ValueError as exc:
            raise UsageError(f"SOURCE_DATE_EPOCH '{epoch}' is not a number of seconds") from exc
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
                f"{option} '{value}' names no role",
                hint=f"write {option} ROLE=VALUE with ROLE one of "
                + ", ".join(r.value for r in Role),
            ) from None
        if not sep:
            raise UsageError(f"{option} '{value}' has no value", hint=f"write {option} ROLE=VALUE")
        out[role] = rest
    return out


def _columns(values: list[str] | None, *, with_role: bool) -> dict[Role | None, dict[str, str]]:
    out: dict[Role | None, dict[str, str]] = {}
    for value in values or []:
        left, sep, header = value.partition("=")
        if not sep or not left:
            raise UsageError(
                f"--column '{value}' is not FIELD=HEADER",
                hint="for example --column statuses.label='Statut personnalisé'",
            )
        role: Role | None = None
        field_name = left
        if "." in left:
            role_name, field_name = left.split(".", 1)
            try:
                role = Role(role_name)
            except ValueError:
                raise UsageError(f"--column '{value}' names no role") from None
        elif with_role:
            raise UsageError(
                f"--column '{value}' needs a role",
                hint="write ROLE.FIELD=HEADER, for example statuses.label=Statut",
            )
        out.setdefault(role, {})[field_name] = header
    return out


@app.command()
def compare(
    channels: Annotated[
        list[Path],
        typer.Argument(
            help="Marketo channels: REST JSON, SOAP XML, CSV or XLSX (several files, e.g. API "
            "pages, are read as one list).",
            show_default=False,
        ),
    ],
    statuses: Annotated[
        Path, typer.Argument(help="Salesforce CampaignMemberStatus export (CSV, XLSX, …).")
    ],
    pairs: Annotated[
        Path | None,
        typer.Option("--pairs", help="Program ↔ campaign mapping (program, channel, campaign)."),
    ] = None,
    channel: Annotated[
        str | None, typer.Option("--channel", help="One pair: the channel's name.")
    ] = None,
    campaign: Annotated[
        str | None, typer.Option("--campaign", help="One pair: the campaign's ID or name.")
    ] = None,
    program: Annotated[
        str | None, typer.Option("--program", help="One pair: the program's name (for reports).")
    ] = None,
    members: Annotated[
        Path | None,
        typer.Option("--members", help="CampaignMember export, for members per status."),
    ] = None,
    campaigns: Annotated[
        Path | None, typer.Option("--campaigns", help="Campaign export, for names and Type.")
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Two-sided rule: the campaign must also hold every channel status."
        ),
    ] = False,
    output: Annotated[
        list[str] | None,
        typer.Option(
            "--output",
            "-o",
            help=f"Report file ({suffix_list(conjunction='or')}; '-' = "
            f"{STDOUT_FORMAT.upper()} on stdout).",
        ),
    ] = None,
    changes: Annotated[
        Path | None,
        typer.Option("--changes", help="Folder for Data Loader files that apply fix B."),
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Report language.")] = Lang.en,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="Folder with your own copy of the report templates."),
    ] = None,
    generated_at: Annotated[
        str | None,
        typer.Option("--generated-at", help="Report time (ISO); default SOURCE_DATE_EPOCH or now."),
    ] = None,
    sheet: Annotated[
        list[str] | None, typer.Option("--sheet", help="ROLE=SHEET, e.g. statuses=Report.")
    ] = None,
    encoding: Annotated[
        list[str] | None, typer.Option("--encoding", help="ROLE=ENCODING, e.g. statuses=cp1252.")
    ] = None,
    delimiter: Annotated[
        list[str] | None, typer.Option("--delimiter", help="ROLE=CHAR, e.g. statuses=;")
    ] = None,
    column: Annotated[
        list[str] | None,
        typer.Option("--column", help="ROLE.FIELD=HEADER for a header no alias knows."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    all_pairs: Annotated[
        bool, typer.Option("--all", help="List every pair in the summary, even thousands.")
    ] = False,
) -> None:
    """Check pairs of Marketo channel ⇄ Salesforce campaign: one, a mapping file, or all."""
    from . import commands

    with _guard():
        code = commands.compare(
            commands.CompareArgs(
                channels=[str(c) for c in channels],
                statuses=str(statuses),
                pairs=str(pairs) if pairs else None,
                channel=channel,
                campaign=campaign,
                program=program,
                members=str(members) if members else None,
                campaigns=str(campaigns) if campaigns else None,
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
                quiet=quiet,
                all_pairs=all_pairs,
            )
        )
    raise typer.Exit(code)


@app.command()
def inspect(
    files: Annotated[list[Path], typer.Argument(help="Files to inspect.")],
    role: Annotated[
        RoleChoice | None, typer.Option("--role", help="Read as this role instead of guessing.")
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Sheet name or number.")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="Text encoding.")] = None,
    delimiter: Annotated[str | None, typer.Option("--delimiter", help="CSV delimiter.")] = None,
    column: Annotated[
        list[str] | None, typer.Option("--column", help="FIELD=HEADER for an unknown header.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show what statusdiff reads in each file: role, format, encoding, header, columns, skips."""
    from . import commands

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
        )
    raise typer.Exit(code)


@app.command()
def demo(
    folder: Annotated[Path, typer.Argument(help="Where to write the reports.")] = Path(
        "statusdiff-demo"
    ),
    lang: Annotated[Lang, typer.Option("--lang", help="Report language.")] = Lang.en,
) -> None:
    """Run the bundled samples and write every report format into FOLDER."""
    from . import commands

    with _guard():
        code = commands.demo(str(folder), lang=lang.value)
    raise typer.Exit(code)


def main() -> None:
    """Console entry point."""
    app()
