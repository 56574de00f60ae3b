"""What each command does, between parsed options and exit code (the CLI only parses)."""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import EXIT_OK, RenderError, UsageError
from .i18n import phrase
from .limits import DEFAULT as DEFAULT_LIMITS
from .limits import Limits
from .model import Role
from .output import OutputSet
from .pipeline import Job, Report, run
from .read import ReadOptions, pausing_gc, read, read_templates
from .render import format_for, render
from .render.terminal import detection_lines, summary_lines, template_lines

if TYPE_CHECKING:
    from .baseline import Baseline


@dataclass(frozen=True, slots=True)
class CompareArgs:
    """The compare command's options, parsed."""

    files: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    pairs: list[str] = field(default_factory=list)
    channel: str | None = None
    campaign: str | None = None
    program: str | None = None
    members: list[str] = field(default_factory=list)
    campaigns: list[str] = field(default_factory=list)
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
    limits: Limits = DEFAULT_LIMITS
    """How much each input may hold (`--limit NAME=NUMBER`)."""
    quiet: bool = False
    all_pairs: bool = False
    type_templates: str | None = None
    template_types: Mapping[str, str] = field(default_factory=dict)
    baseline: str | None = None
    """An earlier JSON report of statusdiff to check today's exports against."""


def _read_options(args: CompareArgs) -> dict[Role, ReadOptions]:
    out = {}
    for role in Role:
        options = ReadOptions(
            sheet=args.sheet.get(role),
            encoding=args.encoding.get(role),
            delimiter=_delimiter(args.delimiter.get(role)),
            columns=args.columns.get(role),
            limits=args.limits,
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
        raise UsageError(
            phrase("cli.delimiter_length", value=value), hint=phrase("cli.delimiter_length.hint")
        )
    return value


_INPUT_FIELDS = (
    "files",
    "channels",
    "statuses",
    "pairs",
    "members",
    "campaigns",
    "type_templates",
    "baseline",
)


def _refuse_outputs_on_inputs(args: CompareArgs) -> list[str]:
    """Refuse, before anything is read, an output that is an input; return the inputs."""
    from .output import refuse_inputs
    from .safe_text import has_surrogate, shown

    inputs: list[str] = []
    # NOTE: read by name, so inputs that other branches add (files in any order, type templates,
    # a baseline report) and roles given several files are protected too.
    for name in _INPUT_FIELDS:
        value = getattr(args, name)
        values = value if isinstance(value, list | tuple) else [value]
        inputs.extend(str(v) for v in values if v)
    named_paths = [*inputs, *args.outputs, *([args.changes] if args.changes else [])]
    for path in named_paths:
        if has_surrogate(path):
            raise UsageError(
                phrase("cli.undecodable_path"),
                file=shown(path),
                hint=phrase("cli.undecodable_path.hint"),
            )
    refuse_inputs(args.outputs, inputs)
    if args.changes:
        from .render.dataloader import possible_names

        refuse_inputs([str(Path(args.changes) / n) for n in possible_names()], inputs)
    return inputs


def _output_set(args: CompareArgs, inputs: list[str]) -> OutputSet:
    """One output set for the reports (-o) and the change files (--changes) of a run."""
    roots = [str(Path(path).parent) for path in args.outputs if path != "-"]
    if args.changes:
        roots.append(args.changes)
    owned = [args.changes] if args.changes else []
    return OutputSet(roots, protected=inputs, whole_folders=owned)


def _print_notices(report: Report, *, quiet: bool) -> None:
    """Say on stderr what a person must not miss about how inputs were read."""
    if quiet:
        return
    for detection in report.inputs:
        for note in detection.notes:
            if note.code == "not_utf8":
                encoding = dict(note.params)["encoding"]
                line = phrase("cli.encoding_fallback", file=detection.file, encoding=encoding)
                sys.stderr.write(line + "\n")


def compare(args: CompareArgs) -> int:
    """Run a comparison, write every report asked for, print the summary; return the exit code."""
    if args.outputs.count("-") > 1:
        raise UsageError(phrase("cli.one_stdout"))
    formats = [(path, format_for(path)) for path in args.outputs]
    inputs = _refuse_outputs_on_inputs(args)
    if args.templates is not None and not args.templates.is_dir():
        raise UsageError(
            phrase("cli.templates_not_folder"),
            file=str(args.templates),
            hint=phrase("cli.templates_not_folder.hint"),
        )
    job = Job(
        files=args.files,
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
        type_templates=args.type_templates,
        template_types=args.template_types,
        member_ids=args.changes is not None,  # only change files need each member's ID
    )
    from .output import write_stdout
    from .progress import for_stream, showing

    earlier = None
    if args.baseline is not None:
        from .baseline import read as read_baseline

        earlier = read_baseline(args.baseline, args.lang)
    with showing(for_stream(quiet=args.quiet)) as progress:
        # NOTE: process-wide tuning is the CLI's to choose (a library call makes none): the
        # reads, compare and planning pause the collector and freeze what they built
        # (read.pausing_gc); what the baseline check added is frozen before the renderers, so
        # no collection re-scans the report while they run.
        with pausing_gc():
            report = run(job, generated_at=args.generated_at, lang=args.lang, progress=progress)
        report = _closing(report, earlier, args)
        gc.freeze()
        # NOTE: every report and change file is staged first and moved into place together;
        # a failure or a signal leaves the previous set as it was (see output.py).
        with _output_set(args, inputs) as out:
            for path, fmt in formats:
                progress.stage(phrase("cli.progress.writing", path=path), None)
                try:
                    data = render(report, fmt, templates=args.templates)
                except RenderError as exc:
                    # A report that cannot be made names itself when nothing better is known.
                    if exc.file is None:
                        exc.file = phrase("cli.stdout") if path == "-" else path
                    raise
                if path == "-":
                    write_stdout(data)
                else:
                    out.add(str(Path(path).parent), Path(path).name, data)
            if args.changes:
                progress.stage(phrase("cli.progress.writing", path=args.changes), None)
                from .render.dataloader import render_changes

                for name, content in render_changes(report).items():
                    out.add(args.changes, name, content)
            written = out.commit()
        _print_notices(report, quiet=args.quiet)
    if not args.quiet:
        stream = sys.stderr if "-" in args.outputs else sys.stdout
        for line in template_lines(report):
            stream.write(line + "\n")
        for line in summary_lines(report, all_pairs=args.all_pairs):
            stream.write(line + "\n")
        for path in written:
            stream.write(phrase("cli.wrote", path=path) + "\n")
    return report.exit_code


def _closing(report: Report, earlier: Baseline | None, args: CompareArgs) -> Report:
    """Record where change files go (a later --baseline reads it), and check the baseline."""

    if args.changes:
        report = replace(report, options=(*report.options, ("changes", args.changes)))
    if earlier is None:
        return report
    from .baseline import check

    report = replace(report, options=(*report.options, ("baseline", earlier.file)))

    closing = check(earlier, report.comparison, args.lang)
    return replace(report, closing=closing, notes=report.notes + closing.notes)


def inspect(
    files: list[str],
    *,
    role: Role | None,
    sheet: str | None,
    encoding: str | None,
    delimiter: str | None,
    columns: Mapping[str, str] | None,
    as_json: bool,
    limits: Limits = DEFAULT_LIMITS,
    lang: str = "en",
) -> int:
    """Read each file and say what was found (messages and JSON texts in the language lang)."""
    options = ReadOptions(
        sheet=sheet,
        encoding=encoding,
        delimiter=_delimiter(delimiter),
        columns=columns,
        limits=limits,
    )
    with pausing_gc():
        detections = [
            (
                read_templates(path, options)
                if role is Role.TEMPLATES
                else read(path, role, options)
            ).detection
            for path in files
        ]
    if as_json:
        from .i18n import Catalog
        from .render.json import input_document
        from .safe_text import json_shown

        t = Catalog(lang)
        doc = [input_document(t, d) for d in detections]
        sys.stdout.write(json_shown(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n")
    else:
        for i, detection in enumerate(detections):
            if i:
                sys.stdout.write("\n")
            for line in detection_lines(detection, lang):
                sys.stdout.write(line + "\n")
    return EXIT_OK


def samples_folder() -> Path:
    """The bundled samples: inside the installed package, or at the top of a checkout."""
    from importlib import resources

    packaged = Path(str(resources.files("statusdiff"))) / "samples"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "samples"


def _copy_samples(out: Path) -> Path:
    """The bundled samples, copied into `out`/samples (the demo's reports name them from there)."""
    import shutil

    target = out / "samples"
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(samples_folder().iterdir()):
        if source.is_file():
            shutil.copyfile(source, target / source.name)
    return target


def demo(folder: str, *, lang: str = "en") -> int:
    """Compare the bundled samples and write every format into a folder."""
    import datetime as dt

    # NOTE: the reports name their inputs as given; the bundled samples live wherever the package
    # is installed, so they are copied beside the reports and named from there (never a path of
    # site-packages in a document meant for a ticket).
    out = Path(folder)
    samples = _copy_samples(out)
    args = CompareArgs(
        files=[
            str(samples / name)
            for name in (
                "marketo-channels.json",
                "salesforce-member-statuses.csv",
                "program-campaign-pairs.csv",
                "salesforce-campaign-members.csv",
                "salesforce-campaigns.csv",
            )
        ],
        outputs=[str(out / f"statusdiff-report.{ext}") for ext in ("html", "xlsx", "json", "md")],
        changes=str(out / "dataloader"),
        lang=lang,
        generated_at=dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    compare(args)
    sys.stdout.write(phrase("cli.demo.open", file=str(out / "statusdiff-report.html")) + "\n")
    # The other half of the loop: the same org after the change ticket, checked against the
    # report above (no members export: the bundled one describes the org before the change).
    from .i18n import Catalog

    t = Catalog(lang)
    after = out / "statusdiff-after"
    sys.stdout.write(
        "\n" + t("closing.demo.after", file="salesforce-member-statuses-after.csv") + "\n"
    )
    compare(
        replace(
            args,
            files=[
                str(samples / name)
                for name in (
                    "marketo-channels.json",
                    "salesforce-member-statuses-after.csv",
                    "program-campaign-pairs.csv",
                    "salesforce-campaigns.csv",
                )
            ],
            outputs=[f"{after}.{ext}" for ext in ("html", "xlsx", "json", "md")],
            changes=None,
            baseline=str(out / "statusdiff-report.json"),
        )
    )
    sys.stdout.write(t("closing.demo.open", file=f"{after}.html") + "\n")
    return EXIT_OK


@dataclass(frozen=True, slots=True)
class TypeTemplatesArgs:
    """The type-templates command's options, parsed."""

    channels: list[str]
    folder: str
    types: Mapping[str, str] = field(default_factory=dict)
    defaults: Mapping[str, str] = field(default_factory=dict)
    only: list[str] = field(default_factory=list)
    lang: str = "en"
    quiet: bool = False
    command: str = ""
    """The command line as typed (for the README written into the folder)."""


def type_templates(args: TypeTemplatesArgs) -> int:
    """Write the Campaign Type member status templates of the channels into a folder."""
    from .i18n import Catalog
    from .output import write_many
    from .read.metadata import OBJECT
    from .render.phrases import advisory
    from .render.sfdx import RECORDS_DIR, render_folder
    from .typetemplates import generate

    t = Catalog(args.lang)
    folder = Path(args.folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            t("tt.error.output_file"), file=args.folder, hint=t("tt.error.output_file.hint")
        )
    channels = []
    seen: set[str] = set()
    for path in args.channels:
        for channel in read(path, Role.CHANNELS).records:
            if channel.name not in seen:
                seen.add(channel.name)
                channels.append(channel)
    generated = generate(channels, types=args.types, defaults=args.defaults, only=args.only)
    files = render_folder(generated, lang=args.lang, command=args.command)
    write_many(args.folder, files)
    # Counted after writing: the write itself removes the records an earlier run of ours wrote
    # (its manifest); what is left and not ours is somebody else's, and only said.
    records_dir = folder / RECORDS_DIR
    ours = {Path(name).name for name in files}
    stale = [p for p in records_dir.glob(f"{OBJECT}.*.md-meta.xml") if p.name not in ours]
    if not args.quiet:
        out = sys.stdout
        records = sum(len(tt.records) for tt in generated.templates)
        if not generated.templates:
            out.write(t("tt.cli.none") + "\n")
        else:
            out.write(
                t(
                    "tt.cli.wrote",
                    records=t.n("tt.records", records),
                    types=t.n("tt.types", len(generated.templates)),
                    folder=args.folder,
                )
                + "\n"
            )
        for template in generated.templates:
            default = next((r.status for r in template.records if r.default), "")
            count = t.n("tt.cli.statuses", len(template.records))
            out.write(
                t("tt.cli.type", type=template.campaign_type, count=count, default=default) + "\n"
            )
        for note in generated.notes:
            out.write(t("tt.cli.note", text=advisory(t, note)) + "\n")
        if stale:
            out.write(t("tt.cli.stale", folder=args.folder, count=len(stale)) + "\n")
        if generated.templates:
            out.write(t("tt.cli.next", folder=args.folder) + "\n")
    return EXIT_OK
