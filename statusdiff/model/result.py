"""What the comparison found: pairs and their verdicts, the shared verdict of a status set, the
matrix, the summary (docs/contract.md §1–§3). Pure data, plus binding a shared verdict to one
campaign's records; the rules that decide live in rule.py and comparison.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Final, NamedTuple, Protocol

from ..codes import Mode, PairState
from ..evidence import MemberEvidence
from ..explain import NearMatch
from ..rule import Rule
from .inputs import Campaign, Channel, MemberStatus, ProgramStatus, Source

if TYPE_CHECKING:
    from ..comparison import ChannelFacts


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
    def label_members(self) -> dict[str, int | None]:
        """Members per Salesforce label of the campaign, as compared, in the campaign's order (a
        count is None when no members export says)."""
        counts: dict[str, int | None] = {}
        for m in self.matches:
            counts.setdefault(m.status.label, m.members)
        for d in self.differences:
            if d.kind is Kind.SALESFORCE_ONLY:
                counts.setdefault(d.label, d.members)
        return counts

    @property
    def members_by_label(self) -> dict[str, int] | None:
        """Members per Salesforce label of the campaign, as compared (None when unknown)."""
        counts = self.label_members
        known = {label: n for label, n in counts.items() if n is not None}
        return known if len(known) == len(counts) else None

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


class VerdictRow(NamedTuple):
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
    rows: tuple[VerdictRow, ...]
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


StatusSet = tuple[tuple[str, bool | None, bool | None], ...]
"""A campaign's statuses as far as a verdict depends on them: (label, responded, default)."""
