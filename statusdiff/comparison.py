"""The verdict: will a channel and a campaign sync, and exactly why not (pure: no I/O, no clock).

The rule (docs/contract.md §1): every Salesforce label of the campaign must equal, code point for
code point, the name of a program status of the channel. 'Not in Program' never matches. Channel
statuses the campaign lacks are informational, unless the rule is exact-set (--strict), where every
visible channel status must also be in the campaign.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from operator import itemgetter
from typing import Final, NamedTuple, Protocol

from . import ids
from .codes import AdvisoryCode, Mode, PairState
from .errors import IdError
from .evidence import MemberEvidence, member_evidence
from .explain import NearMatch, char_changes, explain
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
from .rule import ChannelSide, blockers, blocking_count, syncs
from .rule import Rule as Rule  # NOTE: re-exported: the rule lives in rule.py

LABEL_LIMIT = 40
"""CampaignMember.Status holds 40 characters."""


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


class Match(NamedTuple):
    """A Salesforce label that equals a channel status (one per matching label: many per run)."""

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
    campaign_type: str | None = None
    """The campaign's Type (None when no export says)."""
    type_agrees: bool = False
    """The Type is known and names the channel (or its program type)."""


def type_agrees(campaign_type: str | None, channel: Channel) -> bool:
    """Whether a campaign Type is known and equals the channel name or its program type.

    Marketo writes the channel name into the campaign Type; compared exactly, like the
    type_mismatch advisory.
    """
    return campaign_type is not None and campaign_type in (channel.name, channel.program_type)


def plausible(campaign: Campaign, channel: Channel) -> bool:
    """Whether option A may offer a campaign for a channel: not inactive, and not of another type.

    A campaign the Campaign export marks inactive is never offered; one whose Type is known and
    names neither the channel nor its program type is not offered either. Unknown is not proof
    against: it is offered, but never as a clear twin (see remediate.clear_twin).
    """
    if campaign.active is False:
        return False
    return campaign.type is None or type_agrees(campaign.type, channel)


class PairResult:
    """The verdict for one channel ⇄ campaign pair.

    A pair compared in a run holds a reference to the verdict its campaign's status set shares
    with every other campaign that has it; its own records (`matches`, `differences`) are bound
    to that verdict when first read, and option A's ranked `alternatives` are ranked when first
    read. Everything the summary counts is known without either.
    """

    __slots__ = (
        "_alternatives",
        "_differences",
        "_matches",
        "_offer",
        "alternatives_total",
        "campaign",
        "campaign_ref",
        "candidates",
        "channel",
        "channel_name",
        "compatible",
        "index",
        "member_counts",
        "problem",
        "program",
        "row",
        "source",
        "tied",
        "verdict",
        "warnings",
    )

    def __init__(
        self,
        index: int,
        program: str | None,
        channel_name: str,
        campaign_ref: str,
        channel: Channel | None,
        campaign: Campaign | None,
        compatible: bool,
        *,
        problem: Problem | None = None,
        candidates: tuple[str, ...] = (),
        matches: tuple[Match, ...] | None = (),
        differences: tuple[Difference, ...] | None = (),
        warnings: tuple[Advisory, ...] = (),
        alternatives: tuple[Alternative, ...] | None = (),
        alternatives_total: int = 0,
        source: Source | None = None,
        row: int | None = None,
        tied: tuple[str, ...] = (),
        verdict: Verdict | None = None,
        member_counts: Mapping[str, int] | None = None,
    ) -> None:
        """`matches` and `differences` None: bound from `verdict` when first read.

        The fields are Final: mypy (strict, in CI) rejects any assignment after construction,
        which costs nothing at run time (a run builds one per pair: ~50k at org scale).
        """
        if (matches is None or differences is None) and (verdict is None or campaign is None):
            raise ValueError("records bound lazily need a verdict and a campaign")
        self.index: Final = index
        self.program: Final = program
        self.channel_name: Final = channel_name
        self.campaign_ref: Final = campaign_ref
        self.channel: Final = channel
        self.campaign: Final = campaign
        self.compatible: Final = compatible
        self.problem: Final = problem
        self.candidates: Final = candidates
        """For an ambiguous campaign name: the IDs it could mean."""
        self.warnings: Final = warnings
        self.source: Final = source
        self.row: Final = row
        self.tied: Final = tied
        """Matrix mode: the channels equally close to the campaign when no single one is
        closest (the pair is compared with the first of them; no channel-specific fix)."""
        self.verdict: Final = verdict
        """The verdict of the campaign's status set on the channel, shared with every pair that
        has the same set (None for an unresolved pair)."""
        self.member_counts: Final = member_counts
        """The campaign's members per label as compared (None when unknown)."""
        self.alternatives_total = alternatives_total
        """Free campaigns that fit the channel (set by the comparison's `offer`)."""
        self._matches = matches
        self._differences = differences
        self._alternatives = alternatives
        self._offer: Ranker | None = None

    def __repr__(self) -> str:
        return (
            f"PairResult(index={self.index!r}, program={self.program!r}, "
            f"channel_name={self.channel_name!r}, campaign_ref={self.campaign_ref!r}, "
            f"compatible={self.compatible!r}, problem={self.problem!r})"
        )

    def _fields(self) -> tuple[object, ...]:
        return (
            self.index,
            self.program,
            self.channel_name,
            self.campaign_ref,
            self.channel,
            self.campaign,
            self.compatible,
            self.problem,
            self.candidates,
            self.matches,
            self.differences,
            self.warnings,
            self.alternatives,
            self.alternatives_total,
            self.source,
            self.row,
            self.tied,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PairResult):
            return NotImplemented
        return self is other or self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((self.index, self.channel_name, self.campaign_ref, self.compatible))

    # -- the records, bound to the shared verdict on first read ----------------------------------

    def _bind(self) -> None:
        assert self.verdict is not None and self.campaign is not None
        self._matches, self._differences = self.verdict.records(self.campaign, self.member_counts)

    @property
    def matches(self) -> tuple[Match, ...]:
        """The Salesforce labels that equal a channel status, with their records."""
        found = self._matches
        if found is None:
            self._bind()
            found = self._matches
            assert found is not None
        return found

    @property
    def differences(self) -> tuple[Difference, ...]:
        """Every way the two sides differ, with the campaign's records."""
        found = self._differences
        if found is None:
            self._bind()
            found = self._differences
            assert found is not None
        return found

    # -- option A: ranked on first read --------------------------------------------------------

    def offer(self, total: int, ranker: Ranker) -> None:
        """Attach option A's free campaigns (comparison only): counted now, ranked when read."""
        self.alternatives_total = total
        self._alternatives = None
        self._offer = ranker

    @property
    def alternatives(self) -> tuple[Alternative, ...]:
        """Campaigns of the export that would sync with the channel as it is (remediation A),
        best named first."""
        found = self._alternatives
        if found is None:
            ranker = self._offer
            assert ranker is not None
            found = self._alternatives = ranker.rank(self)
        return found

    @property
    def twin_possible(self) -> bool:
        """Whether any alternative could be a clear twin (its Type names the channel), known
        without ranking the alternatives."""
        if self._alternatives is not None:
            return any(a.type_agrees for a in self._alternatives)
        ranker = self._offer
        return ranker is not None and ranker.typed

    # -- derived -------------------------------------------------------------------------------

    @property
    def state(self) -> PairState:
        """Will sync, will not sync, or unresolved: the one place renderers read it from."""
        if self.problem is not None:
            return PairState.UNRESOLVED
        return PairState.WILL_SYNC if self.compatible else PairState.WILL_NOT_SYNC

    @property
    def campaign_display(self) -> str:
        """The campaign as reports name it (its name or ID; the reference given when unknown)."""
        return self.campaign.display if self.campaign is not None else self.campaign_ref

    @property
    def members_by_label(self) -> dict[str, int] | None:
        """Members per Salesforce label of the campaign, as compared (None when unknown)."""
        counts: dict[str, int] = {}
        for m in self.matches:
            if m.members is None:
                return None
            counts[m.status.label] = m.members
        for d in self.differences:
            if d.kind is Kind.SALESFORCE_ONLY:
                if d.members is None:
                    return None
                counts[d.label] = d.members
        return counts

    @property
    def blocking(self) -> tuple[Difference, ...]:
        """The differences that stop the sync."""
        return tuple(d for d in self.differences if d.blocking)

    @property
    def blocking_count(self) -> int:
        """How many differences stop the sync (from the shared verdict when not yet bound)."""
        if self._differences is None and self.verdict is not None:
            return self.verdict.blocking_count
        return sum(1 for d in self.differences if d.blocking)

    @property
    def warning_count(self) -> int:
        """Advisories plus responded ≠ success differences: what Summary.warnings adds up."""
        if self._differences is None and self.verdict is not None:
            return len(self.warnings) + self.verdict.responded_count
        return len(self.warnings) + sum(
            1 for d in self.differences if d.kind is Kind.RESPONDED_MISMATCH
        )

    @property
    def near_misses(self) -> tuple[Difference, ...]:
        """Blocking Salesforce labels with a near match in the channel."""
        return tuple(
            d
            for d in self.differences
            if d.blocking and d.kind is Kind.SALESFORCE_ONLY and d.near_match
        )

    @property
    def near_miss_count(self) -> int:
        """How many blocking labels have a near match (from the shared verdict when not bound)."""
        if self._differences is None and self.verdict is not None:
            return self.verdict.near_miss_count
        return len(self.near_misses)


class Ranker(Protocol):
    """Ranks option A's free campaigns for a pair (comparison._Ranking)."""

    typed: bool
    """Whether any of the campaigns it ranks has a Type that names the channel."""

    def rank(self, pair: PairResult) -> tuple[Alternative, ...]:
        """The pair's alternatives, best named first."""
        ...


@dataclass(frozen=True, slots=True)
class CampaignFit:
    """Matrix mode: which channels one campaign would sync with."""

    campaign: Campaign
    compatible_channels: tuple[str, ...]
    closest_channel: str | None
    """The one closest channel; None when there are no channels or when several tie."""
    closest_blocking: int
    """Blocking labels against the closest channel (or against each tied one)."""
    closest_tied: tuple[str, ...] = ()
    """The channels that tie for closest (in channel order); empty when one is closest."""


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
    """Advisories, responded ≠ success differences included (they never block)."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything the compare step found."""

    rule: Rule
    mode: Mode
    """single, pairs or matrix."""
    pairs: tuple[PairResult, ...]
    summary: Summary
    matrix: Matrix | None = None
    channels: tuple[Channel, ...] = ()
    campaigns: tuple[Campaign, ...] = ()
    notes: tuple[Advisory, ...] = field(default_factory=tuple)
    members: MemberEvidence | None = None
    """What the members export proves (known counts, member IDs); None without one."""
    by_verdict: tuple[tuple[Verdict, tuple[PairResult, ...]], ...] = ()
    """The compared pairs grouped by the verdict they share, in the order of each group's first
    pair (pairs in pair order): what plans and option C's neighbours are computed per."""


# ------------------------------------------------------------------------------------------------
# One pair
# ------------------------------------------------------------------------------------------------


def names_of(channel: Channel) -> tuple[str, ...]:
    """The channel's program status names in order (no pseudo-status)."""
    return tuple(s.name for s in channel.statuses if not is_pseudo_status(s))


@dataclass(frozen=True, slots=True)
class ChannelFacts:
    """What every verdict against one channel needs, computed once per channel."""

    by_name: Mapping[str, ProgramStatus]
    """Program status by name (first one of a duplicated name; no pseudo-status)."""
    candidates: tuple[str, ...]
    """Names in channel order, for near matches."""
    by_step: tuple[ProgramStatus, ...]
    """Program statuses (one per name) in step order, for the channel-only differences."""
    pseudo: frozenset[str]
    duplicates: tuple[Advisory, ...]
    side: ChannelSide
    """What the rule reads of the channel (rule.py)."""
    order: Mapping[str, int]
    """Name -> position in channel order (the last of a duplicated name), for plan B."""
    in_step_order: tuple[str, ...]
    """The names of `by_name` in step order (then channel order), for plan B."""
    near: dict[str, NearMatch | None] = field(default_factory=dict, compare=False)
    """Near-miss explanations already computed, per Salesforce label (one per distinct label)."""

    @classmethod
    def of(cls, channel: Channel) -> ChannelFacts:
        """Compute the facts of a channel."""
        by_name: dict[str, ProgramStatus] = {}
        for status in channel.statuses:
            if not is_pseudo_status(status):
                by_name.setdefault(status.name, status)
        counts = Counter(s.name for s in channel.statuses)
        names = names_of(channel)
        order = {name: i for i, name in enumerate(names)}
        return cls(
            by_name,
            names,
            tuple(sorted(by_name.values(), key=_step_key)),
            frozenset(s.name for s in channel.statuses if is_pseudo_status(s)),
            tuple(
                Advisory(AdvisoryCode.DUPLICATE_CHANNEL_STATUS, name, (("count", str(n)),))
                for name, n in counts.items()
                if n > 1
            ),
            ChannelSide.of(channel),
            order,
            tuple(
                sorted(
                    by_name,
                    key=lambda name: (
                        by_name[name].step if by_name[name].step is not None else 1 << 30,
                        order[name],
                    ),
                )
            ),
        )

    def explain(self, label: str) -> NearMatch | None:
        """The near-miss explanation of a label against this channel (computed once per label)."""
        try:
            return self.near[label]
        except KeyError:
            found = self.near[label] = explain(label, self.candidates)
            return found


class _Row(NamedTuple):
    """One distinct label of a status set, as the verdict sees it (positions, not records)."""

    position: int
    """Index of the label's first status in the campaign's statuses."""
    target: ProgramStatus | None
    """The program status it equals; None when it blocks."""
    near: NearMatch | None
    pseudo: bool
    differing: int | None
    """Index of the status whose Responded flag differs from the target's success, if any."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """The verdict of one (channel, status set with flags, rule), shared by every pair that has it.

    Campaigns are cloned from templates, so most status sets repeat: the rule, the near-miss
    search and the set-level advisories run once per distinct set, and each pair binds the result
    to its own records (`bind`) and member counts.
    """

    compatible: bool
    rows: tuple[_Row, ...]
    marketo_only: tuple[Difference, ...]
    """The channel statuses the campaign lacks (shared objects: they name no campaign record)."""
    head: tuple[Advisory, ...]
    """Set-level advisories (hidden matches, default, responded, duplicates, long labels)."""
    tail: tuple[Advisory, ...]
    """Channel-level advisories (duplicate channel statuses)."""
    channel_name: str
    labels: frozenset[str] = frozenset()
    """The distinct labels of the status set."""
    blocking_count: int = 0
    """Differences that stop the sync (blocking labels, and missing statuses under --strict)."""
    near_miss_count: int = 0
    """Blocking labels with a near match in the channel."""
    responded_count: int = 0
    """Matching labels whose Responded flag differs from the status's success."""
    facts: ChannelFacts | None = field(default=None, compare=False, repr=False)
    """The channel's facts the verdict was made with (plans reuse them)."""
    both: tuple[Advisory, ...] = field(default=(), compare=False, repr=False)
    """`head` then `tail`: the advisories of every campaign with this set and nothing of its
    own to add."""

    def records(
        self, campaign: Campaign, members: Mapping[str, int] | None
    ) -> tuple[tuple[Match, ...], tuple[Difference, ...]]:
        """(matches, differences) of one campaign with this status set: its own records."""
        new_tuple = tuple.__new__  # NOTE: skips NamedTuple's Python-level __new__ (hot)
        statuses = campaign.statuses
        matches: list[Match] = []
        diffs: list[Difference] = []
        for position, target, near, pseudo, differing in self.rows:
            status = statuses[position]
            label = status.label
            n = None if members is None else members.get(label, 0)
            if target is not None:
                matches.append(new_tuple(Match, (status, target, n)))
                if differing is not None:
                    diffs.append(
                        Difference(
                            Kind.RESPONDED_MISMATCH,
                            label,
                            False,
                            members=n,
                            status=statuses[differing],
                            program_status=target,
                        )
                    )
            else:
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
        diffs.extend(self.marketo_only)
        return tuple(matches), tuple(diffs)

    def warnings(
        self, campaign: Campaign, members: Mapping[str, int] | None
    ) -> tuple[Advisory, ...]:
        """The advisories of one campaign with this status set (its own after the set's)."""
        if members is None and (campaign.type is None or campaign.type == self.channel_name):
            return self.both  # nothing of the campaign's own to say (hot)
        own = _pair_advisories(campaign, self.channel_name, members)
        return self.head + own + self.tail if own else self.both

    def bind(
        self, campaign: Campaign, members: Mapping[str, int] | None
    ) -> tuple[tuple[Match, ...], tuple[Difference, ...], tuple[Advisory, ...]]:
        """(matches, differences, advisories) of one campaign with this status set."""
        matches, diffs = self.records(campaign, members)
        return matches, diffs, self.warnings(campaign, members)


StatusSet = tuple[tuple[str, bool | None, bool | None], ...]
"""A campaign's statuses as far as a verdict depends on them: (label, responded, default)."""


_FLAGGED = itemgetter(slice(0, 3))
"""(label, responded, default) of a MemberStatus."""


def status_set(campaign: Campaign) -> StatusSet:
    """The status set of a campaign (its statuses in order, labels with flags)."""
    return tuple(map(_FLAGGED, campaign.statuses))


def judge(channel: Channel, campaign: Campaign, rule: Rule, facts: ChannelFacts) -> Verdict:
    """Run the rule (rule.blockers) on a campaign's status set and explain what blocks."""
    by_name = facts.by_name
    statuses = campaign.statuses
    labels = [s.label for s in statuses]
    unique = set(labels)
    counted: Mapping[str, int] | None = None
    if len(unique) != len(labels):
        counted = Counter(labels)
    found = blockers(frozenset(unique), facts.side, rule)
    rows: list[_Row] = []
    hidden: list[Advisory] = []
    seen: set[str] = set()
    blocking_targets: dict[str, tuple[str, NearMatch]] = {}
    for position, status in enumerate(statuses):
        label = status.label
        if counted is not None:
            if label in seen:
                continue
            seen.add(label)
        if label not in found.salesforce:
            target = by_name[label]
            if target.hidden:
                hidden.append(Advisory(AdvisoryCode.HIDDEN_MATCH, label))
            success = target.success
            differing = None
            if success is not None:
                if counted is None:
                    differing = position if status.responded not in (None, success) else None
                else:
                    # Duplicated labels: any copy whose flag differs is a mismatch
                    # (order-independent).
                    differing = next(
                        (
                            i
                            for i, s in enumerate(statuses)
                            if s.label == label and s.responded not in (None, success)
                        ),
                        None,
                    )
            rows.append(_Row(position, target, None, False, differing))
            continue
        near = facts.explain(label)
        if near is not None:
            blocking_targets.setdefault(near.target, (label, near))
        rows.append(_Row(position, None, near, label in facts.pseudo, None))
    marketo_only: list[Difference] = []
    for extra in facts.by_step:
        if extra.name in unique:
            continue
        back = None
        meant = blocking_targets.get(extra.name)
        if meant is not None:
            # The same reasons hold both ways; only the edits are seen from the other side.
            label, near = meant
            back = NearMatch(label, near.reasons, near.score, char_changes(extra.name, label))
        marketo_only.append(
            Difference(
                Kind.MARKETO_ONLY,
                extra.name,
                extra.name in found.marketo,
                near_match=back,
                program_status=extra,
            )
        )
    head = (*hidden, *_set_advisories(campaign, labels, counted))
    blocked = [row for row in rows if row.target is None]
    return Verdict(
        found.syncs,
        tuple(rows),
        tuple(marketo_only),
        head,
        facts.duplicates,
        channel.name,
        frozenset(unique),
        len(blocked) + sum(1 for d in marketo_only if d.blocking),
        sum(1 for row in blocked if row.near is not None),
        sum(1 for row in rows if row.differing is not None),
        facts,
        head + facts.duplicates,
    )


def verdict(
    channel: Channel,
    campaign: Campaign,
    *,
    rule: Rule = Rule.SUBSET,
    members: Mapping[str, int] | None = None,
    facts: ChannelFacts | None = None,
) -> tuple[bool, tuple[Match, ...], tuple[Difference, ...], tuple[Advisory, ...]]:
    """Compare one channel with one campaign: (compatible, matches, differences, warnings)."""
    facts = facts if facts is not None else ChannelFacts.of(channel)
    found = judge(channel, campaign, rule, facts)
    matches, diffs, warnings = found.bind(campaign, members)
    return found.compatible, matches, diffs, warnings


def _step_key(status: ProgramStatus) -> tuple[bool, int]:
    return (status.step is None, status.step or 0)


def _set_advisories(
    campaign: Campaign, labels: list[str], counted: Mapping[str, int] | None
) -> list[Advisory]:
    """The advisories that depend only on the status set (shared by every campaign with it)."""
    out: list[Advisory] = []
    statuses = campaign.statuses
    defaults = [s.default for s in statuses]
    if statuses and not any(defaults) and any(d is not None for d in defaults):
        out.append(Advisory(AdvisoryCode.NO_DEFAULT))
    responded = [s.responded for s in statuses]
    if statuses and not any(responded) and any(r is not None for r in responded):
        out.append(Advisory(AdvisoryCode.NO_RESPONDED))
    if counted is not None:
        out.extend(
            Advisory(AdvisoryCode.DUPLICATE_LABEL, label, (("count", str(n)),))
            for label, n in counted.items()
            if n > 1
        )
    if max(map(len, labels), default=0) > LABEL_LIMIT:
        out.extend(
            Advisory(AdvisoryCode.LABEL_TOO_LONG, label, (("length", str(len(label))),))
            for label in dict.fromkeys(labels)
            if len(label) > LABEL_LIMIT
        )
    return out


def _pair_advisories(
    campaign: Campaign, channel_name: str, members: Mapping[str, int] | None
) -> tuple[Advisory, ...]:
    """The advisories of one campaign beyond its status set (its Type, its members)."""
    out: list[Advisory] = []
    if campaign.type is not None and campaign.type != channel_name:
        out.append(
            Advisory(
                AdvisoryCode.TYPE_MISMATCH,
                None,
                (("type", campaign.type), ("channel", channel_name)),
            )
        )
    if members is not None:
        defined = {s.label for s in campaign.statuses}
        out.extend(
            Advisory(AdvisoryCode.UNDEFINED_MEMBER_STATUS, label, (("members", str(n)),))
            for label, n in sorted(members.items())
            if n and label not in defined
        )
    return tuple(out)


# ------------------------------------------------------------------------------------------------
# Many pairs
# ------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Index:
    channels: dict[str, Channel]
    campaigns: dict[str, Campaign]
    members: MemberEvidence | None
    label_sets: dict[frozenset[str], list[str]]
    facts: dict[str, ChannelFacts] = field(default_factory=dict)
    folded: dict[str, list[str]] | None = None
    """Campaign keys by case-folded, stripped name (built on the first loose lookup)."""

    set_of: dict[str, int] = field(default_factory=dict)
    """Campaign key -> number of its distinct status set (with flags), counted once per campaign."""
    verdicts: dict[tuple[str, Rule, int], Verdict] = field(default_factory=dict)
    """One verdict per distinct (channel, status set with flags, rule)."""
    named: dict[str, list[str]] | None = None
    """Campaign keys by exact name (built on the first lookup by name)."""

    @property
    def by_name(self) -> dict[str, list[str]]:
        """Campaign keys by exact name, in export order (built once, when a pairing names a
        campaign rather than giving its ID)."""
        if self.named is None:
            named: dict[str, list[str]] = defaultdict(list)
            for key, campaign in self.campaigns.items():
                if campaign.name is not None:
                    named[campaign.name].append(key)
            self.named = dict(named)
        return self.named

    def facts_of(self, channel: Channel) -> ChannelFacts:
        found = self.facts.get(channel.name)
        if found is None:
            found = self.facts[channel.name] = ChannelFacts.of(channel)
        return found

    def verdict_of(self, channel: Channel, campaign: Campaign, rule: Rule) -> Verdict:
        """The shared verdict of a campaign's status set against a channel (computed once)."""
        key = (channel.name, rule, self.set_of[campaign.key])
        found = self.verdicts.get(key)
        if found is None:
            found = self.verdicts[key] = judge(channel, campaign, rule, self.facts_of(channel))
        return found

    def loose_names(self) -> dict[str, list[str]]:
        if self.folded is None:
            folded: dict[str, list[str]] = defaultdict(list)
            for name, keys in self.by_name.items():
                folded[name.casefold().strip()].extend(keys)
            self.folded = dict(folded)
        return self.folded


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
                active=item.active,
            )
        out.append(campaign)
    return out


def _member_counts(
    index: _Index, key: str
) -> tuple[Mapping[str, int] | None, tuple[Advisory, ...]]:
    """A campaign's members per label (None when unknown), and why they are unknown."""
    if index.members is None:
        return None, ()
    found = index.members.warnings.get(key)
    notes = () if found is None else (Advisory(AdvisoryCode(found.code), None, found.params),)
    return index.members.counts(key), notes


def _member_notes(index: _Index) -> tuple[Advisory, ...]:
    """The run-level note of a members export that proves nothing (empty, or another org's)."""
    if index.members is None or index.members.run_note is None:
        return ()
    return (Advisory(AdvisoryCode(index.members.run_note)),)


def _index(
    channels: Sequence[Channel],
    campaigns: Sequence[Campaign],
    members: MemberCounts | None,
    info: Sequence[CampaignInfo] | None = None,
) -> _Index:
    by_channel: dict[str, Channel] = {}
    for channel in channels:
        by_channel.setdefault(channel.name, channel)
    by_key: dict[str, Campaign] = {}
    label_sets: dict[frozenset[str], list[str]] = defaultdict(list)
    numbers: dict[StatusSet, tuple[int, frozenset[str]]] = {}
    set_of: dict[str, int] = {}
    flags = _FLAGGED
    for campaign in campaigns:
        key = campaign.key
        if key in by_key:
            continue
        by_key[key] = campaign
        flagged = tuple(map(flags, campaign.statuses))  # status_set(campaign), inlined (hot)
        known = numbers.get(flagged)
        if known is None:
            known = numbers[flagged] = (len(numbers), frozenset(s[0] for s in flagged))
        set_of[key] = known[0]
        label_sets[known[1]].append(key)
    return _Index(
        by_channel,
        by_key,
        member_evidence(members, by_key, info),
        dict(label_sets),
        set_of=set_of,
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
            AdvisoryCode.CHANNEL_MATCHED_LOOSELY, None, (("given", name), ("found", loose[0].name))
        )
    return None, None


def _find_campaign(
    index: _Index, ref: str
) -> tuple[Campaign | None, Problem | None, tuple[str, ...], Advisory | None]:
    exact = index.campaigns.get(ref)
    if exact is not None and exact.campaign_id == ref:
        return exact, None, (), None  # an 18-character ID as the exports carry it (hot)
    text = ref.strip()
    bad_id: IdError | None = None
    if ids.looks_like_id(text):
        try:
            key = ids.to18(text)
        except IdError as exc:
            key = None
            bad_id = exc if len(text) == 18 else None
        if key is not None and key in index.campaigns:
            return index.campaigns[key], None, (), None
    keys = index.by_name.get(ref) or index.by_name.get(text)
    if keys:
        if len(keys) == 1:
            return index.campaigns[keys[0]], None, (), None
        return None, Problem.AMBIGUOUS_CAMPAIGN, tuple(keys), None
    loose = index.loose_names().get(text.casefold(), [])
    if len(loose) == 1:
        found = index.campaigns[loose[0]]
        return (
            found,
            None,
            (),
            Advisory(
                AdvisoryCode.CAMPAIGN_MATCHED_LOOSELY,
                None,
                (("given", ref), ("found", found.display)),
            ),
        )
    if len(loose) > 1:
        return None, Problem.AMBIGUOUS_CAMPAIGN, tuple(loose), None
    if bad_id is not None:
        # An 18-character ID whose checksum is wrong (and no campaign bears it as a name) is an
        # input error, as anywhere else an ID is read, not a campaign missing from the exports.
        raise bad_id
    return None, Problem.UNKNOWN_CAMPAIGN, (), None


def _pair(
    index: _Index,
    number: int,
    pairing: Pairing,
    rule: Rule,
) -> PairResult:
    channel = index.channels.get(pairing.channel)
    ref = pairing.campaign_ref
    campaign = index.campaigns.get(ref)
    if (
        channel is not None
        and campaign is not None
        and campaign.campaign_id == ref
        and index.members is None
    ):
        # The common case, inlined (hot): the channel by its exact name, the campaign by its
        # 18-character ID as exported, no members export.
        shared = index.verdicts.get((channel.name, rule, index.set_of[campaign.key]))
        if shared is None:
            shared = index.verdict_of(channel, campaign, rule)
        return PairResult(
            number,
            pairing.program,
            pairing.channel,
            ref,
            channel,
            campaign,
            shared.compatible,
            matches=None,
            differences=None,
            warnings=shared.warnings(campaign, None),
            source=pairing.source,
            row=pairing.row,
            verdict=shared,
        )
    channel, channel_note = _find_channel(index, pairing.channel)
    try:
        campaign, problem, candidates, campaign_note = _find_campaign(index, pairing.campaign_ref)
    except IdError as exc:
        # A pairing without a row comes from the command line (--channel/--campaign).
        exc.file = pairing.source.where() if pairing.row is not None else "--campaign"
        exc.row = pairing.row
        raise
    notes = tuple(n for n in (channel_note, campaign_note) if n is not None)
    if channel is None:
        problem = Problem.UNKNOWN_CHANNEL if problem is None else problem
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
    members, member_notes = _member_counts(index, campaign.key)
    shared = index.verdict_of(channel, campaign, rule)
    return PairResult(
        number,
        pairing.program,
        pairing.channel,
        pairing.campaign_ref,
        channel,
        campaign,
        shared.compatible,
        matches=None,
        differences=None,
        warnings=notes + member_notes + shared.warnings(campaign, members),
        source=pairing.source,
        row=pairing.row,
        verdict=shared,
        member_counts=members,
    )


ALTERNATIVE_BUDGET = 20_000_000
"""Name comparisons allowed for ranking alternatives in one run (about 1.5 s of rapidfuzz)."""


class _Ranking:
    """Option A for the blocked pairs of one channel: its free campaigns that fit, ranked by name
    similarity to a pair's program (or campaign) when a pair's alternatives are first read."""

    __slots__ = ("channel", "free", "index", "limit", "texts", "typed")

    def __init__(
        self,
        channel: Channel,
        index: _Index,
        free: list[tuple[str, str]],
        pool: int,
        limit: int,
    ) -> None:
        self.channel = channel
        self.index = index
        self.free = free[:pool]
        """(campaign key, processed name) of the campaigns ranked, by name then key."""
        self.texts = [name for _, name in self.free]
        self.limit = limit
        self.typed = any(type_agrees(index.campaigns[key].type, channel) for key, _ in self.free)

    def rank(self, pair: PairResult) -> tuple[Alternative, ...]:
        """The pair's alternatives, best named first (ties by campaign key)."""
        from rapidfuzz import fuzz, process, utils

        choices, limit = self.free, self.limit
        query = utils.default_process(
            pair.program or (pair.campaign.display if pair.campaign else pair.campaign_ref)
        )
        if len(choices) > 4 * limit:
            # Two stages: a cheap ratio keeps the 20 closest, WRatio (1 µs each) orders those.
            first = process.extract(query, self.texts, scorer=fuzz.ratio, processor=None, limit=20)
            keep = [choices[i] for _, _, i in first]
        else:
            keep = choices
        ranked = process.extract(
            query, [name for _, name in keep], scorer=fuzz.WRatio, processor=None, limit=limit
        )
        ranked.sort(key=lambda hit: (-hit[1], keep[hit[2]][0]))
        campaigns = self.index.campaigns
        out = []
        for _, score, i in ranked:
            found = campaigns[keep[i][0]]
            out.append(
                Alternative(
                    found.campaign_id,
                    keep[i][0],
                    found.name,
                    round(score, 1),
                    found.type,
                    type_agrees(found.type, self.channel),
                )
            )
        return tuple(out)


def _alternatives(results: list[PairResult], index: _Index, rule: Rule, limit: int = 5) -> bool:
    """Remediation A: offer each blocked pair the campaigns that would sync with its channel and
    are not paired elsewhere (counted now; ranked when a pair's alternatives are read).

    Returns whether ranking has to be cut short to stay within the budget.
    """
    from rapidfuzz import utils

    paired = {r.campaign.key for r in results if r.campaign is not None}
    rankings: dict[str, tuple[int, _Ranking | None]] = {}
    blocked = [r for r in results if not r.compatible and r.channel is not None]
    pool = max(200, ALTERNATIVE_BUDGET // max(1, len(blocked)))
    cut = False
    for result in blocked:
        channel = result.channel
        assert channel is not None
        cached = rankings.get(channel.name)
        if cached is None:
            side = index.facts_of(channel).side
            free = sorted(
                (
                    (key, utils.default_process(index.campaigns[key].display))
                    for labels, group in index.label_sets.items()
                    if labels and syncs(labels, side, rule)
                    for key in group
                    if key not in paired and plausible(index.campaigns[key], channel)
                ),
                key=lambda item: (item[1], item[0]),
            )
            ranking = _Ranking(channel, index, free, pool, limit) if free else None
            cached = rankings[channel.name] = (len(free), ranking)
        total, ranking = cached
        if ranking is None:
            continue
        if total > pool:
            cut = True
        result.offer(total, ranking)
    return cut


def _by_verdict(
    pairs: Sequence[PairResult],
) -> tuple[tuple[Verdict, tuple[PairResult, ...]], ...]:
    """The pairs that have a verdict, grouped by it (see Comparison.by_verdict)."""
    groups: dict[int, tuple[Verdict, list[PairResult]]] = {}
    for pair in pairs:
        shared = pair.verdict
        if shared is None:
            continue
        found = groups.get(id(shared))
        if found is None:
            groups[id(shared)] = (shared, [pair])
        else:
            found[1].append(pair)
    return tuple((shared, tuple(members)) for shared, members in groups.values())


def _summary(
    pairs: Sequence[PairResult], groups: tuple[tuple[Verdict, tuple[PairResult, ...]], ...]
) -> Summary:
    """The counts, from each shared verdict times the pairs that have it (the pairs' own
    advisories counted one by one)."""
    compatible = blocking = near = responded = 0
    for shared, members in groups:
        n = len(members)
        compatible += n if shared.compatible else 0
        blocking += shared.blocking_count * n
        near += shared.near_miss_count * n
        responded += shared.responded_count * n
    unresolved = 0
    for p in pairs:
        if p.verdict is None:
            unresolved += p.problem is not None
            compatible += p.compatible
            blocking += p.blocking_count
            near += p.near_miss_count
            responded += p.warning_count - len(p.warnings)
    return Summary(
        pairs=len(pairs),
        compatible=compatible,
        incompatible=len(pairs) - compatible - unresolved,
        unresolved=unresolved,
        blocking_labels=blocking,
        near_misses=near,
        warnings=responded + sum(len(p.warnings) for p in pairs),
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
    index = _index(channels, campaigns, members, campaign_info)
    if pairings is None:
        return _matrix(index, rule, channels, campaigns)
    results = [_pair(index, number, pairing, rule) for number, pairing in enumerate(pairings, 1)]
    cut = _alternatives(results, index, rule)
    notes: tuple[Advisory, ...] = (
        (Advisory(AdvisoryCode.ALTERNATIVES_PARTLY_RANKED),) if cut else ()
    )
    notes += _member_notes(index)
    mode = Mode.SINGLE if single else Mode.PAIRS
    groups = _by_verdict(results)
    return Comparison(
        rule,
        mode,
        tuple(results),
        _summary(results, groups),
        channels=tuple(index.channels.values()),
        campaigns=tuple(index.campaigns.values()),
        notes=notes,
        members=index.members,
        by_verdict=groups,
    )


def _closest(
    campaign: Campaign,
    labels: frozenset[str],
    scores: Mapping[str, int],
    channels: Mapping[str, Channel],
    sides: Mapping[str, ChannelSide],
    rule: Rule,
    near_misses: Callable[[frozenset[str], str], int],
) -> tuple[str, ...]:
    """The channels closest to a campaign, in channel order: one when it is unique.

    Fewest changes first (blocking labels, plus missing channel statuses under --strict); then,
    among equals: a channel whose name or program type is the campaign's Type; then fewer
    blocking labels; then more near misses. Channels still equal after that are a tie: no name,
    export order or missing-status count decides between them.
    """
    least = min(scores.values())
    best = [name for name in scores if scores[name] == least]
    if len(best) > 1 and campaign.type is not None:
        typed = [name for name in best if type_agrees(campaign.type, channels[name])]
        best = typed or best
    if len(best) > 1:
        counts = {name: len(blockers(labels, sides[name], rule).salesforce) for name in best}
        fewest = min(counts.values())
        best = [name for name in best if counts[name] == fewest]
    if len(best) > 1:
        near = {name: near_misses(labels, name) for name in best}
        most = max(near.values())
        best = [name for name in best if near[name] == most]
    return tuple(best)


def _matrix(
    index: _Index, rule: Rule, channels: Sequence[Channel], campaigns: Sequence[Campaign]
) -> Comparison:
    channel_list = list(index.channels.values())
    sides = {c.name: index.facts_of(c).side for c in channel_list}
    blocking: dict[str, tuple[int, ...]] = {}
    per_set: dict[frozenset[str], dict[str, int]] = {}
    rows: dict[frozenset[str], tuple[int, ...]] = {}
    for labels in index.label_sets:
        per_set[labels] = {name: blocking_count(labels, side, rule) for name, side in sides.items()}
        rows[labels] = tuple(per_set[labels].values())
    fits = []
    by_channel: dict[str, list[str]] = {c.name: [] for c in channel_list}
    results = []
    near_counts: dict[tuple[frozenset[str], str], int] = {}

    def near_misses(labels: frozenset[str], name: str) -> int:
        """Blocking labels of a label set with a near match in a channel (computed once)."""
        found = near_counts.get((labels, name))
        if found is None:
            facts = index.facts_of(index.channels[name])
            found = near_counts[(labels, name)] = sum(
                1
                for label in blockers(labels, facts.side, rule).salesforce
                if facts.explain(label) is not None
            )
        return found

    for number, campaign in enumerate(index.campaigns.values(), 1):
        labels = frozenset(s.label for s in campaign.statuses)
        scores = per_set[labels]
        blocking[campaign.key] = rows[labels]
        compatible = tuple(name for name in scores if scores[name] == 0)
        for name in compatible:
            by_channel[name].append(campaign.key)
        if not scores:
            fits.append(CampaignFit(campaign, compatible, None, 0, ()))
            continue
        best = _closest(campaign, labels, scores, index.channels, sides, rule, near_misses)
        closest = best[0] if len(best) == 1 else None
        tied = best if len(best) > 1 else ()
        fits.append(CampaignFit(campaign, compatible, closest, scores[best[0]], tied))
        compared = best[0]
        channel = index.channels[compared]
        members, member_notes = _member_counts(index, campaign.key)
        shared = index.verdict_of(channel, campaign, rule)
        results.append(
            PairResult(
                number,
                None,
                compared,
                campaign.campaign_id or campaign.display,
                channel,
                campaign,
                shared.compatible,
                matches=None,
                differences=None,
                warnings=member_notes + shared.warnings(campaign, members),
                source=campaign.source,
                row=campaign.row,
                tied=tied,
                verdict=shared,
                member_counts=members,
            )
        )
    matrix = Matrix(
        tuple(c.name for c in channel_list),
        tuple(fits),
        {name: tuple(keys) for name, keys in by_channel.items()},
        blocking,
    )
    groups = _by_verdict(results)
    return Comparison(
        rule,
        Mode.MATRIX,
        tuple(results),
        _summary(results, groups),
        matrix=matrix,
        channels=tuple(channel_list),
        campaigns=tuple(index.campaigns.values()),
        notes=_member_notes(index),
        members=index.members,
        by_verdict=groups,
    )
