"""The verdict: will a channel and a campaign sync, and exactly why not (pure: no I/O, no clock).

The types of what it finds (PairResult, Verdict, Comparison, …) live in model/result.py.

The rule (docs/contract.md §1): every Salesforce label of the campaign must equal, code point for
code point, the name of a program status of the channel. 'Not in Program' never matches. Channel
statuses the campaign lacks are informational, unless the rule is exact-set (--strict), where every
visible channel status must also be in the campaign.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter

from . import ids
from .codes import AdvisoryCode, Mode
from .errors import IdError
from .evidence import MemberEvidence, member_evidence
from .explain import NearMatch, char_changes, explain
from .model import (
    Advisory,
    Alternative,
    Campaign,
    CampaignFit,
    CampaignInfo,
    Channel,
    Comparison,
    Difference,
    Kind,
    Match,
    Matrix,
    MemberCounts,
    Pairing,
    PairResult,
    Problem,
    ProgramStatus,
    StatusSet,
    Summary,
    Verdict,
    VerdictRow,
    is_pseudo_status,
)
from .rule import ChannelSide, blockers, blocking_count, syncs
from .rule import Rule as Rule  # NOTE: re-exported: the rule lives in rule.py

LABEL_LIMIT = 40
"""CampaignMember.Status holds 40 characters."""


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
    rows: list[VerdictRow] = []
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
            rows.append(VerdictRow(position, target, None, False, differing))
            continue
        near = facts.explain(label)
        if near is not None:
            blocking_targets.setdefault(near.target, (label, near))
        rows.append(VerdictRow(position, None, near, label in facts.pseudo, None))
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


def pair_warnings(
    shared: Verdict, campaign: Campaign, members: Mapping[str, int] | None
) -> tuple[Advisory, ...]:
    """The advisories of one campaign with a shared verdict's status set (its own after the
    set's)."""
    if members is None and (campaign.type is None or campaign.type == shared.channel_name):
        return shared.both  # nothing of the campaign's own to say (hot)
    own = _pair_advisories(campaign, shared.channel_name, members)
    return shared.head + own + shared.tail if own else shared.both


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
    matches, diffs = found.records(campaign, members)
    return found.compatible, matches, diffs, pair_warnings(found, campaign, members)


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
    notes = () if found is None else (Advisory(found.code, None, found.params),)
    return index.members.counts(key), notes


def _member_notes(index: _Index) -> tuple[Advisory, ...]:
    """The run-level note of a members export that proves nothing (empty, or another org's)."""
    if index.members is None or index.members.run_note is None:
        return ()
    return (Advisory(index.members.run_note),)


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


def _pairs(index: _Index, pairings: Sequence[Pairing], rule: Rule) -> list[PairResult]:
    """Every pairing's result, in order: the common case inline, the others through `_pair`.

    The common case is a pairing that names its channel exactly and its campaign by the
    18-character ID the exports carry, with no members export: it is two lookups and the shared
    verdict (hot: one per pair, ~50k at org scale).
    """
    channels_get, campaigns_get = index.channels.get, index.campaigns.get
    verdicts_get, set_of = index.verdicts.get, index.set_of
    common = index.members is None
    out: list[PairResult] = []
    append = out.append
    for number, pairing in enumerate(pairings, 1):
        channel = channels_get(pairing.channel)
        ref = pairing.campaign_ref
        campaign = campaigns_get(ref)
        if not (common and channel is not None and campaign is not None) or (
            campaign.campaign_id != ref
        ):
            append(_pair(index, number, pairing, rule))
            continue
        shared = verdicts_get((channel.name, rule, set_of[campaign.key]))
        if shared is None:
            shared = index.verdict_of(channel, campaign, rule)
        append(
            PairResult(
                number,
                pairing.program,
                pairing.channel,
                ref,
                channel,
                campaign,
                shared.compatible,
                matches=None,
                differences=None,
                warnings=pair_warnings(shared, campaign, None),
                source=pairing.source,
                row=pairing.row,
                verdict=shared,
            )
        )
    return out


def _pair(
    index: _Index,
    number: int,
    pairing: Pairing,
    rule: Rule,
) -> PairResult:
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
        warnings=notes + member_notes + pair_warnings(shared, campaign, members),
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
    results = _pairs(index, pairings, rule)
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
                warnings=member_notes + pair_warnings(shared, campaign, members),
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
