"""Remediation: three ways out for every pair that will not sync, checked, and one recommended.

Marketo's own dialog offers them (docs/contract.md §5): A. sync another campaign; B. fix the
Salesforce campaign (one campaign at a time); C. fix the Marketo channel (Admin only, shared by
every program on it). Plans are pure data; plan B is applied in memory and re-verified.
"""

from __future__ import annotations

from ..codes import Constraint, Recommendation
from ..comparison import Advisory, Comparison, Kind, PairResult
from .blast import Neighbours
from .marketo import EVENT_LOCKED, SAME_STATUS_REASONS, plan_marketo
from .other import STRONG_NAME_MATCH, clear_twin, plan_other_campaign
from .salesforce import apply_plan, plan_salesforce
from .types import (
    Act,
    Action,
    BlastEntry,
    Loss,
    Option,
    OptionA,
    OptionB,
    OptionC,
    OptionKey,
    Owner,
    Plan,
    Risk,
)

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
    """Plan every blocked pair, by pair index."""
    plans = {}
    context = Neighbours(comparison)
    for result in comparison.pairs:
        found = plan(result, comparison, context)
        if found is not None:
            plans[result.index] = found
    return plans


def members_from_matches(result: PairResult) -> dict[str, int] | None:
    """Recover the members counts a pair was compared with (None when unknown)."""
    return result.members_by_label
