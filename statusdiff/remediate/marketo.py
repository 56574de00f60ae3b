"""Option C: fix the Marketo channel (Admin only, shared by every program on it)."""

from __future__ import annotations

from ..codes import ActionNote, Constraint
from ..explain import Reason
from ..model import (
    Act,
    Action,
    Comparison,
    Difference,
    Kind,
    MemberStatus,
    OptionC,
    OptionKey,
    Owner,
    PairResult,
    ProgramStatus,
    Risk,
    Source,
)
from ..rule import Rule
from .blast import Neighbours, blast_of

EVENT_LOCKED = ("Registered", "Waitlisted", "Attended")
"""Event channels map these to system statuses: they cannot be hidden."""
SAME_STATUS_REASONS = frozenset({Reason.NUMBERING, Reason.CASE, Reason.WHITESPACE})
"""A label whose near miss differs only by these is a status the channel already has: option C
never adds it (a duplicate a person cannot tell apart); it points at the existing one, and the
Salesforce label is renamed to it."""


def _suggest_steps(statuses: list[MemberStatus], result: PairResult) -> dict[str, int]:
    """Place new channel statuses by their Salesforce sort order among the statuses that match.

    A status sorted between two matching ones gets a step between theirs; one sorted after all of
    them (or with no sort order) goes after the channel's last step, ten apart. Steps already used
    are avoided where there is room, so each new status gets its own step.
    """
    assert result.channel is not None
    matched = [
        (m.status.sort_order, m.program_status.step)
        for m in result.matches
        if m.status.sort_order is not None and m.program_status.step is not None
    ]
    steps = [s.step for s in result.channel.program_statuses if s.step is not None]
    taken = set(steps)
    tail = max(steps) if steps else 0
    out: dict[str, int] = {}
    ordered = sorted(
        enumerate(statuses),
        key=lambda item: (item[1].sort_order is None, item[1].sort_order or 0, item[0]),
    )
    for _, status in ordered:
        low = high = None
        if status.sort_order is not None and matched:
            below = [step for so, step in matched if so <= status.sort_order]
            above = [step for so, step in matched if so > status.sort_order]
            low = max(below) if below else None
            high = min(above) if above else None
        if high is None:
            tail = max(tail, low or 0) + 10
            step = tail
        else:
            floor = low if low is not None else 0
            step = floor + (high - floor) // 2 if high - floor >= 2 else max(1, floor)
            while step in taken and step + 1 < high:
                step += 1
        taken.add(step)
        out[status.label] = step
    return out


def plan_marketo(
    result: PairResult, comparison: Comparison, rule: Rule, context: Neighbours | None = None
) -> OptionC:
    """Add the blocking labels to the channel, and show what that does to every pair on it."""
    assert result.channel is not None and result.campaign is not None
    channel = result.channel
    actions = []
    constraints = [
        Constraint.MK_ADMIN_ONLY,
        Constraint.MK_SHARED_CHANNEL,
        Constraint.MK_HIDE_NOT_DELETE,
        Constraint.MK_NOT_RETROACTIVE,
    ]
    added: list[ProgramStatus] = []
    blocking = [
        d for d in result.differences if d.blocking and d.kind is Kind.SALESFORCE_ONLY and d.status
    ]
    existing = [d for d in blocking if _same_status(d)]
    blocking = [d for d in blocking if not _same_status(d)]
    for diff in existing:
        assert diff.near_match is not None
        actions.append(
            Action(
                Act.USE_CHANNEL_STATUS,
                Owner.SALESFORCE,
                diff.label,
                target=diff.near_match.target,
                members=diff.members,
                record_id=diff.status.record_id if diff.status is not None else None,
                risk=Risk.EXACT,
                reason="use_channel_status",
            )
        )
    if existing:
        constraints.append(Constraint.MK_EXISTING_STATUS)
    steps = _suggest_steps([d.status for d in blocking if d.status is not None], result)
    for diff in blocking:
        assert diff.status is not None
        notes = []
        if diff.near_match is not None:
            notes.append(ActionNote.MK_NEAR_DUPLICATE)
        if diff.pseudo:
            notes.append(ActionNote.MK_PSEUDO_STATUS)
        step = steps[diff.label]
        success = bool(diff.status.responded)
        actions.append(
            Action(
                Act.ADD_CHANNEL_STATUS,
                Owner.MARKETO,
                diff.label,
                target=diff.near_match.target if diff.near_match else None,
                step=step,
                success=success,
                members=diff.members,
                notes=tuple(notes),
                reason="add_channel_status",
            )
        )
        added.append(ProgramStatus(diff.label, step, success, False, Source("<plan>"), None))
    feasible = not any(d.pseudo for d in result.differences if d.blocking)
    if rule is Rule.EXACT and any(
        d.kind is Kind.MARKETO_ONLY and d.blocking for d in result.differences
    ):
        constraints.append(Constraint.MK_STRICT_MISSING)
        feasible = False
    if channel.is_event and any(s.name in EVENT_LOCKED for s in channel.statuses):
        constraints.append(Constraint.MK_EVENT_LOCKED)
    ctx = context if context is not None else Neighbours(comparison)
    added_names = frozenset(s.name for s in added)
    blast = blast_of(ctx, channel, result.index, rule, added_names)
    return OptionC(
        OptionKey.C,
        feasible,
        tuple(actions),
        tuple(constraints),
        *blast.seen_from(result.index),
    )


def _same_status(diff: Difference) -> bool:
    """Whether a blocking label is a channel status numbered, cased or spaced differently."""
    near = diff.near_match
    return near is not None and not diff.pseudo and set(near.reasons) <= SAME_STATUS_REASONS
