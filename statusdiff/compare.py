"""The verdict: will a channel and a campaign sync, and exactly why not (pure: no I/O, no clock).

The rule (domain.md Part 1 §1): every Salesforce label of the campaign must equal, code point for
code point, the name of a program status of the channel. 'Not in Program' never matches. Channel
statuses the campaign lacks are informational, unless the rule is exact-set (--strict), where every
visible channel status must also be in the campaign.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from . import ids
from .errors import IdError
from .explain import NearMatch, explain
from .model import (
    Campaign,
    CampaignInfo,
    Channel,
    MemberCounts,
    MemberStatus,
    Pairing,
    ProgramStatus,
    Source,
    is_pseudo_status,
)

LABEL_LIMIT = 40
"""CampaignMember.Status holds 40 characters."""


class Rule(StrEnum):
    """Which direction blocks."""

    SUBSET = "salesforce-subset"
    """Every Salesforce label must be a channel status (Marketo's documented error)."""
    EXACT = "exact-set"
    """Also every visible channel status must be a Salesforce label (--strict)."""


class Kind(StrEnum):
    """A difference between the two sides of a pair."""

    SALESFORCE_ONLY = "salesforce_only"
    MARKETO_ONLY = "marketo_only"
    RESPONDED_MISMATCH = "responded_mismatch"


class Problem(StrEnum):
    """Why a pairing could not be compared at all."""

    UNKNOWN_CHANNEL = "unknown_channel"
    UNKNOWN_CAMPAIGN = "unknown_campaign"
    AMBIGUOUS_CAMPAIGN = "ambiguous_campaign"
    NO_STATUSES = "campaign_without_statuses"


@dataclass(frozen=True, slots=True)
class Match:
    """A Salesforce label that equals a channel status."""

    status: MemberStatus
    program_status: ProgramStatus
    members: int | None


@dataclass(frozen=True, slots=True)
class Difference:
    """One way the two sides differ."""

    kind: Kind
    label: str
    """The Salesforce label (salesforce_only, responded_mismatch) or channel status name."""
    blocking: bool
    near_match: NearMatch | None = None
    """For salesforce_only: the channel status it was likely meant to be. For marketo_only: the
    blocking Salesforce label that was likely meant to be this status."""
    members: int | None = None
    status: MemberStatus | None = None
    program_status: ProgramStatus | None = None
    pseudo: bool = False
    """The label equals Marketo's 'Not in Program' pseudo-status."""


@dataclass(frozen=True, slots=True)
class Advisory:
    """A warning that never blocks: catalogue code, label concerned, parameters."""

    code: str
    label: str | None = None
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Alternative:
    """A campaign of the export that would sync with the channel as it is (remediation A)."""

    campaign_id: str | None
    campaign_key: str
    campaign_name: str | None
    score: float
    """Name similarity with the program (or the blocked campaign), 0–100."""


@dataclass(frozen=True, slots=True)
class PairResult:
    """The verdict for one channel ⇄ campaign pair."""

    index: int
    program: str | None
    channel_name: str
    campaign_ref: str
    channel: Channel | None
    campaign: Campaign | None
    compatible: bool
    problem: Problem | None = None
    candidates: tuple[str, ...] = ()
    """For an ambiguous campaign name: the IDs it could mean."""
    matches: tuple[Match, ...] = ()
    differences: tuple[Difference, ...] = ()
    warnings: tuple[Advisory, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    alternatives_total: int = 0
    source: Source | None = None
    row: int | None = None

    @property
    def blocking(self) -> tuple[Difference, ...]:
        """The differences that stop the sync."""
        return tuple(d for d in self.differences if d.blocking)

    @property
    def near_misses(self) -> tuple[Difference, ...]:
        """Blocking Salesforce labels with a near match in the channel."""
        return tuple(
            d
            for d in self.differences
            if d.blocking and d.kind is Kind.SALESFORCE_ONLY and d.near_match
        )


@dataclass(frozen=True, slots=True)
class CampaignFit:
    """Matrix mode: which channels one campaign would sync with."""

    campaign: Campaign
    compatible_channels: tuple[str, ...]
    closest_channel: str | None
    closest_blocking: int


@dataclass(frozen=True, slots=True)
class Matrix:
    """Matrix mode: every campaign against every channel."""

    channels: tuple[str, ...]
    fits: tuple[CampaignFit, ...]
    by_channel: Mapping[str, tuple[str, ...]]
    """channel -> keys of the campaigns that would sync with it."""
    blocking: Mapping[str, tuple[int, ...]]
    """campaign key -> blocking labels against each channel, in `channels` order (shared tuples)."""


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts every renderer agrees on."""

    pairs: int
    compatible: int
    incompatible: int
    unresolved: int
    blocking_labels: int
    near_misses: int
    warnings: int


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything the compare step found."""

    rule: Rule
    mode: str
    """single, pairs or matrix."""
    pairs: tuple[PairResult, ...]
    summary: Summary
    matrix: Matrix | None = None
    channels: tuple[Channel, ...] = ()
    campaigns: tuple[Campaign, ...] = ()
    notes: tuple[Advisory, ...] = field(default_factory=tuple)


# ------------------------------------------------------------------------------------------------
# One pair
# ------------------------------------------------------------------------------------------------


def names_of(channel: Channel) -> tuple[str, ...]:
    """The channel's program status names in order (no pseudo-status)."""
    return tuple(s.name for s in channel.statuses if not is_pseudo_status(s))


def verdict(
    channel: Channel,
    campaign: Campaign,
    *,
    rule: Rule = Rule.SUBSET,
    members: Mapping[str, int] | None = None,
) -> tuple[bool, tuple[Match, ...], tuple[Difference, ...], tuple[Advisory, ...]]:
    """Compare one channel with one campaign: (compatible, matches, differences, warnings)."""
    by_name: dict[str, ProgramStatus] = {}
    for program_status in channel.statuses:
        if not is_pseudo_status(program_status):
            by_name.setdefault(program_status.name, program_status)
    candidates = names_of(channel)
    matches: list[Match] = []
    diffs: list[Difference] = []
    warnings: list[Advisory] = []
    seen: set[str] = set()
    counted = Counter(s.label for s in campaign.statuses)
    by_label: dict[str, list[MemberStatus]] = defaultdict(list)
    for member_status in campaign.statuses:
        by_label[member_status.label].append(member_status)
    blocking_targets: dict[str, str] = {}
    for status in campaign.statuses:
        label = status.label
        if label in seen:
            continue
        seen.add(label)
        n = None if members is None else members.get(label, 0)
        target = by_name.get(label)
        if target is not None:
            matches.append(Match(status, target, n))
            if target.hidden:
                warnings.append(Advisory("hidden_match", label))
            # Duplicated labels: any copy whose flag differs is a mismatch (order-independent).
            differing = [
                s
                for s in by_label[label]
                if s.responded is not None
                and target.success is not None
                and s.responded != target.success
            ]
            if differing:
                diffs.append(
                    Difference(
                        Kind.RESPONDED_MISMATCH,
                        label,
                        False,
                        members=n,
                        status=differing[0],
                        program_status=target,
                    )
                )
            continue
        near = explain(label, candidates)
        if near is not None:
            blocking_targets.setdefault(near.target, label)
        pseudo = any(s.name == label and is_pseudo_status(s) for s in channel.statuses)
        diffs.append(
            Difference(
                Kind.SALESFORCE_ONLY,
                label,
                True,
                near_match=near,
                members=n,
                status=status,
                program_status=None,
                pseudo=pseudo,
            )
        )
    present = set(seen)
    for extra in sorted(channel.statuses, key=_step_key):
        if is_pseudo_status(extra) or extra.name in present:
            continue
        present.add(extra.name)
        back = None
        meant = blocking_targets.get(extra.name)
        if meant is not None:
            back = explain(extra.name, (meant,))
        diffs.append(
            Difference(
                Kind.MARKETO_ONLY,
                extra.name,
                rule is Rule.EXACT and not extra.hidden,
                near_match=back,
                program_status=extra,
            )
        )
    warnings.extend(_advisories(channel, campaign, counted, members))
    compatible = not any(d.blocking for d in diffs)
    return compatible, tuple(matches), tuple(diffs), tuple(warnings)


def _step_key(status: ProgramStatus) -> tuple[bool, int]:
    return (status.step is None, status.step or 0)


def _advisories(
    channel: Channel,
    campaign: Campaign,
    counted: Counter[str],
    members: Mapping[str, int] | None,
) -> list[Advisory]:
    out: list[Advisory] = []
    statuses = campaign.statuses
    if (
        statuses
        and any(s.default is not None for s in statuses)
        and not any(s.default for s in statuses)
    ):
        out.append(Advisory("no_default"))
    if (
        statuses
        and any(s.responded is not None for s in statuses)
        and not any(s.responded for s in statuses)
    ):
        out.append(Advisory("no_responded"))
    for label, n in counted.items():
        if n > 1:
            out.append(Advisory("duplicate_label", label, (("count", str(n)),)))
    out.extend(
        Advisory("label_too_long", label, (("length", str(len(label))),))
        for label in counted
        if len(label) > LABEL_LIMIT
    )
    names = Counter(s.name for s in channel.statuses)
    for name, n in names.items():
        if n > 1:
            out.append(Advisory("duplicate_channel_status", name, (("count", str(n)),)))
    if campaign.type is not None and campaign.type != channel.name:
        out.append(
            Advisory("type_mismatch", None, (("type", campaign.type), ("channel", channel.name)))
        )
    if members is not None:
        for label, n in sorted(members.items()):
            if n and label not in counted:
                out.append(Advisory("undefined_member_status", label, (("members", str(n)),)))
    return out


# ------------------------------------------------------------------------------------------------
# Many pairs
# ------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Index:
    channels: dict[str, Channel]
    campaigns: dict[str, Campaign]
    by_name: dict[str, list[str]]
    members: dict[str, dict[str, int]] | None
    label_sets: dict[frozenset[str], list[str]]


def merge_campaign_info(
    campaigns: Sequence[Campaign], info: Iterable[CampaignInfo]
) -> list[Campaign]:
    """Fill in names and types from a Campaign export (by ID, else by unique name)."""
    by_id = {i.campaign_id: i for i in info if i.campaign_id is not None}
    names: dict[str, list[CampaignInfo]] = defaultdict(list)
    for known in by_id.values():
        if known.name is not None:
            names[known.name].append(known)
    out = []
    for campaign in campaigns:
        item: CampaignInfo | None = (
            by_id.get(campaign.campaign_id) if campaign.campaign_id else None
        )
        if item is None and campaign.campaign_id is None and campaign.name is not None:
            found = names.get(campaign.name, [])
            if len(found) == 1:
                item = found[0]
            if item is not None and item.campaign_id is not None:
                campaign = replace(campaign, key=item.campaign_id, campaign_id=item.campaign_id)
        if item is not None:
            campaign = replace(
                campaign,
                name=campaign.name if campaign.name is not None else item.name,
                type=campaign.type if campaign.type is not None else item.type,
            )
        out.append(campaign)
    return out


def _members_by_campaign(
    members: MemberCounts | None, campaigns: dict[str, Campaign]
) -> dict[str, dict[str, int]] | None:
    if members is None:
        return None
    out: dict[str, dict[str, int]] = defaultdict(dict)
    name_to_key: dict[str, str] = {}
    if members.keyed_by == "name":
        for campaign in campaigns.values():
            if campaign.name is not None:
                name_to_key.setdefault("name:" + campaign.name, campaign.key)
    for (key, label), n in members.counts.items():
        key = name_to_key.get(key, key)
        out[key][label] = out[key].get(label, 0) + n
    return dict(out)


def _index(
    channels: Sequence[Channel], campaigns: Sequence[Campaign], members: MemberCounts | None
) -> _Index:
    by_channel: dict[str, Channel] = {}
    for channel in channels:
        by_channel.setdefault(channel.name, channel)
    by_key: dict[str, Campaign] = {}
    by_name: dict[str, list[str]] = defaultdict(list)
    label_sets: dict[frozenset[str], list[str]] = defaultdict(list)
    for campaign in campaigns:
        if campaign.key in by_key:
            continue
        by_key[campaign.key] = campaign
        if campaign.name is not None:
            by_name[campaign.name].append(campaign.key)
        label_sets[frozenset(s.label for s in campaign.statuses)].append(campaign.key)
    return _Index(
        by_channel, by_key, dict(by_name), _members_by_campaign(members, by_key), dict(label_sets)
    )


def _find_channel(index: _Index, name: str) -> tuple[Channel | None, Advisory | None]:
    found = index.channels.get(name)
    if found is not None:
        return found, None
    loose = [
        c for n, c in index.channels.items() if n.casefold().strip() == name.casefold().strip()
    ]
    if len(loose) == 1:
        return loose[0], Advisory(
            "channel_matched_loosely", None, (("given", name), ("found", loose[0].name))
        )
    return None, None


def _find_campaign(
    index: _Index, ref: str
) -> tuple[Campaign | None, Problem | None, tuple[str, ...], Advisory | None]:
    text = ref.strip()
    if ids.looks_like_id(text):
        try:
            key = ids.to18(text)
        except IdError:
            key = None
        if key is not None and key in index.campaigns:
            return index.campaigns[key], None, (), None
    keys = index.by_name.get(ref) or index.by_name.get(text)
    if keys:
        if len(keys) == 1:
            return index.campaigns[keys[0]], None, (), None
        return None, Problem.AMBIGUOUS_CAMPAIGN, tuple(keys), None
    folded = text.casefold()
    loose = [k for n, ks in index.by_name.items() if n.casefold().strip() == folded for k in ks]
    if len(loose) == 1:
        found = index.campaigns[loose[0]]
        return (
            found,
            None,
            (),
            Advisory("campaign_matched_loosely", None, (("given", ref), ("found", found.display))),
        )
    if len(loose) > 1:
        return None, Problem.AMBIGUOUS_CAMPAIGN, tuple(loose), None
    return None, Problem.UNKNOWN_CAMPAIGN, (), None


def _pair(
    index: _Index,
    number: int,
    pairing: Pairing,
    rule: Rule,
) -> PairResult:
    channel, channel_note = _find_channel(index, pairing.channel)
    campaign, problem, candidates, campaign_note = _find_campaign(index, pairing.campaign_ref)
    notes = tuple(n for n in (channel_note, campaign_note) if n is not None)
    if channel is None:
        problem = Problem.UNKNOWN_CHANNEL if problem is None else problem
    if campaign is not None and not campaign.statuses:
        problem = Problem.NO_STATUSES
    if problem is not None or channel is None or campaign is None:
        return PairResult(
            number,
            pairing.program,
            pairing.channel,
            pairing.campaign_ref,
            channel,
            campaign,
            False,
            problem=problem if problem is not None else Problem.UNKNOWN_CHANNEL,
            candidates=candidates,
            warnings=notes,
            source=pairing.source,
            row=pairing.row,
        )
    members = None if index.members is None else index.members.get(campaign.key, {})
    ok, matches, diffs, warnings = verdict(channel, campaign, rule=rule, members=members)
    return PairResult(
        number,
        pairing.program,
        pairing.channel,
        pairing.campaign_ref,
        channel,
        campaign,
        ok,
        matches=matches,
        differences=diffs,
        warnings=notes + warnings,
        source=pairing.source,
        row=pairing.row,
    )


def _fits(
    labels: frozenset[str], names: frozenset[str], visible: frozenset[str], rule: Rule
) -> int:
    blocking = len(labels - names)
    if rule is Rule.EXACT:
        blocking += len(visible - labels)
    return blocking


def _channel_sets(channel: Channel) -> tuple[frozenset[str], frozenset[str]]:
    names = frozenset(names_of(channel))
    visible = frozenset(
        s.name for s in channel.statuses if not is_pseudo_status(s) and not s.hidden
    )
    return names, visible


def _alternatives(
    results: list[PairResult], index: _Index, rule: Rule, limit: int = 5
) -> list[PairResult]:
    """Remediation A: campaigns that would sync with the channel and are not paired elsewhere."""
    from rapidfuzz import fuzz, process, utils

    paired = {r.campaign.key for r in results if r.campaign is not None}
    compatible_cache: dict[str, list[str]] = {}
    names_cache: dict[str, list[tuple[str, str]]] = {}
    out = []
    for result in results:
        if result.compatible or result.channel is None:
            out.append(result)
            continue
        channel = result.channel
        if channel.name not in compatible_cache:
            names, visible = _channel_sets(channel)
            keys = [
                key
                for labels, group in index.label_sets.items()
                if labels and _fits(labels, names, visible, rule) == 0
                for key in group
            ]
            compatible_cache[channel.name] = keys
            names_cache[channel.name] = [
                (key, utils.default_process(index.campaigns[key].display)) for key in keys
            ]
        own = result.campaign.key if result.campaign is not None else None
        choices = [(k, n) for k, n in names_cache[channel.name] if k not in paired and k != own]
        if not choices:
            out.append(result)
            continue
        query = result.program or (
            result.campaign.display if result.campaign else result.campaign_ref
        )
        ranked = process.extract(
            utils.default_process(query),
            [n for _, n in choices],
            scorer=fuzz.WRatio,
            processor=None,
            limit=limit,
        )
        ranked.sort(key=lambda hit: (-hit[1], choices[hit[2]][0]))
        alternatives = tuple(
            Alternative(
                index.campaigns[choices[i][0]].campaign_id,
                choices[i][0],
                index.campaigns[choices[i][0]].name,
                round(score, 1),
            )
            for _, score, i in ranked
        )
        out.append(replace(result, alternatives=alternatives, alternatives_total=len(choices)))
    return out


def _summary(pairs: Sequence[PairResult]) -> Summary:
    unresolved = sum(1 for p in pairs if p.problem is not None)
    compatible = sum(1 for p in pairs if p.compatible)
    return Summary(
        pairs=len(pairs),
        compatible=compatible,
        incompatible=len(pairs) - compatible - unresolved,
        unresolved=unresolved,
        blocking_labels=sum(len(p.blocking) for p in pairs),
        near_misses=sum(len(p.near_misses) for p in pairs),
        warnings=sum(len(p.warnings) for p in pairs),
    )


def compare(
    channels: Sequence[Channel],
    campaigns: Sequence[Campaign],
    *,
    pairings: Sequence[Pairing] | None = None,
    members: MemberCounts | None = None,
    campaign_info: Sequence[CampaignInfo] | None = None,
    rule: Rule = Rule.SUBSET,
    single: bool = False,
) -> Comparison:
    """Compare pairings (or, without any, every campaign against every channel).

    `single` marks a pairing given on the command line rather than read from a file.
    """
    if campaign_info:
        campaigns = merge_campaign_info(campaigns, campaign_info)
    index = _index(channels, campaigns, members)
    if pairings is None:
        return _matrix(index, rule, channels, campaigns)
    results = [_pair(index, number, pairing, rule) for number, pairing in enumerate(pairings, 1)]
    results = _alternatives(results, index, rule)
    mode = "single" if single else "pairs"
    return Comparison(
        rule,
        mode,
        tuple(results),
        _summary(results),
        channels=tuple(index.channels.values()),
        campaigns=tuple(index.campaigns.values()),
    )


def _matrix(
    index: _Index, rule: Rule, channels: Sequence[Channel], campaigns: Sequence[Campaign]
) -> Comparison:
    channel_list = list(index.channels.values())
    sets = {c.name: _channel_sets(c) for c in channel_list}
    blocking: dict[str, tuple[int, ...]] = {}
    per_set: dict[frozenset[str], dict[str, int]] = {}
    rows: dict[frozenset[str], tuple[int, ...]] = {}
    for labels in index.label_sets:
        per_set[labels] = {
            name: _fits(labels, names, visible, rule) for name, (names, visible) in sets.items()
        }
        rows[labels] = tuple(per_set[labels].values())
    fits = []
    by_channel: dict[str, list[str]] = {c.name: [] for c in channel_list}
    results = []
    for number, campaign in enumerate(index.campaigns.values(), 1):
        labels = frozenset(s.label for s in campaign.statuses)
        scores = per_set[labels]
        blocking[campaign.key] = rows[labels]
        compatible = tuple(name for name in scores if scores[name] == 0)
        for name in compatible:
            by_channel[name].append(campaign.key)
        closest = None
        closest_n = 0
        if scores:
            closest = min(
                scores,
                key=lambda name: (
                    scores[name],
                    len(sets[name][1] - labels),
                    name,
                ),
            )
            closest_n = scores[closest]
        fits.append(CampaignFit(campaign, compatible, closest, closest_n))
        if closest is not None:
            channel = index.channels[closest]
            members = None if index.members is None else index.members.get(campaign.key, {})
            ok, matches, diffs, warnings = verdict(channel, campaign, rule=rule, members=members)
            results.append(
                PairResult(
                    number,
                    None,
                    closest,
                    campaign.campaign_id or campaign.display,
                    channel,
                    campaign,
                    ok,
                    matches=matches,
                    differences=diffs,
                    warnings=warnings,
                    source=campaign.source,
                    row=campaign.row,
                )
            )
    matrix = Matrix(
        tuple(c.name for c in channel_list),
        tuple(fits),
        {name: tuple(keys) for name, keys in by_channel.items()},
        blocking,
    )
    return Comparison(
        rule,
        "matrix",
        tuple(results),
        _summary(results),
        matrix=matrix,
        channels=tuple(channel_list),
        campaigns=tuple(index.campaigns.values()),
    )
