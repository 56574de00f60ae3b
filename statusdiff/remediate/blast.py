"""Option C's blast radius: what adding statuses to a channel does to every other pair on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations
from operator import attrgetter

from ..codes import Mode
from ..model import BlastEntry, Channel, Comparison, PairResult
from ..rule import ChannelSide, Rule, blockers, syncs

_INDEX = attrgetter("index")

BLAST_LIST = 10
"""Pairs listed in option C (all when this few, else those whose verdict changes; all counted)."""


@dataclass(slots=True)
class _Group:
    """The pairs of one channel that share a campaign label set."""

    labels: frozenset[str]
    missing: frozenset[str]
    """The labels of the set the channel lacks (what blocks under Rule.SUBSET)."""
    before: bool
    """Whether these pairs sync now (the rule, under the comparison's rule): one verdict for
    the whole group, since the pairs share the channel and the label set."""
    members: list[PairResult] = field(default_factory=list)

    @property
    def ok(self) -> int:
        return len(self.members) if self.before else 0

    @property
    def blocked(self) -> int:
        return 0 if self.before else len(self.members)


SUBSET_SEARCH = 10
"""Up to this many added statuses, option C finds the pairs it fixes by looking up subsets."""


class Neighbours:
    """The resolved pairs of a comparison, per channel and per distinct label set.

    Option C re-checks every other pair on a channel. Grouping pairs by label set, and indexing
    the groups by the labels the channel lacks, turns that into a few dictionary lookups per
    plan (under the one-sided rule, adding statuses fixes exactly the groups whose missing labels
    are all added, and breaks nothing) instead of one verdict per pair, which is quadratic.
    """

    def __init__(self, comparison: Comparison) -> None:
        self.programs = comparison.mode != Mode.MATRIX
        """Matrix pairs are hypothetical (closest channel), not programs sharing a channel."""
        self._sides: dict[str, ChannelSide] = {}
        self.blasts: dict[tuple[str, int, Rule, frozenset[str]], Blast] = {}
        """Option C's blast radius per (channel, label-set group, rule, statuses added):
        blast_of fills it."""
        self.listings: dict[
            tuple[str, Rule, frozenset[str]],
            tuple[tuple[BlastEntry, ...], tuple[tuple[int, str], ...]],
        ] = {}
        """The blast lists per (channel, rule, statuses added): the same for every group."""
        self._group_of: dict[int, int] = {}
        rule = comparison.rule
        by_channel: dict[str, dict[frozenset[str], _Group]] = {}
        mixed: list[_Group] = []
        """Groups that several verdicts (flags) feed: their pairs are put back in pair order."""
        for shared, pairs in comparison.by_verdict:
            first = pairs[0]
            if first.channel is None or first.campaign is None:
                continue
            groups = by_channel.setdefault(first.channel.name, {})
            group = groups.get(shared.labels)
            if group is None:
                side = self.side(first.channel)
                group = groups[shared.labels] = _Group(
                    shared.labels,
                    blockers(shared.labels, side, Rule.SUBSET).salesforce,
                    syncs(shared.labels, side, rule),
                )
            elif len(group.members) and group.members[-1].index > first.index:
                mixed.append(group)
            group.members.extend(pairs)
            number = id(group)
            for pair in pairs:
                self._group_of[pair.index] = number
        for group in mixed:
            group.members.sort(key=_INDEX)
        self._by_channel = {name: list(groups.values()) for name, groups in by_channel.items()}
        self._by_missing: dict[str, dict[frozenset[str], list[_Group]]] = {}
        for name, channel_groups in self._by_channel.items():
            index: dict[frozenset[str], list[_Group]] = {}
            for member in channel_groups:
                index.setdefault(member.missing, []).append(member)
            self._by_missing[name] = index
        self._totals = {
            name: (sum(g.ok for g in groups), sum(g.blocked for g in groups))
            for name, groups in self._by_channel.items()
        }

    def side(self, channel: Channel) -> ChannelSide:
        """The rule's view of a channel, computed once."""
        found = self._sides.get(channel.name)
        if found is None:
            found = self._sides[channel.name] = ChannelSide.of(channel)
        return found

    def group_of(self, index: int) -> int:
        """The identity of the label-set group of a pair (by pair index)."""
        return self._group_of[index]

    def groups(self, channel: str) -> list[_Group]:
        """The label-set groups of one channel."""
        return self._by_channel.get(channel, [])

    def outcome(
        self,
        channel: str,
        own: int,
        side: ChannelSide,
        rule: Rule,
        added: frozenset[str],
    ) -> tuple[dict[str, int], Iterator[tuple[bool, _Group]]]:
        """Count how adding statuses (`side`: the channel after) changes every other pair.

        Groups whose verdict changes come first. Under the one-sided rule with few additions,
        the groups fixed are those whose blocking labels are all added (nothing can break);
        otherwise the rule runs on every group against the channel after.
        """
        groups = self.groups(channel)
        if rule is Rule.SUBSET and len(added) <= SUBSET_SEARCH:
            index = self._by_missing.get(channel, {})
            fixed: list[_Group] = []
            for size in range(1, len(added) + 1):
                for subset in combinations(sorted(added), size):
                    fixed.extend(index.get(frozenset(subset), ()))
            ok_total, blocked_total = self._totals[channel]
            mine = self._group_of.get(own)
            own_fixed = any(id(g) == mine for g in fixed)
            fixed_blocked = sum(g.blocked for g in fixed)
            counts = {
                "fixed": fixed_blocked - own_fixed,
                "broken": 0,
                "still_ok": ok_total,
                "still_blocked": blocked_total - fixed_blocked - (not own_fixed),
            }
            fixed_ids = {id(g) for g in fixed}

            def lazily() -> Iterator[tuple[bool, _Group]]:
                yield from ((True, g) for g in fixed)
                yield from ((g.before, g) for g in groups if id(g) not in fixed_ids)

            return counts, lazily()
        outcome = [(syncs(g.labels, side, rule), g) for g in groups]
        outcome.sort(key=lambda item: item[0] == item[1].before)
        counts = {"fixed": 0, "broken": 0, "still_ok": 0, "still_blocked": 0}
        for after, group in outcome:
            ok, blocked = group.ok, group.blocked
            if id(group) == self._group_of.get(own):
                blocked -= 1  # the pair itself is blocked
            counts["still_ok" if after else "broken"] += ok
            counts["fixed" if after else "still_blocked"] += blocked
        return counts, iter(outcome)


@dataclass(frozen=True)
class Blast:
    """What adding statuses to a channel does to the other pairs on it, seen from any pair of one
    label-set group (they all see the same counts; each leaves itself out of the lists)."""

    counts: dict[str, int]
    """fixed, broken, still_ok, still_blocked over every other pair."""
    listed: tuple[BlastEntry, ...]
    """The first BLAST_LIST + 1 pairs to list, in listing order, no pair left out yet."""
    sharing: tuple[tuple[int, str], ...]
    """(pair index, program or campaign) of the first BLAST_LIST + 1 pairs on the channel."""
    programs: bool

    def seen_from(
        self, own: int
    ) -> tuple[tuple[BlastEntry, ...], tuple[str, ...], int, tuple[tuple[str, int], ...]]:
        """(blast_radius, shared_by, shared_total, blast_counts) of OptionC for one pair."""
        if own not in self.named:
            return self.unnamed  # most pairs: the lists do not name them
        return self._view(own)

    @cached_property
    def named(self) -> frozenset[int]:
        """The pairs the lists name (a pair named in them leaves itself out)."""
        return frozenset(e.pair_index for e in self.listed) | {i for i, _ in self.sharing}

    @cached_property
    def unnamed(
        self,
    ) -> tuple[tuple[BlastEntry, ...], tuple[str, ...], int, tuple[tuple[str, int], ...]]:
        """The view of every pair the lists do not name."""
        return self._view(None)

    def _view(
        self, own: int | None
    ) -> tuple[tuple[BlastEntry, ...], tuple[str, ...], int, tuple[tuple[str, int], ...]]:
        listed = [e for e in self.listed if e.pair_index != own][:BLAST_LIST]
        listed.sort(key=lambda e: e.pair_index)
        shared = [text for index, text in self.sharing if index != own][:BLAST_LIST]
        others = sum(self.counts.values())
        return (
            tuple(listed),
            tuple(dict.fromkeys(shared)) if self.programs else (),
            others if self.programs else 0,
            tuple((k, v) for k, v in sorted(self.counts.items()) if v),
        )


def blast_of(
    ctx: Neighbours, channel: Channel, own: int, rule: Rule, added: frozenset[str]
) -> Blast:
    """The blast radius of adding `added` to a channel, for the pair `own` (and every pair that
    shares its channel and label set: computed once per such group)."""
    cache_key = (channel.name, ctx.group_of(own), rule, added)
    found = ctx.blasts.get(cache_key)
    if found is not None:
        return found
    after_side = ctx.side(channel).adding(added)
    counts, outcome = ctx.outcome(channel.name, own, after_side, rule, added)
    # The lists name the same pairs whichever group asks: made once per statuses added.
    listing_key = (channel.name, rule, added)
    listing = ctx.listings.get(listing_key)
    if listing is None:
        listing = ctx.listings[listing_key] = _listing(ctx, channel, outcome, sum(counts.values()))
    found = ctx.blasts[cache_key] = Blast(counts, *listing, ctx.programs)
    return found


def _listing(
    ctx: Neighbours,
    channel: Channel,
    outcome: Iterator[tuple[bool, _Group]],
    others: int,
) -> tuple[tuple[BlastEntry, ...], tuple[tuple[int, str], ...]]:
    """The first BLAST_LIST + 1 pairs option C lists, and those sharing the channel."""
    listed: list[BlastEntry] = []
    changes_only = others > BLAST_LIST
    for after, group in outcome:
        if changes_only and after == group.before:
            break  # groups whose verdict changes come first; the rest are only counted
        for n in group.members:
            listed.append(BlastEntry(n.index, n.program, n.campaign_display, group.before, after))
            if len(listed) > BLAST_LIST:
                break
        if len(listed) > BLAST_LIST:
            break
    sharing: list[tuple[int, str]] = []
    if ctx.programs:
        for group in ctx.groups(channel.name):
            for n in group.members:
                sharing.append((n.index, n.program or n.campaign_display))
                if len(sharing) > BLAST_LIST:
                    break
            if len(sharing) > BLAST_LIST:
                break
    return tuple(listed), tuple(sharing)
