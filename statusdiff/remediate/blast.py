"""Option C's blast radius: what adding statuses to a channel does to every other pair on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations

from ..codes import Mode
from ..comparison import Comparison
from ..model import Channel
from ..rule import ChannelSide, Rule, blockers, syncs

BLAST_LIST = 10
"""Pairs listed in option C (all when this few, else those whose verdict changes; all counted)."""


@dataclass(frozen=True, slots=True)
class _Neighbour:
    index: int
    program: str | None
    display: str


@dataclass(slots=True)
class _Group:
    """The pairs of one channel that share a campaign label set."""

    labels: frozenset[str]
    missing: frozenset[str]
    """The labels of the set the channel lacks (what blocks under Rule.SUBSET)."""
    before: bool
    """Whether these pairs sync now (the rule, under the comparison's rule): one verdict for
    the whole group, since the pairs share the channel and the label set."""
    members: list[_Neighbour] = field(default_factory=list)
    indices: set[int] = field(default_factory=set)

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
        rule = comparison.rule
        by_channel: dict[str, dict[frozenset[str], _Group]] = {}
        for pair in comparison.pairs:
            if pair.channel is None or pair.campaign is None:
                continue
            labels = frozenset(s.label for s in pair.campaign.statuses)
            groups = by_channel.setdefault(pair.channel.name, {})
            group = groups.get(labels)
            if group is None:
                side = self.side(pair.channel)
                group = groups[labels] = _Group(
                    labels,
                    blockers(labels, side, Rule.SUBSET).salesforce,
                    syncs(labels, side, rule),
                )
            group.members.append(_Neighbour(pair.index, pair.program, pair.campaign.display))
            group.indices.add(pair.index)
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
            own_fixed = any(own in g.indices for g in fixed)
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
            if own in group.indices:
                blocked -= 1  # the pair itself is blocked
            counts["still_ok" if after else "broken"] += ok
            counts["fixed" if after else "still_blocked"] += blocked
        return counts, iter(outcome)
