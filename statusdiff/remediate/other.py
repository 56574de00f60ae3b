"""Option A: sync another campaign of the export that already fits the channel."""

from __future__ import annotations

from ..codes import Constraint
from ..model import Act, Action, Alternative, OptionA, OptionKey, Owner, PairResult

STRONG_NAME_MATCH = 90.0
"""Name similarity (rapidfuzz WRatio, 0–100) from which a free campaign can be a clear twin."""


def clear_twin(result: PairResult) -> Alternative | None:
    """The free campaign that clearly is the one the program meant, or None.

    A clear twin is the best-named alternative when its name similarity is at least
    STRONG_NAME_MATCH, no other alternative reaches that similarity, and its Type is known and
    names the channel (or its program type). Alternatives are already plausible (not inactive, not
    of another type): see comparison.plausible.
    """
    if not result.twin_possible:
        return None  # no alternative names the channel in its Type: no need to rank them
    best = result.alternatives[0]
    if best.score < STRONG_NAME_MATCH or not best.type_agrees:
        return None
    if any(alt.score >= STRONG_NAME_MATCH for alt in result.alternatives[1:]):
        return None
    return best


def plan_other_campaign(result: PairResult) -> OptionA:
    """Sync a campaign of the export that already fits the channel: proposed for a clear twin only.

    Other plausible campaigns are listed ("also fits") but never proposed as a step.
    """
    twin = clear_twin(result)
    actions = (
        (
            Action(
                Act.SYNC_OTHER,
                Owner.ANYONE,
                twin.campaign_name or twin.campaign_key,
                target=twin.campaign_id,
                reason="sync_other_campaign",
            ),
        )
        if twin is not None
        else ()
    )
    if twin is not None:
        constraints: tuple[str, ...] = (Constraint.A_ONE_TO_ONE, Constraint.A_PLAUSIBLE_ONLY)
    elif result.alternatives_total or result.alternatives:
        constraints = (
            Constraint.A_ONE_TO_ONE,
            Constraint.A_PLAUSIBLE_ONLY,
            Constraint.A_NO_CLEAR_TWIN,
        )
    else:
        constraints = (Constraint.A_NONE_IN_EXPORTS,)
    return OptionA(
        OptionKey.A,
        twin is not None,
        actions,
        constraints,
        pair=result,
        alternatives_total=result.alternatives_total,
    )
