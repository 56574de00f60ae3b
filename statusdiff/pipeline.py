"""Compose the stages: read every input, compare, plan remediation, and hand back one Report.

No console and no clock here: the CLI passes the time and version in, so the same inputs always give
the same report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import __version__
from .comparison import Advisory, Comparison, Rule, compare
from .errors import EXIT_BLOCKED, EXIT_OK, UsageError
from .model import (
    Campaign,
    CampaignInfo,
    Channel,
    Detection,
    MemberCounts,
    Pairing,
    Role,
    Source,
    TypeTemplate,
)
from .progress import Progress
from .read import ReadOptions, read, read_templates
from .remediate import Plan, plan_all
from .typetemplates import TemplateCheck
from .typetemplates import check as check_templates

if TYPE_CHECKING:
    from .baseline import BaselineCheck

COMMAND_LINE = Source("command line")


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a renderer needs: the result, its plans, and how the inputs were read."""

    comparison: Comparison
    plans: Mapping[int, Plan]
    inputs: tuple[Detection, ...]
    generated_at: str
    version: str = __version__
    options: tuple[tuple[str, str], ...] = ()
    notes: tuple[Advisory, ...] = ()
    lang: str = "en"
    templates: tuple[TemplateCheck, ...] = ()
    """Campaign Type templates held against their channels (compare --type-templates)."""
    closing: BaselineCheck | None = None
    """With --baseline: today's result checked against the earlier report (baseline.py)."""

    @property
    def recommended_counts(self) -> tuple[tuple[str, int], ...]:
        """How many blocked pairs each option (A, B, C) is recommended for."""
        counts = dict.fromkeys(("A", "B", "C"), 0)
        for plan in self.plans.values():
            counts[plan.recommended.value] += 1
        return tuple(counts.items())

    @property
    def exit_code(self) -> int:
        """0 when every pair will sync, 1 otherwise (including unresolved pairings); with a
        baseline, 1 also when a planned action was not applied or applied differently."""
        summary = self.comparison.summary
        if any(check.failing for check in self.templates):
            return EXIT_BLOCKED
        if self.closing is not None and self.closing.failed:
            return EXIT_BLOCKED
        return EXIT_OK if summary.pairs and summary.compatible == summary.pairs else EXIT_BLOCKED


@dataclass(frozen=True, slots=True)
class Job:
    """What to compare, as the command line says it."""

    channels: Sequence[str]
    statuses: str
    members: str | None = None
    campaigns: str | None = None
    pairs: str | None = None
    channel: str | None = None
    campaign: str | None = None
    program: str | None = None
    strict: bool = False
    read_options: Mapping[Role, ReadOptions] = field(default_factory=dict)
    type_templates: str | None = None
    """Campaign Type templates to check: a folder of Custom Metadata records, or their CSV."""
    template_types: Mapping[str, str] = field(default_factory=dict)
    """channel -> Campaign Type, where a Type is not named after its channel (--type)."""


@dataclass(frozen=True, slots=True)
class Inputs:
    """Every input, read."""

    channels: list[Channel]
    campaigns: list[Campaign]
    members: MemberCounts | None
    campaign_info: list[CampaignInfo] | None
    pairings: list[Pairing] | None
    detections: tuple[Detection, ...]
    notes: tuple[Advisory, ...]
    templates: list[TypeTemplate] | None = None


def check_job(job: Job) -> None:
    """Refuse contradictory pairing options before anything is read."""
    if (job.channel is None) != (job.campaign is None):
        raise UsageError(
            "--channel and --campaign go together",
            hint="name both for one pair, or pass --pairs FILE, or neither for the matrix",
        )
    if job.pairs is not None and job.channel is not None:
        raise UsageError(
            "--pairs cannot be combined with --channel/--campaign",
            hint="use one pairing method",
        )
    if job.program is not None and job.channel is None:
        raise UsageError("--program names the program of --channel/--campaign")


def load(job: Job, progress: Progress | None = None) -> Inputs:
    """Read every input file of a job."""
    check_job(job)
    opts = job.read_options
    detections: list[Detection] = []
    notes: list[Advisory] = []
    channels: list[Channel] = []
    seen: dict[str, str] = {}
    for path in job.channels:
        loaded = read(path, Role.CHANNELS, opts.get(Role.CHANNELS), progress)
        detections.append(loaded.detection)
        for channel in loaded.records:
            if channel.name in seen:
                notes.append(
                    Advisory(
                        "duplicate_channel_name",
                        channel.name,
                        (("first", seen[channel.name]), ("second", loaded.detection.file)),
                    )
                )
                continue
            seen[channel.name] = loaded.detection.file
            channels.append(channel)
    statuses = read(job.statuses, Role.STATUSES, opts.get(Role.STATUSES), progress)
    detections.append(statuses.detection)
    members = None
    if job.members is not None:
        loaded_members = read(job.members, Role.MEMBERS, opts.get(Role.MEMBERS), progress)
        detections.append(loaded_members.detection)
        members = loaded_members.records
    info = None
    if job.campaigns is not None:
        loaded_info = read(job.campaigns, Role.CAMPAIGNS, opts.get(Role.CAMPAIGNS), progress)
        detections.append(loaded_info.detection)
        info = loaded_info.records
    pairings = None
    if job.pairs is not None:
        loaded_pairs = read(job.pairs, Role.PAIRS, opts.get(Role.PAIRS), progress)
        detections.append(loaded_pairs.detection)
        pairings = loaded_pairs.records
    elif job.channel is not None and job.campaign is not None:
        pairings = [Pairing(job.program, job.channel, job.campaign, COMMAND_LINE)]
    templates = None
    if job.type_templates is not None:
        loaded_templates = read_templates(job.type_templates, opts.get(Role.TEMPLATES))
        detections.append(loaded_templates.detection)
        templates = loaded_templates.records
    return Inputs(
        channels,
        statuses.records,
        members,
        info,
        pairings,
        tuple(detections),
        tuple(notes),
        templates,
    )


def options_of(job: Job) -> tuple[tuple[str, str], ...]:
    """The options that shaped the result, for the audit block."""
    out: list[tuple[str, str]] = [("rule", (Rule.EXACT if job.strict else Rule.SUBSET).value)]
    if job.channel is not None:
        out.append(("channel", job.channel))
    if job.campaign is not None:
        out.append(("campaign", job.campaign))
    if job.program is not None:
        out.append(("program", job.program))
    for role, options in sorted(job.read_options.items()):
        for name in ("sheet", "encoding", "delimiter"):
            value: Any = getattr(options, name)
            if value is not None:
                out.append((f"{role.value}.{name}", str(value)))
        for field_name, header in sorted((options.columns or {}).items()):
            out.append((f"{role.value}.column.{field_name}", header))
    for channel_name, campaign_type in sorted(job.template_types.items()):
        out.append((f"type.{channel_name}", campaign_type))
    return tuple(out)


def run(
    job: Job,
    *,
    generated_at: str,
    lang: str = "en",
    version: str = __version__,
    progress: Progress | None = None,
) -> Report:
    """Read, compare and plan: the whole job, with no output written."""
    inputs = load(job, progress)
    if progress is not None:
        progress.stage("comparing", None)
    rule = Rule.EXACT if job.strict else Rule.SUBSET
    comparison = compare(
        inputs.channels,
        inputs.campaigns,
        pairings=inputs.pairings,
        members=inputs.members,
        campaign_info=inputs.campaign_info,
        rule=rule,
        single=job.pairs is None and job.channel is not None,
    )
    plans = plan_all(comparison)
    checks: tuple[TemplateCheck, ...] = ()
    if inputs.templates is not None:
        checks = check_templates(
            inputs.templates, inputs.channels, rule=rule, types=job.template_types
        )
    return Report(
        comparison=comparison,
        plans=plans,
        inputs=inputs.detections,
        generated_at=generated_at,
        version=version,
        options=options_of(job),
        notes=inputs.notes + comparison.notes,
        lang=lang,
        templates=checks,
    )
