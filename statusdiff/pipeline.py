"""Compose the stages: read every input, compare, plan remediation, and hand back one Report.

No console and no clock here: the CLI passes the time and version in, so the same inputs always give
the same report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import __version__, ids
from .comparison import Rule, compare
from .errors import EXIT_BLOCKED, EXIT_OK, UsageError
from .i18n import Catalog, phrase
from .model import (
    Advisory,
    Campaign,
    CampaignInfo,
    Channel,
    Comparison,
    Detection,
    MemberCounts,
    Pairing,
    Role,
    Source,
    TypeTemplate,
)
from .progress import Progress
from .read import Loaded, ReadOptions, collector_paused, merge, read, read_templates
from .read.roles import ROLE_OPTIONS, Assigned, assign
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
    """What to compare, as the command line says it.

    `files` are given their role by their content; the other file lists force a role. Several
    files of one role are read as one.
    """

    channels: Sequence[str] = ()
    statuses: Sequence[str] = ()
    members: Sequence[str] = ()
    campaigns: Sequence[str] = ()
    pairs: Sequence[str] = ()
    files: Sequence[str] = ()
    channel: str | None = None
    campaign: str | None = None
    program: str | None = None
    strict: bool = False
    read_options: Mapping[Role, ReadOptions] = field(default_factory=dict)
    type_templates: str | None = None
    """Campaign Type templates to check: a folder of Custom Metadata records, or their CSV."""
    template_types: Mapping[str, str] = field(default_factory=dict)
    """channel -> Campaign Type, where a Type is not named after its channel (--type)."""
    member_ids: bool = True
    """Keep the members export's CampaignMember IDs, which change files need (the CLI asks only
    with --changes). Several members exports are always read with them: they are merged by
    member ID."""

    def __post_init__(self) -> None:
        # A single path given as a string is one file, not a sequence of characters.
        for name in ("channels", "statuses", "members", "campaigns", "pairs", "files"):
            value = getattr(self, name)
            if value is None:
                object.__setattr__(self, name, ())
            elif isinstance(value, str):
                object.__setattr__(self, name, (value,))


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
    if job.channel is not None and job.campaign is None:
        raise UsageError(
            phrase("cli.channel_campaign_together"),
            hint=phrase("cli.channel_campaign_together.hint"),
        )
    if job.pairs and job.channel is not None:
        raise UsageError(phrase("cli.pairs_and_channel"), hint=phrase("cli.one_pairing_method"))
    if job.program is not None and job.channel is None:
        raise UsageError(phrase("cli.program_needs_pair"))
    if not (job.files or job.channels or job.statuses):
        raise UsageError(phrase("cli.no_inputs"), hint=phrase("cli.no_inputs.hint"))


def _options(job: Job) -> dict[Role, ReadOptions]:
    """Per-role read options, with --campaign naming a status list that names no campaign."""
    out = dict(job.read_options)
    if job.campaign is not None:
        current = out.get(Role.STATUSES, ReadOptions())
        out[Role.STATUSES] = replace(current, campaign=job.campaign)
    if job.member_ids or len(job.members) > 1:
        current = out.get(Role.MEMBERS, ReadOptions())
        out[Role.MEMBERS] = replace(current, member_ids=True)
    return out


def _with_member_ids(
    assigned: list[Assigned], options: Mapping[Role, ReadOptions], progress: Progress | None
) -> list[Assigned]:
    """Several members exports are merged by member ID: one only counted (its role found by its
    content, the IDs not asked for) is read again with them."""
    members = [a for a in assigned if a.role is Role.MEMBERS]
    if len(members) < 2:
        return assigned
    wanted = replace(options.get(Role.MEMBERS, ReadOptions()), member_ids=True)
    out = []
    for item in assigned:
        records = item.loaded.records
        if item.role is Role.MEMBERS and records.has_member_ids and not records.ids_kept:
            loaded = read(item.path, Role.MEMBERS, wanted, progress)
            item = Assigned(item.path, item.role, replace(loaded, detection=item.loaded.detection))
        out.append(item)
    return out


def load(job: Job, progress: Progress | None = None) -> Inputs:
    """Read every input file of a job: each once, as its role, several files of a role as one."""
    check_job(job)
    forced = {
        Role.CHANNELS: job.channels,
        Role.STATUSES: job.statuses,
        Role.MEMBERS: job.members,
        Role.CAMPAIGNS: job.campaigns,
        Role.PAIRS: job.pairs,
    }
    options = _options(job)
    assigned = _with_member_ids(assign(job.files, forced, options, progress), options, progress)
    by_role: dict[Role, list[Loaded[Any]]] = {role: [] for role in Role}
    for item in assigned:
        by_role[item.role].append(item.loaded)
    for role in (Role.CHANNELS, Role.STATUSES):
        if not by_role[role]:
            found = ", ".join(
                f"{a.path} ({phrase(f'role.{a.role.value}')})" for a in assigned
            ) or phrase("value.none")
            raise UsageError(
                phrase("cli.role_missing", role=phrase(f"role.{role.value}"), found=found),
                hint=phrase(f"cli.role_missing.{role.value}", option=ROLE_OPTIONS[role]),
            )
    if by_role[Role.PAIRS] and job.channel is not None:
        raise UsageError(
            phrase("cli.pairs_file_and_channel"), hint=phrase("cli.one_pairing_method")
        )
    channels, notes = merge.channels(by_role[Role.CHANNELS])
    campaigns, more = merge.statuses(by_role[Role.STATUSES])
    notes += more
    members, more = merge.members(by_role[Role.MEMBERS])
    notes += more
    info, more = merge.campaign_info(by_role[Role.CAMPAIGNS])
    notes += more
    pairings = merge.pairs(by_role[Role.PAIRS])
    if pairings is None and job.channel is not None and job.campaign is not None:
        pairings = [Pairing(job.program, job.channel, job.campaign, COMMAND_LINE)]
    detections = [item.loaded.detection for item in assigned]
    templates = None
    if job.type_templates is not None:
        loaded_templates = read_templates(job.type_templates, job.read_options.get(Role.TEMPLATES))
        detections.append(loaded_templates.detection)
        templates = loaded_templates.records
    return Inputs(
        channels,
        campaigns,
        members,
        info,
        pairings,
        tuple(detections),
        tuple(notes),
        templates,
    )


def only_campaign(campaigns: Sequence[Campaign], ref: str) -> list[Campaign]:
    """The campaign --campaign names (ID or name), for a matrix of one campaign."""
    key = None
    if ids.looks_like_id(ref.strip()):
        key = ids.to18(ref.strip())
    found = [c for c in campaigns if (key is not None and c.campaign_id == key) or c.name == ref]
    if not found:
        raise UsageError(
            phrase("cli.campaign_not_found", ref=ref), hint=phrase("cli.campaign_not_found.hint")
        )
    return found


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
        progress.stage(Catalog(lang)("cli.progress.comparing"), None)
    rule = Rule.EXACT if job.strict else Rule.SUBSET
    campaigns = inputs.campaigns
    if job.campaign is not None and job.channel is None:
        campaigns = only_campaign(campaigns, job.campaign)
    with collector_paused():  # only when the caller opted in (read.pausing_gc)
        comparison = compare(
            inputs.channels,
            campaigns,
            pairings=inputs.pairings,
            members=inputs.members,
            campaign_info=inputs.campaign_info,
            rule=rule,
            single=job.channel is not None,  # check_job and load make it the one pairing
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
