"""Remediation: three ways out for every pair that will not sync, checked, and one recommended.

Marketo's own dialog offers them (docs/contract.md §5): A. sync another campaign; B. fix the
Salesforce campaign (one campaign at a time); C. fix the Marketo channel (Admin only, shared by
every program on it). Plans are pure data; plan B is applied in memory and re-verified.
"""

from __future__ import annotations

from itertools import repeat
from operator import attrgetter, is_

from ..codes import Constraint, Recommendation
from ..model import (
    Act,
    Action,
    Advisory,
    BlastEntry,
    Channel,
    Comparison,
    Kind,
    Loss,
    MemberStatus,
    Option,
    OptionA,
    OptionB,
    OptionC,
    OptionKey,
    Owner,
    PairResult,
    Plan,
    Risk,
)
from ..rule import Rule
from .blast import Neighbours, blast_of
from .marketo import EVENT_LOCKED, SAME_STATUS_REASONS, plan_marketo
from .other import STRONG_NAME_MATCH, clear_twin, plan_other_campaign
from .salesforce import apply_plan, plan_salesforce

__all__ = [
    "EVENT_LOCKED",
    "PREMISES",
    "SALESFORCE_DEFAULTS",
    "SAME_STATUS_REASONS",
    "SHARED_CHANNEL",
    "STRONG_NAME_MATCH",
    "Act",
    "Action",
    "BlastEntry",
    "Loss",
    "Option",
    "OptionA",
    "OptionB",
    "OptionC",
    "OptionKey",
    "Owner",
    "Plan",
    "Risk",
    "apply_plan",
    "clear_twin",
    "members_from_matches",
    "plan",
    "plan_all",
    "plan_marketo",
    "plan_other_campaign",
    "plan_salesforce",
]

SALESFORCE_DEFAULTS = frozenset({"Sent", "Responded"})
"""The statuses Salesforce gives every new campaign."""
SHARED_CHANNEL = 2
"""Other programs on the channel (in this run) from which fixing Marketo is discouraged."""


PREMISES: dict[str, tuple[str, ...]] = {
    "rec_sync_other": ("a_feasible",),
    "rec_near_misses": ("b_verified", "b_not_lossy", "all_near_misses"),
    "rec_shared_channel": ("b_verified", "b_not_lossy", "channel_shared"),
    "rec_salesforce_defaults": ("b_verified", "b_not_lossy", "only_salesforce_defaults"),
    "rec_one_campaign": ("b_verified", "b_not_lossy"),
    "rec_members_hold": (
        "b_lossy",
        "c_feasible",
        "channel_not_shared",
        "members_known",
        "no_near_misses",
    ),
    "rec_b_lossy": ("b_lossy", "c_feasible"),
    "rec_b_lossy_other": ("b_lossy", "c_not_feasible", "a_feasible"),
    "rec_lossy_only": ("b_lossy", "c_not_feasible", "a_not_feasible"),
    "rec_only_marketo": ("b_not_clean", "c_feasible"),
    "rec_only_other": ("b_not_clean", "c_not_feasible", "a_feasible"),
    "rec_manual": ("b_not_clean", "c_not_feasible", "a_not_feasible"),
    "rec_tied_channel": ("channel_tied", "b_not_clean", "c_not_feasible"),
}
"""What each recommendation reason claims (its premise codes). tests/test_remediate.py derives
every premise from the plan itself and fails on a contradiction."""


def _recommend(result: PairResult, a: Option, b: Option, c: Option) -> tuple[OptionKey, Advisory]:
    blocking = [d for d in result.differences if d.blocking and d.kind is Kind.SALESFORCE_ONLY]
    labels = {d.label for d in blocking}
    twin = clear_twin(result) if a.feasible else None
    if twin is not None:
        return OptionKey.A, Advisory(
            Recommendation.SYNC_OTHER,
            twin.campaign_name,
            (("campaign", twin.campaign_name or twin.campaign_key),),
        )
    # NOTE: every other pair on the channel counts (matrix pairs too), not only named programs.
    shared = c.others
    if b.feasible and b.verified and not b.lossy:
        if blocking and all(d.near_match is not None for d in blocking):
            return OptionKey.B, Advisory(
                Recommendation.NEAR_MISSES, None, (("count", str(len(blocking))),)
            )
        if shared >= SHARED_CHANNEL:
            return OptionKey.B, Advisory(
                Recommendation.SHARED_CHANNEL, None, (("count", str(shared)),)
            )
        if labels and labels <= SALESFORCE_DEFAULTS:
            return OptionKey.B, Advisory(Recommendation.SALESFORCE_DEFAULTS)
        return OptionKey.B, Advisory(Recommendation.ONE_CAMPAIGN)
    if b.feasible and b.verified:
        # A lossy Salesforce plan is never recommended over a non-lossy C or A.
        lossy = str(sum(1 for x in b.actions if x.risk is Risk.LOSSY))
        if c.feasible:
            counts = [d.members for d in blocking]
            in_use = sum(n or 0 for n in counts)
            near = any(d.near_match is not None for d in blocking)
            if shared == 0 and in_use > 0 and None not in counts and not near:
                return OptionKey.C, Advisory(
                    Recommendation.MEMBERS_HOLD, None, (("members", str(in_use)),)
                )
            return OptionKey.C, Advisory(Recommendation.B_LOSSY, None, (("steps", lossy),))
        if a.feasible:
            return OptionKey.A, Advisory(Recommendation.B_LOSSY_OTHER, None, (("steps", lossy),))
        return OptionKey.B, Advisory(Recommendation.LOSSY_ONLY, None, (("steps", lossy),))
    if c.feasible:
        return OptionKey.C, Advisory(Recommendation.ONLY_MARKETO)
    if a.feasible:
        return OptionKey.A, Advisory(Recommendation.ONLY_OTHER)
    return OptionKey.B, Advisory(Recommendation.MANUAL)


def plan(
    result: PairResult, comparison: Comparison, context: Neighbours | None = None
) -> Plan | None:
    """Plan the three options for one pair that will not sync (None for pairs that will)."""
    if result.compatible or result.channel is None or result.campaign is None:
        return None
    if result.tied:
        return _tied_plan(result)
    a = plan_other_campaign(result)
    b = plan_salesforce(result, comparison.rule, members_from_matches(result))
    c = plan_marketo(result, comparison, comparison.rule, context)
    key, reason = _recommend(result, a, b, c)
    return Plan(result.index, (a, b, c), key, reason)


def _tied_plan(result: PairResult) -> Plan:
    """A matrix campaign with no single closest channel: no channel-specific fix is planned.

    Renaming Salesforce labels towards one of the tied channels, or adding statuses to it, would
    pick a channel the evidence does not pick. The plan says so and asks for the program's channel.
    """
    a = plan_other_campaign(result)
    b = OptionB(OptionKey.B, False, (), (Constraint.TIED_CHANNEL,), None)
    c = OptionC(OptionKey.C, False, (), (Constraint.TIED_CHANNEL,))
    reason = Advisory(
        Recommendation.TIED_CHANNEL,
        None,
        (("channels", ", ".join(result.tied)), ("count", str(len(result.tied)))),
    )
    return Plan(result.index, (a, b, c), OptionKey.B, reason)


def plan_all(comparison: Comparison) -> dict[int, Plan]:
    """Plan every blocked pair, by pair index.

    Pairs that share a verdict (channel, status set with flags, rule) and the same member counts
    and sort orders get the same plan but for their own records: it is made once (`plan`) and
    bound to each pair's record IDs, blast-radius lists and option A (`_Shared.bind`).
    """
    plans: dict[int, Plan] = {}
    context = Neighbours(comparison)
    for shared_verdict, pairs in comparison.by_verdict:
        if shared_verdict.compatible:
            continue
        shared: dict[tuple[object, ...], _Shared | None] = {}
        for result in pairs:
            if result.channel is None or result.campaign is None:
                continue
            key = _share_key(result)
            template = shared.get(key) if key is not None else None
            if template is not None:
                plans[result.index] = template.bind(result)
                continue
            found = plan(result, comparison, context)
            if found is None:
                continue
            plans[result.index] = found
            if key is not None and key not in shared:
                shared[key] = _Shared.of(result, found, context, comparison.rule)
    return dict(sorted(plans.items()))


def _share_key(result: PairResult) -> tuple[object, ...] | None:
    """What a pair's plan depends on beyond its verdict and its own records (None: plan it
    alone)."""
    verdict = result.verdict
    campaign = result.campaign
    if verdict is None or campaign is None or result.tied:
        return None
    counts = result.member_counts
    statuses = campaign.statuses
    return (
        None if counts is None else tuple(counts.get(s.label, 0) for s in statuses),
        *map(_SORT_ORDER, statuses),
        *map(is_, map(_RECORD_ID, statuses), repeat(None)),
    )


_SORT_ORDER = attrgetter("sort_order")
_RECORD_ID = attrgetter("record_id")


class _Shared:
    """A plan made for one pair, to be bound to the other pairs with the same share key.

    Only what names the pair's own records changes from pair to pair: the record IDs of option
    B's (and C's) actions, found by the position of the template's status in the campaign; the
    blast-radius lists when they name the pair; option A.
    """

    __slots__ = ("a_feasible", "b", "b_slots", "blast", "c", "c_slots", "c_unnamed", "plan")

    def __init__(
        self,
        plan: Plan,
        positions: dict[str, int],
        context: Neighbours,
        rule: Rule,
        channel: Channel,
        index: int,
    ) -> None:
        self.plan = plan
        self.a_feasible = plan.option(OptionKey.A).feasible
        b, c = plan.option(OptionKey.B), plan.option(OptionKey.C)
        assert isinstance(b, OptionB) and isinstance(c, OptionC)
        self.b, self.c = b, c
        self.b_slots = _slots(b.actions, positions)
        """(action index, status position) of each action that names a record."""
        self.c_slots = _slots(c.actions, positions)
        added = frozenset(a.label for a in c.actions if a.act is Act.ADD_CHANNEL_STATUS)
        # Pairs sharing the verdict share the channel and the label set: one blast radius.
        self.blast = blast_of(context, channel, index, rule, added)
        self.c_unnamed: OptionC | None = None
        """Option C as every pair sees it that neither names a record nor is in the lists."""

    @classmethod
    def of(cls, result: PairResult, plan: Plan, context: Neighbours, rule: Rule) -> _Shared | None:
        """The shareable form of a plan (None when its record IDs cannot be told apart)."""
        assert result.campaign is not None and result.channel is not None
        positions: dict[str, int] = {}
        for position, status in enumerate(result.campaign.statuses):
            if status.record_id is not None:
                if status.record_id in positions:
                    return None
                positions[status.record_id] = position
        return cls(plan, positions, context, rule, result.channel, result.index)

    def bind(self, result: PairResult) -> Plan:
        """The plan of another pair with the same share key: its own records and neighbours."""
        assert result.campaign is not None
        statuses = result.campaign.statuses
        b = self.b
        if self.b_slots:
            b = OptionB(
                b.key,
                b.feasible,
                _rebound(b.actions, self.b_slots, statuses),
                b.constraints,
                b.verified,
            )
        c = self.c
        if self.c_slots or result.index in self.blast.named:
            c = OptionC(
                c.key,
                c.feasible,
                _rebound(c.actions, self.c_slots, statuses),
                c.constraints,
                *self.blast.seen_from(result.index),
            )
        else:
            if self.c_unnamed is None:
                self.c_unnamed = OptionC(
                    c.key, c.feasible, c.actions, c.constraints, *self.blast.unnamed
                )
            c = self.c_unnamed
        a = plan_other_campaign(result)
        if a.feasible or self.a_feasible:
            key, reason = _recommend(result, a, b, c)
        else:
            key, reason = self.plan.recommended, self.plan.reason
        return Plan(result.index, (a, b, c), key, reason)


def _slots(actions: tuple[Action, ...], positions: dict[str, int]) -> tuple[tuple[int, int], ...]:
    """(action index, status position) of each action that names a status record."""
    return tuple(
        (i, positions[a.record_id]) for i, a in enumerate(actions) if a.record_id is not None
    )


def _rebound(
    actions: tuple[Action, ...],
    slots: tuple[tuple[int, int], ...],
    statuses: tuple[MemberStatus, ...],
) -> tuple[Action, ...]:
    """The actions on another campaign's records (same positions, its own record IDs)."""
    if not slots:
        return actions
    out = list(actions)
    for i, position in slots:
        out[i] = _with_record_id(out[i], statuses[position].record_id)
    return tuple(out)


_RECORD_ID_AT = Action._fields.index("record_id")


def _with_record_id(action: Action, record_id: str | None) -> Action:
    """The same action on another campaign's record."""
    # NOTE: tuple.__new__ skips NamedTuple's Python-level __new__ and _replace (hot: one per
    # record-bearing step of every pair that shares a plan).
    at = _RECORD_ID_AT
    return tuple.__new__(Action, (*action[:at], record_id, *action[at + 1 :]))


def members_from_matches(result: PairResult) -> dict[str, int] | None:
    """Recover the members counts a pair was compared with (None when unknown)."""
    return result.members_by_label
