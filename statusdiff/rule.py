"""The rule: the only code that decides whether a campaign's labels sync with a channel.

docs/contract.md §1: every Salesforce label of the campaign must equal, code point for code point,
the name of a program status of the channel; 'Not in Program' (step 0) never matches; hidden
statuses match. Channel statuses the campaign lacks are informational, unless the rule is
exact-set (--strict), where every visible channel status must also be a label.

Everything that needs a yes/no or "what blocks" calls `blockers` (or its cheap forms
`blocking_count` and `syncs`): the per-pair verdict (comparison.verdict), the matrix and its
closest channel, option A's candidates, option B's verification (on the campaign as the plan's
actions leave it) and option C's blast radius (on the channel as the plan's additions leave it).
Pure: no I/O, no state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .model.inputs import Channel, is_pseudo_status


class Rule(StrEnum):
    """Which direction blocks."""

    SUBSET = "salesforce-subset"
    """Every Salesforce label must be a channel status (Marketo's documented error)."""
    EXACT = "exact-set"
    """Also every visible channel status must be a Salesforce label (--strict)."""


@dataclass(frozen=True, slots=True)
class ChannelSide:
    """What the rule reads of a channel: its program status names and the visible ones."""

    names: frozenset[str]
    """Every program status name (hidden ones included; never the step-0 pseudo-status)."""
    visible: frozenset[str]
    """The names of the program statuses that are not hidden."""

    @classmethod
    def of(cls, channel: Channel) -> ChannelSide:
        """The rule's view of a channel."""
        real = [s for s in channel.statuses if not is_pseudo_status(s)]
        return cls(frozenset(s.name for s in real), frozenset(s.name for s in real if not s.hidden))

    def adding(self, names: Iterable[str]) -> ChannelSide:
        """The channel after option C adds (visible) statuses with these names."""
        added = frozenset(names)
        return ChannelSide(self.names | added, self.visible | added)


@dataclass(frozen=True, slots=True)
class Blockers:
    """What stops a label set from syncing with a channel under a rule."""

    salesforce: frozenset[str]
    """Salesforce labels that are no program status of the channel."""
    marketo: frozenset[str]
    """Visible channel statuses the campaign lacks (only under Rule.EXACT; else empty)."""

    @property
    def count(self) -> int:
        """How many changes the pair is away from syncing."""
        return len(self.salesforce) + len(self.marketo)

    @property
    def syncs(self) -> bool:
        """Nothing blocks."""
        return not self.salesforce and not self.marketo


def blockers(labels: frozenset[str], side: ChannelSide, rule: Rule) -> Blockers:
    """The rule itself: what blocks a campaign holding these labels on this channel."""
    salesforce = labels - side.names
    marketo = side.visible - labels if rule is Rule.EXACT else frozenset()
    return Blockers(salesforce, marketo)


def blocking_count(labels: frozenset[str], side: ChannelSide, rule: Rule) -> int:
    """`blockers(...).count` without building sets (the matrix calls it per set and channel)."""
    count = len(labels - side.names)
    if rule is Rule.EXACT:
        count += len(side.visible - labels)
    return count


def syncs(labels: frozenset[str], side: ChannelSide, rule: Rule) -> bool:
    """Whether a campaign holding these labels syncs with the channel."""
    return labels <= side.names and (rule is not Rule.EXACT or side.visible <= labels)
