"""What each command does, between parsed options and exit code (the CLI only parses)."""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import EXIT_OK, UsageError
from .model import Role
from .pipeline import Job, Report, run
from .read import ReadOptions, pausing_gc, read
from .render import format_for, render
from .render.terminal import detection_lines, summary_lines


@dataclass(frozen=True, slots=True)
class CompareArgs:
    """The compare command's options, parsed."""

    channels: list[str]
    statuses: str
    pairs: str | None = None
    channel: str | None = None
    campaign: str | None = None
    program: str | None = None
    members: str | None = None
    campaigns: str | None = None
    strict: bool = False
    outputs: list[str] = field(default_factory=list)
    changes: str | None = None
    lang: str = "en"
    templates: Path | None = None
    generated_at: str = "1970-01-01T00:00:00Z"
    sheet: Mapping[Role, str] = field(default_factory=dict)
    encoding: Mapping[Role, str] = field(default_factory=dict)
    delimiter: Mapping[Role, str] = field(default_factory=dict)
    columns: Mapping[Role, Mapping[str, str]] = field(default_factory=dict)
    quiet: bool = False
    all_pairs: bool = False


def _read_options(args: CompareArgs) -> dict[Role, ReadOptions]:
    out = {}
    for role in Role:
        options = ReadOptions(
            sheet=args.sheet.get(role),
            encoding=args.encoding.get(role),
            delimiter=_delimiter(args.delimiter.get(role)),
            columns=args.columns.get(role),
        )
        if options != ReadOptions():
            out[role] = options
    return out


def _delimiter(value: str | None) -> str | None:
    if value is None:
        return None
    named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
    value = named.get(value.lower(), value)
    if len(value) != 1:
        raise UsageError(f"delimiter '{value}' is not one character", hint="e.g. ';' or tab")
    return value


def compare(args: CompareArgs) -> int:
    """Run a comparison, write every report asked for, print the summary; return the exit code."""
    if args.outputs.count("-") > 1:
        raise UsageError("only one report can go to stdout ('-')")
    formats = [(path, format_for(path)) for path in args.outputs]
    if args.templates is not None and not args.templates.is_dir():
        raise UsageError(
            "--templates is not a folder", file=str(args.templates), hint="name the folder"
        )
    job = Job(
        channels=args.channels,
        statuses=args.statuses,
        members=args.members,
        campaigns=args.campaigns,
        pairs=args.pairs,
        channel=args.channel,
        campaign=args.campaign,
        program=args.program,
        strict=args.strict,
        read_options=_read_options(args),
    )
    from .output import write, write_many
    from .progress import for_stream, showing

    with showing(for_stream(quiet=args.quiet)) as progress:
        # NOTE: process-wide tuning is the CLI's to choose (a library call makes none): reads
        # pause the collector while building records, and the report, which lives until the
        # process ends, is frozen so the collector does not re-scan its ~1M objects during
        # every renderer (≈0.5 s a pass at 50k pairs).
        with pausing_gc():
            report = run(job, generated_at=args.generated_at, lang=args.lang, progress=progress)
        gc.freeze()
        written = []
        for path, fmt in formats:
            progress.stage(f"writing {path}", None)
            write(path, render(report, fmt, templates=args.templates))
            if path != "-":
                written.append(path)
        if args.changes:
            progress.stage(f"writing {args.changes}", None)
            written.extend(write_many(args.changes, _changes(report, args)))
    if not args.quiet:
        stream = sys.stderr if "-" in args.outputs else sys.stdout
        for line in summary_lines(report, all_pairs=args.all_pairs):
            stream.write(line + "\n")
        for path in written:
            stream.write(f"wrote {path}\n")
    return report.exit_code


def _changes(report: Report, args: CompareArgs) -> dict[str, bytes]:
    from .render.dataloader import render_changes

    return render_changes(report, members_file=args.members)


def inspect(
    files: list[str],
    *,
    role: Role | None,
    sheet: str | None,
    encoding: str | None,
    delimiter: str | None,
    columns: Mapping[str, str] | None,
    as_json: bool,
) -> int:
    """Read each file and say what was found."""
    options = ReadOptions(
        sheet=sheet, encoding=encoding, delimiter=_delimiter(delimiter), columns=columns
    )
    with pausing_gc():
        detections = [read(path, role, options).detection for path in files]
    if as_json:
        from .i18n import Catalog
        from .render.json import input_document

        t = Catalog("en")
        doc = [input_document(t, d) for d in detections]
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        for i, detection in enumerate(detections):
            if i:
                sys.stdout.write("\n")
            for line in detection_lines(detection):
                sys.stdout.write(line + "\n")
    return EXIT_OK


def samples_folder() -> Path:
    """The bundled samples: inside the installed package, or at the top of a checkout."""
    from importlib import resources

    packaged = Path(str(resources.files("statusdiff"))) / "samples"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "samples"


def demo(folder: str, *, lang: str = "en") -> int:
    """Compare the bundled samples and write every format into a folder."""
    import datetime as dt

    samples = samples_folder()
    out = Path(folder)
    args = CompareArgs(
        channels=[str(samples / "marketo-channels.json")],
        statuses=str(samples / "salesforce-member-statuses.csv"),
        pairs=str(samples / "program-campaign-pairs.csv"),
        members=str(samples / "salesforce-campaign-members.csv"),
        campaigns=str(samples / "salesforce-campaigns.csv"),
        outputs=[str(out / f"statusdiff-report.{ext}") for ext in ("html", "xlsx", "json", "md")],
        changes=str(out / "dataloader"),
        lang=lang,
        generated_at=dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    compare(args)
    sys.stdout.write(f"open {out / 'statusdiff-report.html'} in a browser\n")
    return EXIT_OK
