"""The plan types: actions, the three options (A, B, C) and the plan of one blocked pair."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from .result import Advisory, Alternative, PairResult


class Owner(StrEnum):
    """Who carries out an action."""

    SALESFORCE = "salesforce_admin"
    MARKETO = "marketo_admin"
    ANYONE = "consultant"


class Act(StrEnum):
    """What an action does."""

    SYNC_OTHER = "sync_other_campaign"
    ADD_STATUS = "add_status"
    SET_DEFAULT = "set_default"
    SET_RESPONDED = "set_responded"
    MOVE_MEMBERS = "move_members"
    RENAME = "rename"
    DELETE = "delete"
    ADD_CHANNEL_STATUS = "add_channel_status"
    USE_CHANNEL_STATUS = "use_channel_status"
    """Option C: the channel already holds this status, numbered, cased or spaced differently:
    the Salesforce label is renamed to it (an exact rename) instead of adding a duplicate."""


class Risk(StrEnum):
    """What an action can lose (docs/contract: every action has a risk class).

    exact: same meaning by construction (a near-miss rename or merge); safe: nothing held by a
    member changes (a delete with a known count of 0, an added status, a new default); lossy: a
    label that holds (or may hold) members moved or renamed onto a status of another meaning, or
    a Responded/success change for members.
    """

    EXACT = "exact"
    SAFE = "safe"
    LOSSY = "lossy"


class Loss(StrEnum):
    """What a lossy action loses, for the sentence that says it."""

    RESPONDERS_LOST = "responders_lost"
    """Members who responded hold a status that no longer says so."""
    RESPONDERS_GAINED = "responders_gained"
    """Members who did not respond hold a status that says they did."""
    MEANING = "meaning"
    """Members are recorded under another status: who held the label can no longer be told."""


# NOTE: renames come before defaults and member moves because every later step names statuses
# by their final labels (and Data Loader updates by record ID are indifferent to the order).
ACTION_ORDER = {
    Act.SYNC_OTHER: 0,
    Act.ADD_STATUS: 1,
    Act.RENAME: 2,
    Act.SET_DEFAULT: 3,
    Act.SET_RESPONDED: 4,
    Act.MOVE_MEMBERS: 5,
    Act.DELETE: 6,
    Act.ADD_CHANNEL_STATUS: 7,
    Act.USE_CHANNEL_STATUS: 7,
}


class Action(NamedTuple):
    """One step of a plan.

    A NamedTuple, like the per-row input records: immutable, typed, and about four times as cheap
    to build as a frozen dataclass (plans make one per step, for every blocked pair).
    """

    act: Act
    owner: Owner
    label: str
    """The status acted on (its current label), or the campaign name for sync_other_campaign."""
    target: str | None = None
    """New label (rename), destination status (move, merge), or campaign ID (sync other)."""
    members: int | None = None
    """Members concerned; None when no members export says."""
    verify: bool = False
    """Usage is unknown: the person must check that no member holds this status first."""
    record_id: str | None = None
    step: int | None = None
    success: bool | None = None
    responded: bool | None = None
    default: bool | None = None
    sort_order: int | None = None
    notes: tuple[str, ...] = ()
    """Catalogue codes: why this step, what to watch for."""
    risk: Risk = Risk.SAFE
    loss: Loss | None = None
    """For a lossy action: what its members lose."""
    guessed: bool = False
    """The mapping is a choice statusdiff made (no near match): a person confirms it first."""
    reason: str = ""
    """Catalogue code of why this step exists (review files show it beside each row)."""

    @property
    def review(self) -> bool:
        """Whether a person must confirm this step before it is applied (lossy or guessed)."""
        return self.risk is Risk.LOSSY or self.guessed


class OptionKey(StrEnum):
    """The three ways out."""

    A = "A"
    B = "B"
    C = "C"


@dataclass(frozen=True, slots=True)
class BlastEntry:
    """Option C seen from another pair on the same channel."""

    pair_index: int
    program: str | None
    campaign: str
    before: bool
    after: bool

    @property
    def change(self) -> str:
        """fixed, broken, still_ok or still_blocked."""
        if self.before == self.after:
            return "still_ok" if self.after else "still_blocked"
        return "fixed" if self.after else "broken"


@dataclass(frozen=True, slots=True)
class Option:
    """One way out, with its steps and what constrains it (the fields every option has).

    The three ways out are distinct types (OptionA, OptionB, OptionC); the fields of the others
    read as empty here, so a renderer can treat any option alike.
    """

    key: OptionKey
    feasible: bool
    actions: tuple[Action, ...] = ()
    constraints: tuple[str, ...] = ()
    """Catalogue codes for the real-world limits of this option."""

    @property
    def verified(self) -> bool | None:
        """Option B only (see OptionB.verified)."""
        return None

    @property
    def alternatives(self) -> tuple[Alternative, ...]:
        """Option A only (see OptionA.alternatives)."""
        return ()

    @property
    def alternatives_total(self) -> int:
        """Option A only."""
        return 0

    @property
    def blast_radius(self) -> tuple[BlastEntry, ...]:
        """Option C only (see OptionC.blast_radius)."""
        return ()

    @property
    def shared_by(self) -> tuple[str, ...]:
        """Option C only."""
        return ()

    @property
    def shared_total(self) -> int:
        """Option C only."""
        return 0

    @property
    def blast_counts(self) -> tuple[tuple[str, int], ...]:
        """Option C only."""
        return ()

    @property
    def lossy(self) -> bool:
        """Whether any step loses information held by members."""
        return any(a.risk is Risk.LOSSY for a in self.actions)

    @property
    def others(self) -> int:
        """Option C: the other pairs of this run on the channel (matrix pairs included)."""
        return sum(n for _, n in self.blast_counts)


@dataclass(frozen=True, slots=True)
class OptionA(Option):
    """A. Sync another campaign of the export that already fits the channel."""

    pair: PairResult | None = field(default=None, repr=False, compare=False)
    """The pair whose free campaigns these are: they are ranked when first read."""
    alternatives_total: int = 0

    @property
    def alternatives(self) -> tuple[Alternative, ...]:
        """The plausible free campaigns that fit, best named first."""
        return self.pair.alternatives if self.pair is not None else ()


@dataclass(frozen=True, slots=True)
class OptionB(Option):
    """B. Fix the Salesforce campaign."""

    verified: bool | None = None
    """Whether the plan's actions, applied in memory to the campaign, make the pair sync."""


@dataclass(frozen=True, slots=True)
class OptionC(Option):
    """C. Fix the Marketo channel (shared by every program on it)."""

    blast_radius: tuple[BlastEntry, ...] = ()
    """The other pairs on the channel (all when few, else those whose verdict changes)."""
    shared_by: tuple[str, ...] = ()
    """The other programs (or campaigns) on this channel in this run (first BLAST_LIST)."""
    shared_total: int = 0
    """How many other pairs of this run use the channel (0 in matrix mode)."""
    blast_counts: tuple[tuple[str, int], ...] = ()
    """(fixed | broken | still_ok | still_blocked, pairs) over every other pair."""


@dataclass(frozen=True, slots=True)
class Plan:
    """The remediation of one blocked pair."""

    pair_index: int
    options: tuple[Option, ...]
    recommended: OptionKey
    reason: Advisory
    """Catalogue code and parameters of the one-sentence reason."""

    def option(self, key: OptionKey) -> Option:
        """Return one option by key."""
        return next(o for o in self.options if o.key is key)

    @property
    def ordered(self) -> tuple[Option, ...]:
        """The options with the recommended one first."""
        return tuple(sorted(self.options, key=lambda o: (o.key is not self.recommended, o.key)))
